// The DaemonSet controller's failed-pod back-off (control-plane/controllers/daemonset/backoff.ts and manage's
// gate in decide.ts), table-tested on a fake clock: the first Failed pod on a node is deleted at once, the next
// only after the window since the last deletion (1 s doubling to 15 min), keys per DaemonSet uid, observed
// generation and node, an idle key starts again; manage deletes the Failed pods the gate lets go (reported for
// FailedDaemonPod), keeps the others (no new pod on their node) and says when to look again. Then the
// controller against the REAL embedded API server on a fake clock: a Failed pod is deleted and made again at
// once with the upstream warning; the next Failed pod waits until the clock passes the 1 s window.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, NODES, PODS } from '../../../client/index.js';
import {
  DAEMONSETS, FAILED_POD_BACKOFF_MAX_MS, failedPodsBackoffKey, FailedPodBackoff, inBackOff, manage, nextEntry, podsByNode, startDaemonSetController,
  type DaemonSet, type NodeView, type Pod,
} from '../../../control-plane/controllers/daemonset/index.js';
import { startPlane, type Plane } from '../client/helpers.js';
import { FakeClock } from './fake-clock.js';
import { eventually, replicaPlane } from './replica-plane.js';

describe('failed-pod back-off', () => {
  it('deletes at once, then once per window; the window doubles from 1 s to 15 min', () => {
    const clock = new FakeClock();
    const b = new FailedPodBackoff();
    const seen: [number, number][] = [];
    // A pod fails every 100 ms after it is made again: the deletions space out by the growing window.
    for (let i = 0; i < 40_000 && seen.length < 13; i++) {
      if (b.take('k', clock.now()) === 0) seen.push([clock.now() - Date.parse('2026-01-01T00:00:00Z'), b.get('k')]);
      clock.advance(100);
    }
    expect(seen.map(([, w]) => w / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    const gaps = seen.slice(1).map(([t], i) => (t - seen[i]![0]) / 1000);
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  });

  it.each<[string, { delayMs: number; lastUpdate: number } | undefined, number, boolean, number]>([
    // what, entry, now, in back-off, window after a deletion at now
    ['no entry', undefined, 0, false, 1000],
    ['inside the window', { delayMs: 4000, lastUpdate: 0 }, 3999, true, 8000],
    ['window passed', { delayMs: 4000, lastUpdate: 0 }, 4000, false, 8000],
    ['capped', { delayMs: 900_000, lastUpdate: 0 }, 900_000, false, 900_000],
    ['idle for more than 2×max: afresh', { delayMs: 900_000, lastUpdate: 0 }, 2 * FAILED_POD_BACKOFF_MAX_MS + 1, false, 1000],
    ['idle for exactly 2×max: still doubling', { delayMs: 8000, lastUpdate: 0 }, 2 * FAILED_POD_BACKOFF_MAX_MS, false, 16_000],
  ])('%s', (_what, entry, now, held, next) => {
    expect(inBackOff(entry, now, FAILED_POD_BACKOFF_MAX_MS)).toBe(held);
    expect(nextEntry(entry, now, 1000, FAILED_POD_BACKOFF_MAX_MS)).toEqual({ delayMs: next, lastUpdate: now });
  });

  it('answers the window while held; gc forgets keys idle for more than twice the maximum', () => {
    const b = new FailedPodBackoff();
    expect(b.take('a', 0)).toBe(0);
    expect(b.take('a', 500)).toBe(1000);
    expect(b.take('b', 2 * FAILED_POD_BACKOFF_MAX_MS)).toBe(0);
    b.gc(2 * FAILED_POD_BACKOFF_MAX_MS);
    expect(b.size).toBe(2);
    b.gc(2 * FAILED_POD_BACKOFF_MAX_MS + 1);
    expect(b.size).toBe(1);
    expect(b.get('a')).toBe(0);
  });

  it('keys by DaemonSet uid, observed generation and node', () => {
    const d = (uid: string, observedGeneration?: number): DaemonSet => ({ metadata: { name: 'x', uid }, ...(observedGeneration ? { status: { observedGeneration } } : {}) });
    expect(failedPodsBackoffKey(d('u1', 3), 'n1')).toBe('u1/3/n1');
    expect(failedPodsBackoffKey(d('u1'), 'n2')).toBe('u1/0/n2');
  });
});

const ds: DaemonSet = {
  metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid', generation: 1 },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: {} } },
  status: { observedGeneration: 1 },
};
const node = (name: string): NodeView => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const pod = (name: string, nodeName: string, phase: string): Pod => ({
  metadata: { name, namespace: 'default', uid: name, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'agent', 'controller-revision-hash': 'h' } },
  spec: { nodeName }, status: { phase },
});
const names = (ps: readonly Pod[]): string[] => ps.map((p) => p.metadata!.name!);

describe('manage with the failed-pod gate', () => {
  it('deletes what the back-off lets go, keeps the rest (no pod made beside it), and asks for the earliest retry', () => {
    const b = new FailedPodBackoff();
    const clock = new FakeClock();
    b.take(failedPodsBackoffKey(ds, 'n3'), clock.now() - 500); // n3 had a deletion 0.5 s ago: 1 s window
    const gate = (n: string): number => b.take(failedPodsBackoffKey(ds, n), clock.now());
    const byNode = podsByNode([pod('a', 'n1', 'Failed'), pod('b', 'n1', 'Failed'), pod('c', 'n2', 'Running'), pod('d', 'n3', 'Failed')]);
    const plan = manage(ds, [node('n1'), node('n2'), node('n3'), node('n4')], byNode, 'h', gate);
    expect(names(plan.delete)).toEqual(['a']);
    expect(names(plan.failed)).toEqual(['a']);
    expect(plan.create).toEqual(['n4']);
    expect(plan.retryAfterMs).toBe(1000);

    clock.advance(499); // the window of n3's last deletion ends 1 s after it
    expect(names(manage(ds, [node('n3')], podsByNode([pod('d', 'n3', 'Failed')]), 'h', gate).delete)).toEqual([]);
    clock.advance(1);
    const later = manage(ds, [node('n3')], podsByNode([pod('d', 'n3', 'Failed')]), 'h', gate);
    expect([names(later.delete), names(later.failed), later.retryAfterMs]).toEqual([['d'], ['d'], undefined]);
  });

  it('without a gate, every Failed pod goes at once (the plan without back-off)', () => {
    const plan = manage(ds, [node('n1')], podsByNode([pod('a', 'n1', 'Failed'), pod('b', 'n1', 'Failed')]), 'h');
    expect(names(plan.failed)).toEqual(['a', 'b']);
    expect(plan.retryAfterMs).toBeUndefined();
  });
});

describe('DaemonSet controller with the back-off (real API server, fake clock)', () => {
  let plane: Plane;
  let clock: FakeClock;
  let ac: AbortController;
  let running: Promise<void>;
  beforeEach(async () => {
    plane = await startPlane();
    clock = new FakeClock(Date.now());
    ac = new AbortController();
    running = startDaemonSetController({ client: plane.client, clock }).run(ac.signal);
    await plane.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  });
  afterEach(async () => {
    ac.abort();
    await running;
    await plane.close();
  });
  const rp = replicaPlane(() => plane);
  const failedWarnings = async (): Promise<string[]> => (await rp.eventsOf('agent')).filter((e) => e.reason === 'FailedDaemonPod').map((e) => e.message);
  const onlyPod = async (uid: string): Promise<Pod | undefined> => { const ps = await rp.podsOf(uid); return ps.length === 1 ? ps[0] : undefined; };

  it('deletes the first Failed pod at once, holds the next for the 1 s window, then deletes it', async () => {
    const created = await plane.client.create<DaemonSet>(DAEMONSETS, 'default', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } } },
    });
    const uid = created.metadata!.uid!;
    await eventually(async () => !!(await onlyPod(uid)), 'the first pod');
    const first = (await onlyPod(uid))!.metadata!.name!;
    await rp.setStatus(first, { phase: 'Failed' });
    await eventually(async () => { const p = await onlyPod(uid); return !!p && p.metadata!.name !== first; }, 'the Failed pod replaced at once');
    expect(await failedWarnings()).toEqual([`Found failed daemon pod default/${first} on node node-a, will try to kill it`]);

    const second = (await onlyPod(uid))!.metadata!.name!;
    await rp.setStatus(second, { phase: 'Failed' });
    await eventually(async () => clock.pending() > 0, 'a sync that holds the Failed pod and asks to look again');
    expect((await onlyPod(uid))?.metadata?.name).toBe(second);
    expect(await failedWarnings()).toHaveLength(1);

    clock.advance(1000);
    await eventually(async () => { const p = await onlyPod(uid); return !!p && p.metadata!.name !== second; }, 'the second Failed pod replaced after the window');
    expect(await failedWarnings()).toEqual([
      `Found failed daemon pod default/${first} on node node-a, will try to kill it`,
      `Found failed daemon pod default/${second} on node node-a, will try to kill it`,
    ]);
  });
});
