// agent/kuberuntime/backoff.ts — CrashLoopBackOff and image-pull back-off, as client-go's flowcontrol.Backoff
// is used by the kubelet: per key, first restart immediate, then initial, doubling, capped at max; an entry
// expires (back to initial) when the next event comes more than 600 s after the last decision. gcStale() is
// client-go's Backoff.GC (keys idle past twice the maximum window), never earlier than that expiry, so it frees
// memory without changing a decision.
//
// Pure bookkeeping on an injected `now`; the caller decides what a key is (kubelet: pod + container + hash).
export const BACKOFF_EXPIRY_MS = 600_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    readonly now: () => number,
  ) {}

  /** True while `now - eventTime` is inside the key's current back-off window. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    if (eventTime - e.lastUpdate > BACKOFF_EXPIRY_MS) return false;
    return this.now() - eventTime < e.delayMs;
  }

  /** Records a decision to act (restart/pull) for the event at `eventTime`, growing the window. */
  next(key: string, eventTime: number): void {
    const e = this.#entries.get(key);
    if (!e || eventTime - e.lastUpdate > BACKOFF_EXPIRY_MS) {
      this.#entries.set(key, { delayMs: Math.min(this.initialMs, this.maxMs), lastUpdate: this.now() });
      return;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.maxMs);
    e.lastUpdate = this.now();
  }

  /** The current window of a key (0 when none). */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** When the current window for the event at eventTime ends (ms epoch), or 0. */
  windowEnd(key: string, eventTime: number): number {
    const e = this.#entries.get(key);
    return e ? eventTime + e.delayMs : 0;
  }

  /** Forgets the keys idle for more than twice the maximum window (and the expiry): they decide nothing more. */
  gcStale(): void {
    const idle = Math.max(2 * this.maxMs, BACKOFF_EXPIRY_MS);
    const now = this.now();
    for (const [k, e] of this.#entries) if (now - e.lastUpdate > idle) this.#entries.delete(k);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Number of keys held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every key with this prefix (pod removed). */
  gc(prefix: string): void {
    for (const k of this.#entries.keys()) if (k.startsWith(prefix)) this.#entries.delete(k);
  }
}
