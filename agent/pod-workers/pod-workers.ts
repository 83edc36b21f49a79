// agent/pod-workers/pod-workers.ts — one worker per pod UID, serialising that pod's work.
//
// The kubelet's podWorkers, reduced to its contracts: a worker only ever acts on the latest desired pod
// (updates replace the pending one), wake-ups coalesce, and a pod moves one way through
// syncing → terminating → terminated. Once terminating, every update is a kill and the grace period can only
// shrink — also while the kill is under way (the kill follows the GracePeriod it was given). A pod that is
// added again (same UID, not being deleted) while it terminates is started again once termination has ended,
// as the kubelet's restartRequested. Pods progress independently and in parallel. The worker keeps no memory
// of what it did: each sync re-reads the runtime through the syncer. All timing goes through the injected clock.
import type { Pod } from '../api/v1.js';
import type { Clock, Timer } from '../../cri/clock.js';
import { GracePeriod } from '../kuberuntime/grace.js';

export type WorkerState = 'syncing' | 'terminating' | 'terminated';

export interface PodSyncer {
  /** Brings the runtime toward the pod spec; returns when to come back (back-off), or 'terminal'. */
  syncPod(pod: Pod, signal: AbortSignal): Promise<{ retryAt?: number; terminal?: boolean }>;
  /** Stops everything of the pod with the grace period (seconds undefined = the pod's own; it may shrink meanwhile). */
  syncTerminatingPod(pod: Pod, grace: GracePeriod): Promise<void>;
  /** After termination: removes containers, sandbox and volumes when `remove` (the pod is gone). */
  syncTerminatedPod(pod: Pod, remove: boolean): Promise<void>;
}

export type SyncKind = 'create' | 'update' | 'sync' | 'terminating' | 'terminated';

interface Worker {
  pod: Pod;
  state: WorkerState;
  readonly grace: GracePeriod;
  remove: boolean;
  /** Added again while terminating: start this pod once termination has ended. */
  restartWith?: Pod;
  /** Synced at least once (the first sync is the kubelet's "create"). */
  synced: boolean;
  /** A changed pod arrived since the last sync (that sync is the kubelet's "update"). */
  updated?: boolean;
  /** Reached Succeeded/Failed: stopped, kept for status and logs until deleted. */
  finished: boolean;
  wake: () => void;
  pending: boolean;
  timer?: Timer;
  abort: AbortController;
  done: Promise<void>;
}

export interface PodWorkersOptions {
  readonly syncer: PodSyncer;
  readonly clock: Clock;
  /** Periodic resync of every pod (the kubelet's syncFrequency), ms. */
  readonly resyncMs: number;
  readonly onError: (pod: Pod, err: unknown) => void;
  /**
   * Called when a worker has finished terminating (and removing) its pod. `restarting`: the same UID was added
   * again meanwhile and a new worker starts it now (keep the desired pod).
   */
  readonly onTerminated: (pod: Pod, restarting: boolean) => void;
  /** Told after each sync step with its kind and duration (metrics). */
  readonly onSyncDone?: (kind: SyncKind, ms: number, pod: Pod) => void;
  /** Back-off after a sync error, ms (the kubelet's is 10 s; 1 s keeps a dev machine responsive). */
  readonly errorBackoffMs?: number;
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
    if (w.state === 'syncing') { w.updated = w.updated || w.pod !== pod; w.pod = pod; }
    else if (w.state === 'terminating' && !pod.metadata?.deletionTimestamp) w.restartWith = pod;
    this.#poke(w);
  }

  /** The pod is being deleted: terminate with this grace (can only shrink), then remove if `remove`. */
  terminate(uid: string, gracePeriod?: number, remove = true): void {
    const w = this.#workers.get(uid);
    if (!w) return;
    if (w.state === 'syncing') w.state = 'terminating';
    // Deleted again: a re-add seen before no longer stands. A shorter grace reaches a kill under way.
    w.restartWith = undefined;
    if (gracePeriod !== undefined) w.grace.shrink(gracePeriod);
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
      pod, state: 'syncing', grace: new GracePeriod(), remove: false, synced: false, finished: false, pending: true,
      wake: () => undefined, abort: new AbortController(), done: Promise.resolve(),
    };
    this.#workers.set(pod.metadata!.uid!, w);
    w.done = this.#loop(w);
  }

  async #loop(w: Worker): Promise<void> {
    const uid = w.pod.metadata!.uid!;
    const { syncer, clock } = this.#o;
    const timed = async <T>(kind: SyncKind, fn: () => Promise<T>): Promise<T> => {
      const started = clock.now();
      try { return await fn(); } finally { this.#o.onSyncDone?.(kind, clock.now() - started, w.pod); }
    };
    let shutdown = false;
    while (!shutdown) {
      if (!w.pending) {
        await new Promise<void>((resolve) => { w.wake = resolve; });
      }
      w.pending = false;
      w.timer?.cancel();
      w.timer = undefined;
      try {
        if (w.state === 'syncing') {
          if (w.finished) continue; // terminal: nothing more to do until the pod is deleted
          const kind: SyncKind = !w.synced ? 'create' : w.updated ? 'update' : 'sync';
          w.synced = true;
          w.updated = false;
          const r = await timed(kind, () => syncer.syncPod(w.pod, w.abort.signal));
          if (w.state !== 'syncing') continue;
          if (r.terminal) {
            // Succeeded/Failed for good: stop what is left, keep the containers for logs and status.
            await timed('terminating', () => syncer.syncTerminatingPod(w.pod, new GracePeriod()));
            await syncer.syncTerminatedPod(w.pod, false);
            w.finished = true;
            continue;
          }
          const delay = Math.min(this.#o.resyncMs, r.retryAt !== undefined ? Math.max(50, r.retryAt - clock.now() + 20) : Infinity);
          w.timer = clock.setTimeout(() => this.#poke(w), delay);
        } else if (w.state === 'terminating') {
          await timed('terminating', () => syncer.syncTerminatingPod(w.pod, w.grace));
          await timed('terminated', () => syncer.syncTerminatedPod(w.pod, w.remove));
          shutdown = true;
          this.#workers.delete(uid);
          const again = w.restartWith;
          this.#o.onTerminated(w.pod, again !== undefined);
          if (again) this.#start(again);
        } else {
          shutdown = true; // agent shutdown
        }
      } catch (err) {
        this.#o.onError(w.pod, err);
        w.timer = clock.setTimeout(() => this.#poke(w), this.#o.errorBackoffMs ?? 1000);
      }
    }
  }
}
