// control-plane/store/controller.ts — the shape of the store's own controllers (garbage collector,
// namespace controller): subscribe to every commit, turn events into keys on a work queue, handle one key
// at a time from the current state (level-based), and queue the keys a scan finds at start.
import type { ObjectStore } from './store.js';
import type { StoreController, StoreEvent } from './types.js';
import { WorkQueue } from './work-queue.js';

export abstract class QueueController implements StoreController {
  protected readonly work: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(protected readonly store: ObjectStore, auto: boolean) {
    this.work = new WorkQueue((key) => this.process(key), store.clock, auto);
  }

  /** Subscribes to the store and queues what the start-up scan finds. */
  start(): this {
    this.unsubscribe = this.store.subscribe((ev) => this.observe(ev));
    for (const key of this.scan()) this.work.add(key);
    return this;
  }

  drain(): Promise<void> { return this.work.drain(); }

  stop(): void {
    this.unsubscribe?.();
    this.work.stop();
  }

  /** Keys to look at right after start (a restart resumes interrupted work from these). */
  protected abstract scan(): Iterable<string>;
  /** Queues keys for one committed event; runs inside the commit, so it must not write. */
  protected abstract observe(ev: StoreEvent): void;
  /** Brings one key to its goal from the store's current state; safe to run twice. */
  protected abstract process(key: string): Promise<void>;
}
