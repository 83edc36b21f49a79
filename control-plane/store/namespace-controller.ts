// control-plane/store/namespace-controller.ts — empties a namespace that is being deleted, then removes
// it (kube-controller-manager's namespace controller): every object in it is deleted (objects with
// finalizers or a grace period go when those are done), and once nothing is left the namespace loses its
// `kubernetes` finalizer, which removes it.
//
// Level-based over namespace names, queued from store events and from a scan at start.
import { isStatusError } from './errors.js';
import { isDeleting } from './meta.js';
import { finalizedNamespace, NAMESPACES } from './namespaces.js';
import type { Entry } from './state.js';
import type { ObjectStore } from './store.js';
import type { DeleteOptions, StoreController, StoreEvent } from './types.js';
import { WorkQueue } from './work-queue.js';

export interface NamespaceControllerOptions {
  auto?: boolean;
  /** How each object in a deleted namespace is deleted (e.g. Pods with their grace period). Default: {}. */
  deleteOptions?: (e: Entry) => DeleteOptions;
}

export class NamespaceController implements StoreController {
  private readonly work: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly store: ObjectStore, private readonly opts: NamespaceControllerOptions = {}) {
    this.work = new WorkQueue((ns) => this.process(ns), store.clock, opts.auto ?? true);
  }

  start(): this {
    this.unsubscribe = this.store.subscribe((ev) => this.observe(ev));
    for (const ns of this.store.list(NAMESPACES).items) if (isDeleting(ns)) this.work.add(ns.metadata!.name!);
    return this;
  }

  drain(): Promise<void> { return this.work.drain(); }

  stop(): void {
    this.unsubscribe?.();
    this.work.stop();
  }

  private observe(ev: StoreEvent): void {
    if (ev.resource === NAMESPACES) {
      if (ev.type !== 'DELETED' && isDeleting(ev.object)) this.work.add(ev.name);
      return;
    }
    if (ev.type === 'DELETED' && ev.namespace) {
      const ns = this.store.find(NAMESPACES, '', ev.namespace);
      if (ns && isDeleting(ns)) this.work.add(ev.namespace);
    }
  }

  private async process(name: string): Promise<void> {
    const ns = this.store.find(NAMESPACES, '', name);
    if (!ns || !isDeleting(ns)) return;
    for (const e of this.store.contentsOf(name)) {
      if (isDeleting(e.object)) continue;
      try {
        await this.store.delete(e.key.resource, e.key.namespace, e.key.name, this.opts.deleteOptions?.(e) ?? {});
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
    }
    if (this.store.contentsOf(name).length > 0) return; // the rest goes with its finalizers / grace; its DELETED events bring us back
    try {
      await this.store.guaranteedUpdate(NAMESPACES, '', name, (o) => finalizedNamespace(o));
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
