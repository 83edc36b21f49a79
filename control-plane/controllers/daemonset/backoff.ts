// control-plane/controllers/daemonset/backoff.ts — the failed-pod back-off of the DaemonSet controller
// (upstream failedPodsBackoff: client-go flowcontrol.Backoff, 1 s doubling to 15 min, no jitter), keyed by
// `<ds uid>/<status.observedGeneration>/<node>` so a new template starts afresh. A Failed daemon pod is deleted
// (and so made again) at once the first time; another on the same node is deleted only when the window since
// the last deletion has passed, and that deletion doubles the window. A key idle for more than twice the maximum
// starts again at 1 s (and is forgotten by gc).
//
// The entry arithmetic is PURE (inBackOff, nextEntry); FailedPodBackoff keeps the entries for the controller.
import type { DaemonSet } from './types.js';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

export interface BackoffEntry { readonly delayMs: number; readonly lastUpdate: number }

/** failedPodsBackoffKey. */
export const failedPodsBackoffKey = (ds: DaemonSet, node: string): string =>
  `${ds.metadata?.uid ?? ''}/${ds.status?.observedGeneration ?? 0}/${node}`;

/** hasExpired: no event for more than twice the maximum window. */
const expired = (e: BackoffEntry, now: number, maxMs: number): boolean => now - e.lastUpdate > 2 * maxMs;

/** IsInBackOffSinceUpdate: still inside the window that began at the last deletion. */
export const inBackOff = (e: BackoffEntry | undefined, now: number, maxMs: number): boolean =>
  !!e && !expired(e, now, maxMs) && now - e.lastUpdate < e.delayMs;

/** Next: the entry after a deletion at `now` (initial when new or expired, else doubled up to the maximum). */
export const nextEntry = (e: BackoffEntry | undefined, now: number, initialMs: number, maxMs: number): BackoffEntry =>
  !e || expired(e, now, maxMs) ? { delayMs: initialMs, lastUpdate: now } : { delayMs: Math.min(e.delayMs * 2, maxMs), lastUpdate: now };

export class FailedPodBackoff {
  readonly #entries = new Map<string, BackoffEntry>();

  constructor(readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS, readonly maxMs = FAILED_POD_BACKOFF_MAX_MS) {}

  /**
   * A Failed pod under `key` at `now`: 0 — delete it now (recorded: the window grows); else the current window
   * in ms (upstream requeues the DaemonSet after it).
   */
  take(key: string, now: number): number {
    const e = this.#entries.get(key);
    if (inBackOff(e, now, this.maxMs)) return e!.delayMs;
    this.#entries.set(key, nextEntry(e, now, this.initialMs, this.maxMs));
    return 0;
  }

  /** The window of a key (0 when none). */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Backoff.GC: forgets the keys idle for more than twice the maximum (they decide nothing more). */
  gc(now: number): void {
    for (const [k, e] of this.#entries) if (expired(e, now, this.maxMs)) this.#entries.delete(k);
  }

  get size(): number {
    return this.#entries.size;
  }
}
