// control-plane/controllers/job/controller.ts — the Job controller (control-plane-semantics.md §2) on the
// controller framework: informers on jobs.batch and pods; a pod event enqueues its controlling Job (an
// orphan's: the Jobs whose selector matches it) and feeds the expectations. syncJob(ns/name) GETs the Job (its
// status must be the newest: uncountedTerminatedPods is what makes each pod count once), claims its pods
// (claim.ts: adopt matching orphans, release pods that stop matching), asks decide.ts, then writes in the order that keeps counting exact:
// status through /status (conditional on resourceVersion: a 409 requeues), then the job-tracking finalizers,
// then deletes (finalizer first, so a pod the controller deletes is not a failure) and creates (slow-start
// batches, with expectations), then the events. A Job that is gone leaves pods whose finalizer is removed.
//
//   const jc = startJobController({ client, log?, clock?, workers?, backoffBaseMs? });
//   await jc.run(signal);   // until abort
import { isNotFound, PODS, type KubeClient } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, controllerRefOf, EventRecorder, Expectations, keyOf, realClock, rfc3339, splitKey,
  type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { selectorMatches, slowStartBatches } from '../replicaset/index.js';
import { claimJobPods, type PodClaimWrite } from './claim.js';
import { decideJob, type JobPlan } from './decide.js';
import { hasTrackingFinalizer, podFromJob } from './pods.js';
import { JOB_TRACKING_FINALIZER, JOBS, type Job, type Pod } from './types.js';

export const JOB_CONTROLLER = 'job-controller';

export interface JobControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /** Concurrent reconciles (default 1; upstream runs 5). */
  readonly workers?: number;
  /** The first pod failure back-off (default the real 10 s; tests only). */
  readonly backoffBaseMs?: number;
}

export interface JobController {
  run(signal: AbortSignal): Promise<void>;
  readonly controller: Controller;
  readonly expectations: Expectations;
  syncJob(key: string): Promise<ReconcileResult | void>;
}

const jobKeyOf = (p: Pod): string | undefined => controllerKeyOf(p, 'Job', 'batch');
const typed = (j: Job): Job => ({ ...j, apiVersion: 'batch/v1', kind: 'Job' });
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const ignoreGone = (e: unknown): void => { if (!isNotFound(e)) throw e; };
const sortKeys = (o: unknown): string => JSON.stringify(o, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

export function startJobController(o: JobControllerOptions): JobController {
  const clock = o.clock ?? realClock;
  const client = o.client;
  const expectations = new Expectations(clock);
  const controller = new Controller({ name: JOB_CONTROLLER, reconcile: (key) => sync(key), workers: o.workers, clock, log: o.log });
  const recorder = new EventRecorder(client, JOB_CONTROLLER, clock, o.log);

  const jobs = controller.informer<Job>(client, JOBS, {}, {
    onAdd: (j) => controller.enqueue(keyOf(j)),
    onUpdate: (_old, j) => controller.enqueue(keyOf(j)),
    onDelete: (j) => { expectations.delete(keyOf(j)); controller.enqueue(keyOf(j)); },
  });
  /** A pod's Job, or for an orphan the Jobs of its namespace whose selector matches it (they may adopt it). */
  const podTouched = (p: Pod): void => {
    const owner = jobKeyOf(p);
    if (owner || p.metadata?.ownerReferences?.some((r) => r.controller)) { controller.enqueue(owner); return; }
    for (const j of jobs.list()) {
      if (j.metadata?.namespace === p.metadata?.namespace && selectorMatches(j.spec?.selector, p.metadata?.labels)) controller.enqueue(keyOf(j));
    }
  };
  const pods = controller.informer<Pod>(client, PODS, {}, {
    onAdd: (p) => {
      const owner = jobKeyOf(p);
      if (owner && p.metadata?.deletionTimestamp) expectations.deletionObserved(owner, keyOf(p));
      else if (owner) expectations.creationObserved(owner);
      podTouched(p);
    },
    onUpdate: (old, p) => {
      const owner = jobKeyOf(p);
      if (owner && p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) expectations.deletionObserved(owner, keyOf(p));
      const oldOwner = jobKeyOf(old);
      if (oldOwner && oldOwner !== owner) controller.enqueue(oldOwner);
      podTouched(p);
    },
    onDelete: (p) => {
      const owner = jobKeyOf(p);
      if (owner) expectations.deletionObserved(owner, keyOf(p));
      controller.enqueue(owner);
    },
  });

  const removeFinalizer = (p: Pod): Promise<void> =>
    client.patch(PODS, p.metadata!.namespace, p.metadata!.name!, 'strategic', { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } }, { fieldManager: JOB_CONTROLLER })
      .then(() => undefined, ignoreGone);

  /** Pods named after this key's Job whose owner (by uid) is not `uid` any more: only their finalizer goes. */
  async function releaseOrphans(namespace: string, name: string, uid: string | undefined): Promise<void> {
    const orphans = pods.list().filter((p) => {
      const ref = controllerRefOf(p);
      return p.metadata?.namespace === namespace && ref?.kind === 'Job' && ref.name === name && ref.uid !== uid && hasTrackingFinalizer(p);
    });
    await Promise.all(orphans.map(removeFinalizer));
  }

  /** Adoptions and releases; a pod gone meanwhile is skipped, a conflict throws (the sync is retried). */
  const claimWrite = (w: PodClaimWrite): Promise<void> =>
    client.patch(PODS, w.pod.metadata!.namespace, w.pod.metadata!.name!, 'merge', { metadata: w.metadata }, { fieldManager: JOB_CONTROLLER }).then(() => undefined, ignoreGone);

  async function deletePods(key: string, job: Job, victims: readonly Pod[]): Promise<void> {
    expectations.expectDeletions(key, victims.map(keyOf));
    await Promise.all(victims.map(async (p) => {
      try {
        if (hasTrackingFinalizer(p)) await removeFinalizer(p);
        await client.delete(PODS, p.metadata!.namespace, p.metadata!.name!, { preconditions: { uid: p.metadata!.uid } });
        void recorder.event(typed(job), 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`);
      } catch (e) {
        expectations.deletionObserved(key, keyOf(p));
        if (!isNotFound(e)) void recorder.event(typed(job), 'Warning', 'FailedDelete', `Error deleting: ${errText(e)}`);
        ignoreGone(e);
      }
    }));
  }

  async function createPods(key: string, job: Job, indexes: readonly (number | undefined)[], annotations?: JobPlan['createAnnotations']): Promise<void> {
    expectations.expectCreations(key, indexes.length);
    let next = 0;
    let failure: unknown;
    for (const size of slowStartBatches(indexes.length)) {
      const batch = indexes.slice(next, next + size);
      next += size;
      const results = await Promise.allSettled(batch.map((ix) => client.create<Pod>(PODS, job.metadata!.namespace, podFromJob(job, ix, ix === undefined ? undefined : annotations?.[ix]), { fieldManager: JOB_CONTROLLER })));
      for (const r of results) {
        if (r.status === 'fulfilled') { void recorder.event(typed(job), 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`); continue; }
        expectations.creationObserved(key);
        failure ??= r.reason;
        void recorder.event(typed(job), 'Warning', 'FailedCreate', `Error creating: ${errText(r.reason)}`);
      }
      if (failure !== undefined) break;
    }
    for (let skipped = indexes.length - next; skipped > 0; skipped--) expectations.creationObserved(key);
    if (failure !== undefined) throw failure;
  }

  async function apply(key: string, job: Job, plan: JobPlan, manage: boolean): Promise<void> {
    if (sortKeys(plan.status) !== sortKeys(job.status ?? {})) {
      await client.update<Job>(JOBS, job.metadata!.namespace, { ...typed(job), status: plan.status }, { subresource: 'status', fieldManager: JOB_CONTROLLER });
    }
    await Promise.all(plan.removeFinalizers.map(removeFinalizer));
    if (manage && plan.deletePods.length) await deletePods(key, job, plan.deletePods);
    if (manage && plan.create.length) await createPods(key, job, plan.create, plan.createAnnotations);
    for (const e of plan.events) await recorder.event(typed(job), e.type, e.reason, e.message);
  }

  async function sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    let job: Job | undefined;
    try {
      job = await client.get<Job>(JOBS, namespace, name);
    } catch (e) {
      ignoreGone(e);
    }
    await releaseOrphans(namespace, name, job?.metadata?.uid);
    if (!job) { expectations.delete(key); return; }
    const claim = claimJobPods(job, pods.list().filter((p) => p.metadata?.namespace === namespace));
    for (const w of claim.writes) await claimWrite(w);
    const owned = claim.owned;
    const now = clock.now();
    const plan = decideJob(job, owned, { now, nowIso: rfc3339(now), backoffBaseMs: o.backoffBaseMs });
    await apply(key, job, plan, expectations.satisfied(key));
    return plan.requeueAfterMs !== undefined ? { requeueAfter: Math.max(1, plan.requeueAfterMs) } : undefined;
  }

  return { run: (signal) => controller.run(signal), controller, expectations, syncJob: sync };
}
