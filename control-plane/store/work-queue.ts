// control-plane/store/work-queue.ts — the small de-duplicating work queue the store's own controllers
// (garbage collector, namespace controller) run on: keys are added from store events, handled one at a
// time, and a key whose handler failed is retried with a doubling delay (100 ms … 10 s).
//
// `auto` processes on its own (the next tick after an add); otherwise only `drain()` runs it, which tests
// use to step the controllers.
import type { StoreClock } from './types.js';

export class WorkQueue {
  private readonly items = new Set<string>();
  private readonly failures = new Map<string, number>();
  private running: Promise<void> | undefined;
  private scheduled = false;
  private stopped = false;
  /** The last error a handler threw (also logged by the owner, if it wants). */
  lastError: unknown;

  constructor(
    private readonly handler: (key: string) => Promise<void>,
    private readonly clock: StoreClock,
    private readonly auto: boolean,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.items.add(key);
    this.kick();
  }

  /** Handles queued keys until none is left (keys added meanwhile included). */
  drain(): Promise<void> {
    if (!this.running) {
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (this.items.size > 0) this.kick();
      });
    }
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.items.clear();
  }

  private kick(): void {
    if (!this.auto || this.scheduled || this.running || this.stopped) return;
    this.scheduled = true;
    this.clock.setTimeout(() => { this.scheduled = false; void this.drain(); }, 0);
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const key = this.items.values().next().value as string | undefined;
      if (key === undefined) return;
      this.items.delete(key);
      try {
        await this.handler(key);
        this.failures.delete(key);
      } catch (e) {
        this.lastError = e;
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.clock.setTimeout(() => this.add(key), Math.min(100 * 2 ** (n - 1), 10_000));
      }
    }
  }
}
