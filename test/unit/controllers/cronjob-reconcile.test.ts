// The CronJob controller (control-plane/controllers/cronjob) against the REAL embedded API server over HTTP, on
// the lab clock at scale 60 (a `*/1` schedule fires every real second), with this test playing the Job
// controller (it marks Jobs Complete through jobs/status when asked to): Jobs named <cronjob>-<minutes> with
// the controllerRef and scheduled-timestamp annotation, status.active / lastScheduleTime in real time,
// SuccessfulCreate events; Forbid → one Job and JobAlreadyActive; Replace → the running Job deleted
// (SuccessfulDelete) and a new one created; finished Jobs leave the active list (SawCompletedJob) and are
// trimmed to successfulJobsHistoryLimit.
import { describe, expect, it } from 'vitest';
import { EVENTS, type KubeObject, type ResourceRef } from '../../../client/index.js';
import { CRONJOBS, labClock, startCronJobController, type CronJob, type Job } from '../../../control-plane/controllers/cronjob/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import { until, type Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';

const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

let plane: Plane;
withControllers((client, signal) => startCronJobController({ client, clock: labClock(60) }).run(signal), (p) => { plane = p; });

const cronJob = (spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } } },
    ...spec,
  },
});
const storeJobs = (): Job[] => plane.store.list('jobs.batch', { namespace: 'default' }).items as unknown as Job[];
const liveJobs = (): Job[] => storeJobs().filter((j) => !j.metadata?.deletionTimestamp);
const getCj = (): CronJob => plane.store.get('cronjobs.batch', 'default', 'tick') as unknown as CronJob;
const reasons = (): string[] => (plane.store.list('events', { namespace: 'default' }).items as (KubeObject & { reason?: string; message?: string })[])
  .map((e) => `${e.reason}: ${e.message}`);
const complete = async (j: Job): Promise<void> => {
  const now = rfc3339(Date.now());
  await plane.client.patch(JOBS, 'default', j.metadata!.name!, 'merge',
    { status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] } }, { subresource: 'status' });
};

describe('CronJob controller on the lab clock (scale 60)', () => {
  it('Allow: a Job per lab minute, named from the scheduled minute, owned, annotated, listed active; SuccessfulCreate events', async () => {
    await plane.client.create(CRONJOBS, 'default', cronJob({}));
    await until(() => liveJobs().length >= 2, 8000, 'two Jobs');
    const [a, b] = [...liveJobs()].sort((x, y) => (x.metadata!.name! < y.metadata!.name! ? -1 : 1));
    const minuteOf = (j: Job): number => Number(j.metadata!.name!.slice('tick-'.length));
    expect(minuteOf(b!) - minuteOf(a!)).toBe(1);
    const stamp = a!.metadata!.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']!;
    expect(Date.parse(stamp) / 60_000).toBe(minuteOf(a!));
    expect(a!.metadata?.labels).toMatchObject({ app: 'tick' });
    expect(a!.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: getCj().metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    await until(() => (getCj().status?.active ?? []).length >= 2, 5000, 'two active');
    const last = Date.parse(getCj().status!.lastScheduleTime!);
    expect(Math.abs(last - Date.now())).toBeLessThan(5000); // real time, not lab time
    expect(reasons()).toEqual(expect.arrayContaining([`SuccessfulCreate: Created job ${a!.metadata!.name}`, `SuccessfulCreate: Created job ${b!.metadata!.name}`]));
  });

  it('Forbid with the Job still running: no second Job, JobAlreadyActive', async () => {
    await plane.client.create(CRONJOBS, 'default', cronJob({ concurrencyPolicy: 'Forbid' }));
    await until(() => reasons().some((r) => r.startsWith('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid')), 8000, 'JobAlreadyActive');
    expect(storeJobs()).toHaveLength(1);
  });

  it('Replace: the running Job is deleted and a new one created', async () => {
    await plane.client.create(CRONJOBS, 'default', cronJob({ concurrencyPolicy: 'Replace' }));
    await until(() => liveJobs().length === 1, 8000, 'the first Job');
    const first = liveJobs()[0]!.metadata!.name!;
    await until(() => liveJobs().length === 1 && liveJobs()[0]!.metadata!.name !== first, 8000, 'the replacement');
    expect(reasons()).toContain(`SuccessfulDelete: Deleted job ${first}`);
    const second = liveJobs()[0]!.metadata!.name;
    await until(() => getCj().status?.active?.[0]?.name === second, 5000, 'the status to list the replacement');
    expect(getCj().status?.active?.map((r) => r.name)).toEqual([second]);
  });

  it('finished Jobs leave the active list (SawCompletedJob, lastSuccessfulTime) and are trimmed to successfulJobsHistoryLimit 1', async () => {
    await plane.client.create(CRONJOBS, 'default', cronJob({ successfulJobsHistoryLimit: 1 }));
    const completed = new Set<string>();
    const finishAll = async (): Promise<void> => {
      for (const j of liveJobs()) if (!completed.has(j.metadata!.name!)) { completed.add(j.metadata!.name!); await complete(j); }
    };
    const end = Date.now() + 10_000;
    while (completed.size < 3 && Date.now() < end) { await finishAll(); await new Promise((r) => setTimeout(r, 50)); }
    expect(completed.size).toBeGreaterThanOrEqual(3);
    await until(() => storeJobs().filter((j) => j.status?.conditions?.some((c) => c.type === 'Complete')).length <= 1 && reasons().filter((r) => r.startsWith('SuccessfulDelete')).length >= 2, 8000, 'history trimmed');
    expect(reasons().some((r) => /^SawCompletedJob: Saw completed job: tick-\d+, status: Complete$/.test(r))).toBe(true);
    expect(getCj().status?.lastSuccessfulTime).toBeDefined();
  });
});

describe('events', () => {
  it('are stamped in real time even on the lab clock', async () => {
    await plane.client.create(CRONJOBS, 'default', cronJob({}));
    await until(() => reasons().some((r) => r.startsWith('SuccessfulCreate')), 8000, 'an event');
    const ev = (await plane.client.list(EVENTS, { namespace: 'default' })).items[0] as KubeObject & { lastTimestamp?: string };
    expect(Math.abs(Date.parse(ev.lastTimestamp!) - Date.now())).toBeLessThan(5000);
  });
});
