// control-plane/controllers/cronjob/controller.ts — the CronJob controller (v2, control-plane-semantics.md §3) on
// the controller framework: informers on cronjobs.batch and jobs.batch (a Job event enqueues its controlling
// CronJob); sync(ns/name) reads the caches, asks the API about active Jobs the cache lacks (MissingJob only
// when the server says 404) and re-reads a CronJob whose running Job it does not list (the cache may be
// behind our own status write), asks decide.ts for the plan, and runs it: events, deletes (Background
// propagation; SuccessfulDelete or FailedDelete), the create (SuccessfulCreate, or FailedCreate; a Job that
// already exists was made by an earlier sync), then the status through /status. It requeues itself at the
// next schedule time + 100 ms; a failure throws → the framework's back-off.
//
// Time: `clock` is controller time. Under the lab clock (times.ts labClock) schedules run faster; object
// timestamps are mapped into controller time and statuses back to real time; events are stamped in real time.
//
//   const c = startCronJobController({ client, log?, clock? });  await c.run(signal);
import { isAlreadyExists, isNotFound, type KubeClient, type ResourceRef } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, EventRecorder, realClock, splitKey, type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { recordCreated, syncCronJob, type PlannedEvent, type SyncPlan } from './decide.js';
import { finishedStatus, type CronJob, type Job } from './jobs.js';
import { REAL_TIME, type TimeScale } from './times.js';
import { JOBS } from '../job/types.js';

export const CRONJOB_CONTROLLER = 'cronjob-controller';
export const CRONJOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true };

export interface CronJobControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  /** Controller time (a LabClock runs schedules faster; it is also the TimeScale then). */
  readonly clock?: ControllerClock & Partial<TimeScale>;
  /** Clock of event timestamps (default: real time). */
  readonly eventClock?: ControllerClock;
  readonly workers?: number;
}

export interface CronJobController {
  run(signal: AbortSignal): Promise<void>;
  readonly controller: Controller;
  sync(key: string): Promise<ReconcileResult | void>;
}

const cronJobKeyOf = (j: Job): string | undefined => controllerKeyOf(j, 'CronJob', 'batch');
const typed = (cj: CronJob): CronJob => ({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' });
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function startCronJobController(o: CronJobControllerOptions): CronJobController {
  const clock: ControllerClock & Partial<TimeScale> = o.clock ?? realClock;
  const time: TimeScale = clock.toLab && clock.toReal && clock.scale ? { scale: clock.scale, toLab: clock.toLab, toReal: clock.toReal } : REAL_TIME;
  const client = o.client;
  const controller = new Controller({ name: CRONJOB_CONTROLLER, reconcile: (key) => sync(key), workers: o.workers, clock, log: o.log });
  const recorder = new EventRecorder(client, CRONJOB_CONTROLLER, o.eventClock ?? realClock, o.log);
  const realNow = { now: Date.now }; // informers measure their own watches in real time

  const cronJobs = controller.informer<CronJob>(client, CRONJOBS, realNow, {
    onAdd: (cj) => controller.enqueue(`${cj.metadata?.namespace}/${cj.metadata?.name}`),
    onUpdate: (_old, cj) => controller.enqueue(`${cj.metadata?.namespace}/${cj.metadata?.name}`),
  });
  const jobTouched = (j: Job): void => controller.enqueue(cronJobKeyOf(j));
  const jobs = controller.informer<Job>(client, JOBS, realNow, {
    onAdd: jobTouched,
    onUpdate: (old, j) => {
      const was = cronJobKeyOf(old);
      if (was && was !== cronJobKeyOf(j)) controller.enqueue(was);
      jobTouched(j);
    },
    onDelete: jobTouched,
  });

  const post = (cj: CronJob, e: PlannedEvent): Promise<void> => recorder.event(typed(cj), e.type, e.reason, e.message);

  /** uids in status.active the cache lacks and the API server does not have either. */
  async function goneJobs(cj: CronJob, owned: readonly Job[]): Promise<Set<string>> {
    const seen = new Set(owned.map((j) => j.metadata?.uid));
    const gone = new Set<string>();
    for (const r of cj.status?.active ?? []) {
      if (!r.uid || seen.has(r.uid)) continue;
      try {
        const j = await client.get<Job>(JOBS, r.namespace ?? cj.metadata?.namespace, r.name ?? '');
        if (j.metadata?.uid !== r.uid) gone.add(r.uid);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        gone.add(r.uid);
      }
    }
    return gone;
  }

  async function runDeletes(cj: CronJob, plan: SyncPlan): Promise<void> {
    let failed: unknown;
    for (const d of plan.deletes) {
      try {
        await client.delete(JOBS, d.job.metadata?.namespace ?? cj.metadata?.namespace, d.job.metadata!.name!, { propagationPolicy: 'Background' });
        await post(cj, d.event);
      } catch (e) {
        if (isNotFound(e)) continue;
        await post(cj, { type: 'Warning', reason: 'FailedDelete', message: `Deleted job: ${errText(e)}` });
        failed ??= e;
      }
    }
    if (failed !== undefined) throw failed;
  }

  async function writeStatus(cj: CronJob, status: object): Promise<void> {
    await client.update(CRONJOBS, cj.metadata!.namespace, { ...typed(cj), status }, { subresource: 'status', fieldManager: CRONJOB_CONTROLLER });
  }

  async function sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    let cj = cronJobs.get(namespace, name);
    if (!cj) return;
    const owned = jobs.list().filter((j) => j.metadata?.namespace === namespace && cronJobKeyOf(j) === key && j.metadata?.ownerReferences?.some((r) => r.uid === cj!.metadata?.uid));
    const listed = new Set((cj.status?.active ?? []).map((r) => r.uid));
    if (owned.some((j) => !listed.has(j.metadata?.uid) && finishedStatus(j) === undefined)) {
      cj = await client.get<CronJob>(CRONJOBS, namespace, name); // our own status write may not be in the cache yet
    }
    const plan = syncCronJob({ cronJob: cj, jobs: owned, gone: await goneJobs(cj, owned), now: clock.now(), time });
    for (const e of plan.events) await post(cj, e);
    await runDeletes(cj, plan);
    let status = plan.status;
    if (plan.create) {
      try {
        const created = await client.create<Job>(JOBS, namespace, plan.create.job, { fieldManager: CRONJOB_CONTROLLER });
        await post(cj, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${created.metadata?.name}` });
        status = recordCreated(status ?? {}, created, plan.create.scheduledTime, time);
      } catch (e) {
        if (status) await writeStatus(cj, status);
        if (!isAlreadyExists(e)) await post(cj, { type: 'Warning', reason: 'FailedCreate', message: `Error creating job: ${errText(e)}` });
        throw e;
      }
    }
    if (status) await writeStatus(cj, status);
    return plan.requeueAfterMs !== undefined ? { requeueAfter: Math.max(0, plan.requeueAfterMs) } : undefined;
  }

  return { run: (signal) => controller.run(signal), controller, sync };
}
