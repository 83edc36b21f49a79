// control-plane/controllers/deployment/decide.ts — what one sync of a Deployment does (PURE; the order of
// syncDeployment, control-plane-semantics.md §1.1, §1.7, §1.8): an empty selector only warns; a Deployment
// being deleted only gets its status; paused conditions; paused or a scaling event → scale only; otherwise
// the strategy's rollout step. Returns the ReplicaSet writes in order, the Deployment to write through
// /status when its status or revision annotation changed, and when to look again (progress deadline).
import { Plan, type Action, type PlannedEvent } from './plan.js';
import { isScalingEvent, rolloutRecreate, rolloutRolling, scaleProportionally } from './rollout.js';
import { REASON, calculateStatus, getCondition, hasProgressDeadline, newCondition, rolloutStatus, setCondition, stuckRequeueMs } from './status.js';
import { REVISION, type Deployment, type DeploymentStatus, type Pod, type ReplicaSet } from './types.js';

export interface SyncInput {
  readonly deployment: Deployment;
  /** The ReplicaSets this Deployment controls (after adoption/release). */
  readonly replicaSets: readonly ReplicaSet[];
  /** Their pods by ReplicaSet uid (only Recreate reads them). */
  readonly podsByReplicaSet?: ReadonlyMap<string, readonly Pod[]>;
  readonly now: number;
}

export interface SyncDecision {
  readonly actions: Action[];
  readonly events: PlannedEvent[];
  /** The Deployment with its new status (and revision annotation), when either changed. */
  readonly statusUpdate?: Deployment;
  readonly requeueAfterMs?: number;
}

const INT_FIELDS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;

/** The status as the API stores it: int fields are omitempty, so zeros are absent. */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = { ...s };
  for (const k of INT_FIELDS) if (!out[k]) delete out[k];
  if (!out.conditions?.length) delete out.conditions;
  return out;
}

const selectsAll = (d: Deployment): boolean => {
  const s = d.spec.selector;
  return !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
};

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed (never over a timeout). */
function pausedConditions(p: Plan): void {
  if (!hasProgressDeadline(p.d)) return;
  const c = getCondition(p.status, 'Progressing');
  if (c?.reason === REASON.timedOut) return;
  const pausedNow = c?.reason === REASON.paused;
  if (p.d.spec.paused && !pausedNow) setCondition(p.status, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', p.now));
  else if (!p.d.spec.paused && pausedNow) setCondition(p.status, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', p.now));
}

/** sync: scale only (paused or a scaling event); cleanup too when paused. */
function scaleOnly(p: Plan): DeploymentStatus {
  const { newRS, old } = p.newAndOld(false);
  scaleProportionally(p, newRS, old);
  if (p.d.spec.paused) p.cleanup(old);
  return calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, p.d, p.now);
}

function body(p: Plan, input: SyncInput): DeploymentStatus {
  if (selectsAll(p.d)) {
    p.events.push({ type: 'Warning', reason: 'SelectingAll', message: 'This deployment is selecting all pods. A non-empty selector is required.' });
    const s = { ...p.status };
    if ((s.observedGeneration ?? 0) < (p.d.metadata?.generation ?? 0)) s.observedGeneration = p.d.metadata?.generation;
    return s;
  }
  if (p.d.metadata?.deletionTimestamp) {
    const { newRS, old } = p.newAndOld(false);
    return calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, p.d, p.now);
  }
  pausedConditions(p);
  if (p.d.spec.paused || isScalingEvent(p)) return scaleOnly(p);
  const r = p.d.spec.strategy?.type === 'Recreate' ? rolloutRecreate(p, input.podsByReplicaSet ?? new Map()) : rolloutRolling(p);
  return rolloutStatus(r.all, r.newRS, p.d, p.now);
}

export function syncDeployment(input: SyncInput): SyncDecision {
  const before = input.deployment;
  const p = new Plan(before, input.replicaSets, input.now);
  const status = compactStatus(body(p, input));
  const changed = JSON.stringify(status) !== JSON.stringify(compactStatus(before.status ?? {})) ||
    p.d.metadata?.annotations?.[REVISION] !== before.metadata?.annotations?.[REVISION];
  const requeue = stuckRequeueMs(before, status, input.now);
  const statusUpdate = changed ? { ...p.d, status } : undefined;
  return { actions: p.actions, events: p.events, ...(statusUpdate ? { statusUpdate } : {}), ...(requeue !== undefined ? { requeueAfterMs: requeue } : {}) };
}
