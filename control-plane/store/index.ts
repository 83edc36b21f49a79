// control-plane/store/index.ts — the store's public face: `openStore` (the object store with its garbage
// collector and namespace controller running) and the types, errors and helpers the registry and the API
// server build on. See control-plane/README.md.
import { GarbageCollector } from './gc.js';
import { NamespaceController, type NamespaceControllerOptions } from './namespace-controller.js';
import { ObjectStore, type StoreOptions } from './store.js';

export interface OpenStoreOptions extends StoreOptions {
  /**
   * 'auto' (default): the garbage collector and namespace controller work on their own, right after each
   * change. 'manual': they work only in `store.settle()` (tests that look at the states in between).
   */
  controllers?: 'auto' | 'manual';
  /**
   * How the controllers (garbage collector, namespace controller) delete an object of a kind: graceful kinds
   * (Pods) with their grace period, as kube's controllers do through the API. Default: at once.
   */
  deleteOptions?: NamespaceControllerOptions['deleteOptions'];
}

export async function openStore(opts: OpenStoreOptions = {}): Promise<ObjectStore> {
  const store = await ObjectStore.open(opts);
  const auto = opts.controllers !== 'manual';
  store.addController(new GarbageCollector(store, { auto, deleteOptions: opts.deleteOptions }).start());
  store.addController(new NamespaceController(store, { auto, deleteOptions: opts.deleteOptions }).start());
  return store;
}

export { ObjectStore, realClock, type StoreOptions, type GuaranteedUpdateOptions } from './store.js';
export { Watch, INITIAL_EVENTS_END } from './watch.js';
export { GarbageCollector } from './gc.js';
export { NamespaceController } from './namespace-controller.js';
export * from './errors.js';
export * from './types.js';
export { parseLabelSelector, parseFieldSelector, selectorFromSpec, type LabelSelector, type FieldSelector, type SpecSelector } from './selectors.js';
export { specGeneration, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, rfc3339 } from './meta.js';
export { DEFAULT_NAMESPACES, IMMORTAL_NAMESPACES, NAMESPACES, NAMESPACE_FINALIZER, newNamespace } from './namespaces.js';
