// control-plane/controllers/job/per-index.ts — PURE: backoffLimitPerIndex (Indexed Jobs, GA in 1.33;
// control-plane-semantics.md §2.1, §2.5). Every pod of such a Job says in its annotations how many earlier pods
// of its index failed (batch.kubernetes.io/job-index-failure-count) and how many failures a podFailurePolicy
// Ignore rule left out (batch.kubernetes.io/job-index-ignored-failure-count, only when > 0). A failed pod
// fails its index when a FailIndex rule matches it, or when its failure counts and the count before it has
// reached backoffLimitPerIndex. The replacement of an index's last failed pod carries that pod's counts plus
// its failure, and waits the pod failure back-off for (failed + ignored + 1) failures from that pod's finish.
// Upstream keeps the last failed pod's finalizer until the replacement exists; here a Job's pods stay until the
// Job goes, so the last failed pod of each index is found among all of them.
import { remainingBackoffMs } from './backoff.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { indexOf } from './indexes.js';
import { finishedAt, isFailed } from './pods.js';
import { INDEX_FAILURE_COUNT_KEY, INDEX_IGNORED_FAILURE_COUNT_KEY, POD_FAILURE_BACKOFF_MS, type Job, type Pod } from './types.js';

export interface IndexFailureCounts { failed: number; ignored: number }

const MAX_INT32 = 2 ** 31 - 1;

/** An annotation's count; 0 when missing, not a number or out of int32 range (as upstream). */
function countOf(p: Pod, key: string): number {
  const raw = p.metadata?.annotations?.[key];
  if (raw === undefined || !/^\d+$/.test(raw)) return 0;
  const n = Number(raw);
  return n > MAX_INT32 ? 0 : n;
}

export const indexFailureCounts = (p: Pod): IndexFailureCounts => ({ failed: countOf(p, INDEX_FAILURE_COUNT_KEY), ignored: countOf(p, INDEX_IGNORED_FAILURE_COUNT_KEY) });
const absoluteCount = (p: Pod): number => { const c = indexFailureCounts(p); return c.failed + c.ignored; };

/** Whether this pod's failure ends its index. */
export function isIndexFailed(job: Job, p: Pod): boolean {
  if (!isFailed(p, job)) return false;
  const action = matchPodFailurePolicy(job, p).action;
  if (action === 'FailIndex') return true;
  if (action === 'Ignore') return false;
  return indexFailureCounts(p).failed >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/**
 * The last failed pod of each index that still needs a pod (not in `settled`: succeeded, failed or active
 * indexes): the highest failure count, then the latest finish.
 */
export function lastFailedPerIndex(job: Job, pods: readonly Pod[], settled: ReadonlySet<number>): Map<number, Pod> {
  const completions = job.spec?.completions ?? 0;
  const out = new Map<number, Pod>();
  for (const p of pods) {
    const ix = indexOf(p, completions);
    if (ix === undefined || settled.has(ix) || !isFailed(p, job)) continue;
    const last = out.get(ix);
    if (!last || absoluteCount(p) > absoluteCount(last) || (absoluteCount(p) === absoluteCount(last) && finishedAt(p) >= finishedAt(last))) out.set(ix, p);
  }
  return out;
}

/** The counts the replacement of `replaced` carries (none replaced: 0 and 0). */
export function nextFailureCounts(job: Job, replaced: Pod | undefined): IndexFailureCounts {
  if (!replaced) return { failed: 0, ignored: 0 };
  const c = indexFailureCounts(replaced);
  return matchPodFailurePolicy(job, replaced).action === 'Ignore' ? { failed: c.failed, ignored: c.ignored + 1 } : { failed: c.failed + 1, ignored: c.ignored };
}

/** The annotations a new pod of the index gets. */
export const failureCountAnnotations = (c: IndexFailureCounts): Record<string, string> => ({
  [INDEX_FAILURE_COUNT_KEY]: String(c.failed),
  ...(c.ignored > 0 ? { [INDEX_IGNORED_FAILURE_COUNT_KEY]: String(c.ignored) } : {}),
});

/** How long the index whose last failed pod is `replaced` must still wait (0: create now). */
export function remainingIndexBackoffMs(replaced: Pod | undefined, now: number, baseMs = POD_FAILURE_BACKOFF_MS): number {
  if (!replaced) return 0;
  return remainingBackoffMs({ failuresAfterLastSuccess: absoluteCount(replaced) + 1, lastFailureAt: finishedAt(replaced) }, now, baseMs);
}
