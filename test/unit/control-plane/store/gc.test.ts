// Unit tests of control-plane/store/gc.ts: background, foreground (the owner waits with
// foregroundDeletion while dependents with blockOwnerDeletion remain) and orphan cascades, an object with
// another live owner, dependents whose owner never existed, a chain of owners, and a garbage collector
// that starts after a crash left dependents behind. Controllers are stepped with store.settle().
import { describe, expect, it } from 'vitest';
import { openStore, type KubeObject } from '../../../../control-plane/store/index.js';
import { cm, ownerRef, testStore } from './helpers.js';

const names = (items: readonly KubeObject[]) => items.map((o) => o.metadata!.name).sort();

describe('garbage collection', () => {
  it('background: the owner goes at once, then its dependents; an unrelated object stays', async () => {
    const { store } = await testStore();
    const owner = await store.create('configmaps', cm('owner'));
    await store.create('configmaps', cm('dep1', {}, { ownerReferences: [ownerRef(owner)] }));
    await store.create('secrets', { metadata: { name: 'dep2', namespace: 'default', ownerReferences: [ownerRef(owner)] } });
    await store.create('configmaps', cm('free'));
    expect(names(store.dependentsOf(owner.metadata!.uid!).map((e) => e.object))).toEqual(['dep1', 'dep2']);
    const res = await store.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Background' });
    expect(res.deleted).toBe(true);
    expect(store.find('configmaps', 'default', 'dep1')).toBeDefined();
    await store.settle();
    expect(names(store.list('configmaps').items)).toEqual(['free']);
    expect(store.list('secrets').items).toEqual([]);
  });

  it('foreground: the owner keeps foregroundDeletion until blocking dependents are gone', async () => {
    const { store } = await testStore();
    const owner = await store.create('configmaps', cm('owner'));
    await store.create('configmaps', cm('blocker', {}, { ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })], finalizers: ['example.com/slow'] }));
    await store.create('configmaps', cm('plain', {}, { ownerReferences: [ownerRef(owner)] }));
    const res = await store.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Foreground' });
    expect(res).toMatchObject({ deleted: false, object: { metadata: { finalizers: ['foregroundDeletion'] } } });
    await store.settle();
    // Both dependents were deleted; the blocker waits on its own finalizer, so the owner waits too.
    expect(store.find('configmaps', 'default', 'plain')).toBeUndefined();
    expect(store.get('configmaps', 'default', 'blocker').metadata!.deletionTimestamp).toBeDefined();
    expect(store.get('configmaps', 'default', 'owner').metadata).toMatchObject({ finalizers: ['foregroundDeletion'] });
    await store.guaranteedUpdate('configmaps', 'default', 'blocker', (o) => { delete o.metadata.finalizers; });
    await store.settle();
    expect(names(store.list('configmaps').items)).toEqual([]);
  });

  it('foreground with no blocking dependent: the owner goes, its other dependents are collected after it', async () => {
    const { store } = await testStore();
    const owner = await store.create('configmaps', cm('owner'));
    await store.create('configmaps', cm('dep', {}, { ownerReferences: [ownerRef(owner, { blockOwnerDeletion: false })] }));
    await store.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Foreground' });
    await store.settle();
    expect(store.list('configmaps').items).toEqual([]);
  });

  it('orphan: dependents lose the ownerReference and stay; the owner goes', async () => {
    const { store } = await testStore();
    const owner = await store.create('configmaps', cm('owner'));
    const other = await store.create('configmaps', cm('other'));
    await store.create('configmaps', cm('dep', {}, { ownerReferences: [ownerRef(owner)] }));
    await store.create('configmaps', cm('two', {}, { ownerReferences: [ownerRef(owner), ownerRef(other)] }));
    await store.delete('configmaps', 'default', 'owner', { propagationPolicy: 'Orphan' });
    await store.settle();
    expect(store.find('configmaps', 'default', 'owner')).toBeUndefined();
    expect(store.get('configmaps', 'default', 'dep').metadata).not.toHaveProperty('ownerReferences');
    expect(store.get('configmaps', 'default', 'two').metadata!.ownerReferences).toEqual([ownerRef(other)]);
  });

  it('an object with one owner left keeps living and loses the reference to the gone one', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const b = await store.create('configmaps', cm('b'));
    await store.create('configmaps', cm('dep', {}, { ownerReferences: [ownerRef(a), ownerRef(b)] }));
    await store.delete('configmaps', 'default', 'a');
    await store.settle();
    expect(store.get('configmaps', 'default', 'dep').metadata!.ownerReferences).toEqual([ownerRef(b)]);
  });

  it('a dependent whose owner does not exist is collected; a chain goes link by link', async () => {
    const { store } = await testStore();
    await store.create('configmaps', cm('stray', {}, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }] }));
    const top = await store.create('configmaps', cm('top'));
    const mid = await store.create('configmaps', cm('mid', {}, { ownerReferences: [ownerRef(top)] }));
    await store.create('configmaps', cm('leaf', {}, { ownerReferences: [ownerRef(mid)] }));
    await store.settle();
    expect(store.find('configmaps', 'default', 'stray')).toBeUndefined();
    await store.delete('configmaps', 'default', 'top', { propagationPolicy: 'Foreground' });
    await store.settle();
    expect(store.list('configmaps').items).toEqual([]);
  });

  it('a collector that starts after a crash finds the orphaned dependents by scanning', async () => {
    const { store, dir } = await testStore();
    const owner = await store.create('configmaps', cm('owner'));
    await store.create('configmaps', cm('dep', {}, { ownerReferences: [ownerRef(owner)] }));
    await store.delete('configmaps', 'default', 'owner');
    await store.close(); // "crash" before the collector ran
    const again = await openStore({ dir, controllers: 'manual' });
    expect(again.find('configmaps', 'default', 'dep')).toBeDefined();
    await again.settle();
    expect(again.find('configmaps', 'default', 'dep')).toBeUndefined();
  });

  it('with controllers on auto the cascade completes by itself', async () => {
    const store = await openStore({ controllers: 'auto' });
    const owner = await store.create('configmaps', cm('owner'));
    await store.create('configmaps', cm('dep', {}, { ownerReferences: [ownerRef(owner)] }));
    const w = store.watch('configmaps', { fieldSelector: 'metadata.name=dep', resourceVersion: String(store.resourceVersion) });
    await store.delete('configmaps', 'default', 'owner');
    expect((await w.next()).value).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'dep' } } });
    await store.close();
  });
});
