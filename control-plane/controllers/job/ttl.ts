// control-plane/controllers/job/ttl.ts — the TTL-after-finished controller (control-plane-semantics.md §2.6):
// a finished Job (Complete or Failed True) with spec.ttlSecondsAfterFinished expires at that condition's
// lastTransitionTime + ttl; then the Job is re-read (still finished, still expired) and deleted with
// propagationPolicy Foreground and a UID precondition, so its pods go first. Unset: never; 0: at once.
//
//   const ttl = startTtlAfterFinishedController({ client, log?, clock? });  await ttl.run(signal);
import { isNotFound, type KubeClient } from '../../../client/index.js';
import { Controller, keyOf, realClock, splitKey, type ControllerClock, type ControllerLog, type ReconcileResult } from '../framework/index.js';
import { isFinished, JOBS, type Job } from './types.js';

export const TTL_CONTROLLER = 'ttl-after-finished-controller';

/** PURE: ms until the Job may be deleted (≤ 0: now); undefined when it has no TTL or is not finished. */
export function ttlRemainingMs(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const done = isFinished(job);
  if (ttl === undefined || ttl === null || !done || job.metadata?.deletionTimestamp) return undefined;
  const at = done.lastTransitionTime ? Date.parse(done.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return at + ttl * 1000 - now;
}

export interface TtlControllerOptions { readonly client: KubeClient; readonly log?: ControllerLog; readonly clock?: ControllerClock }

export function startTtlAfterFinishedController(o: TtlControllerOptions): { run(signal: AbortSignal): Promise<void>; readonly controller: Controller } {
  const clock = o.clock ?? realClock;
  const controller = new Controller({ name: TTL_CONTROLLER, reconcile: (key) => sync(key), clock, log: o.log });
  const jobs = controller.informer<Job>(o.client, JOBS, {}, {
    onAdd: (j) => { if (ttlRemainingMs(j, clock.now()) !== undefined) controller.enqueue(keyOf(j)); },
    onUpdate: (_old, j) => { if (ttlRemainingMs(j, clock.now()) !== undefined) controller.enqueue(keyOf(j)); },
  });

  async function sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const cached = jobs.get(namespace, name);
    if (!cached) return;
    const left = ttlRemainingMs(cached, clock.now());
    if (left === undefined) return;
    if (left > 0) return { requeueAfter: left };
    let fresh: Job;
    try {
      fresh = await o.client.get<Job>(JOBS, namespace, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const again = ttlRemainingMs(fresh, clock.now());
    if (again === undefined) return;
    if (again > 0) return { requeueAfter: again };
    await o.client.delete(JOBS, namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid } })
      .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }

  return { run: (signal) => controller.run(signal), controller };
}
