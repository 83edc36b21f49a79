// control-plane/controllers/job/claim.ts — PURE: which pods a Job controls (upstream getPodsForJob with the
// job-tracking finalizer). The ReplicaSet controller's claimPods over the Job's selector decides: a pod the Job
// controls stays while it matches and is released when it stops matching; an orphan (no controller) that
// matches and is not being deleted is adopted; other controllers' pods are left alone; a Job being deleted
// adopts and releases nothing. It matters with `manualSelector: true` (a generated selector names the Job's
// uid). A finished Job adopts nothing. An adopted pod gets the Job as controller and the tracking finalizer in
// one write (and is counted like the Job's own pods: an adopted Succeeded pod is a success); a released pod
// loses both.
import { adoptedRefs, claimPods, releasedRefs, type ReplicaSet } from '../replicaset/index.js';
import { isControlledBy } from '../framework/index.js';
import { hasTrackingFinalizer } from './pods.js';
import { isFinished, JOB_TRACKING_FINALIZER, type Job, type Pod } from './types.js';

/** A merge patch of one pod's ownerReferences and finalizers, conditional on its resourceVersion. */
export interface PodClaimWrite { pod: Pod; metadata: { ownerReferences: unknown[]; finalizers: string[]; resourceVersion?: string } }

export interface JobClaim {
  /** The pods the Job controls after the writes (adopted ones with the finalizer already). */
  owned: Pod[];
  writes: PodClaimWrite[];
}

const asOwner = (job: Job): ReplicaSet => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata, spec: { selector: job.spec?.selector } });
const withFinalizer = (p: Pod): string[] => (hasTrackingFinalizer(p) ? [...p.metadata!.finalizers!] : [...(p.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER]);
const withoutFinalizer = (p: Pod): string[] => (p.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);

/** `pods`: the pods of the Job's namespace. */
export function claimJobPods(job: Job, pods: readonly Pod[]): JobClaim {
  const owner = asOwner(job);
  const candidates = isFinished(job) ? pods.filter((p) => isControlledBy(p, job.metadata?.uid)) : pods;
  const claim = claimPods(owner, candidates);
  const adopted = new Set(claim.adopt);
  const writes: PodClaimWrite[] = [
    ...claim.adopt.map((pod) => ({ pod, metadata: { ownerReferences: adoptedRefs(pod, owner), finalizers: withFinalizer(pod), resourceVersion: pod.metadata?.resourceVersion } })),
    ...claim.release.map((pod) => ({ pod, metadata: { ownerReferences: releasedRefs(pod, owner), finalizers: withoutFinalizer(pod), resourceVersion: pod.metadata?.resourceVersion } })),
  ];
  const owned = claim.owned.map((p) => (adopted.has(p) ? { ...p, metadata: { ...p.metadata, ownerReferences: adoptedRefs(p, owner), finalizers: withFinalizer(p) } } : p));
  return { owned, writes };
}
