// control-plane/controllers/framework/controller.ts — the shape of every workload controller (client-go's
// informers → rate-limited queue → workers → reconcile, as controller-runtime's Reconcile):
//
//   const c = new Controller({ name: 'replicaset-controller', reconcile: (key) => …, workers: 1, clock, log });
//   const rss  = c.informer<RS>(client, REPLICASETS, {}, c.enqueueHandlers());          // key = ns/name
//   const pods = c.informer<Pod>(client, PODS, {}, { onAdd: (p) => c.enqueue(ownerKey(p)), … });
//   await c.run(signal);   // runs the informers, waits until each has listed once, then N workers
//
// reconcile(key) reads the informers' caches, decides (a pure function), writes through the client; it may
// return { requeueAfter: ms } (delayed work, e.g. minReadySeconds) — enqueueAfter(key, ms) does the same
// from anywhere. A reconcile that throws (a 409 Conflict included) is requeued with the per-item back-off
// (5 ms doubling to 1000 s, queue.ts); a success forgets the count. One key is never reconciled by two
// workers at once; a key enqueued while it is being reconciled runs again right after.
import { Informer, type InformerHandlers, type InformerOptions, type KubeClient, type KubeObject, type ResourceRef } from '../../../client/index.js';
import { realClock, type ControllerClock } from './clock.js';
import { keyOf } from './owners.js';
import { WorkQueue } from './queue.js';

export interface ControllerLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ReconcileResult {
  /** Reconcile this key again after this many ms (level-based: whatever the state is then). */
  readonly requeueAfter?: number;
}

export interface ControllerOptions {
  readonly name: string;
  readonly reconcile: (key: string) => Promise<ReconcileResult | void>;
  /** Concurrent workers (default 1); never two on one key. */
  readonly workers?: number;
  readonly clock?: ControllerClock;
  readonly log?: ControllerLog;
}

const silent: ControllerLog = { debug: () => {}, warn: () => {} };
const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly clock: ControllerClock;
  readonly log: ControllerLog;
  readonly #o: ControllerOptions;
  readonly #informers: { informer: Informer<KubeObject>; synced: Promise<void> }[] = [];

  constructor(o: ControllerOptions) {
    this.#o = o;
    this.name = o.name;
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? silent;
    this.queue = new WorkQueue(this.clock);
  }

  /** A new informer whose first list gates run()'s workers; its handlers are yours (enqueue from them). */
  informer<T extends KubeObject>(client: KubeClient, ref: ResourceRef, opts: InformerOptions = {}, handlers: InformerHandlers<T> = {}): Informer<T> {
    let markSynced!: () => void;
    const synced = new Promise<void>((ok) => { markSynced = ok; });
    const informer = new Informer<T>(client, ref, { log: this.log, now: () => this.clock.now(), ...opts }, {
      ...handlers,
      onSynced: () => { markSynced(); handlers.onSynced?.(); },
    });
    this.#informers.push({ informer: informer as unknown as Informer<KubeObject>, synced });
    return informer;
  }

  /** Handlers that enqueue the object's own key on add, update and delete. */
  enqueueHandlers<T extends KubeObject>(): InformerHandlers<T> {
    return { onAdd: (o) => this.enqueue(keyOf(o)), onUpdate: (_old, o) => this.enqueue(keyOf(o)), onDelete: (o) => this.enqueue(keyOf(o)) };
  }

  enqueue(key: string | undefined): void {
    if (key !== undefined) this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void { this.queue.addAfter(key, ms); }

  /** True once every informer has listed once. */
  hasSynced(): boolean { return this.#informers.every((i) => i.informer.hasSynced()); }

  /** Runs the informers and, once all have synced, the workers; resolves after `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const informers = this.#informers.map((i) => i.informer.run(signal));
    const stop = (): void => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await Promise.race([Promise.all(this.#informers.map((i) => i.synced)), new Promise<void>((ok) => signal.addEventListener('abort', () => ok(), { once: true }))]);
      if (!signal.aborted) this.log.debug({ controller: this.name }, 'Caches synced; starting workers');
      const workers = Array.from({ length: Math.max(1, this.#o.workers ?? 1) }, () => this.#worker());
      await Promise.all([...informers, ...workers]);
    } finally {
      signal.removeEventListener('abort', stop);
      this.queue.shutDown();
    }
  }

  /** Handles one key (what a worker does); exposed for tests that step a controller. */
  async processOne(key: string): Promise<void> {
    try {
      const result = await this.#o.reconcile(key);
      this.queue.forget(key);
      if (result?.requeueAfter !== undefined) this.queue.addAfter(key, result.requeueAfter);
    } catch (e) {
      this.log.warn({ controller: this.name, key, err: errMessage(e), requeues: this.queue.numRequeues(key) }, 'Reconcile failed; requeued with back-off');
      this.queue.addRateLimited(key);
    }
  }

  async #worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.processOne(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
