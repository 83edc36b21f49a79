// control-plane/store/update.ts — what an update does to one object, decided before anything is written:
// the system fields come back from the stored object (a client cannot change uid, creationTimestamp,
// deletionTimestamp, generation, resourceVersion, name or namespace), no finalizer may be added once
// deletion started, the kind's strategy runs, and an object being deleted whose last finalizer went is
// removed instead of written. An update that changes nothing writes nothing.
//
// PURE; mirrors the generic store's Update (BeforeUpdate, ShouldDeleteDuringUpdate, the no-op check).
import { invalid, splitResource } from './errors.js';
import { deepEqual } from './meta.js';
import { hasSpecFinalizers, NAMESPACES } from './namespaces.js';
import type { KubeObject, Mutable, WriteStrategy } from './types.js';

export type UpdatePlan = { action: 'put'; next: Mutable } | { action: 'remove'; next: Mutable } | { action: 'none' };

const SYSTEM_FIELDS = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'resourceVersion'] as const;

/** Plans writing `next` (a mutable copy the caller may give away) over `existing`. */
export function planUpdate(resource: string, existing: KubeObject, next: Mutable, strategy: WriteStrategy | undefined): UpdatePlan {
  const old = existing as Mutable;
  const om = old.metadata;
  next.metadata = next.metadata ?? {};
  const m = next.metadata;
  for (const f of SYSTEM_FIELDS) {
    if (om[f] === undefined) delete m[f]; else (m as Record<string, unknown>)[f] = om[f];
  }
  if (om.deletionTimestamp !== undefined) {
    const added = (m.finalizers ?? []).filter((f) => !(om.finalizers ?? []).includes(f));
    if (added.length > 0) {
      throw invalid(qualifiedKind(old, resource), om.name ?? '', [{ type: 'FieldValueForbidden', field: 'metadata.finalizers',
        detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` }]);
    }
  }
  strategy?.prepareForUpdate?.(next, old);
  // The last finalizer of an object being deleted (with no grace period running) is gone: the object goes.
  const finalized = (m.finalizers ?? []).length === 0 && !(resource === NAMESPACES && hasSpecFinalizers(next));
  if (om.deletionTimestamp !== undefined && finalized && (om.deletionGracePeriodSeconds ?? 0) === 0) return { action: 'remove', next };
  return deepEqual(next, old) ? { action: 'none' } : { action: 'put', next };
}

/** The kind as NewInvalid names it: "Pod", "Deployment.apps" (the resource when the object has no kind). */
export function qualifiedKind(o: KubeObject, resource: string): string {
  const { group, resource: plain } = splitResource(resource);
  return `${o.kind ?? plain}${group ? `.${group}` : ''}`;
}
