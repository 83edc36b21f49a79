// Unit tests of namespaces in control-plane/store: the four default namespaces, creates into a missing or
// terminating namespace, deleting a namespace (Terminating, its content deleted, then it goes), the
// immortal ones, and the 409 while it is being emptied.
import { describe, expect, it } from 'vitest';
import { cm, testStore } from './helpers.js';

describe('namespaces', () => {
  it('default, kube-system, kube-public and kube-node-lease exist on first open, as real Namespaces', async () => {
    const { store } = await testStore();
    expect(store.list('namespaces').items.map((n) => n.metadata!.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(store.get('namespaces', '', 'default')).toMatchObject({
      apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'kubernetes.io/metadata.name': 'default' } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
  });

  it('a create into a missing namespace is 404 namespaces "x" not found', async () => {
    const { store } = await testStore();
    await expect(store.create('configmaps', { metadata: { name: 'a', namespace: 'nope' } }))
      .rejects.toMatchObject({ code: 404, message: 'namespaces "nope" not found', details: { name: 'nope', kind: 'namespaces' } });
  });

  it('deleting a namespace marks it Terminating, refuses new content, deletes its content, then removes it', async () => {
    const { store } = await testStore();
    await store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
    await store.create('configmaps', { metadata: { name: 'a', namespace: 'team' } });
    await store.create('secrets', { metadata: { name: 's', namespace: 'team' } });
    await store.create('configmaps', cm('stays'));
    const marked = await store.delete('namespaces', '', 'team');
    expect(marked).toMatchObject({ deleted: false, object: { status: { phase: 'Terminating' }, metadata: { deletionTimestamp: '2026-11-23T10:00:00Z' } } });
    await expect(store.create('configmaps', { metadata: { name: 'b', namespace: 'team' } })).rejects.toMatchObject({
      code: 403, reason: 'Forbidden', message: 'configmaps "b" is forbidden: unable to create new content in namespace team because it is being terminated',
      details: { causes: [{ reason: 'NamespaceTerminating', message: 'namespace team is being terminated', field: 'metadata.namespace' }] },
    });
    await expect(store.delete('namespaces', '', 'team')).rejects.toMatchObject({
      code: 409, message: 'Operation cannot be fulfilled on namespaces "team": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    });
    await store.settle();
    expect(store.contentsOf('team')).toEqual([]);
    expect(store.find('namespaces', '', 'team')).toBeUndefined();
    expect(store.find('configmaps', 'default', 'stays')).toBeDefined();
  });

  it('content with a finalizer keeps the namespace Terminating until the finalizer is removed', async () => {
    const { store } = await testStore();
    await store.create('namespaces', { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
    await store.create('configmaps', { metadata: { name: 'held', namespace: 'team', finalizers: ['example.com/hold'] } });
    await store.delete('namespaces', '', 'team');
    await store.settle();
    expect(store.get('configmaps', 'team', 'held').metadata!.deletionTimestamp).toBeDefined();
    expect(store.get('namespaces', '', 'team')).toMatchObject({ status: { phase: 'Terminating' }, spec: { finalizers: ['kubernetes'] } });
    await store.guaranteedUpdate('configmaps', 'team', 'held', (o) => { delete o.metadata.finalizers; });
    await store.settle();
    expect(store.find('namespaces', '', 'team')).toBeUndefined();
  });

  it('default, kube-system and kube-public may not be deleted; kube-node-lease may, and comes back on the next open', async () => {
    const { store, dir } = await testStore();
    await expect(store.delete('namespaces', '', 'kube-system')).rejects.toMatchObject({
      code: 403, reason: 'Forbidden', message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    });
    await store.delete('namespaces', '', 'kube-node-lease');
    await store.settle();
    expect(store.find('namespaces', '', 'kube-node-lease')).toBeUndefined();
    await store.close();
    const { store: again } = await testStore({ dir });
    expect(again.find('namespaces', '', 'kube-node-lease')).toMatchObject({ status: { phase: 'Active' } });
  });
});
