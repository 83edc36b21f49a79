// Unit tests of client/informer.ts against the REAL embedded API server: the first list (onAdd each, then
// onSynced once), live changes (onAdd/onUpdate/onDelete, bookmarks silent), the watch it opens (bookmarks,
// a 300–600 s timeout, from the list's resourceVersion), a relist after the API server restarts (deletes missed
// meanwhile delivered, unchanged objects silent), 410 (ERROR event or thrown) relisting at once, the back-off
// (0.8 s doubling to 30 s, reset by a good list) on a scripted client, resync, and a throwing handler.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError, BACKOFF_MAX_MS, CONFIGMAPS, Informer, type InformerOptions, type KubeClient, type KubeObject, type ObjectList, type WatchEvent, type WatchOptions,
} from '../../../client/index.js';
import { configMap, startPlane, until, type Plane } from './helpers.js';

let plane: Plane | undefined;
const stops: AbortController[] = [];
afterEach(async () => {
  for (const ac of stops.splice(0)) ac.abort();
  await plane?.close();
  plane = undefined;
});

type Log = string[];
const nameOf = (o: KubeObject): string => o.metadata?.name ?? '?';

/** Starts an informer on default/configmaps recording its callbacks; resolves with it and its run promise. */
function start(client: KubeClient, opts: InformerOptions = {}) {
  const log: Log = [];
  const informer = new Informer(client, CONFIGMAPS, { namespace: 'default', ...opts }, {
    onAdd: (o) => log.push(`add ${nameOf(o)}`),
    onUpdate: (old, o) => log.push(`update ${nameOf(o)} ${old.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${nameOf(o)}`),
    onSynced: () => log.push('synced'),
  });
  const ac = new AbortController();
  stops.push(ac);
  const running = informer.run(ac.signal);
  return { informer, log, ac, running };
}

/** A KubeClient that records calls and lets a test rewrite them (decorating the real one). */
function spy(inner: KubeClient, hooks: { list?: (n: number) => void; watch?: (n: number, opts: WatchOptions) => WatchOptions } = {}) {
  const calls = { list: 0, watch: [] as WatchOptions[] };
  const client = Object.create(inner) as KubeClient;
  client.list = <T extends KubeObject>(ref: Parameters<KubeClient['list']>[0], opts?: Parameters<KubeClient['list']>[1]) => {
    calls.list++;
    hooks.list?.(calls.list);
    return inner.list<T>(ref, opts);
  };
  client.watch = <T extends KubeObject>(ref: Parameters<KubeClient['watch']>[0], opts: WatchOptions = {}) => {
    calls.watch.push(opts);
    return inner.watch<T>(ref, hooks.watch?.(calls.watch.length, opts) ?? opts);
  };
  return { client, calls };
}

const sleeps: number[] = [];
/** An injected sleep: records what was asked, waits 2 ms. */
const quickSleep = (ms: number, signal: AbortSignal) => { sleeps.push(ms); return new Promise<void>((r) => { const t = setTimeout(r, 2); signal.addEventListener('abort', () => { clearTimeout(t); r(); }); }); };

describe('Informer against the embedded API server', () => {
  it('lists (onAdd each, then onSynced once), then follows live changes; bookmarks cause no callbacks', async () => {
    plane = await startPlane({ bookmarkIntervalMs: 30 });
    const c = plane.client;
    await c.create(CONFIGMAPS, 'default', configMap('a'));
    await c.create(CONFIGMAPS, 'default', configMap('b'));
    await c.create(CONFIGMAPS, 'kube-public', { ...configMap('elsewhere'), metadata: { name: 'elsewhere', namespace: 'kube-public' } });
    const s = spy(c);
    const { informer, log, ac, running } = start(s.client, { random: () => 0.5 });
    expect(informer.hasSynced()).toBe(false);
    await until(() => informer.hasSynced(), undefined, 'the first list');
    expect([...log.slice(0, 2)].sort()).toEqual(['add a', 'add b']);
    expect(log.slice(2)).toEqual(['synced']);
    log.length = 0;

    const listRv = informer.lastSyncResourceVersion();
    await until(() => s.calls.watch.length === 1, undefined, 'the watch');
    expect(s.calls.watch[0]).toMatchObject({ namespace: 'default', resourceVersion: listRv, allowWatchBookmarks: true, timeoutSeconds: 450 });

    const a = informer.get('default', 'a')!;
    const a2 = await c.patch(CONFIGMAPS, 'default', 'a', 'merge', { data: { x: '1' } });
    await c.create(CONFIGMAPS, 'default', configMap('c'));
    await c.delete(CONFIGMAPS, 'default', 'b');
    await until(() => log.length === 3, undefined, 'three events');
    expect(log).toEqual([`update a ${a.metadata!.resourceVersion}->${a2.metadata!.resourceVersion}`, 'add c', 'delete b']);
    expect(informer.list().map(nameOf).sort()).toEqual(['a', 'c']);
    expect(informer.get('default', 'b')).toBeUndefined();

    // Quiet for a few bookmark periods: the resourceVersion moves on, no callback runs.
    const before = informer.lastSyncResourceVersion();
    await c.create(CONFIGMAPS, 'kube-public', { ...configMap('other'), metadata: { name: 'other', namespace: 'kube-public' } });
    await until(() => Number(informer.lastSyncResourceVersion()) > Number(before), undefined, 'a bookmark');
    expect(log).toHaveLength(3);
    ac.abort();
    await running;
    expect(s.calls.list).toBe(1);
  });

  it('relists after the API server restarts: deletes and creates missed meanwhile arrive, unchanged objects stay silent', async () => {
    plane = await startPlane();
    const p = plane;
    for (const n of ['keep', 'gone']) await p.client.create(CONFIGMAPS, 'default', configMap(n));
    sleeps.length = 0;
    const s = spy(p.client);
    const { informer, log } = start(s.client, { sleep: quickSleep, random: () => 0.5 });
    await until(() => informer.hasSynced() && s.calls.watch.length === 1, undefined, 'the first list and watch');
    log.length = 0;

    await p.stop();
    await p.store.delete('configmaps', 'default', 'gone');
    await p.store.create('configmaps', configMap('new'));
    await until(() => sleeps.length >= 2, undefined, 'failed relists');
    await p.restart();
    await until(() => log.length === 2, undefined, 'the relist');
    expect(log.sort()).toEqual(['add new', 'delete gone']);
    expect(informer.list().map(nameOf).sort()).toEqual(['keep', 'new']);
    // The back-off grew while the server was down: 0.8 s, 1.6 s, … (random 0.5 → no jitter).
    expect(sleeps.slice(0, 2)).toEqual([800, 1600]);
  });

  it('a 410 ERROR event (watch from a resourceVersion older than the history) relists at once', async () => {
    plane = await startPlane({ historySize: 2 });
    const c = plane.client;
    await c.create(CONFIGMAPS, 'default', configMap('first'));
    sleeps.length = 0;
    // The first watch asks for resourceVersion 1: long out of the 2-event window once 3 more writes landed.
    const s = spy(c, { watch: (n, o) => (n === 1 ? { ...o, resourceVersion: '1' } : o) });
    for (let i = 0; i < 3; i++) await c.create(CONFIGMAPS, 'kube-public', { ...configMap(`fill-${i}`), metadata: { name: `fill-${i}`, namespace: 'kube-public' } });
    const { informer, log } = start(s.client, { sleep: quickSleep });
    await until(() => s.calls.list === 2 && s.calls.watch.length === 2, undefined, 'the relist after 410');
    await c.create(CONFIGMAPS, 'default', configMap('later'));
    await until(() => log.includes('add later'), undefined, 'a live event after the relist');
    expect(log).toEqual(['add first', 'synced', 'add later']);
    expect(sleeps).toEqual([]);
    expect(informer.hasSynced()).toBe(true);
  });

  it('a 410 thrown by the watch relists at once too', async () => {
    plane = await startPlane();
    const c = plane.client;
    await c.create(CONFIGMAPS, 'default', configMap('x'));
    sleeps.length = 0;
    const expired = new ApiError({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    const s = spy(c);
    let thrown = 0;
    const watch = s.client.watch.bind(s.client);
    s.client.watch = <T extends KubeObject>(ref: Parameters<KubeClient['watch']>[0], opts?: WatchOptions) => {
      if (thrown++ === 0) return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(expired) }) } as AsyncIterable<WatchEvent<T>>;
      return watch<T>(ref, opts);
    };
    const { log } = start(s.client, { sleep: quickSleep });
    await until(() => s.calls.list === 2 && thrown === 2, undefined, 'the relist after a thrown 410');
    expect(log).toEqual(['add x', 'synced']);
    expect(sleeps).toEqual([]);
  });

  it('resync calls onUpdate(obj, obj) for every cached object', async () => {
    plane = await startPlane();
    await plane.client.create(CONFIGMAPS, 'default', configMap('r'));
    const { log } = start(plane.client, { resyncMs: 20 });
    await until(() => log.filter((l) => l.startsWith('update r')).length >= 2, undefined, 'two resyncs');
    const rv = log.find((l) => l.startsWith('update r'))!.split(' ')[2]!.split('->');
    expect(rv[0]).toBe(rv[1]);
  });
});

describe('Informer back-off (scripted client)', () => {
  const down = new ApiError({ kind: 'Status', code: 0, reason: 'Unreachable', message: 'down' });
  const emptyList: ObjectList = { metadata: { resourceVersion: '5' }, items: [] };

  it('doubles from 0.8 s to 30 s while lists fail, resets after a good list; a throwing handler does not stop it', async () => {
    sleeps.length = 0;
    let lists = 0;
    const fail = new Set([1, 2, 3, 4, 5, 6, 7, 8, 10]);
    const ac = new AbortController();
    stops.push(ac);
    const client = {
      server: 'scripted',
      list: async () => {
        lists++;
        if (lists === 11) ac.abort();
        if (fail.has(lists)) throw down;
        return { ...emptyList, items: [{ metadata: { name: `o${lists}`, namespace: 'default', resourceVersion: String(lists) } }] };
      },
      watch: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(down) }) }),
    } as unknown as KubeClient;
    const warnings: object[] = [];
    const informer = new Informer(client, CONFIGMAPS, { sleep: quickSleep, random: () => 0.5, log: { debug: () => {}, warn: (o) => warnings.push(o) } }, {
      onAdd: () => { throw new Error('handler bug'); },
    });
    await informer.run(ac.signal);
    // Lists 1–8 fail; 9 is good (reset) and its watch fails; 10 fails; 11 aborts.
    expect(sleeps).toEqual([800, 1600, 3200, 6400, 12800, 25600, BACKOFF_MAX_MS, BACKOFF_MAX_MS, 800, 1600]);
    expect(informer.list().map(nameOf)).toEqual(['o9']);
    expect(warnings).toContainEqual(expect.objectContaining({ handler: 'onAdd', err: 'handler bug' }));
  });

  it('the jitter keeps each wait within ±20 %', async () => {
    const { backoffMs } = await import('../../../client/index.js');
    expect([backoffMs(0, () => 0), backoffMs(0, () => 0.999999), backoffMs(10, () => 0)]).toEqual([640, expect.closeTo(960, 1), 24000]);
  });
});
