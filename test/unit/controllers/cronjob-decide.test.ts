// The CronJob controller's pure decisions (control-plane/controllers/cronjob/decide.ts, missed.ts, jobs.ts,
// times.ts) on fixed instants: when a Job is due, its name/labels/annotations/owner, requeue at next + 100 ms,
// concurrency policies (Forbid → JobAlreadyActive, Replace → delete then create, Allow → both), more than 100
// missed → TooManyMissedTimes and still created, startingDeadlineSeconds, suspend, the active list
// (SawCompletedJob, MissingJob, UnexpectedJob), lastSuccessfulTime, history limits, unusable schedules and
// zones, and the lab clock's scaled time.
import { describe, expect, it } from 'vitest';
import { recordCreated, syncCronJob, type SyncInput } from '../../../control-plane/controllers/cronjob/decide.js';
import type { CronJob, Job } from '../../../control-plane/controllers/cronjob/jobs.js';
import { mostRecentScheduleTime } from '../../../control-plane/controllers/cronjob/missed.js';
import { parseStandard, type Schedule } from '../../../control-plane/controllers/cronjob/schedule.js';
import { labClock, REAL_TIME, rfc3339In, statusTime } from '../../../control-plane/controllers/cronjob/times.js';
import { FakeClock } from './fake-clock.js';

const CREATED = '2026-12-02T04:00:10Z';
const at = (iso: string): number => Date.parse(iso);
const minutes = (iso: string): number => Math.floor(at(iso) / 60_000);

function cronJob(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}, meta: Record<string, unknown> = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', uid: 'cj-uid', creationTimestamp: CREATED, ...meta },
    spec: {
      schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: 'tick' }, annotations: { note: 'n' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } } },
      ...spec,
    },
    status,
  };
}
const job = (name: string, uid: string, opts: { finished?: 'Complete' | 'Failed'; start?: string; completion?: string } = {}): Job => ({
  apiVersion: 'batch/v1', kind: 'Job',
  metadata: { name, namespace: 'default', uid, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true }] },
  status: {
    ...(opts.start ? { startTime: opts.start } : {}),
    ...(opts.completion ? { completionTime: opts.completion } : {}),
    ...(opts.finished ? { conditions: [{ type: opts.finished, status: 'True' }] } : {}),
  },
});
const ref = (name: string, uid: string) => ({ apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'default', uid });
const input = (cj: CronJob, now: string, jobs: Job[] = [], gone: string[] = []): SyncInput => ({ cronJob: cj, jobs, gone: new Set(gone), now: at(now), time: REAL_TIME });
const reasons = (p: ReturnType<typeof syncCronJob>): string[] => p.events.map((e) => `${e.reason}: ${e.message}`);

describe('when a Job is due', () => {
  it('before the first schedule time: nothing; requeue at next(creation) + 100 ms', () => {
    const p = syncCronJob(input(cronJob(), '2026-12-02T04:00:30Z'));
    expect(p).toEqual({ events: [], deletes: [], requeueAfterMs: 30_100 });
  });

  it('at 04:01:00.5: the Job tick-<minutes> with the template labels and annotations, scheduled-timestamp, controllerRef; requeue at 04:02 + 100 ms', () => {
    const p = syncCronJob(input(cronJob(), '2026-12-02T04:01:00.500Z'));
    expect(p.create?.scheduledTime).toBe(at('2026-12-02T04:01:00Z'));
    expect(p.create?.job).toEqual({
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: `tick-${minutes('2026-12-02T04:01:00Z')}`, namespace: 'default', labels: { app: 'tick' },
        annotations: { note: 'n', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-12-02T04:01:00Z' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } },
    });
    expect(p.requeueAfterMs).toBe(59_600);
    const created = { ...p.create!.job, metadata: { ...p.create!.job.metadata, uid: 'j1', resourceVersion: '7' } };
    expect(recordCreated(p.status ?? {}, created, p.create!.scheduledTime, REAL_TIME)).toEqual({
      active: [{ apiVersion: 'batch/v1', kind: 'Job', name: `tick-${minutes('2026-12-02T04:01:00Z')}`, namespace: 'default', uid: 'j1', resourceVersion: '7' }],
      lastScheduleTime: '2026-12-02T04:01:00Z',
    });
  });

  it('already handled (lastScheduleTime = t, or its Job active): nothing but the requeue', () => {
    const done = cronJob({}, { lastScheduleTime: '2026-12-02T04:01:00Z' });
    expect(syncCronJob(input(done, '2026-12-02T04:01:20Z'))).toEqual({ events: [], deletes: [], requeueAfterMs: 40_100 });
    const name = `tick-${minutes('2026-12-02T04:01:00Z')}`;
    const running = cronJob({}, { active: [ref(name, 'j1')] });
    expect(syncCronJob(input(running, '2026-12-02T04:01:20Z', [job(name, 'j1')])).create).toBeUndefined();
  });

  it('the scheduled-timestamp annotation is written in spec.timeZone', () => {
    const p = syncCronJob(input(cronJob({ timeZone: 'Europe/Paris', schedule: '0 6 * * *' }, {}, { creationTimestamp: '2026-12-01T00:00:00Z' }), '2026-12-02T05:00:05Z'));
    expect(p.create?.job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-12-02T06:00:00+01:00');
    expect(rfc3339In(at('2026-07-01T04:00:00Z'), 'America/New_York')).toBe('2026-07-01T00:00:00-04:00');
  });
});

describe('concurrency policies with a Job still running', () => {
  const prev = `tick-${minutes('2026-12-02T04:01:00Z')}`;
  const running = (policy: string) => input(cronJob({ concurrencyPolicy: policy }, { active: [ref(prev, 'j1')], lastScheduleTime: '2026-12-02T04:01:00Z' }), '2026-12-02T04:02:00.2Z', [job(prev, 'j1', { start: '2026-12-02T04:01:01Z' })]);

  it('Forbid: JobAlreadyActive, no Job, no status change; requeue at 04:03 + 100 ms', () => {
    const p = syncCronJob(running('Forbid'));
    expect(reasons(p)).toEqual(['JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid']);
    expect(p.create).toBeUndefined();
    expect(p.status).toBeUndefined();
    expect(p.requeueAfterMs).toBe(59_900);
  });

  it('Replace: the running Job deleted (SuccessfulDelete "Deleted job <name>"), then the new one created', () => {
    const p = syncCronJob(running('Replace'));
    expect(p.deletes.map((d) => [d.job.metadata?.name, d.event.reason, d.event.message])).toEqual([[prev, 'SuccessfulDelete', `Deleted job ${prev}`]]);
    expect(p.create?.job.metadata?.name).toBe(`tick-${minutes('2026-12-02T04:02:00Z')}`);
    expect(p.status?.active).toEqual([]);
  });

  it('Allow: a second Job beside the first', () => {
    const p = syncCronJob(running('Allow'));
    expect(p.deletes).toEqual([]);
    expect(p.create?.job.metadata?.name).toBe(`tick-${minutes('2026-12-02T04:02:00Z')}`);
    expect(recordCreated(p.status ?? {}, { metadata: { name: 'x', uid: 'j2' } }, p.create!.scheduledTime, REAL_TIME).active?.map((r) => r.uid)).toEqual(['j1', 'j2']);
  });
});

describe('missed schedules', () => {
  it('more than 100 missed: TooManyMissedTimes, and the most recent time still gets its Job', () => {
    const p = syncCronJob(input(cronJob(), '2026-12-02T06:00:30Z'));
    expect(reasons(p)).toEqual(['TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew']);
    expect(p.create?.scheduledTime).toBe(at('2026-12-02T06:00:00Z'));
  });

  it('100 or fewer missed: no warning, the most recent time', () => {
    const p = syncCronJob(input(cronJob(), '2026-12-02T05:39:30Z'));
    expect(p.events).toEqual([]);
    expect(p.create?.scheduledTime).toBe(at('2026-12-02T05:39:00Z'));
  });

  it('startingDeadlineSeconds: a time older than the deadline is not started (nothing seen before now − deadline)', () => {
    const p = syncCronJob(input(cronJob({ startingDeadlineSeconds: 10 }, { lastScheduleTime: '2026-12-02T04:00:00Z' }), '2026-12-02T04:01:30Z'));
    expect(p.create).toBeUndefined();
    expect(p.requeueAfterMs).toBe(30_100);
    const inTime = syncCronJob(input(cronJob({ startingDeadlineSeconds: 40 }, { lastScheduleTime: '2026-12-02T04:00:00Z' }), '2026-12-02T04:01:30Z'));
    expect(inTime.create?.scheduledTime).toBe(at('2026-12-02T04:01:00Z'));
  });

  it('@every 90s counts from the creation time', () => {
    const s: Schedule = (parseStandard('@every 90s') as { schedule: Schedule }).schedule;
    const r = mostRecentScheduleTime({ schedule: s, now: at('2026-12-02T04:05:00Z'), earliest: at(CREATED) }, true);
    expect(r).toEqual({ kind: 'due', earliest: at(CREATED), time: at('2026-12-02T04:04:40Z'), tooMany: false });
  });
});

describe('nothing is scheduled', () => {
  it.each([
    ['suspended', cronJob({ suspend: true }), []],
    ['being deleted', cronJob({}, {}, { deletionTimestamp: '2026-12-02T04:05:00Z' }), []],
    ['an unknown zone', cronJob({ timeZone: 'Mars/Olympus' }), ['UnknownTimeZone: invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus']],
    ['an unparseable schedule', cronJob({ schedule: '0 0 * * 7' }), ['UnparseableSchedule: unparseable schedule: "0 0 * * 7" : end of range (7) above maximum (6): 7']],
    ['a TZ= schedule (old object)', cronJob({ schedule: 'TZ=Mars/X * * * * *' }), [
      'UnsupportedSchedule: CRON_TZ or TZ used in schedule "TZ=Mars/X * * * * *" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
      'UnparseableSchedule: unparseable schedule: "TZ=Mars/X * * * * *" : provided bad location Mars/X: unknown time zone Mars/X',
    ]],
  ])('%s', (_what, cj, events) => {
    const p = syncCronJob(input(cj, '2026-12-02T04:05:00Z'));
    expect(reasons(p)).toEqual(events);
    expect(p.create).toBeUndefined();
    expect(p.requeueAfterMs).toBeUndefined();
  });
});

describe('the active list, lastSuccessfulTime and history limits', () => {
  it('a listed Job that finished leaves the list (SawCompletedJob) and sets lastSuccessfulTime', () => {
    const cj = cronJob({}, { active: [ref('tick-1', 'j1')], lastScheduleTime: '2026-12-02T04:01:00Z' });
    const p = syncCronJob(input(cj, '2026-12-02T04:01:30Z', [job('tick-1', 'j1', { finished: 'Complete', start: '2026-12-02T04:01:01Z', completion: '2026-12-02T04:01:09Z' })]));
    expect(reasons(p)).toEqual(['SawCompletedJob: Saw completed job: tick-1, status: Complete']);
    expect(p.status).toEqual({ active: [], lastScheduleTime: '2026-12-02T04:01:00Z', lastSuccessfulTime: '2026-12-02T04:01:09Z' });
  });

  it('a listed Job the API server no longer has: MissingJob, out of the list', () => {
    const cj = cronJob({}, { active: [ref('tick-1', 'j1')], lastScheduleTime: '2026-12-02T04:01:00Z' });
    const p = syncCronJob(input(cj, '2026-12-02T04:01:30Z', [], ['j1']));
    expect(reasons(p)).toEqual(['MissingJob: Active job went missing: tick-1']);
    expect(p.status?.active).toEqual([]);
  });

  it('a running Job of ours that is not listed: UnexpectedJob', () => {
    const cj = cronJob({}, { lastScheduleTime: '2026-12-02T04:01:00Z' });
    expect(reasons(syncCronJob(input(cj, '2026-12-02T04:01:30Z', [job('tick-9', 'j9')])))).toEqual(['UnexpectedJob: Saw a job that the controller did not create or forgot: tick-9']);
  });

  it('5 succeeded (limit 3) and 2 failed (limit 1): the oldest by start time are deleted; a Job without start time counts as newest', () => {
    const ok = [3, 1, 5, 2].map((m) => job(`ok-${m}`, `ok${m}`, { finished: 'Complete', start: `2026-12-02T04:0${m}:01Z`, completion: `2026-12-02T04:0${m}:05Z` }));
    const noStart = job('ok-x', 'okx', { finished: 'Complete' });
    const failed = [1, 2].map((m) => job(`bad-${m}`, `bad${m}`, { finished: 'Failed', start: `2026-12-02T04:0${m}:02Z` }));
    const p = syncCronJob(input(cronJob({}, { lastScheduleTime: '2026-12-02T04:05:00Z' }), '2026-12-02T04:05:30Z', [...ok, noStart, ...failed]));
    expect(p.deletes.map((d) => d.job.metadata?.name)).toEqual(['ok-1', 'ok-2', 'bad-1']);
    expect(p.deletes.map((d) => d.event.message)).toEqual(['Deleted job ok-1', 'Deleted job ok-2', 'Deleted job bad-1']);
    expect(p.status?.lastSuccessfulTime).toBe('2026-12-02T04:05:05Z');
  });

  it('limit 0 deletes every finished Job at once', () => {
    const p = syncCronJob(input(cronJob({ successfulJobsHistoryLimit: 0 }, { lastScheduleTime: '2026-12-02T04:05:00Z' }), '2026-12-02T04:05:30Z', [job('ok-1', 'ok1', { finished: 'Complete' })]));
    expect(p.deletes.map((d) => d.job.metadata?.name)).toEqual(['ok-1']);
  });
});

describe('the lab clock', () => {
  it('scale 60: a real second is a controller minute from a minute-aligned epoch; timers are 60 times shorter', () => {
    const base = new FakeClock(at('2026-12-02T04:00:30Z'));
    const lab = labClock(60, base);
    expect(lab.now()).toBe(at('2026-12-02T04:30:00Z')); // epoch 04:00:00, 30 real s → 30 lab min
    base.advance(1000);
    expect(lab.now()).toBe(at('2026-12-02T04:31:00Z'));
    let fired = 0;
    lab.setTimeout(() => { fired++; }, 60_000);
    base.advance(999);
    expect(fired).toBe(0);
    base.advance(1);
    expect(fired).toBe(1);
  });

  it('statuses are written in real time and read back to the same controller instant', () => {
    const lab = labClock(60, new FakeClock(at('2026-12-02T04:00:30Z')));
    const t = at('2026-12-02T04:45:00Z');
    expect(statusTime(lab, t)).toBe('2026-12-02T04:00:45Z');
    expect(lab.toLab(Date.parse(statusTime(lab, t)))).toBe(t);
  });

  it('a CronJob created under the lab clock sees no missed runs and fires every real second', () => {
    const base = new FakeClock(at('2026-12-02T04:00:30Z'));
    const lab = labClock(60, base);
    const cj = cronJob({}, {}, { creationTimestamp: '2026-12-02T04:00:40Z' }); // lab 04:40
    const sync = (c: CronJob) => syncCronJob({ cronJob: c, jobs: [], gone: new Set(), now: lab.now(), time: lab });
    base.advance(10_000 + 500); // real 04:00:40.5 → lab 04:40:30
    expect(sync(cj).create).toBeUndefined();
    base.advance(500);
    const p = sync(cj);
    expect(p.events).toEqual([]);
    expect(p.create?.scheduledTime).toBe(at('2026-12-02T04:41:00Z'));
    expect(p.requeueAfterMs).toBe(60_100);
    const after = cronJob({}, recordCreated({}, { metadata: { name: 'x', uid: 'j' } }, p.create!.scheduledTime, lab), { creationTimestamp: '2026-12-02T04:00:40Z' });
    expect(after.status?.lastScheduleTime).toBe('2026-12-02T04:00:41Z');
    expect(sync(after).create).toBeUndefined();
  });
});
