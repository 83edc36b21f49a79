// control-plane/controllers/job/decide.ts — PURE: one sync of a Job (control-plane-semantics.md §2) from the
// Job, its pods and the time: the status to write (counts, startTime, uncounted pods, conditions), the
// finalizers to remove, the pods to delete and the indexes of the pods to create, the events, and when to
// look again (back-off, deadline). The controller does the I/O in that order.
//
// Order of decisions: cleanup only once Complete/Failed; suspend (delete active pods, Suspended True) and
// resume (Suspended False, startTime reset); the end targets (end.ts); with a target all active pods are
// deleted and the terminal Failed/Complete (same reason and message) comes only once no pod is active,
// terminating or uncounted. Otherwise never more active than parallelism (or what completions still need),
// new pods only after the failure back-off — with backoffLimitPerIndex each index's own (per-index.ts), and
// never for an index that failed.
import { backoffRecord, remainingBackoffMs } from './backoff.js';
import { endTarget, existingTarget, finish, setCondition } from './end.js';
import { indexOf } from './indexes.js';
import { failureCountAnnotations, lastFailedPerIndex, nextFailureCounts, remainingIndexBackoffMs } from './per-index.js';
import { isActive, isReady, isTerminating } from './pods.js';
import { completedIndexesText, failedIndexesText, successes, track, type Tracked } from './tracking.js';
import { hasBackoffLimitPerIndex, isFinished, isIndexed, type Job, type JobStatus, type PlannedEvent, type Pod } from './types.js';

/** Upstream's burst of creates per sync. */
export const MAX_CREATES_PER_SYNC = 500;

export interface JobPlan {
  status: JobStatus;
  removeFinalizers: Pod[];
  deletePods: Pod[];
  /** One entry per pod to create: its index (Indexed) or undefined. */
  create: (number | undefined)[];
  /** backoffLimitPerIndex: the index failure-count annotations of each index to create. */
  createAnnotations?: Record<number, Record<string, string>>;
  events: PlannedEvent[];
  requeueAfterMs?: number;
}

export interface DecideOptions { now: number; nowIso: string; backoffBaseMs?: number }

function baseStatus(job: Job, t: Tracked, pods: readonly Pod[]): JobStatus {
  const active = pods.filter(isActive);
  const st: JobStatus = {};
  const prev = job.status ?? {};
  if (active.length) st.active = active.length;
  st.ready = active.filter(isReady).length;
  st.terminating = pods.filter(isTerminating).length;
  const succeeded = t.completedIndexes ? t.completedIndexes.size : t.succeeded;
  if (succeeded) st.succeeded = succeeded;
  if (t.failed) st.failed = t.failed;
  if (prev.startTime) st.startTime = prev.startTime;
  if (prev.completionTime) st.completionTime = prev.completionTime;
  const ci = completedIndexesText(t);
  if (ci) st.completedIndexes = ci;
  const fi = failedIndexesText(t);
  if (fi !== undefined) st.failedIndexes = fi;
  st.uncountedTerminatedPods = {
    ...(t.uncounted.succeeded.length ? { succeeded: t.uncounted.succeeded } : {}),
    ...(t.uncounted.failed.length ? { failed: t.uncounted.failed } : {}),
  };
  st.conditions = structuredClone(prev.conditions ?? []);
  return st;
}

/** Active pods beyond what is wanted: not-ready ones first, then the newest. */
function surplus(active: readonly Pod[], n: number): Pod[] {
  const created = (p: Pod): string => p.metadata?.creationTimestamp ?? '';
  return [...active].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || created(b).localeCompare(created(a))).slice(0, Math.max(0, n));
}

/** Indexed: active pods whose index is invalid, completed, failed or held by an older pod of the same index. */
function misplaced(job: Job, active: readonly Pod[], t: Tracked): Pod[] {
  const completions = job.spec?.completions ?? 0;
  const seen = new Set<number>();
  const out: Pod[] = [];
  for (const p of [...active].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))) {
    const ix = indexOf(p, completions);
    if (ix === undefined || t.completedIndexes?.has(ix) || t.failedIndexes?.has(ix) || seen.has(ix)) out.push(p);
    else seen.add(ix);
  }
  return out;
}

function wantActive(job: Job, t: Tracked, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return successes(t) > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - successes(t)));
}

/** Pods to create and delete while the Job runs. */
function manage(job: Job, t: Tracked, pods: readonly Pod[], o: DecideOptions, plan: JobPlan): void {
  let active = pods.filter(isActive);
  if (isIndexed(job)) {
    const bad = misplaced(job, active, t);
    plan.deletePods.push(...bad);
    active = active.filter((p) => !bad.includes(p));
  }
  const want = wantActive(job, t, active.length);
  if (active.length > want) { plan.deletePods.push(...surplus(active, active.length - want)); return; }
  const busy = job.spec?.podReplacementPolicy === 'Failed' ? pods.filter(isTerminating).length : 0;
  const missing = Math.min(MAX_CREATES_PER_SYNC, want - active.length - busy);
  if (missing <= 0) return;
  if (!hasBackoffLimitPerIndex(job)) {
    const wait = remainingBackoffMs(backoffRecord(pods), o.now, o.backoffBaseMs);
    if (wait > 0) { plan.requeueAfterMs = wait; return; }
  }
  if (!isIndexed(job)) { plan.create = Array.from({ length: missing }, () => undefined); return; }
  const completions = job.spec?.completions ?? 0;
  const held = new Set(active.map((p) => indexOf(p, completions)).filter((ix): ix is number => ix !== undefined));
  const settled = new Set([...(t.completedIndexes ?? []), ...(t.failedIndexes ?? []), ...held]);
  const pending: number[] = [];
  for (let i = 0; i < completions && pending.length < missing; i++) if (!settled.has(i)) pending.push(i);
  if (!hasBackoffLimitPerIndex(job)) { plan.create = pending; return; }
  createPerIndex(job, pods, settled, pending, o, plan);
}

/** backoffLimitPerIndex: the pending indexes whose own back-off is over, with their failure counts. */
function createPerIndex(job: Job, pods: readonly Pod[], settled: ReadonlySet<number>, pending: readonly number[], o: DecideOptions, plan: JobPlan): void {
  const last = lastFailedPerIndex(job, pods, settled);
  plan.createAnnotations = {};
  for (const ix of pending) {
    const wait = remainingIndexBackoffMs(last.get(ix), o.now, o.backoffBaseMs);
    if (wait > 0) { plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait); continue; }
    plan.create.push(ix);
    plan.createAnnotations[ix] = failureCountAnnotations(nextFailureCounts(job, last.get(ix)));
  }
}

function suspendOrResume(job: Job, st: JobStatus, o: DecideOptions, plan: JobPlan): boolean {
  const conds = st.conditions!;
  if (job.spec?.suspend === true) {
    if (setCondition(conds, 'Suspended', 'True', 'JobSuspended', 'Job suspended', o.nowIso)) plan.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    return true;
  }
  if (setCondition(conds, 'Suspended', 'False', 'JobResumed', 'Job resumed', o.nowIso)) {
    plan.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    st.startTime = o.nowIso;
  }
  return false;
}

export function decideJob(job: Job, pods: readonly Pod[], o: DecideOptions): JobPlan {
  const t = track(job, pods);
  const st = baseStatus(job, t, pods);
  const plan: JobPlan = { status: st, removeFinalizers: t.removeFinalizers, deletePods: [], create: [], events: [] };
  if (isFinished(job) || job.metadata?.deletionTimestamp) return plan;
  const active = pods.filter(isActive);
  let target = existingTarget(job);
  if (!target) {
    if (!st.startTime && job.spec?.suspend !== true) st.startTime = o.nowIso;
    if (suspendOrResume(job, st, o, plan)) { plan.deletePods.push(...active); return plan; }
    const withStart: Job = { ...job, status: { ...job.status, startTime: st.startTime } };
    target = endTarget(withStart, t, active, o.now);
    if (target) setCondition(st.conditions!, target.type, 'True', target.reason, target.message, o.nowIso);
  }
  if (target) {
    plan.deletePods.push(...active);
    const pending = t.uncounted.succeeded.length + t.uncounted.failed.length;
    if (active.length === 0 && (st.terminating ?? 0) === 0 && pending === 0) finish(job, target, st, o.nowIso, plan.events);
    return plan;
  }
  manage(job, t, pods, o, plan);
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads !== undefined && st.startTime) {
    const left = Date.parse(st.startTime) + ads * 1000 - o.now;
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, Math.max(0, left));
  }
  return plan;
}
