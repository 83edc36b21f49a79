// agent/kuberuntime/grace.ts — a pod's deletion grace period that can only shrink, and a kill deadline
// that follows it.
//
// The kubelet cancels a kill in progress when a shorter grace period arrives (a second `kubectl delete`
// with --grace-period, or --force) and kills again with the shorter one; a longer one never extends it.
// GracePeriod is what the pod worker holds and shrinks; KillDeadline is what one container's kill waits on:
// an absolute time that moves earlier when the grace shrinks, waking whoever waits on it.
import type { Clock, Timer } from '../../cri/clock.js';

export type ShrinkListener = (seconds: number) => void;

export class GracePeriod {
  #seconds: number | undefined;
  readonly #listeners = new Set<ShrinkListener>();

  /** undefined = each container's own grace (the pod's terminationGracePeriodSeconds). */
  constructor(seconds?: number) {
    this.#seconds = seconds;
  }

  get seconds(): number | undefined {
    return this.#seconds;
  }

  /** Shrinks to `seconds` (never grows); tells the listeners when it did. */
  shrink(seconds: number): boolean {
    if (this.#seconds !== undefined && seconds >= this.#seconds) return false;
    this.#seconds = seconds;
    for (const l of [...this.#listeners]) l(seconds);
    return true;
  }

  onShrink(l: ShrinkListener): () => void {
    this.#listeners.add(l);
    return () => { this.#listeners.delete(l); };
  }
}

/** An absolute kill deadline (ms epoch) that a shrinking grace period moves earlier, never later. */
export class KillDeadline {
  #at: number;
  readonly #clock: Clock;
  /** Told when the deadline moves earlier. */
  readonly #movers = new Set<() => void>();
  /** Resolved when the deadline is reached. */
  readonly #reached = new Set<() => void>();
  readonly #unsubscribe: () => void;
  #timer: Timer | undefined;

  constructor(clock: Clock, graceSeconds: number, grace?: GracePeriod) {
    this.#clock = clock;
    this.#at = clock.now() + graceSeconds * 1000;
    this.#unsubscribe = grace?.onShrink((s) => this.shrinkTo(this.#clock.now() + s * 1000)) ?? (() => undefined);
  }

  get at(): number {
    return this.#at;
  }

  /** Whole seconds left (rounded up), at least `floor`. */
  secondsLeft(floor = 0): number {
    return Math.max(Math.ceil((this.#at - this.#clock.now()) / 1000), floor);
  }

  /** Moves the deadline earlier (a later time is ignored) and tells whoever follows it. */
  shrinkTo(at: number): void {
    if (at >= this.#at) return;
    this.#at = at;
    this.#arm();
    for (const m of [...this.#movers]) m();
  }

  /** Calls fn whenever the deadline moves earlier, until the returned function is called. */
  onMove(fn: () => void): () => void {
    this.#movers.add(fn);
    return () => { this.#movers.delete(fn); };
  }

  /** Resolves when the deadline is reached (following every shrink). */
  reached(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#reached.add(resolve);
      this.#arm();
    });
  }

  #arm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#reached.size === 0) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#clock.now() < this.#at) { this.#arm(); return; }
      const due = [...this.#reached];
      this.#reached.clear();
      for (const r of due) r();
    }, this.#at - this.#clock.now());
  }

  /** Stops following the grace period and drops its timer; pending reached() promises stay pending. */
  dispose(): void {
    this.#unsubscribe();
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#reached.clear();
    this.#movers.clear();
  }
}
