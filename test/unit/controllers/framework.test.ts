// Tests of control-plane/controllers/framework on a fake clock: the work queue (de-duplication, a key added
// while held runs again after done, addAfter keeps the earliest time, the 5 ms · 2ⁿ back-off capped at
// 1000 s, forget), the Controller (an error requeues with back-off, success forgets, requeueAfter, no key on
// two workers at once while other keys run in parallel, workers wait for the informers' first list),
// Expectations (creations/deletions observed, 5 min timeout) and the owner helpers.
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIGMAPS } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, controllerRefTo, Expectations, EXPECTATIONS_TIMEOUT_MS, itemBackoffMs, WorkQueue,
} from '../../../control-plane/controllers/framework/index.js';
import { configMap, pod, startPlane, until, type Plane } from '../client/helpers.js';
import { FakeClock } from './fake-clock.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('de-duplicates waiting keys and hands them out in order', async () => {
    const q = new WorkQueue(new FakeClock());
    q.add('a'); q.add('b'); q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });
  it('a key added while held is not handed out again until done()', async () => {
    const q = new WorkQueue(new FakeClock());
    q.add('a');
    const k = await q.get();
    q.add('a'); q.add('a');
    expect(q.len()).toBe(0);
    q.done(k!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
  });
  it('addAfter fires at its time; the earliest of two wins', () => {
    const clock = new FakeClock();
    const q = new WorkQueue(clock);
    q.addAfter('a', 1000); q.addAfter('a', 300); q.addAfter('a', 5000);
    clock.advance(299);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(10_000);
    expect(q.len()).toBe(1);
  });
  it('per-item back-off: 5 ms doubling, capped at 1000 s; forget resets', () => {
    expect([0, 1, 2, 3, 10].map(itemBackoffMs)).toEqual([5, 10, 20, 40, 5120]);
    expect(itemBackoffMs(30)).toBe(1_000_000);
    const clock = new FakeClock();
    const q = new WorkQueue(clock);
    q.addRateLimited('a'); clock.advance(5);
    expect(q.len()).toBe(1);
    q.addRateLimited('b'); q.addRateLimited('b'); // 5 ms, then 10 ms: the earlier stands
    expect(q.numRequeues('b')).toBe(2);
    q.forget('b');
    expect(q.numRequeues('b')).toBe(0);
  });
  it('shutDown releases waiting getters with undefined', async () => {
    const q = new WorkQueue(new FakeClock());
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
  });
});

describe('Controller', () => {
  let plane: Plane | undefined;
  const acs: AbortController[] = [];
  afterEach(async () => {
    for (const ac of acs.splice(0)) ac.abort();
    await plane?.close();
    plane = undefined;
  });

  it('a failing reconcile is requeued after 5, 10, 20 ms; a success forgets the count', async () => {
    const clock = new FakeClock();
    let fails = 3;
    const seen: number[] = [];
    const c = new Controller({ name: 't', clock, reconcile: async () => { seen.push(clock.now()); if (fails-- > 0) throw new Error('conflict'); } });
    const t0 = clock.now();
    await c.processOne('ns/a');
    for (const step of [5, 10, 20]) {
      clock.advance(step - 1);
      expect(c.queue.len()).toBe(0);
      clock.advance(1);
      expect(c.queue.len()).toBe(1);
      const k = await c.queue.get();
      await c.processOne(k!);
      c.queue.done(k!);
    }
    expect(seen.map((t) => t - t0)).toEqual([0, 5, 15, 35]);
    expect(c.queue.numRequeues('ns/a')).toBe(0);
  });

  it('requeueAfter puts the key back after that time', async () => {
    const clock = new FakeClock();
    const c = new Controller({ name: 't', clock, reconcile: async () => ({ requeueAfter: 2000 }) });
    await c.processOne('ns/a');
    clock.advance(1999);
    expect(c.queue.len()).toBe(0);
    clock.advance(1);
    expect(c.queue.len()).toBe(1);
  });

  it('waits for its informers to list, then never runs one key on two workers while other keys run in parallel', async () => {
    plane = await startPlane({ controllers: 'manual' });
    await plane.client.create(CONFIGMAPS, 'default', configMap('a'));
    await plane.client.create(CONFIGMAPS, 'default', configMap('b'));
    const running = new Map<string, number>();
    let maxSameKey = 0;
    let maxAll = 0;
    const release: (() => void)[] = [];
    const handled: string[] = [];
    const c = new Controller({
      name: 't', workers: 3,
      reconcile: async (key) => {
        running.set(key, (running.get(key) ?? 0) + 1);
        maxSameKey = Math.max(maxSameKey, running.get(key)!);
        maxAll = Math.max(maxAll, [...running.values()].reduce((x, y) => x + y, 0));
        await new Promise<void>((r) => release.push(r));
        running.set(key, running.get(key)! - 1);
        handled.push(key);
      },
    });
    const inf = c.informer(plane.client, CONFIGMAPS, { namespace: 'default' }, c.enqueueHandlers());
    const ac = new AbortController(); acs.push(ac);
    const done = c.run(ac.signal);
    await until(() => release.length === 2, 5000, 'both keys in reconcile');
    expect(inf.hasSynced()).toBe(true);
    c.enqueue('default/a'); c.enqueue('default/a');
    await tick();
    expect(release.length).toBe(2);       // a is held: not handed to the third worker
    for (const r of release.splice(0)) r();
    await until(() => release.length === 1, 5000, 'a again');
    release.splice(0)[0]!();
    await until(() => handled.length === 3);
    expect(handled.sort()).toEqual(['default/a', 'default/a', 'default/b']);
    expect([maxSameKey, maxAll]).toEqual([1, 2]);
    ac.abort();
    await done;
  });

  it('maps a pod to its controlling owner of a kind', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };
    const p = { ...pod('web-x'), metadata: { ...pod('web-x').metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', name: 'o', uid: 'u0' }, controllerRefTo(owner)] } };
    expect(controllerRefTo(owner)).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true });
    expect(controllerKeyOf(p, 'ReplicaSet', 'apps')).toBe('default/web');
    expect(controllerKeyOf(p, 'Deployment', 'apps')).toBeUndefined();
    expect(controllerKeyOf(pod('lone'), 'ReplicaSet', 'apps')).toBeUndefined();
  });
});

describe('Expectations', () => {
  it('unsatisfied until every expected creation and deletion is observed', () => {
    const e = new Expectations(new FakeClock());
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs'); e.creationObserved('ns/rs');
    expect(e.pending('ns/rs')).toEqual({ adds: 0, deletes: 0 });
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectDeletions('ns/rs', ['ns/p1', 'ns/p2']);
    e.deletionObserved('ns/rs', 'ns/p1'); e.deletionObserved('ns/rs', 'ns/p1');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/p2');
    expect(e.satisfied('ns/rs')).toBe(true);
  });
  it('expire after 5 minutes; delete forgets', () => {
    const clock = new FakeClock();
    const e = new Expectations(clock);
    e.expectCreations('ns/rs', 3);
    clock.advance(EXPECTATIONS_TIMEOUT_MS);
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.advance(1);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/x', 1);
    e.delete('ns/x');
    expect(e.satisfied('ns/x')).toBe(true);
  });
});
