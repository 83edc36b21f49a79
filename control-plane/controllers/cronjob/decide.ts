// control-plane/controllers/cronjob/decide.ts — one sync of a CronJob as the v2 controller does it
// (control-plane-semantics.md §3.2), decided without I/O: finished Jobs beyond the history limits deleted
// (oldest start first), active list kept (a finished Job leaves it with SawCompletedJob, a vanished one with
// MissingJob, a running unknown one raises UnexpectedJob), lastSuccessfulTime; then, unless deleting,
// suspended, or the zone/schedule is unusable: the most recent unmet time t (TooManyMissedTimes past 100),
// MissSchedule past startingDeadlineSeconds, nothing when t was already handled, JobAlreadyActive under
// Forbid, the active Jobs deleted under Replace, and the Job for t created. Requeue at next(t) + 100 ms.
//
// PURE: the controller (controller.ts) runs the plan and records the created Job with recordCreated.
import { finishedStatus, byStartTime, jobFromTemplate, jobName, refTo, type CronJob, type CronJobStatus, type Job, type JobRef } from './jobs.js';
import { mostRecentScheduleTime, requeueAfter, type RecentInput } from './missed.js';
import { loadLocationError, parseStandard } from './schedule.js';
import { labTimeOf, rfc1123z, statusTime, type TimeScale } from './times.js';

export interface PlannedEvent { readonly type: 'Normal' | 'Warning'; readonly reason: string; readonly message: string }
export interface PlannedDelete { readonly job: Job; readonly event: PlannedEvent }

export interface SyncInput {
  readonly cronJob: CronJob;
  /** The Jobs this CronJob controls. */
  readonly jobs: readonly Job[];
  /** uids in status.active whose Job the API server says is gone (not in the cache and a GET found nothing). */
  readonly gone: ReadonlySet<string>;
  /** Controller time. */
  readonly now: number;
  readonly time: TimeScale;
}

export interface SyncPlan {
  /** Events to post first, in order. */
  readonly events: PlannedEvent[];
  /** Jobs to delete (history limits, then Replace), each with its SuccessfulDelete. */
  readonly deletes: PlannedDelete[];
  /** The Job to create for `scheduledTime`. */
  readonly create?: { readonly job: Job; readonly scheduledTime: number };
  /** The status to write (the created Job is added by recordCreated); undefined when unchanged. */
  readonly status?: CronJobStatus;
  /** Controller-time ms until the next look. */
  readonly requeueAfterMs?: number;
}

const ev = (type: 'Normal' | 'Warning', reason: string, message: string): PlannedEvent => ({ type, reason, message });
const quoted = (s: string): string => JSON.stringify(s);

/** cleanupFinishedJobs: the oldest finished Jobs beyond each history limit. */
function historyDeletes(cj: CronJob, jobs: readonly Job[]): Job[] {
  const out: Job[] = [];
  const trim = (status: 'Complete' | 'Failed', limit: number | undefined): void => {
    if (limit === undefined) return;
    const done = jobs.filter((j) => finishedStatus(j) === status).sort(byStartTime);
    out.push(...done.slice(0, Math.max(0, done.length - limit)));
  };
  trim('Complete', cj.spec.successfulJobsHistoryLimit);
  trim('Failed', cj.spec.failedJobsHistoryLimit);
  return out;
}

const deleteOf = (j: Job): PlannedDelete => ({ job: j, event: ev('Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name}`) });

/** The active list against the Jobs seen: finished ones leave, vanished ones leave, lastSuccessfulTime. */
function reconcileActive(i: SyncInput, status: CronJobStatus, events: PlannedEvent[]): boolean {
  let changed = false;
  const active = (): JobRef[] => status.active ?? [];
  const drop = (uid: string | undefined): void => { status.active = active().filter((r) => r.uid !== uid); };
  for (const j of i.jobs) {
    const uid = j.metadata?.uid;
    const listed = active().some((r) => r.uid === uid);
    const finished = finishedStatus(j);
    if (!listed && finished === undefined) {
      events.push(ev('Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`));
    } else if (listed && finished !== undefined) {
      drop(uid);
      events.push(ev('Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, status: ${finished}`));
      changed = true;
    }
    // Recorded for any succeeded Job, listed or not (the branch above also counts).
    const completed = j.status?.completionTime;
    if (finished === 'Complete' && completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) {
      status.lastSuccessfulTime = completed;
      changed = true;
    }
  }
  const seen = new Set(i.jobs.map((j) => j.metadata?.uid));
  for (const r of [...active()]) {
    if (seen.has(r.uid) || !r.uid || !i.gone.has(r.uid)) continue;
    events.push(ev('Normal', 'MissingJob', `Active job went missing: ${r.name}`));
    drop(r.uid);
    changed = true;
  }
  return changed;
}

/** The schedule as formatSchedule hands it to the parser (TZ= of spec.timeZone), with UnsupportedSchedule. */
function scheduleOf(cj: CronJob, events: PlannedEvent[]): string {
  const s = cj.spec.schedule ?? '';
  if (s.includes('TZ')) {
    events.push(ev('Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${quoted(s)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`));
    return s;
  }
  return cj.spec.timeZone !== undefined && loadLocationError(cj.spec.timeZone) === undefined ? `TZ=${cj.spec.timeZone} ${s}` : s;
}

/** syncCronJob (after the history cleanup): what to create or delete for the most recent unmet time. */
function schedulePart(i: SyncInput, status: CronJobStatus, events: PlannedEvent[]): Pick<SyncPlan, 'create' | 'deletes' | 'requeueAfterMs'> & { changed?: boolean } {
  const cj = i.cronJob;
  if (cj.metadata?.deletionTimestamp) return { deletes: [] };
  const tz = cj.spec.timeZone;
  if (tz !== undefined) {
    const err = loadLocationError(tz);
    if (err !== undefined) { events.push(ev('Warning', 'UnknownTimeZone', `invalid timeZone: ${quoted(tz)}: ${err}`)); return { deletes: [] }; }
  }
  if (cj.spec.suspend === true) return { deletes: [] };
  const parsed = parseStandard(scheduleOf(cj, events));
  if (!parsed.ok) {
    events.push(ev('Warning', 'UnparseableSchedule', `unparseable schedule: ${quoted(cj.spec.schedule ?? '')} : ${parsed.error}`));
    return { deletes: [] };
  }
  const lastSchedule = labTimeOf(i.time, status.lastScheduleTime);
  const base: RecentInput = {
    schedule: parsed.schedule, now: i.now, startingDeadlineSeconds: cj.spec.startingDeadlineSeconds,
    earliest: lastSchedule ?? labTimeOf(i.time, cj.metadata?.creationTimestamp) ?? i.now,
  };
  const later = (): number | undefined => requeueAfter(base);
  const recent = mostRecentScheduleTime(base, true);
  if (recent.kind === 'error') {
    events.push(ev('Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec.schedule} : ${recent.message}`));
    return { deletes: [] };
  }
  if (recent.kind === 'none') return { deletes: [], requeueAfterMs: later() };
  const t = recent.time;
  if (recent.tooMany) events.push(ev('Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && t + deadline * 1000 < i.now) {
    events.push(ev('Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(t)}`));
    return { deletes: [], requeueAfterMs: later() };
  }
  const name = jobName(cj.metadata!.name!, t);
  if ((status.active ?? []).some((r) => r.name === name) || status.lastScheduleTime === statusTime(i.time, t)) return { deletes: [], requeueAfterMs: later() };
  const active = status.active ?? [];
  if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push(ev('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid'));
    return { deletes: [], requeueAfterMs: later() };
  }
  const deletes: PlannedDelete[] = [];
  if (cj.spec.concurrencyPolicy === 'Replace') {
    for (const r of active) {
      const j = i.jobs.find((x) => x.metadata?.uid === r.uid) ?? ({ metadata: { name: r.name, namespace: r.namespace, uid: r.uid } } as Job);
      deletes.push(deleteOf(j));
    }
    status.active = [];
  }
  const job = jobFromTemplate(cj, t, tz ?? '');
  // After the create the status says t, so the next look is at next(t).
  const requeueAfterMs = requeueAfter({ ...base, earliest: t });
  return { deletes, create: { job, scheduledTime: t }, requeueAfterMs, changed: deletes.length > 0 };
}

/** One sync of a CronJob (cleanupFinishedJobs, then syncCronJob). */
export function syncCronJob(i: SyncInput): SyncPlan {
  const status: CronJobStatus = structuredClone(i.cronJob.status ?? {});
  const events: PlannedEvent[] = [];
  const cleanup = historyDeletes(i.cronJob, i.jobs);
  const cleanedUids = new Set(cleanup.map((j) => j.metadata?.uid));
  let changed = false;
  if (cleanup.length > 0 && (status.active ?? []).some((r) => cleanedUids.has(r.uid))) {
    status.active = (status.active ?? []).filter((r) => !cleanedUids.has(r.uid));
    changed = true;
  }
  // As upstream, the sync still sees the Jobs just cleaned up (their success still counts for lastSuccessfulTime).
  changed = reconcileActive(i, status, events) || changed;
  const s = schedulePart(i, status, events);
  changed ||= s.changed === true || cleanup.length > 0;
  return {
    events,
    deletes: [...cleanup.map(deleteOf), ...s.deletes],
    ...(s.create ? { create: s.create } : {}),
    ...(changed || s.create ? { status } : {}),
    ...(s.requeueAfterMs !== undefined ? { requeueAfterMs: s.requeueAfterMs } : {}),
  };
}

/** The status once the planned Job exists: it is active and t is the last schedule time. */
export function recordCreated(status: CronJobStatus, created: Job, scheduledTime: number, time: TimeScale): CronJobStatus {
  return { ...status, active: [...(status.active ?? []), refTo(created)], lastScheduleTime: statusTime(time, scheduledTime) };
}
