// agent/metrics/pod-start.ts — when a pod started: first seen → every container running, once per pod UID.
//
// First seen is the start of the pod's first sync ('create'; the worker takes a new pod at once). The moment
// all its containers run is the first published status that shows them all running; that status may come in
// before the first sync has returned, so whichever of the two arrives second makes the observation. A UID is
// observed once, until its worker has terminated it (a UID added back after that starts, and counts, again).
import type { PodStatus } from '../api/v1.js';

export class PodStartTracker {
  readonly #observe: (seconds: number) => void;
  readonly #firstSeen = new Map<string, number>();
  readonly #allRunningAt = new Map<string, number>();
  readonly #observed = new Set<string>();

  constructor(observe: (seconds: number) => void) {
    this.#observe = observe;
  }

  /** The pod's first sync started at `at` (ms). */
  firstSync(uid: string, at: number): void {
    if (this.#observed.has(uid) || this.#firstSeen.has(uid)) return;
    this.#firstSeen.set(uid, at);
    const running = this.#allRunningAt.get(uid);
    if (running !== undefined) this.#done(uid, running);
  }

  /** A status was published for the pod at `at` (ms). */
  statusChanged(uid: string, status: PodStatus, at: number): void {
    if (this.#observed.has(uid) || this.#allRunningAt.has(uid)) return;
    const cs = status.containerStatuses ?? [];
    if (cs.length === 0 || !cs.every((c) => c.state?.running)) return;
    if (this.#firstSeen.has(uid)) this.#done(uid, at);
    else this.#allRunningAt.set(uid, at);
  }

  /** The pod's worker has terminated it. */
  forget(uid: string): void {
    this.#firstSeen.delete(uid);
    this.#allRunningAt.delete(uid);
    this.#observed.delete(uid);
  }

  /** UIDs held (tests: nothing is kept for pods that are gone). */
  get size(): number {
    return new Set([...this.#firstSeen.keys(), ...this.#allRunningAt.keys(), ...this.#observed]).size;
  }

  #done(uid: string, runningAt: number): void {
    this.#observe(Math.max(0, runningAt - this.#firstSeen.get(uid)!) / 1000);
    this.#observed.add(uid);
    this.#firstSeen.delete(uid);
    this.#allRunningAt.delete(uid);
  }
}
