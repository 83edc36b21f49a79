// control-plane/controllers/framework/expectations.ts — client-go's ControllerExpectations (with the UID-
// tracking twist for deletions): after a controller creates N pods for a key, or deletes some, it does not
// act for that key again until its informer has seen those creates/deletes (or EXPECTATIONS_TIMEOUT_MS has
// passed since they were set), so a reconcile that runs before the cache caught up never overshoots.
//
// expectCreations(key, n) / creationObserved(key) (from the pod informer's add, or once per failed create);
// expectDeletions(key, podKeys) / deletionObserved(key, podKey) (from the informer's delete or a pod turning
// terminating, or once per failed delete); satisfied(key): no record, all observed, or expired.
// delete(key) when the owner goes. Counts never go below zero.
import type { ControllerClock } from './clock.js';

/** client-go's ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Record { adds: number; deletes: Set<string>; at: number }

export class Expectations {
  readonly #clock: ControllerClock;
  readonly #records = new Map<string, Record>();

  constructor(clock: ControllerClock) {
    this.#clock = clock;
  }

  expectCreations(key: string, n: number): void {
    const r = this.#record(key);
    r.adds = Math.max(0, n);
    r.at = this.#clock.now();
  }

  expectDeletions(key: string, podKeys: Iterable<string>): void {
    const r = this.#record(key);
    r.deletes = new Set(podKeys);
    r.at = this.#clock.now();
  }

  creationObserved(key: string): void {
    const r = this.#records.get(key);
    if (r && r.adds > 0) r.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.#records.get(key)?.deletes.delete(podKey);
  }

  /** True when the controller may act on `key` again. */
  satisfied(key: string): boolean {
    const r = this.#records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.deletes.size === 0) return true;
    return this.#clock.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** What is still awaited (tests, logs). */
  pending(key: string): { adds: number; deletes: number } {
    const r = this.#records.get(key);
    return { adds: r?.adds ?? 0, deletes: r?.deletes.size ?? 0 };
  }

  delete(key: string): void { this.#records.delete(key); }

  #record(key: string): Record {
    let r = this.#records.get(key);
    if (!r) this.#records.set(key, (r = { adds: 0, deletes: new Set(), at: this.#clock.now() }));
    return r;
  }
}
