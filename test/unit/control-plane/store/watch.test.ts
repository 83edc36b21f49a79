// Unit tests of watch in control-plane/store: from ""/"0" (current state as ADDED, then changes), from a
// resourceVersion (exact replay), 410 Expired once the history window has moved on (also after a restart),
// 504 for a future version, selector transitions (ADDED/DELETED when an object starts/stops matching),
// periodic BOOKMARKs on the fake clock, sendInitialEvents with the k8s.io/initial-events-end bookmark,
// and a consumer that falls too far behind.
import { describe, expect, it } from 'vitest';
import { INITIAL_EVENTS_END, type Watch, type WatchEvent } from '../../../../control-plane/store/index.js';
import { thrown } from '../../../helpers/unconditional.js';
import { cm, rvOf, testStore } from './helpers.js';

/** The events already queued on a watch, as "TYPE name rv". */
async function drain(w: Watch): Promise<string[]> {
  const out: string[] = [];
  while (w.pending > 0) {
    const { value } = await w.next() as { value: WatchEvent };
    out.push(`${value.type} ${value.object.metadata?.name ?? '-'} ${value.object.metadata?.resourceVersion}`);
  }
  return out;
}

describe('watch', () => {
  it('from "0" or "": the current objects as ADDED, then each change in order', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const b = await store.create('configmaps', cm('b'));
    for (const rv of ['0', '', undefined]) {
      const w = store.watch('configmaps', { resourceVersion: rv, namespace: 'default' });
      expect(await drain(w)).toEqual([`ADDED a ${rvOf(a)}`, `ADDED b ${rvOf(b)}`]);
      w.stop();
    }
    const w = store.watch('configmaps', { resourceVersion: '0' });
    await drain(w);
    const a2 = await store.update('configmaps', { ...a, data: { x: '1' } });
    const gone = await store.delete('configmaps', 'default', 'b');
    await store.create('secrets', { metadata: { name: 'other', namespace: 'default' } });
    expect(await drain(w)).toEqual([`MODIFIED a ${rvOf(a2)}`, `DELETED b ${rvOf(gone.object)}`]);
  });

  it('from a resourceVersion: every later change replayed exactly, nothing before it', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const b = await store.create('configmaps', cm('b'));
    const a2 = await store.update('configmaps', { ...a, data: { y: '2' } });
    const w = store.watch('configmaps', { resourceVersion: String(rvOf(a)) });
    expect(await drain(w)).toEqual([`ADDED b ${rvOf(b)}`, `MODIFIED a ${rvOf(a2)}`]);
    const none = store.watch('configmaps', { resourceVersion: String(store.resourceVersion) });
    expect(none.pending).toBe(0);
  });

  it('a resourceVersion older than the history window is 410 Expired "too old resource version"; a newer one 504', async () => {
    const { store } = await testStore({ historySize: 3 });
    const first = await store.create('configmaps', cm('c0'));
    for (let i = 1; i <= 4; i++) await store.create('configmaps', cm(`c${i}`));
    const floor = rvOf(first) + 1; // the ring of 3 holds c2..c4: the newest version it cannot replay after is c1's
    expect(thrown(() => store.watch('configmaps', { resourceVersion: String(rvOf(first)) }))).toMatchObject({
      code: 410, reason: 'Expired', message: `too old resource version: ${rvOf(first)} (${floor})`,
    });
    expect(await drain(store.watch('configmaps', { resourceVersion: String(floor) }))).toHaveLength(3);
    const rv = store.resourceVersion;
    expect(thrown(() => store.watch('configmaps', { resourceVersion: String(rv + 1) }))).toMatchObject({
      code: 504, message: `Timeout: Too large resource version: ${rv + 1}, current: ${rv}`,
    });
  });

  it('after a restart the history starts at the stored resourceVersion: older versions are 410, the current one works', async () => {
    const { store, dir } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    await store.create('configmaps', cm('b'));
    const rv = store.resourceVersion;
    await store.close();
    const { store: again } = await testStore({ dir });
    expect(thrown(() => again.watch('configmaps', { resourceVersion: String(rvOf(a)) }))).toMatchObject({ code: 410 });
    const w = again.watch('configmaps', { resourceVersion: String(rv) });
    const c = await again.create('configmaps', cm('c'));
    expect(rvOf(c)).toBe(rv + 1);
    expect(await drain(w)).toEqual([`ADDED c ${rv + 1}`]);
  });

  it('with a selector: an object that starts matching arrives as ADDED, one that stops as DELETED', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a', {}, { labels: { app: 'db' } }));
    const w = store.watch('configmaps', { resourceVersion: String(rvOf(a)), labelSelector: 'app=web' });
    const on = await store.update('configmaps', { ...a, metadata: { ...a.metadata, labels: { app: 'web' } } });
    const again = await store.update('configmaps', { ...on, data: { k: 'v' } });
    const off = await store.update('configmaps', { ...again, metadata: { ...again.metadata, labels: { app: 'db' } } });
    expect(await drain(w)).toEqual([`ADDED a ${rvOf(on)}`, `MODIFIED a ${rvOf(again)}`, `DELETED a ${rvOf(off)}`]);
    const byName = store.watch('configmaps', { fieldSelector: 'metadata.name=a', resourceVersion: '0' });
    expect(await drain(byName)).toEqual([`ADDED a ${rvOf(off)}`]);
  });

  it('BOOKMARKs come every interval with the current resourceVersion, only when allowed', async () => {
    const { store, clock } = await testStore();
    const w = store.watch('configmaps', { resourceVersion: '0', allowWatchBookmarks: true, bookmarkIntervalMs: 1_000, bookmarkKind: { apiVersion: 'v1', kind: 'ConfigMap' } });
    const plain = store.watch('configmaps', { resourceVersion: '0' });
    await store.create('secrets', { metadata: { name: 's', namespace: 'default' } });
    await clock.advance(1_000);
    const bm = await w.next();
    expect(bm.value).toEqual({ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: String(store.resourceVersion) } } });
    await store.create('secrets', { metadata: { name: 't', namespace: 'default' } });
    await clock.advance(1_000);
    expect((await w.next()).value?.object.metadata?.resourceVersion).toBe(String(store.resourceVersion));
    expect(plain.pending).toBe(0);
  });

  it('sendInitialEvents=true: the objects as ADDED, then a BOOKMARK annotated k8s.io/initial-events-end at that version', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const rv = store.resourceVersion;
    const w = store.watch('configmaps', { sendInitialEvents: true, resourceVersion: '', allowWatchBookmarks: true });
    expect((await w.next()).value).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: String(rvOf(a)) } } });
    expect((await w.next()).value).toEqual({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(rv), annotations: { [INITIAL_EVENTS_END]: 'true' } } } });
    const b = await store.create('configmaps', cm('b'));
    expect(await drain(w)).toEqual([`ADDED b ${rvOf(b)}`]);
    const none = store.watch('configmaps', { sendInitialEvents: false, resourceVersion: '' });
    expect(none.pending).toBe(0);
  });

  it('a watch opened while events are being dispatched gets each of them once', async () => {
    const { store } = await testStore();
    let inner: Watch | undefined;
    let b: Promise<unknown> | undefined;
    // A (misbehaving) listener that writes during dispatch queues a second event behind the first …
    const off1 = store.subscribe((ev) => { if (ev.name === 'a') b = store.create('configmaps', cm('b')); });
    // … and one that opens a watch meanwhile replays both from the history: the queued one must not repeat.
    const off2 = store.subscribe((ev) => { inner ??= store.watch('configmaps', { resourceVersion: String(ev.rv - 1) }); });
    const a = await store.create('configmaps', cm('a'));
    await b;
    off1();
    off2();
    expect(await drain(inner!)).toEqual([`ADDED a ${rvOf(a)}`, `ADDED b ${rvOf(a) + 1}`]);
  });

  it('a stopped watch ends its iterator; a consumer that leaves too many events unread is closed (it re-watches)', async () => {
    const { store } = await testStore({ maxPendingEvents: 3 });
    const w = store.watch('configmaps', { resourceVersion: '0' });
    const waiting = w.next();
    w.stop();
    expect(await waiting).toEqual({ value: undefined, done: true });
    const slow = store.watch('configmaps', { resourceVersion: String(store.resourceVersion) });
    for (let i = 0; i < 4; i++) await store.create('configmaps', cm(`x${i}`));
    expect(slow.endReason).toBe('overflow');
    expect(await slow.next()).toEqual({ value: undefined, done: true });
  });

  it('for await … of reads the stream; breaking out stops the watch', async () => {
    const { store } = await testStore();
    await store.create('configmaps', cm('a'));
    const w = store.watch('configmaps', { resourceVersion: '0' });
    const seen: string[] = [];
    for await (const ev of w) { seen.push(`${ev.type} ${ev.object.metadata!.name}`); break; }
    expect(seen).toEqual(['ADDED a']);
    expect(w.endReason).toBe('stopped');
  });
});
