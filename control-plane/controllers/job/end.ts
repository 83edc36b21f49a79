// control-plane/controllers/job/end.ts — PURE: how a Job ends (control-plane-semantics.md §2.3–2.4). The first
// step, in upstream's order: FailureTarget from a FailJob rule, BackoffLimitExceeded (failed > backoffLimit, or
// OnFailure restarts ≥ backoffLimit), DeadlineExceeded; then, Indexed with backoffLimitPerIndex,
// MaxFailedIndexesExceeded (failed indexes > maxFailedIndexes) or FailedIndexes (every index ended, some
// failed); then SuccessCriteriaMet from the successPolicy, or CompletionsReached. The second step, once no pod is
// left running, terminating or uncounted: Failed/Complete with the same reason and message, completionTime on
// success, the events (TooManySucceededPods when more pods succeeded than completions, then Completed; or the
// Warning with the reason).
import { restarts } from './pods.js';
import { matchSuccessPolicy } from './success-policy.js';
import { failures, successes, type Tracked } from './tracking.js';
import {
  BACKOFF_LIMIT_EXCEEDED, COMPLETIONS_REACHED, conditionTrue, DEADLINE_EXCEEDED, FAILED_INDEXES, MAX_FAILED_INDEXES_EXCEEDED,
  type EndCondition, type Job, type JobCondition, type JobStatus, type PlannedEvent, type Pod,
} from './types.js';

/** Sets a condition (as ensureJobConditionStatus: a False one is never added); whether anything changed. */
export function setCondition(conds: JobCondition[], type: string, status: 'True' | 'False', reason: string, message: string, at: string): boolean {
  const i = conds.findIndex((c) => c.type === type);
  if (i < 0) {
    if (status === 'False') return false;
    conds.push({ type, status, reason, message, lastProbeTime: at, lastTransitionTime: at });
    return true;
  }
  const c = conds[i]!;
  if (c.status === status && c.reason === reason && c.message === message) return false;
  conds[i] = { type, status, reason, message, lastProbeTime: at, lastTransitionTime: c.status === status ? c.lastTransitionTime ?? at : at };
  return true;
}

function failedIndexesTarget(job: Job, t: Tracked): EndCondition | undefined {
  if (!t.failedIndexes) return undefined;
  const failed = t.failedIndexes.size;
  const max = job.spec?.maxFailedIndexes;
  if (typeof max === 'number' && failed > max) return MAX_FAILED_INDEXES_EXCEEDED;
  if (failed > 0 && failed + successes(t) >= (job.spec?.completions ?? 0)) return FAILED_INDEXES;
  return undefined;
}

/** The failure or success the Job has reached now, if any (failures first, as upstream). */
export function endTarget(job: Job, t: Tracked, active: readonly Pod[], now: number): EndCondition | undefined {
  if (t.failJob) return t.failJob;
  const limit = job.spec?.backoffLimit ?? 6;
  if (failures(t) > limit) return BACKOFF_LIMIT_EXCEEDED;
  if (job.spec?.template?.spec?.['restartPolicy'] === 'OnFailure') {
    const r = active.reduce((n, p) => n + restarts(p), 0);
    if (limit === 0 ? r > 0 : r >= limit) return BACKOFF_LIMIT_EXCEEDED;
  }
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : Number.NaN;
  if (ads !== undefined && !Number.isNaN(start) && now - start >= ads * 1000) return DEADLINE_EXCEEDED;
  const byIndexes = failedIndexesTarget(job, t) ?? (t.completedIndexes ? matchSuccessPolicy(job, t.completedIndexes) : undefined);
  if (byIndexes) return byIndexes;
  const completions = job.spec?.completions;
  const done = completions === undefined || completions === null
    ? successes(t) > 0 && active.length === 0
    : successes(t) >= completions;
  return done ? COMPLETIONS_REACHED : undefined;
}

/** The first step already written (FailureTarget or SuccessCriteriaMet True). */
export const existingTarget = (job: Job): EndCondition | undefined => {
  const c = conditionTrue(job, 'FailureTarget') ?? conditionTrue(job, 'SuccessCriteriaMet');
  return c ? { type: c.type, reason: c.reason ?? '', message: c.message ?? '' } : undefined;
};

/** The terminal condition once nothing is left running or uncounted, and its events. */
export function finish(job: Job, target: EndCondition, st: JobStatus, nowIso: string, events: PlannedEvent[]): void {
  const success = target.type === 'SuccessCriteriaMet';
  setCondition(st.conditions!, success ? 'Complete' : 'Failed', 'True', target.reason, target.message, nowIso);
  if (!success) { events.push({ type: 'Warning', reason: target.reason, message: target.message }); return; }
  st.completionTime = nowIso;
  const completions = job.spec?.completions;
  if (typeof completions === 'number' && (st.succeeded ?? 0) > completions) {
    events.push({ type: 'Warning', reason: 'TooManySucceededPods', message: 'Too many succeeded pods running after completion count reached' });
  }
  events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
}
