// control-plane/controllers/framework/queue.ts — client-go's rate-limited work queue (util/workqueue), on an
// injected clock.
//
// - De-duplicating: a key added while it waits is queued once.
// - Never handed out twice at once: a key added while a worker holds it (between get() and done()) is
//   queued again only when done() is called.
// - add(key) now; addAfter(key, ms) later (the earliest pending time wins); addRateLimited(key) after the
//   per-item exponential back-off (client-go's default: 5 ms · 2ⁿ, capped at 1000 s, n = requeues so far);
//   forget(key) resets that count (after a success).
// - get() resolves with the next key, or undefined once shutDown() was called.
import type { ControllerClock } from './clock.js';

export const BACKOFF_BASE_MS = 5;
export const BACKOFF_MAX_MS = 1_000_000;

/** The n-th requeue's delay (n from 0): 5 ms doubling up to 1000 s. */
export function itemBackoffMs(n: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(n, 40));
}

export class WorkQueue {
  readonly #clock: ControllerClock;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #waiting = new Map<string, { at: number; timer: { cancel(): void } }>();
  readonly #failures = new Map<string, number>();
  readonly #getters: ((key: string | undefined) => void)[] = [];
  #shutDown = false;

  constructor(clock: ControllerClock) {
    this.#clock = clock;
  }

  add(key: string): void {
    if (this.#shutDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    const getter = this.#getters.shift();
    if (getter) this.#handOut(key, getter);
    else this.#queue.push(key);
  }

  addAfter(key: string, ms: number): void {
    if (this.#shutDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now() + ms;
    const prev = this.#waiting.get(key);
    if (prev && prev.at <= at) return;
    prev?.timer.cancel();
    const timer = this.#clock.setTimeout(() => { this.#waiting.delete(key); this.add(key); }, ms);
    this.#waiting.set(key, { at, timer });
  }

  addRateLimited(key: string): void {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    this.addAfter(key, itemBackoffMs(n));
  }

  forget(key: string): void { this.#failures.delete(key); }

  numRequeues(key: string): number { return this.#failures.get(key) ?? 0; }

  /** Keys ready to hand out (not the delayed ones, not the ones being processed). */
  len(): number { return this.#queue.length; }

  /** The next key; the caller must call done(key) when finished with it. undefined after shutDown(). */
  get(): Promise<string | undefined> {
    if (this.#shutDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.#shutDown = true;
    for (const w of this.#waiting.values()) w.timer.cancel();
    this.#waiting.clear();
    this.#queue.length = 0;
    for (const g of this.#getters.splice(0)) g(undefined);
  }

  isShutDown(): boolean { return this.#shutDown; }

  #handOut(key: string, getter: (key: string) => void): void {
    this.#dirty.delete(key);
    this.#processing.add(key);
    getter(key);
  }
}
