// control-plane/controllers/job/tracking.ts — PURE: counting each finished pod exactly once with the
// job-tracking finalizer and status.uncountedTerminatedPods (control-plane-semantics.md §2.2):
//   1. a uid in uncounted whose pod is gone or has lost the finalizer is moved into succeeded/failed;
//   2. a finished (or, without a podFailurePolicy, deleted) pod that still has the finalizer and is not in
//      uncounted yet is added to it (Indexed: its index to completedIndexes), after the podFailurePolicy
//      (Ignore: not counted; FailJob: the FailureTarget it asks for);
//      with backoffLimitPerIndex, a newly failed pod that fails its index adds it to failedIndexes (per-index.ts);
//   3. the finalizers to remove are those of pods in uncounted (after the status carrying them is written),
//      of ignored pods, and of every pod of a finished or deleted Job.
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, indexOf, parseIndexes } from './indexes.js';
import { isIndexFailed } from './per-index.js';
import { hasTrackingFinalizer, isFailed, isSucceeded, isTerminal } from './pods.js';
import { hasBackoffLimitPerIndex, isFinished, isIndexed, type EndCondition, type Job, type JobStatus, type Pod } from './types.js';

export interface Tracked {
  succeeded: number;
  failed: number;
  uncounted: { succeeded: string[]; failed: string[] };
  completedIndexes?: Set<number>;
  /** With backoffLimitPerIndex only. */
  failedIndexes?: Set<number>;
  /** FailJob matched by a newly failed pod. */
  failJob?: EndCondition;
  removeFinalizers: Pod[];
}

const uidOf = (p: Pod): string => p.metadata?.uid ?? '';

export function track(job: Job, pods: readonly Pod[]): Tracked {
  const st: JobStatus = job.status ?? {};
  const byUid = new Map(pods.map((p) => [uidOf(p), p]));
  const settled = (uid: string): boolean => { const p = byUid.get(uid); return !p || !hasTrackingFinalizer(p); };
  const prevS = st.uncountedTerminatedPods?.succeeded ?? [];
  const prevF = st.uncountedTerminatedPods?.failed ?? [];
  const t: Tracked = {
    succeeded: (st.succeeded ?? 0) + prevS.filter(settled).length,
    failed: (st.failed ?? 0) + prevF.filter(settled).length,
    uncounted: { succeeded: prevS.filter((u) => !settled(u)), failed: prevF.filter((u) => !settled(u)) },
    removeFinalizers: [],
  };
  const completions = job.spec?.completions ?? 0;
  if (isIndexed(job)) t.completedIndexes = parseIndexes(st.completedIndexes, completions);
  if (hasBackoffLimitPerIndex(job)) t.failedIndexes = parseIndexes(st.failedIndexes, completions);
  const known = new Set([...prevS, ...prevF]);
  const cleanupAll = !!isFinished(job) || !!job.metadata?.deletionTimestamp;
  for (const p of pods) {
    if (!hasTrackingFinalizer(p)) continue;
    const uid = uidOf(p);
    if (known.has(uid) || cleanupAll) { t.removeFinalizers.push(p); continue; }
    if (isSucceeded(p)) {
      t.uncounted.succeeded.push(uid);
      const ix = t.completedIndexes ? indexOf(p, completions) : undefined;
      if (ix !== undefined) t.completedIndexes!.add(ix);
      t.removeFinalizers.push(p);
    } else if (isFailed(p, job)) {
      const outcome = matchPodFailurePolicy(job, p);
      if (outcome.action === 'FailJob' && !t.failJob) t.failJob = { type: 'FailureTarget', reason: 'PodFailurePolicy', message: outcome.message! };
      if (outcome.action !== 'Ignore') t.uncounted.failed.push(uid);
      const ix = t.failedIndexes ? indexOf(p, completions) : undefined;
      if (ix !== undefined && !t.completedIndexes?.has(ix) && isIndexFailed(job, p)) t.failedIndexes!.add(ix);
      t.removeFinalizers.push(p);
    } else if (isTerminal(p)) {
      t.removeFinalizers.push(p);
    }
  }
  return t;
}

/** status.completedIndexes as written ('' is omitted). */
export const completedIndexesText = (t: Tracked): string | undefined => (t.completedIndexes ? formatIndexes(t.completedIndexes) || undefined : undefined);

/** status.failedIndexes as written: '' with backoffLimitPerIndex and no failed index, absent without it. */
export const failedIndexesText = (t: Tracked): string | undefined => (t.failedIndexes ? formatIndexes(t.failedIndexes) : undefined);

/** Succeeded pods so far (counted and not yet), or, Indexed, completed indexes. */
export const successes = (t: Tracked): number => (t.completedIndexes ? t.completedIndexes.size : t.succeeded + t.uncounted.succeeded.length);
export const failures = (t: Tracked): number => t.failed + t.uncounted.failed.length;
