// control-plane/controllers/job/backoff.ts — PURE: the pod failure back-off of §2.3. Failures after the last
// success n (from the Job's finished pods, by their finish times); delay = base · 2^(n−1), doubling stops at
// MAX_POD_FAILURE_BACKOFF_MS; what is left of it = delay − (now − last failure). Computed from the pods
// themselves (they stay until the Job goes), so a restarted controller waits exactly as long.
import { finishedAt, isSucceeded, isTerminal } from './pods.js';
import { MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS, type Pod } from './types.js';

export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureAt?: number }

export function backoffRecord(pods: readonly Pod[]): BackoffRecord {
  const finished = pods.filter(isTerminal).map((p) => ({ at: finishedAt(p), ok: isSucceeded(p) })).sort((a, b) => a.at - b.at);
  let n = 0;
  let last: number | undefined;
  for (const f of finished) {
    if (f.ok) { n = 0; last = undefined; } else { n++; last = f.at; }
  }
  return { failuresAfterLastSuccess: n, ...(last !== undefined ? { lastFailureAt: last } : {}) };
}

/** The delay after n failures (0 when none). */
export function backoffDelayMs(n: number, baseMs = POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (n <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
}

/** How long new pods must still wait (0: create now). */
export function remainingBackoffMs(r: BackoffRecord, now: number, baseMs = POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureAt === undefined) return 0;
  return Math.max(0, backoffDelayMs(r.failuresAfterLastSuccess, baseMs, maxMs) - (now - r.lastFailureAt));
}
