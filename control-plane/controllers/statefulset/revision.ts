// control-plane/controllers/statefulset/revision.ts — PURE: the StatefulSet's ControllerRevisions
// (control-plane-semantics.md §4; upstream history.NewControllerRevision, getStatefulSetRevisions,
// truncateHistory). A revision stores the patch `{"spec":{"template":{…,"$patch":"replace"}}}`; its name is
// `<sts>-<hash>`, the hash FNV-32 (not 32a) of the patch bytes (+ the collision count as 8 bytes, uint32
// little-endian first) re-encoded with SafeEncodeString, also put in the `controller.kubernetes.io/hash`
// label; labels are the template's; the StatefulSet is its controller. The patch bytes are our canonical
// JSON (sorted keys), not Go's encoding, so hashes are stable and look right but are not upstream's bytes.
import { controllerRefTo } from '../framework/index.js';
import { canonical, safeEncode } from '../deployment/hash.js';
import { REVISION_HASH_LABEL, REVISION_LABEL, type ControllerRevision, type Pod, type PodTemplate, type StatefulSet } from './types.js';

/** FNV-1, 32 bits (Go's fnv.New32): multiply, then xor. */
export function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h >>> 0;
}

const typed = (set: StatefulSet): StatefulSet => ({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' });

/** getPatch: the template, replacing whatever the set has. */
export const patchOf = (template: PodTemplate | undefined): Record<string, unknown> =>
  ({ spec: { template: { ...(canonical(template ?? {}) as object), $patch: 'replace' } } });

/** HashControllerRevision over the patch bytes and the collision count (8 bytes, uint32 LE first). */
export function hashRevision(data: unknown, collisionCount?: number): string {
  const json = new TextEncoder().encode(JSON.stringify(canonical(data) ?? {}));
  const count = collisionCount === undefined || collisionCount === null ? 0 : 8;
  const bytes = new Uint8Array(json.length + count);
  bytes.set(json);
  if (count) new DataView(bytes.buffer).setUint32(json.length, collisionCount! >>> 0, true);
  return safeEncode(String(fnv32(bytes)));
}

/** The revision `revision` of the set's current template. */
export function newRevision(set: StatefulSet, revision: number, collisionCount?: number): ControllerRevision {
  const data = patchOf(set.spec?.template);
  const hash = hashRevision(data, collisionCount);
  const annotations = { ...(set.metadata?.annotations ?? {}) };
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: `${set.metadata!.name!.slice(0, 223)}-${hash}`, namespace: set.metadata?.namespace,
      labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [controllerRefTo(typed(set))],
    },
    data, revision,
  };
}

/** ApplyRevision's effect on the template: the one the revision recorded. */
export function templateOf(rev: ControllerRevision): PodTemplate {
  const t = { ...((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {}) };
  delete t['$patch'];
  return t as PodTemplate;
}

/** Semantic equality of two revisions' data. */
export const equalRevision = (a: ControllerRevision, b: ControllerRevision): boolean =>
  JSON.stringify(canonical(a.data)) === JSON.stringify(canonical(b.data));

/** SortControllerRevisions: by revision, then creation, then name. */
export function sortRevisions(revs: readonly ControllerRevision[]): ControllerRevision[] {
  const key = (r: ControllerRevision): [number, string, string] => [r.revision ?? 0, r.metadata?.creationTimestamp ?? '', r.metadata?.name ?? ''];
  return [...revs].sort((a, b) => {
    const [ra, ta, na] = key(a);
    const [rb, tb, nb] = key(b);
    return ra !== rb ? ra - rb : ta !== tb ? (ta < tb ? -1 : 1) : na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** What getStatefulSetRevisions decides: which revision is current, which is the update one, and the write. */
export interface RevisionPlan {
  /** The revision pods should reach; `write` says whether it must be created or renumbered first. */
  readonly update: ControllerRevision;
  readonly current: ControllerRevision;
  readonly write?: { op: 'create' } | { op: 'renumber'; revision: number };
}

export function planRevisions(set: StatefulSet, owned: readonly ControllerRevision[]): RevisionPlan {
  const revs = sortRevisions(owned);
  const next = revs.length ? (revs[revs.length - 1]!.revision ?? 0) + 1 : 1;
  const candidate = newRevision(set, next, set.status?.collisionCount ?? 0);
  const equal = revs.filter((r) => equalRevision(r, candidate));
  let update: ControllerRevision;
  let write: RevisionPlan['write'];
  if (equal.length && revs[revs.length - 1] === equal[equal.length - 1]) update = equal[equal.length - 1]!;
  else if (equal.length) { update = { ...equal[equal.length - 1]!, revision: next }; write = { op: 'renumber', revision: next }; } else { update = candidate; write = { op: 'create' }; }
  const current = revs.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { update, current, write };
}

/**
 * truncateHistory: the revisions to delete — the oldest ones beyond revisionHistoryLimit among those no live
 * pod uses and that are neither current nor update.
 */
export function revisionsToDelete(set: StatefulSet, owned: readonly ControllerRevision[], pods: readonly Pod[], current: string, update: string): ControllerRevision[] {
  const live = new Set([current, update, ...pods.map((p) => p.metadata?.labels?.[REVISION_LABEL] ?? '')]);
  const history = sortRevisions(owned).filter((r) => !live.has(r.metadata?.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  return history.slice(0, Math.max(0, history.length - limit));
}
