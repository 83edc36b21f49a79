// control-plane/store/namespace-controller.ts — empties a namespace that is being deleted, then removes
// it (kube-controller-manager's namespace controller): every object in it is deleted (objects with
// finalizers or a grace period go when those are done), and once nothing is left the namespace loses its
// `kubernetes` finalizer, which removes it.
//
// Level-based over namespace names, queued from store events and from a scan at start.
import { QueueController } from './controller.js';
import { ignoring } from './errors.js';
import { isDeleting } from './meta.js';
import { finalizedNamespace, NAMESPACES } from './namespaces.js';
import type { Entry } from './state.js';
import type { ObjectStore } from './store.js';
import type { DeleteOptions, StoreEvent } from './types.js';

export interface NamespaceControllerOptions {
  auto?: boolean;
  /** How each object in a deleted namespace is deleted (e.g. Pods with their grace period). Default: {}. */
  deleteOptions?: (e: Entry) => DeleteOptions;
}

export class NamespaceController extends QueueController {
  constructor(store: ObjectStore, private readonly opts: NamespaceControllerOptions = {}) {
    super(store, opts.auto ?? true);
  }

  protected *scan(): Iterable<string> {
    for (const ns of this.store.list(NAMESPACES).items) if (isDeleting(ns)) yield ns.metadata!.name!;
  }

  protected observe(ev: StoreEvent): void {
    if (ev.resource === NAMESPACES) {
      if (ev.type !== 'DELETED' && isDeleting(ev.object)) this.work.add(ev.name);
      return;
    }
    if (ev.type === 'DELETED' && ev.namespace) {
      const ns = this.store.find(NAMESPACES, '', ev.namespace);
      if (ns && isDeleting(ns)) this.work.add(ev.namespace);
    }
  }

  protected async process(name: string): Promise<void> {
    const ns = this.store.find(NAMESPACES, '', name);
    if (!ns || !isDeleting(ns)) return;
    for (const e of this.store.contentsOf(name)) {
      if (isDeleting(e.object)) continue;
      await ignoring(this.store.delete(e.key.resource, e.key.namespace, e.key.name, this.opts.deleteOptions?.(e) ?? {}), 'NotFound');
    }
    if (this.store.contentsOf(name).length > 0) return; // the rest goes with its finalizers / grace; its DELETED events bring us back
    await ignoring(this.store.guaranteedUpdate(NAMESPACES, '', name, (o) => finalizedNamespace(o)), 'NotFound');
  }
}
