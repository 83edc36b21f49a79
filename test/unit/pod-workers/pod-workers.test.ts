// Unit tests of agent/pod-workers/pod-workers.ts with a scripted PodSyncer on the fake clock: latest update
// wins, wake-ups coalesce, a terminate aborts the sync under way, the grace only shrinks, a UID re-added while
// it terminates is restarted once termination ends (unless deleted again), terminal pods stop and are kept,
// error back-off, resync and retryAt timers, shutdown. Every assertion is on the ordered log of syncer calls
// and callbacks, stamped with fake time.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import type { GracePeriod } from '../../../agent/kuberuntime/grace.js';
import { PodWorkers, type PodSyncer, type SyncKind } from '../../../agent/pod-workers/pod-workers.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';

type SyncResult = { retryAt?: number; terminal?: boolean };
interface Step { kind: 'syncPod' | 'terminating' | 'terminated'; pod: Pod; at: number; signal?: AbortSignal; grace?: GracePeriod }
interface Gate<T> { resolve(v: T): void; reject(e: unknown): void; promise: Promise<T> }

function gate<T>(): Gate<T> {
  let resolve!: (v: T) => void; let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { resolve, reject, promise };
}

const RESYNC_MS = 60_000;
const ERROR_BACKOFF_MS = 2000;
const UID = 'uid-web';

/** Version n of pod `name` (same UID for every version), told apart by resourceVersion. */
function v(n: number, o: { name?: string; deleting?: boolean } = {}): Pod {
  const name = o.name ?? 'web';
  return { metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: `v${n}`, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) }, spec: { containers: [] } };
}
const ver = (p: Pod) => `${p.metadata!.name === 'web' ? '' : `${p.metadata!.name}:`}${p.metadata!.resourceVersion}`;

/** A PodSyncer whose calls are logged; each kind answers at once unless a test holds the next call or scripts it. */
class ScriptedSyncer implements PodSyncer {
  readonly steps: Step[] = [];
  readonly #held: Record<Step['kind'], Gate<unknown>[]> = { syncPod: [], terminating: [], terminated: [] };
  syncPodImpl: (pod: Pod, signal: AbortSignal) => Promise<SyncResult> = async () => ({});
  terminatingImpl: (pod: Pod, grace: GracePeriod) => Promise<void> = async () => undefined;
  constructor(readonly clock: FakeClock, readonly log: string[]) {}

  /** The next call of `kind` waits until the returned gate is resolved (with the call's result). */
  hold<T = unknown>(kind: Step['kind']): Gate<T> {
    const g = gate<T>();
    this.#held[kind].push(g as Gate<unknown>);
    return g;
  }

  #enter(step: Step, label: string): Gate<unknown> | undefined {
    this.steps.push(step);
    this.log.push(`${label}@${step.at}`);
    return this.#held[step.kind].shift();
  }

  async syncPod(pod: Pod, signal: AbortSignal): Promise<SyncResult> {
    const held = this.#enter({ kind: 'syncPod', pod, at: this.clock.now(), signal }, `syncPod(${ver(pod)})`);
    return held ? (held.promise as Promise<SyncResult>) : this.syncPodImpl(pod, signal);
  }

  async syncTerminatingPod(pod: Pod, grace: GracePeriod): Promise<void> {
    const held = this.#enter({ kind: 'terminating', pod, at: this.clock.now(), grace }, `terminating(${ver(pod)},${grace.seconds ?? 'own'})`);
    await (held ? held.promise : this.terminatingImpl(pod, grace));
  }

  async syncTerminatedPod(pod: Pod, remove: boolean): Promise<void> {
    const held = this.#enter({ kind: 'terminated', pod, at: this.clock.now() }, `terminated(${ver(pod)},${remove ? 'remove' : 'keep'})`);
    await held?.promise;
  }
}

/** PodWorkers on a FakeClock starting at 0, with one log of syncer calls and callbacks in order. */
function setup() {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const syncer = new ScriptedSyncer(clock, log);
  const kinds: [SyncKind, number][] = [];
  const workers = new PodWorkers({
    syncer, clock, resyncMs: RESYNC_MS, errorBackoffMs: ERROR_BACKOFF_MS,
    onError: (pod, err) => log.push(`onError(${ver(pod)},${(err as Error).message})@${clock.now()}`),
    onTerminated: (pod, restarting) => log.push(`onTerminated(${ver(pod)},${restarting})@${clock.now()}`),
    onSyncDone: (kind, ms) => kinds.push([kind, ms]),
  });
  return { clock, log, syncer, kinds, workers };
}

describe('PodWorkers: updates', () => {
  it('acts only on the latest update: updates during a sync replace each other', async () => {
    const { clock, log, syncer, kinds, workers } = setup();
    const first = syncer.hold<SyncResult>('syncPod');
    workers.update(v(1));
    workers.update(v(2));
    workers.update(v(3));
    await clock.advance(300);
    expect(log).toEqual(['syncPod(v1)@0']);
    first.resolve({});
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(v3)@300']);
    expect(kinds).toEqual([['create', 300], ['update', 0]]);
  });

  it('coalesces wake-ups: several during a sync give one more sync', async () => {
    const { clock, log, syncer, kinds, workers } = setup();
    const first = syncer.hold<SyncResult>('syncPod');
    workers.update(v(1));
    for (let i = 0; i < 3; i++) workers.wake(UID);
    workers.wake('uid-unknown');
    first.resolve({});
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(v1)@0']);
    expect(kinds.map(([k]) => k)).toEqual(['create', 'sync']);
  });

  it('runs pods independently: one pod\'s long sync does not hold another', async () => {
    const { clock, log, syncer, workers } = setup();
    syncer.hold('syncPod');
    workers.update(v(1, { name: 'slow' }));
    workers.update(v(1));
    await clock.advance(0);
    expect(log).toEqual(['syncPod(slow:v1)@0', 'syncPod(v1)@0']);
    expect([workers.state('uid-slow'), workers.state(UID)]).toEqual(['syncing', 'syncing']);
  });
});

describe('PodWorkers: termination', () => {
  it('a terminate during a sync aborts the sync\'s signal, then terminates and removes the pod', async () => {
    const { clock, log, syncer, kinds, workers } = setup();
    syncer.syncPodImpl = (_pod, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({})));
    workers.update(v(1));
    await clock.advance(1000);
    const signal = syncer.steps[0]!.signal!;
    expect(signal.aborted).toBe(false);
    workers.terminate(UID, 5);
    expect([signal.aborted, workers.state(UID)]).toEqual([true, 'terminating']);
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,5)@1000', 'terminated(v1,remove)@1000', 'onTerminated(v1,false)@1000']);
    expect([workers.has(UID), workers.uids()]).toEqual([false, []]);
    await expect(workers.done(UID)).resolves.toBeUndefined();
    expect(kinds.map(([k]) => k)).toEqual(['create', 'terminating', 'terminated']);
  });

  it('the grace period only shrinks, also while the kill is under way (the same GracePeriod is followed)', async () => {
    const { clock, log, syncer, workers } = setup();
    const kill = syncer.hold('terminating');
    workers.update(v(1));
    workers.terminate(UID, 30);
    await clock.advance(0);
    const grace = syncer.steps[1]!.grace!;
    const told: number[] = [];
    grace.onShrink((s) => told.push(s));
    workers.terminate(UID, 10);
    workers.terminate(UID, 20);
    workers.terminate(UID);
    expect([grace.seconds, told]).toEqual([10, [10]]);
    workers.terminate(UID, 0);
    expect([grace.seconds, told]).toEqual([0, [10, 0]]);
    kill.resolve(undefined);
    await clock.advance(0);
    // Pokes while terminating do not run the kill again.
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,30)@0', 'terminated(v1,remove)@0', 'onTerminated(v1,false)@0']);
  });

  it('without a grace period the pod\'s own is used (GracePeriod without seconds); remove=false keeps the pod\'s objects', async () => {
    const { clock, log, workers } = setup();
    workers.update(v(1));
    workers.terminate(UID, undefined, false);
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,own)@0', 'terminated(v1,keep)@0', 'onTerminated(v1,false)@0']);
  });

  it('a pod added again while it terminates is started once termination has ended (latest version, once)', async () => {
    const { clock, log, syncer, kinds, workers } = setup();
    const kill = syncer.hold('terminating');
    workers.update(v(1));
    workers.terminate(UID, 30);
    await clock.advance(1000);
    workers.update(v(2));
    workers.update(v(3));
    workers.update(v(4, { deleting: true })); // the deleted object again: not a re-add, the earlier one stands
    expect(workers.state(UID)).toBe('terminating');
    await clock.advance(1000);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,30)@0']);
    kill.resolve(undefined);
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,30)@0', 'terminated(v1,remove)@2000', 'onTerminated(v1,true)@2000', 'syncPod(v3)@2000']);
    expect(workers.state(UID)).toBe('syncing');
    expect(kinds.map(([k, ms]) => `${k}:${ms}`)).toEqual(['create:0', 'terminating:2000', 'terminated:0', 'create:0']);
    // The new worker is a fresh one: its grace is the pod's own again, and it syncs on its own timer.
    workers.terminate(UID);
    await clock.advance(0);
    expect(log.slice(5)).toEqual(['terminating(v3,own)@2000', 'terminated(v3,remove)@2000', 'onTerminated(v3,false)@2000']);
  });

  it('a delete after the re-add cancels the restart', async () => {
    const { clock, log, syncer, workers } = setup();
    const kill = syncer.hold('terminating');
    workers.update(v(1));
    workers.terminate(UID, 30);
    await clock.advance(0);
    workers.update(v(2));
    workers.terminate(UID, 30);
    kill.resolve(undefined);
    await clock.advance(RESYNC_MS);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,30)@0', 'terminated(v1,remove)@0', 'onTerminated(v1,false)@0']);
    expect(workers.has(UID)).toBe(false);
  });

  it('a terminal pod is stopped and kept (no removal, no more syncs) until it is deleted', async () => {
    const { clock, log, syncer, workers } = setup();
    syncer.syncPodImpl = async () => ({ terminal: true });
    workers.update(v(1));
    await clock.advance(0);
    expect(log).toEqual(['syncPod(v1)@0', 'terminating(v1,own)@0', 'terminated(v1,keep)@0']);
    expect([workers.has(UID), workers.state(UID)]).toEqual([true, 'syncing']);
    workers.wake(UID);
    workers.update(v(2));
    await clock.advance(3 * RESYNC_MS);
    expect(log).toHaveLength(3);
    workers.terminate(UID, 10);
    await clock.advance(0);
    expect(log.slice(3)).toEqual([`terminating(v2,10)@${3 * RESYNC_MS}`, `terminated(v2,remove)@${3 * RESYNC_MS}`, `onTerminated(v2,false)@${3 * RESYNC_MS}`]);
    expect(workers.has(UID)).toBe(false);
  });
});

describe('PodWorkers: timers', () => {
  it('backs off after a sync error, then syncs again', async () => {
    const { clock, log, syncer, workers } = setup();
    let calls = 0;
    syncer.syncPodImpl = async () => { calls++; if (calls === 1) throw new Error('runtime down'); return {}; };
    workers.update(v(1));
    await clock.advance(ERROR_BACKOFF_MS - 1);
    expect(log).toEqual(['syncPod(v1)@0', 'onError(v1,runtime down)@0']);
    await clock.advance(1);
    expect(log).toEqual(['syncPod(v1)@0', 'onError(v1,runtime down)@0', `syncPod(v1)@${ERROR_BACKOFF_MS}`]);
  });

  it('retries a kill that failed after the back-off, then finishes termination', async () => {
    const { clock, log, syncer, workers } = setup();
    let calls = 0;
    syncer.terminatingImpl = async () => { calls++; if (calls === 1) throw new Error('stop failed'); };
    workers.update(v(1));
    workers.terminate(UID, 5);
    await clock.advance(ERROR_BACKOFF_MS);
    expect(log).toEqual([
      'syncPod(v1)@0', 'terminating(v1,5)@0', 'onError(v1,stop failed)@0',
      `terminating(v1,5)@${ERROR_BACKOFF_MS}`, `terminated(v1,remove)@${ERROR_BACKOFF_MS}`, `onTerminated(v1,false)@${ERROR_BACKOFF_MS}`,
    ]);
  });

  it('resyncs every resyncMs; a retryAt brings the next sync earlier (20 ms after it, at least 50 ms)', async () => {
    const { clock, log, syncer, workers } = setup();
    const answers: SyncResult[] = [{ retryAt: 5000 }, { retryAt: 0 }, { retryAt: 10 * RESYNC_MS }, {}];
    syncer.syncPodImpl = async () => answers.shift() ?? {};
    workers.update(v(1));
    await clock.advance(5070 + 2 * RESYNC_MS);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(v1)@5020', 'syncPod(v1)@5070', `syncPod(v1)@${5070 + RESYNC_MS}`, `syncPod(v1)@${5070 + 2 * RESYNC_MS}`]);
  });

  it('a wake-up replaces the pending resync: the next one counts from the last sync', async () => {
    const { clock, log, workers } = setup();
    workers.update(v(1));
    await clock.advance(10_000);
    workers.wake(UID);
    await clock.advance(RESYNC_MS - 1);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(v1)@10000']);
    await clock.advance(1);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(v1)@10000', `syncPod(v1)@${10_000 + RESYNC_MS}`]);
  });

  it('shutdown stops every worker without touching the pods: syncs under way are aborted, nothing runs after', async () => {
    const { clock, log, syncer, workers } = setup();
    syncer.syncPodImpl = async (pod, signal) => {
      if (pod.metadata!.name === 'busy') await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return {};
    };
    workers.update(v(1));
    workers.update(v(1, { name: 'busy' }));
    await clock.advance(1000);
    const down = workers.shutdown();
    let stopped = false;
    void down.then(() => { stopped = true; });
    await clock.advance(0);
    expect(stopped).toBe(true);
    expect(syncer.steps.map((s) => s.signal!.aborted)).toEqual([true, true]);
    await clock.advance(3 * RESYNC_MS);
    expect(log).toEqual(['syncPod(v1)@0', 'syncPod(busy:v1)@0']);
    expect(clock.pendingTimers).toBe(0);
  });
});
