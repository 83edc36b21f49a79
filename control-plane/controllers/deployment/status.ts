// control-plane/controllers/deployment/status.ts — the Deployment's status and conditions (PURE;
// control-plane-semantics.md §1.8, §1.9): calculateStatus, SetDeploymentCondition's rules, complete /
// progressing / timed out, the Progressing condition a rollout step leaves, and when to look again.
import { rfc3339 } from '../framework/index.js';
import { maxUnavailable, replicasOf } from './arithmetic.js';
import { MAX_INT32, nameOf, specReplicas, statusOf, type Condition, type Deployment, type DeploymentStatus, type ReplicaSet } from './types.js';

export const REASON = {
  created: 'NewReplicaSetCreated', found: 'FoundNewReplicaSet', updated: 'ReplicaSetUpdated',
  available: 'NewReplicaSetAvailable', timedOut: 'ProgressDeadlineExceeded', createError: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused', resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable', minUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const at = rfc3339(now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export const getCondition = (s: DeploymentStatus | undefined, type: string): Condition | undefined => s?.conditions?.find((c) => c.type === type);

export function removeCondition(s: DeploymentStatus, type: string): void {
  const rest = (s.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) s.conditions = rest;
  else delete s.conditions;
}

/** SetDeploymentCondition: no-op on the same status and reason; keeps lastTransitionTime on the same status. */
export function setCondition(s: DeploymentStatus, c: Condition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...(s.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export const hasProgressDeadline = (d: Deployment): boolean =>
  d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== null && d.spec.progressDeadlineSeconds !== MAX_INT32;

const sum = (rss: readonly ReplicaSet[], f: (rs: ReplicaSet) => number): number => rss.reduce((n, rs) => n + f(rs), 0);

/** calculateStatus: the counts from the ReplicaSets, and the Available condition. */
export function calculateStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = sum(all, (rs) => statusOf(rs).availableReplicas ?? 0);
  const s: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(all, (rs) => statusOf(rs).replicas ?? 0),
    updatedReplicas: statusOf(newRS).replicas ?? 0,
    readyReplicas: sum(all, (rs) => statusOf(rs).readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, specReplicas) - available),
  };
  if (d.status?.collisionCount !== undefined) s.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) s.conditions = structuredClone(d.status.conditions);
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(s, newCondition('Available', 'True', REASON.minAvailable, 'Deployment has minimum availability.', now));
  else setCondition(s, newCondition('Available', 'False', REASON.minUnavailable, 'Deployment does not have minimum availability.', now));
  return s;
}

/** DeploymentComplete. */
export function isComplete(d: Deployment, s: DeploymentStatus | undefined): boolean {
  const r = replicasOf(d);
  return (s?.updatedReplicas ?? 0) === r && (s?.replicas ?? 0) === r && (s?.availableReplicas ?? 0) === r &&
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: updated up, old down, ready up or available up, against the status before. */
export function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition's lastUpdateTime + deadline is before now. */
export function isTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === REASON.available) return false;
  if (c.reason === REASON.timedOut) return true;
  return Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 < now;
}

const rsOrDeployment = (newRS: ReplicaSet | undefined, d: Deployment): string =>
  newRS ? `ReplicaSet "${nameOf(newRS)}"` : `Deployment "${nameOf(d)}"`;

/** syncRolloutStatus: the status after a rollout step, Progressing and ReplicaFailure included. */
export function rolloutStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const s = calculateStatus(all, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const completeBefore = s.replicas === s.updatedReplicas && cur?.reason === REASON.available;
  if (hasProgressDeadline(d) && !completeBefore) {
    const who = rsOrDeployment(newRS, d);
    if (isComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', REASON.available, `${who} has successfully progressed.`, now));
    } else if (isProgressing(d, s)) {
      const c = newCondition('Progressing', 'True', REASON.updated, `${who} is progressing.`, now);
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (isTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', REASON.timedOut, `${who} has timed out progressing.`, now));
    }
  }
  const failure = newRS?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure) setCondition(s, { ...failure });
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/** requeueStuckDeployment: ms until the progress deadline can pass (+1 s), or undefined. */
export function stuckRequeueMs(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (isComplete(d, s) || c.reason === REASON.timedOut) return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 - now;
  return after < 1000 ? 0 : after + 1000;
}
