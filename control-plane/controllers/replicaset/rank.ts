// control-plane/controllers/replicaset/rank.ts — PURE: which pods a ReplicaSet deletes first on scale-down
// (upstream getPodsToDelete + ActivePodsWithRanks, control-plane-semantics.md §1.10). Earlier = deleted
// first:
//   1. unassigned (no nodeName) before assigned
//   2. phase Pending before Unknown before Running
//   3. not Ready before Ready
//   4. lower controller.kubernetes.io/pod-deletion-cost before higher
//   5. more related active pods on the same node before fewer (the rank)
//   6. both Ready: ready more recently first — compared in floor(log2(ns since ready)) buckets against now
//      (LogarithmicScaleDown), equal buckets broken by UID ascending
//   7. more container restarts (the max over containers) before fewer
//   8. newer creationTimestamp first (same buckets and UID tie-break); a missing timestamp first
import { isPodReady, readyCondition, type Pod } from './pods.js';

export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked { pod: Pod; rank: number }

/** The annotation as an int32; absent or invalid counts as 0 (upstream ignores the parse error). */
const deletionCost = (p: Pod): number => {
  const v = p.metadata?.annotations?.[DELETION_COST_ANNOTATION] ?? '';
  const n = /^[+-]?\d{1,10}$/.test(v) ? Number(v) : 0;
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
};

const maxRestarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

const timeOf = (s: string | undefined): number | undefined => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

const readyTime = (p: Pod): number | undefined => (isPodReady(p) ? timeOf(readyCondition(p)?.lastTransitionTime) : undefined);

/** floor(log2(nanoseconds since t)), -1 when t is not in the past (upstream logarithmicRankDiff's rank). */
const logBucket = (t: number, now: number): number => {
  const dNs = (now - t) * 1e6;
  return dNs > 0 ? Math.floor(Math.log2(dNs)) : -1;
};

/** <0: a goes first. Newer first; a missing time first; log2 buckets with the UID tie-break. */
function compareTimes(a: Pod, ta: number | undefined, b: Pod, tb: number | undefined, now: number): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logBucket(ta, now) - logBucket(tb, now);
  if (diff !== 0) return diff;
  const ua = a.metadata?.uid ?? '';
  const ub = b.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function compare(a: Ranked, b: Ranked, now: number): number {
  const na = a.pod.spec?.nodeName ?? '';
  const nb = b.pod.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.pod.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.pod.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a.pod);
  const rb = isPodReady(b.pod);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a.pod);
  const cb = deletionCost(b.pod);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const c = compareTimes(a.pod, readyTime(a.pod), b.pod, readyTime(b.pod), now);
    if (c !== 0) return c;
  }
  const xa = maxRestarts(a.pod);
  const xb = maxRestarts(b.pod);
  if (xa !== xb) return xb - xa;
  return compareTimes(a.pod, timeOf(a.pod.metadata?.creationTimestamp), b.pod, timeOf(b.pod.metadata?.creationTimestamp), now);
}

/**
 * The `count` pods of `pods` to delete, in deletion order. `related` are the active pods of the owner and
 * its siblings (a Deployment's other ReplicaSets); default `pods`. Their count per node is each pod's rank.
 */
export function podsToDelete(pods: readonly Pod[], count: number, now: number, related: readonly Pod[] = pods): Pod[] {
  if (count <= 0) return [];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? onNode.get(pod.spec.nodeName) ?? 0 : 0 }));
  ranked.sort((a, b) => compare(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
