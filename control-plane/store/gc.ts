// control-plane/store/gc.ts — the garbage collector over ownerReferences, after kube-controller-manager's:
// - background: once every owner of an object is gone, the object is deleted;
// - foreground: an owner marked with the `foregroundDeletion` finalizer has its dependents deleted and
//   keeps the finalizer until no dependent with `blockOwnerDeletion: true` remains;
// - orphan: an owner marked with the `orphan` finalizer has itself removed from its dependents'
//   ownerReferences, then loses the finalizer (and goes).
// An object with one owner still present and others gone or being deleted in the foreground loses the
// references to those others instead.
//
// Level-based: the work unit is one uid ("look at this object again"), queued from store events and from
// a full scan at start, so a restart after a crash picks up where it stopped. Every action is an ordinary
// store write; running one twice is harmless.
import { QueueController } from './controller.js';
import { ignoring } from './errors.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, hasFinalizer, isDeleting, metaOf, setFinalizers, withoutFinalizer } from './meta.js';
import type { Entry } from './state.js';
import type { ObjectStore } from './store.js';
import type { DeleteOptions, KubeObject, OwnerReference, StoreEvent } from './types.js';

export class GarbageCollector extends QueueController {
  private readonly deleteOptions: (e: Entry) => DeleteOptions;

  /** `deleteOptions`: how a dependent of a kind is deleted (Pods with their grace period). */
  constructor(store: ObjectStore, opts: { auto?: boolean; deleteOptions?: (e: Entry) => DeleteOptions } = {}) {
    super(store, opts.auto ?? true);
    this.deleteOptions = opts.deleteOptions ?? (() => ({}));
  }

  /** Every object that has owners or is being deleted may need collecting now. */
  protected *scan(): Iterable<string> {
    for (const resource of this.store.resources()) {
      for (const o of this.store.list(resource).items) {
        const m = metaOf(o);
        if ((m.ownerReferences ?? []).length > 0 || isDeleting(o)) yield m.uid!;
      }
    }
  }

  protected observe(ev: StoreEvent): void {
    const m = metaOf(ev.object);
    const refs = m.ownerReferences ?? [];
    const prevRefs = ev.prev ? metaOf(ev.prev).ownerReferences ?? [] : [];
    if (ev.type === 'DELETED') {
      // Its dependents may have lost their last owner; its owners may be waiting for it (foreground).
      for (const d of this.store.dependentsOf(m.uid!)) this.work.add(metaOf(d.object).uid!);
      for (const r of refs) this.work.add(r.uid);
      return;
    }
    const refsChanged = ev.type === 'ADDED' || JSON.stringify(refs) !== JSON.stringify(prevRefs);
    if (refs.length > 0 && refsChanged) this.work.add(m.uid!);
    if (refsChanged) for (const r of prevRefs) this.work.add(r.uid);
    if (isDeleting(ev.object) && (hasFinalizer(ev.object, FINALIZER_ORPHAN) || hasFinalizer(ev.object, FINALIZER_FOREGROUND))) this.work.add(m.uid!);
  }

  protected async process(uid: string): Promise<void> {
    const e = this.store.getByUid(uid);
    if (!e) return;
    if (isDeleting(e.object)) {
      if (hasFinalizer(e.object, FINALIZER_ORPHAN)) return this.orphan(e);
      if (hasFinalizer(e.object, FINALIZER_FOREGROUND)) return this.deleteDependents(e);
      return; // being deleted: its dependents are looked at when it is gone
    }
    const refs = metaOf(e.object).ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const r of refs) {
      const owner = this.store.getByUid(r.uid)?.object;
      if (!owner) dangling.push(r);
      else if (isDeleting(owner) && hasFinalizer(owner, FINALIZER_FOREGROUND)) waiting.push(r);
      else solid.push(r);
    }
    if (solid.length > 0) {
      if (dangling.length + waiting.length > 0) await this.dropRefs(e, new Set([...dangling, ...waiting].map((r) => r.uid)));
      return;
    }
    if (waiting.length > 0 && this.store.dependentsOf(uid).length > 0) return this.remove(e, 'Foreground');
    const policy = hasFinalizer(e.object, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(e.object, FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    return this.remove(e, policy);
  }

  /** Foreground: delete the dependents; drop the finalizer when no blocking dependent remains. */
  private async deleteDependents(owner: Entry): Promise<void> {
    const uid = metaOf(owner.object).uid!;
    const deps = this.store.dependentsOf(uid);
    const blocking = deps.filter((d) => refTo(d.object, uid)?.blockOwnerDeletion === true);
    if (blocking.length === 0) return this.dropFinalizer(owner, FINALIZER_FOREGROUND);
    for (const d of deps) this.work.add(metaOf(d.object).uid!);
  }

  /** Orphan: remove the owner from every dependent, then drop the finalizer. */
  private async orphan(owner: Entry): Promise<void> {
    const uid = metaOf(owner.object).uid!;
    for (const d of this.store.dependentsOf(uid)) await this.dropRefs(d, new Set([uid]));
    await this.dropFinalizer(owner, FINALIZER_ORPHAN);
  }

  private async dropRefs(e: Entry, uids: ReadonlySet<string>): Promise<void> {
    await ignoreGone(this.store.guaranteedUpdate(e.key.resource, e.key.namespace, e.key.name, (o) => {
      const kept = (o.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
      if (kept.length > 0) o.metadata.ownerReferences = kept; else delete o.metadata.ownerReferences;
    }, { preconditions: { uid: metaOf(e.object).uid } }));
  }

  private async dropFinalizer(e: Entry, finalizer: string): Promise<void> {
    await ignoreGone(this.store.guaranteedUpdate(e.key.resource, e.key.namespace, e.key.name,
      (o) => setFinalizers(o, withoutFinalizer(o.metadata.finalizers, finalizer)), { preconditions: { uid: metaOf(e.object).uid } }));
  }

  private async remove(e: Entry, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    await ignoreGone(this.store.delete(e.key.resource, e.key.namespace, e.key.name,
      { ...this.deleteOptions(e), propagationPolicy: policy, preconditions: { uid: metaOf(e.object).uid } }));
  }
}

const refTo = (o: KubeObject, uid: string): OwnerReference | undefined => (metaOf(o).ownerReferences ?? []).find((r) => r.uid === uid);

/** The object went (or was replaced by another with the same name) meanwhile: nothing left to do. */
const ignoreGone = (p: Promise<unknown>): Promise<void> => ignoring(p, 'NotFound', 'Conflict');
