// agent/pod-workers/pod-workers.ts — one worker per pod UID, serialising that pod's work.
//
// The kubelet's podWorkers, reduced to its contracts: a worker only ever acts on the latest desired pod
// (updates replace the pending one), wake-ups coalesce, and a pod moves one way through
// syncing → terminating → terminated. Once terminating, every update is a kill and the grace period can only
// shrink. Pods progress independently and in parallel. The worker keeps no memory of what it did: each
// sync re-reads the runtime through the syncer.
import type { Pod } from '../api/v1.js';

export type WorkerState = 'syncing' | 'terminating' | 'terminated';

export interface PodSyncer {
  /** Brings the runtime toward the pod spec; returns when to come back (back-off), or 'terminal'. */
  syncPod(pod: Pod, signal: AbortSignal): Promise<{ retryAt?: number; terminal?: boolean }>;
  /** Stops everything of the pod with the grace period (undefined = the pod's own). */
  syncTerminatingPod(pod: Pod, gracePeriod: number | undefined): Promise<void>;
  /** After termination: removes containers, sandbox and volumes when `remove` (the pod is gone). */
  syncTerminatedPod(pod: Pod, remove: boolean): Promise<void>;
}

interface Worker {
  pod: Pod;
  state: WorkerState;
  grace: number | undefined;
  remove: boolean;
  /** Reached Succeeded/Failed: stopped, kept for status and logs until deleted. */
  finished: boolean;
  wake: () => void;
  pending: boolean;
  timer?: NodeJS.Timeout;
  abort: AbortController;
  done: Promise<void>;
}

export interface PodWorkersOptions {
  readonly syncer: PodSyncer;
  readonly now: () => number;
  /** Periodic resync of every pod (the kubelet's syncFrequency), ms. */
  readonly resyncMs: number;
  readonly onError: (pod: Pod, err: unknown) => void;
  /** Called when a worker has finished terminating (and removing) its pod. */
  readonly onTerminated: (pod: Pod) => void;
}

export class PodWorkers {
  readonly #workers = new Map<string, Worker>();
  readonly #o: PodWorkersOptions;

  constructor(o: PodWorkersOptions) {
    this.#o = o;
  }

  /** Desired pod added or changed (same UID). */
  update(pod: Pod): void {
    const uid = pod.metadata!.uid!;
    const w = this.#workers.get(uid);
    if (!w) { this.#start(pod); return; }
    if (w.state === 'syncing') w.pod = pod;
    this.#poke(w);
  }

  /** The pod is being deleted: terminate with this grace (can only shrink), then remove if `remove`. */
  terminate(uid: string, gracePeriod?: number, remove = true): void {
    const w = this.#workers.get(uid);
    if (!w) return;
    if (w.state === 'syncing') w.state = 'terminating';
    if (gracePeriod !== undefined) w.grace = w.grace === undefined ? gracePeriod : Math.min(w.grace, gracePeriod);
    w.remove = w.remove || remove;
    w.abort.abort();
    this.#poke(w);
  }

  /** Something changed for this pod (runtime event, probe result): sync again soon. */
  wake(uid: string): void {
    const w = this.#workers.get(uid);
    if (w) this.#poke(w);
  }

  state(uid: string): WorkerState | undefined {
    return this.#workers.get(uid)?.state;
  }

  has(uid: string): boolean {
    return this.#workers.has(uid);
  }

  uids(): string[] {
    return [...this.#workers.keys()];
  }

  /** Resolves when the worker of uid has finished (terminated and removed). */
  done(uid: string): Promise<void> {
    return this.#workers.get(uid)?.done ?? Promise.resolve();
  }

  /** Stops every worker without touching the pods (agent shutdown: pods keep running). */
  async shutdown(): Promise<void> {
    for (const w of this.#workers.values()) { w.state = 'terminated'; w.abort.abort(); this.#poke(w); }
    await Promise.allSettled([...this.#workers.values()].map((w) => w.done));
  }

  #poke(w: Worker): void {
    w.pending = true;
    w.wake();
  }

  #start(pod: Pod): void {
    const w: Worker = {
      pod, state: 'syncing', grace: undefined, remove: false, finished: false, pending: true,
      wake: () => undefined, abort: new AbortController(), done: Promise.resolve(),
    };
    this.#workers.set(pod.metadata!.uid!, w);
    w.done = this.#loop(w);
  }

  async #loop(w: Worker): Promise<void> {
    const uid = w.pod.metadata!.uid!;
    const { syncer } = this.#o;
    let shutdown = false;
    while (!shutdown) {
      if (!w.pending) {
        await new Promise<void>((resolve) => { w.wake = resolve; });
      }
      w.pending = false;
      if (w.timer) { clearTimeout(w.timer); w.timer = undefined; }
      try {
        if (w.state === 'syncing') {
          if (w.finished) continue; // terminal: nothing more to do until the pod is deleted
          const r = await syncer.syncPod(w.pod, w.abort.signal);
          if (w.state !== 'syncing') continue;
          if (r.terminal) {
            // Succeeded/Failed for good: stop what is left, keep the containers for logs and status.
            await syncer.syncTerminatingPod(w.pod, undefined);
            await syncer.syncTerminatedPod(w.pod, false);
            w.finished = true;
            continue;
          }
          const delay = Math.min(this.#o.resyncMs, r.retryAt !== undefined ? Math.max(50, r.retryAt - this.#o.now() + 20) : Infinity);
          w.timer = setTimeout(() => this.#poke(w), delay);
        } else if (w.state === 'terminating') {
          await syncer.syncTerminatingPod(w.pod, w.grace);
          await syncer.syncTerminatedPod(w.pod, w.remove);
          shutdown = true;
          this.#workers.delete(uid);
          this.#o.onTerminated(w.pod);
        } else {
          shutdown = true; // agent shutdown
        }
      } catch (err) {
        this.#o.onError(w.pod, err);
        // The kubelet's pod-worker error back-off is 10 s; 1 s keeps a dev machine responsive.
        w.timer = setTimeout(() => this.#poke(w), 1000);
      }
    }
  }
}
