// Unit tests of deletion in control-plane/store: finalizers (a delete only marks; removing the last
// finalizer removes), no new finalizers on an object being deleted, graceful deletion (grace only
// shortens), preconditions, generation bump when deletion starts, and the propagation finalizers.
import { describe, expect, it } from 'vitest';
import { specGeneration, type KubeObject } from '../../../../control-plane/store/index.js';
import { cm, rvOf, testStore } from './helpers.js';

const pod = (name: string, meta: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta } });

describe('delete', () => {
  it('without finalizers removes the object; the result carries the deletion resourceVersion', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const res = await store.delete('configmaps', 'default', 'a');
    expect(res.deleted).toBe(true);
    expect(rvOf(res.object)).toBe(rvOf(a) + 1);
    expect(store.find('configmaps', 'default', 'a')).toBeUndefined();
    await expect(store.delete('configmaps', 'default', 'a')).rejects.toMatchObject({ code: 404, message: 'configmaps "a" not found' });
  });

  it('with finalizers only marks (deletionTimestamp, grace 0); removing the last finalizer removes it', async () => {
    const { store, clock } = await testStore();
    await store.create('configmaps', cm('a', {}, { finalizers: ['example.com/x', 'example.com/y'] }));
    await clock.advance(2_000);
    const marked = await store.delete('configmaps', 'default', 'a');
    expect(marked.deleted).toBe(false);
    expect(marked.object.metadata).toMatchObject({ deletionTimestamp: '2026-11-23T10:00:02Z', deletionGracePeriodSeconds: 0, finalizers: ['example.com/x', 'example.com/y'] });
    const again = await store.delete('configmaps', 'default', 'a');
    expect(again.object).toBe(marked.object);
    const one = await store.guaranteedUpdate('configmaps', 'default', 'a', (o) => { o.metadata.finalizers = ['example.com/y']; });
    expect(one.metadata).toMatchObject({ finalizers: ['example.com/y'], deletionTimestamp: '2026-11-23T10:00:02Z' });
    const w = store.watch('configmaps', { resourceVersion: String(rvOf(one)) });
    await store.guaranteedUpdate('configmaps', 'default', 'a', (o) => { delete o.metadata.finalizers; });
    expect(store.find('configmaps', 'default', 'a')).toBeUndefined();
    expect((await w.next()).value).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: String(rvOf(one) + 1) } } });
  });

  it('no new finalizer may be added to an object being deleted (422 with the upstream text); the deletionTimestamp cannot be cleared', async () => {
    const { store } = await testStore();
    await store.create('configmaps', cm('a', {}, { finalizers: ['f/1'] }));
    const { object } = await store.delete('configmaps', 'default', 'a');
    await expect(store.guaranteedUpdate('configmaps', 'default', 'a', (o) => { o.metadata.finalizers = ['f/1', 'f/2']; })).rejects.toMatchObject({
      code: 422, reason: 'Invalid',
      message: 'ConfigMap "a" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"f/2"}',
    });
    const kept = await store.guaranteedUpdate('configmaps', 'default', 'a', (o) => { delete o.metadata.deletionTimestamp; o['data'] = { x: '1' }; });
    expect(kept.metadata!.deletionTimestamp).toBe(object.metadata!.deletionTimestamp);
  });

  it('preconditions: a wrong uid or resourceVersion is a 409 naming the kind, as rest.BeforeDelete does', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    await expect(store.delete('configmaps', 'default', 'a', { preconditions: { uid: 'nope' } })).rejects.toMatchObject({
      code: 409, message: `Operation cannot be fulfilled on ConfigMap "a": the UID in the precondition (nope) does not match the UID in record (${a.metadata!.uid}). The object might have been deleted and then recreated`,
    });
    await expect(store.delete('configmaps', 'default', 'a', { preconditions: { resourceVersion: '1' } })).rejects.toMatchObject({
      code: 409, message: `Operation cannot be fulfilled on ConfigMap "a": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${a.metadata!.resourceVersion}). The object might have been modified`,
    });
    expect((await store.delete('configmaps', 'default', 'a', { preconditions: { uid: a.metadata!.uid } })).deleted).toBe(true);
  });

  it('graceful: deletionTimestamp = now + grace; a shorter grace moves it earlier, a longer one changes nothing; 0 removes', async () => {
    const { store } = await testStore();
    await store.create('pods', pod('web'));
    const first = await store.delete('pods', 'default', 'web', { gracePeriodSeconds: 30 });
    expect(first).toMatchObject({ deleted: false, object: { metadata: { deletionTimestamp: '2026-11-23T10:00:30Z', deletionGracePeriodSeconds: 30 } } });
    const longer = await store.delete('pods', 'default', 'web', { gracePeriodSeconds: 60 });
    expect(longer.object).toBe(first.object);
    const shorter = await store.delete('pods', 'default', 'web', { gracePeriodSeconds: 5 });
    expect(shorter.object.metadata).toMatchObject({ deletionTimestamp: '2026-11-23T10:00:05Z', deletionGracePeriodSeconds: 5 });
    const gone = await store.delete('pods', 'default', 'web', { gracePeriodSeconds: 0 });
    expect(gone.deleted).toBe(true);
    expect(store.find('pods', 'default', 'web')).toBeUndefined();
  });

  it('deletion bumps a set generation once, as the generic store does', async () => {
    const { store } = await testStore();
    await store.create('jobs.batch', { kind: 'Job', metadata: { name: 'j', namespace: 'default', finalizers: ['f/x'] }, spec: {} }, { strategy: specGeneration });
    const marked = await store.delete('jobs.batch', 'default', 'j');
    expect(marked.object.metadata!.generation).toBe(2);
    expect((await store.delete('jobs.batch', 'default', 'j')).object.metadata!.generation).toBe(2);
  });

  it('propagation policy sets the GC finalizer (Orphan → orphan, Foreground → foregroundDeletion, Background removes them)', async () => {
    const { store } = await testStore();
    await store.create('configmaps', cm('o'));
    const orphaned = await store.delete('configmaps', 'default', 'o', { propagationPolicy: 'Orphan' });
    expect(orphaned.object.metadata).toMatchObject({ finalizers: ['orphan'] });
    expect(orphaned.object.metadata!.deletionTimestamp).toBeDefined();
    await store.create('configmaps', cm('f', {}, { finalizers: ['keep/me'] }));
    const fg = await store.delete('configmaps', 'default', 'f', { propagationPolicy: 'Foreground' });
    expect(fg.object.metadata!.finalizers).toEqual(['keep/me', 'foregroundDeletion']);
    await store.create('configmaps', cm('b', {}, { finalizers: ['orphan'] }));
    expect((await store.delete('configmaps', 'default', 'b', { propagationPolicy: 'Background' })).deleted).toBe(true);
  });

  it('deleteCollection deletes what the selectors pick', async () => {
    const { store } = await testStore();
    for (const [n, tier] of [['a', 'web'], ['b', 'web'], ['c', 'db']] as const) await store.create('configmaps', cm(n, {}, { labels: { tier } }));
    const res = await store.deleteCollection('configmaps', { namespace: 'default', labelSelector: 'tier=web' });
    expect(res.map((r) => [r.object.metadata!.name, r.deleted])).toEqual([['a', true], ['b', true]]);
    expect(store.list('configmaps', { namespace: 'default' }).items.map((o) => o.metadata!.name)).toEqual(['c']);
  });
});
