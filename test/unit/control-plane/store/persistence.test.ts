// Unit tests of control-plane/store/persistence.ts and reopening a store: objects, deletions and the
// resourceVersion counter survive a close/open; the counter never goes back even when the newest object
// was deleted; the WAL database settings; group commit (one sync answers every write made before it).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../control-plane/store/index.js';
import { GroupSync } from '../../../../control-plane/store/persistence.js';
import { cm, rvOf, tempDir, testStore } from './helpers.js';

describe('reopening the store', () => {
  it('keeps every object as written, forgets deleted ones, and continues the resourceVersion counter', async () => {
    const { store, dir } = await testStore();
    const a = await store.create('configmaps', cm('a', { k: 'v' }, { labels: { x: 'y' } }));
    await store.create('configmaps', cm('b'));
    const last = await store.delete('configmaps', 'default', 'b');
    const rv = store.resourceVersion;
    expect(rvOf(last.object)).toBe(rv);
    await store.close();
    const again = await openStore({ dir, controllers: 'manual' });
    expect(again.get('configmaps', 'default', 'a')).toEqual(a);
    expect(again.find('configmaps', 'default', 'b')).toBeUndefined();
    expect(again.resourceVersion).toBe(rv);
    expect(rvOf(await again.create('configmaps', cm('c')))).toBe(rv + 1);
    expect(again.list('namespaces').items).toHaveLength(4);
    await again.close();
  });

  it('an in-memory store keeps nothing', async () => {
    const s1 = await openStore({ controllers: 'manual' });
    await s1.create('configmaps', cm('a'));
    await s1.close();
    const s2 = await openStore({ controllers: 'manual' });
    expect(s2.find('configmaps', 'default', 'a')).toBeUndefined();
    await s2.close();
  });

  it('the database is in WAL mode with one row per live object and the counter in meta', async () => {
    const dir = tempDir();
    const store = await openStore({ dir, controllers: 'manual' });
    await store.create('configmaps', cm('a'));
    const rv = store.resourceVersion;
    await store.close();
    const db = new Database(join(dir, 'store.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT name FROM objects WHERE resource = 'configmaps'").all()).toEqual([{ name: 'a' }]);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'rv'").get()).toEqual({ value: rv });
    db.close();
  });

  it('one owner at a time: a second open of the same directory fails while the first is open', async () => {
    const dir = tempDir();
    const store = await openStore({ dir, controllers: 'manual' });
    await expect(openStore({ dir, controllers: 'manual' })).rejects.toThrow(`the store in ${dir} is in use by another process`);
    await store.close();
    const again = await openStore({ dir, controllers: 'manual' });
    expect(again.list('namespaces').items).toHaveLength(4);
    await again.close();
  });

  it('a database of a newer schema is refused', async () => {
    const dir = tempDir();
    await (await openStore({ dir, controllers: 'manual' })).close();
    const db = new Database(join(dir, 'store.db'));
    db.pragma('user_version = 99');
    db.close();
    await expect(openStore({ dir })).rejects.toThrow('store.db schema 99 is newer than this program (1)');
  });
});

describe('group commit', () => {
  it('one sync at a time, started on the next turn; requests made while it runs share the next one', async () => {
    const calls: Array<(err: Error | null) => void> = [];
    const g = new GroupSync((cb) => { calls.push(cb); });
    const done: string[] = [];
    const p1 = g.request().then(() => done.push('1'));
    const p2 = g.request().then(() => done.push('2'));
    const p3 = g.request().then(() => done.push('3'));
    expect(calls).toHaveLength(0); // the round starts on the next turn, for every request of this one
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(1);
    calls[0]!(null);
    await Promise.all([p1, p2, p3]);
    expect(done).toEqual(['1', '2', '3']);
    const p4 = g.request().then(() => done.push('4'));
    await new Promise((r) => setImmediate(r));
    const p5 = g.request().then(() => done.push('5'));
    expect(calls).toHaveLength(2);
    calls[1]!(null);
    await p4;
    expect(done).toEqual(['1', '2', '3', '4']); // p5 came while p4's sync ran: it waits for the next one
    expect(calls).toHaveLength(3);
    calls[2]!(null);
    await p5;
    const failing = g.request();
    await new Promise((r) => setImmediate(r));
    calls[3]!(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
  });
});
