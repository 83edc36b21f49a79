// control-plane/store/deletion.ts — what a delete does to one object, decided before anything is written:
// preconditions, graceful deletion (deletionTimestamp = now + grace, only shortened by later deletes), the
// garbage-collection finalizers a propagation policy asks for, and whether the object goes now or is only
// marked (finalizers pending, grace running).
//
// PURE (time is passed in). Mirrors kube-apiserver's rest.BeforeDelete + the generic store's
// updateForGracefulDeletionAndFinalizers; the store carries out the plan.
import { conflict } from './errors.js';
import { clone, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, metaOf, rfc3339, setFinalizers } from './meta.js';
import type { DeleteOptions, KubeObject, Mutable, PropagationPolicy } from './types.js';

export type DeletePlan =
  /** A graceful deletion is already under way with a grace no longer than asked: nothing changes. */
  | { action: 'none' }
  /** The object stays, marked: deletionTimestamp / grace / finalizers as in `next`. */
  | { action: 'update'; next: Mutable }
  /** The object goes now. */
  | { action: 'remove' };

export function planDelete(existing: KubeObject, opts: DeleteOptions, now: number): DeletePlan {
  checkPreconditions(existing, opts);
  const next = clone(existing) as Mutable;
  const m = next.metadata;
  const asked = opts.gracePeriodSeconds;
  const grace = asked === undefined ? undefined : asked < 0 ? 1 : asked; // negative counts as 1 s, as upstream
  let graceful = false;
  if (m.deletionTimestamp !== undefined) {
    const current = m.deletionGracePeriodSeconds ?? 0;
    if (current > 0) {
      // Already deleting gracefully: only a shorter grace period changes anything.
      if (grace === undefined || grace >= current) return { action: 'none' };
      m.deletionTimestamp = rfc3339(Date.parse(m.deletionTimestamp) - current * 1000 + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
      graceful = true;
    }
  } else if (grace !== undefined && grace > 0) {
    m.deletionTimestamp = rfc3339(now + grace * 1000);
    m.deletionGracePeriodSeconds = grace;
    if ((m.generation ?? 0) > 0) m.generation = m.generation! + 1;
    graceful = true;
  }
  setFinalizers(next, gcFinalizers(m.finalizers, opts.propagationPolicy));
  if ((m.finalizers ?? []).length > 0) {
    if (!graceful) markAsDeleting(next, now);
    return { action: 'update', next };
  }
  if (graceful && (m.deletionGracePeriodSeconds ?? 0) > 0) return { action: 'update', next };
  return { action: 'remove' };
}

/** The finalizer list after a propagation policy: Orphan adds `orphan`, Foreground `foregroundDeletion`. */
export function gcFinalizers(list: readonly string[] | undefined, policy: PropagationPolicy | undefined): string[] {
  const current = [...(list ?? [])];
  if (policy === undefined) return current;
  const kept = current.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (policy === 'Orphan') kept.push(FINALIZER_ORPHAN);
  if (policy === 'Foreground') kept.push(FINALIZER_FOREGROUND);
  return kept;
}

/** deletionTimestamp = now (or kept when earlier), grace 0; generation +1 when deletion starts. */
function markAsDeleting(o: Mutable, now: number): void {
  const m = o.metadata;
  if (m.deletionTimestamp === undefined && (m.generation ?? 0) > 0) m.generation = m.generation! + 1;
  if (m.deletionTimestamp === undefined || Date.parse(m.deletionTimestamp) > now) m.deletionTimestamp = rfc3339(now);
  m.deletionGracePeriodSeconds = 0;
}

// The texts of rest.BeforeDelete, which names the object by its kind ("Pod"), not its resource.
function checkPreconditions(o: KubeObject, opts: DeleteOptions): void {
  const p = opts.preconditions;
  if (!p) return;
  const m = metaOf(o);
  const who = o.kind ?? 'object';
  if (p.uid !== undefined && p.uid !== m.uid) {
    throw conflict(who, m.name ?? '', `the UID in the precondition (${p.uid}) does not match the UID in record (${m.uid}). The object might have been deleted and then recreated`);
  }
  if (p.resourceVersion !== undefined && p.resourceVersion !== m.resourceVersion) {
    throw conflict(who, m.name ?? '', `the ResourceVersion in the precondition (${p.resourceVersion}) does not match the ResourceVersion in record (${m.resourceVersion}). The object might have been modified`);
  }
}
