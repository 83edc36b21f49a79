// control-plane/controllers/deployment/rollout.ts — one sync of a Deployment (PURE; control-plane-semantics.md
// §1.4, §1.6, §1.7): RollingUpdate (scale the new RS up, else the old ones down: unhealthy first, then within
// minAvailable), Recreate (old to 0, wait for their pods, then the new one), and the proportional scaling of
// a rollout in flight.
import { maxSurge, maxUnavailable, newRSNewReplicas, proportion, desiredReplicasAnnotation } from './arithmetic.js';
import { byCreation } from './hash.js';
import { active, type Plan } from './plan.js';
import { isComplete } from './status.js';
import { specReplicas, statusOf, type Pod, type ReplicaSet } from './types.js';

const sumSpec = (rss: readonly ReplicaSet[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
const available = (rs: ReplicaSet): number => statusOf(rs).availableReplicas ?? 0;

/** reconcileNewReplicaSet: true when the new RS was scaled. */
export function reconcileNew(p: Plan, all: readonly ReplicaSet[], newRS: ReplicaSet): boolean {
  if (specReplicas(newRS) === p.replicas) return false;
  if (specReplicas(newRS) > p.replicas) return p.scaleTo(newRS, p.replicas);
  return p.scaleTo(newRS, newRSNewReplicas(p.d, all, newRS));
}

/** reconcileOldReplicaSets: true when an old RS was scaled down. */
export function reconcileOld(p: Plan, all: readonly ReplicaSet[], oldActive: readonly ReplicaSet[], newRS: ReplicaSet): boolean {
  if (sumSpec(oldActive) === 0) return false;
  const minAvailable = p.replicas - maxUnavailable(p.d);
  const newUnavailable = specReplicas(newRS) - available(newRS);
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthy(p, oldActive, maxScaledDown);
  const scaled = scaleDownOld(p, [...oldActive, newRS], oldActive);
  return cleaned + scaled > 0;
}

/** cleanupUnhealthyReplicas: old RSes oldest first lose up to their unavailable replicas. */
function cleanupUnhealthy(p: Plan, old: readonly ReplicaSet[], maxCleanup: number): number {
  let total = 0;
  for (const rs of [...old].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const spec = specReplicas(rs);
    if (spec === 0 || spec === available(rs)) continue;
    const n = Math.min(maxCleanup - total, spec - available(rs));
    p.scale(rs, spec - n);
    total += n;
  }
  return total;
}

/** scaleDownOldReplicaSetsForRollingUpdate: what is available above minAvailable, oldest RS first. */
function scaleDownOld(p: Plan, all: readonly ReplicaSet[], old: readonly ReplicaSet[]): number {
  const minAvailable = p.replicas - maxUnavailable(p.d);
  const avail = all.reduce((n, rs) => n + available(rs), 0);
  if (avail <= minAvailable) return 0;
  const want = avail - minAvailable;
  let total = 0;
  for (const rs of [...old].sort(byCreation)) {
    if (total >= want) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), want - total);
    p.scale(rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}

export type RolloutResult = { newRS: ReplicaSet | undefined; all: ReplicaSet[] };

/** rolloutRolling. */
export function rolloutRolling(p: Plan): RolloutResult {
  const { newRS, old } = p.newAndOld(true);
  const all = [...old, newRS!];
  if (reconcileNew(p, all, newRS!)) return { newRS, all };
  if (reconcileOld(p, all, active(old), newRS!)) return { newRS, all };
  if (isComplete(p.d, p.d.status)) p.cleanup(old);
  return { newRS, all };
}

/** oldPodsRunning: an old RS still reports pods, or an old RS's pod is not Succeeded/Failed. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[], podsByRS: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (old.some((rs) => (statusOf(rs).replicas ?? 0) > 0)) return true;
  for (const [uid, pods] of podsByRS) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}

/** rolloutRecreate. */
export function rolloutRecreate(p: Plan, podsByRS: ReadonlyMap<string, readonly Pod[]>): RolloutResult {
  let { newRS, old } = p.newAndOld(false);
  let all = [...old, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of active(old)) if (p.scaleTo(rs, 0)) scaledDown = true;
  if (scaledDown || oldPodsRunning(newRS, old, podsByRS)) return { newRS, all };
  if (!newRS) {
    ({ newRS, old } = p.newAndOld(true));
    all = [...old, newRS!];
  }
  p.scaleTo(newRS!, p.replicas);
  if (isComplete(p.d, p.d.status)) p.cleanup(old);
  return { newRS, all };
}

/** isScalingEvent: an active RS's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(p: Plan): boolean {
  const { newRS, old } = p.newAndOld(false);
  return active([...old, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== p.replicas;
  });
}

/** FindActiveOrLatest: the one active RS, or with none active the new (else the newest old) one. */
function activeOrLatest(newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => byCreation(b, a));
  const act = active([...newestFirst, newRS]);
  if (act.length === 0) return newRS ?? newestFirst[0];
  return act.length === 1 ? act[0] : undefined;
}

/** IsSaturated: the new RS has all replicas, desired and available. */
function saturated(p: Plan, rs: ReplicaSet | undefined): boolean {
  return !!rs && specReplicas(rs) === p.replicas && desiredReplicasAnnotation(rs) === p.replicas && available(rs) === p.replicas;
}

/** scale: a resize while paused or mid-rollout, proportional to each active RS's size. */
export function scaleProportionally(p: Plan, newRS: ReplicaSet | undefined, old: readonly ReplicaSet[]): void {
  const one = activeOrLatest(newRS, old);
  if (one) { p.scaleTo(one, p.replicas); return; }
  if (saturated(p, newRS)) { for (const rs of active(old)) p.scaleTo(rs, 0); return; }
  if (p.d.spec.strategy?.type === 'Recreate') return;
  const rss = active([...old, newRS]);
  const allowed = p.replicas > 0 ? p.replicas + maxSurge(p.d) : 0;
  const toAdd = allowed - sumSpec(rss);
  const newerFirst = toAdd > 0;
  rss.sort((a, b) => specReplicas(b) - specReplicas(a) || (newerFirst ? byCreation(b, a) : byCreation(a, b)));
  const size = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of rss) {
    const n = toAdd !== 0 ? proportion(rs, p.d, toAdd, added) : 0;
    size.set(rs, specReplicas(rs) + n);
    added += n;
  }
  if (toAdd !== 0 && rss.length > 0) size.set(rss[0]!, Math.max(0, size.get(rss[0]!)! + toAdd - added));
  for (const rs of rss) p.scale(rs, size.get(rs)!);
}
