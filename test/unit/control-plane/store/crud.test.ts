// Unit tests of control-plane/store: create/get/update with the system fields the store stamps (uid,
// resourceVersion, creationTimestamp, generation through a strategy), optimistic concurrency, and the
// exact Status errors kube-apiserver answers (NotFound, AlreadyExists, Conflict, Invalid).
import { describe, expect, it } from 'vitest';
import { specGeneration, StatusError, type KubeObject } from '../../../../control-plane/store/index.js';
import { thrown } from '../../../helpers/unconditional.js';
import { cm, rvOf, testStore } from './helpers.js';

interface Deploy extends KubeObject { spec: { replicas: number }; status?: { ready: number } }
const deploy = (replicas: number): Deploy =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas } });

describe('create and get', () => {
  it('stamps uid, resourceVersion and creationTimestamp; returns a frozen object equal to what get returns', async () => {
    const { store } = await testStore();
    const before = store.resourceVersion;
    const made = await store.create('configmaps', cm('a', { k: 'v' }));
    expect(made.metadata).toMatchObject({ name: 'a', namespace: 'default', resourceVersion: String(before + 1), creationTimestamp: '2026-11-23T10:00:00Z' });
    expect(made.metadata!.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(made.metadata).not.toHaveProperty('generation');
    expect(store.get('configmaps', 'default', 'a')).toBe(made);
    expect(Object.isFrozen(made.data)).toBe(true);
    expect(thrown(() => { (made.data as Record<string, string>)['k'] = 'x'; })).toBeInstanceOf(TypeError);
  });

  it('one resourceVersion counter across all kinds, strictly increasing', async () => {
    const { store } = await testStore();
    const a = await store.create('configmaps', cm('a'));
    const s = await store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'default' } });
    const n = await store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect([rvOf(a), rvOf(s), rvOf(n)]).toEqual([rvOf(a), rvOf(a) + 1, rvOf(a) + 2]);
    expect(store.resourceVersion).toBe(rvOf(n));
  });

  it('NotFound and AlreadyExists carry the real messages and details', async () => {
    const { store } = await testStore();
    expect(thrown(() => store.get('pods', 'default', 'x'))).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', kind: 'pods' } });
    expect((thrown(() => store.get('deployments.apps', 'default', 'x')) as StatusError).status()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "x" not found',
      reason: 'NotFound', details: { name: 'x', group: 'apps', kind: 'deployments' }, code: 404,
    });
    await store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' } });
    await expect(store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' } }))
      .rejects.toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'pods "x" already exists', details: { name: 'x', kind: 'pods' } });
  });

  it('generateName gets five characters of the upstream alphabet; no name at all is 422', async () => {
    const { store } = await testStore();
    const made = await store.create('configmaps', { metadata: { generateName: 'web-', namespace: 'default' } });
    expect(made.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await expect(store.create('configmaps', { kind: 'ConfigMap', metadata: { namespace: 'default' } })).rejects.toMatchObject({
      code: 422, reason: 'Invalid', message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
      details: { kind: 'ConfigMap', causes: [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }] },
    });
  });

  it('a resourceVersion on create is refused; dryRun writes nothing', async () => {
    const { store } = await testStore();
    await expect(store.create('configmaps', cm('a', {}, { resourceVersion: '5' }))).rejects.toMatchObject({ code: 500, reason: 'InternalError' });
    const rv = store.resourceVersion;
    const dry = await store.create('configmaps', cm('a'), { dryRun: true });
    expect(dry.metadata).toMatchObject({ name: 'a' });
    expect(dry.metadata).not.toHaveProperty('resourceVersion');
    expect(store.resourceVersion).toBe(rv);
    expect(store.find('configmaps', 'default', 'a')).toBeUndefined();
  });
});

describe('update', () => {
  it('a stale resourceVersion is a 409 Conflict with the exact Kubernetes Status', async () => {
    const { store } = await testStore();
    const v1 = await store.create('configmaps', cm('a', { k: '1' }));
    const v2 = await store.update('configmaps', { ...v1, data: { k: '2' } });
    expect(rvOf(v2)).toBeGreaterThan(rvOf(v1));
    const err = await store.update('configmaps', { ...v1, data: { k: '3' } }).catch((e: unknown) => e);
    expect((err as StatusError).status()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict', details: { name: 'a', kind: 'configmaps' }, code: 409,
    });
    expect(store.get<typeof v1>('configmaps', 'default', 'a').data).toEqual({ k: '2' });
  });

  it('keeps uid, creationTimestamp and the name; a changed uid is a precondition conflict', async () => {
    const { store, clock } = await testStore();
    const v1 = await store.create('configmaps', cm('a'));
    await clock.advance(5_000);
    const v2 = await store.update('configmaps', { ...cm('a', { x: 'y' }), metadata: { name: 'a', namespace: 'default', creationTimestamp: '2000-01-01T00:00:00Z' } });
    expect(v2.metadata).toMatchObject({ uid: v1.metadata!.uid, creationTimestamp: '2026-11-23T10:00:00Z' });
    await expect(store.update('configmaps', { ...cm('a'), metadata: { name: 'a', namespace: 'default', uid: 'other' } })).rejects.toMatchObject({
      code: 409, message: `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${v1.metadata!.uid}`,
    });
  });

  it('without resourceVersion: unconditional by default, 422 when the kind forbids it; missing object: 404 unless create-on-update', async () => {
    const { store } = await testStore();
    await store.create('configmaps', cm('a'));
    expect((await store.update('configmaps', cm('a', { u: '1' }))).data).toEqual({ u: '1' });
    await expect(store.update('configmaps', cm('a', { u: '2' }), { allowUnconditionalUpdate: false })).rejects.toMatchObject({
      code: 422, message: 'ConfigMap "a" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    });
    await expect(store.update('configmaps', cm('b'))).rejects.toMatchObject({ code: 404, message: 'configmaps "b" not found' });
    expect((await store.update('configmaps', cm('b'), { allowCreateOnUpdate: true })).metadata!.uid).toBeTruthy();
  });

  it('an update that changes nothing writes nothing (same resourceVersion, no event)', async () => {
    const { store } = await testStore();
    const v1 = await store.create('configmaps', cm('a', { k: 'v' }));
    const w = store.watch('configmaps', { resourceVersion: String(rvOf(v1)) });
    const same = await store.update('configmaps', { data: { k: 'v' }, metadata: { namespace: 'default', name: 'a' }, kind: 'ConfigMap', apiVersion: 'v1' });
    expect(same).toBe(v1);
    expect(store.resourceVersion).toBe(rvOf(v1));
    expect(w.pending).toBe(0);
  });

  it('generation: set by the strategy on create, +1 on spec changes only, never by status writes', async () => {
    const { store } = await testStore();
    const d1 = await store.create('deployments.apps', deploy(1), { strategy: specGeneration });
    expect(d1.metadata!.generation).toBe(1);
    const d2 = await store.update('deployments.apps', { ...d1, spec: { replicas: 3 } }, { strategy: specGeneration });
    expect(d2.metadata!.generation).toBe(2);
    const d3 = await store.update('deployments.apps', { ...d2, metadata: { ...d2.metadata, labels: { a: 'b' } } }, { strategy: specGeneration });
    expect(d3.metadata!.generation).toBe(2);
    const d4 = await store.guaranteedUpdate<Deploy>('deployments.apps', 'default', 'web', (o) => { o['status'] = { ready: 3 }; }, { strategy: specGeneration });
    expect([d4.metadata!.generation, d4.status]).toEqual([2, { ready: 3 }]);
    const forged = await store.update('deployments.apps', { ...d4, metadata: { ...d4.metadata, generation: 99 } }, { strategy: specGeneration });
    expect(forged.metadata!.generation).toBe(2);
  });

  it('guaranteedUpdate applies a change to the current object and honours uid/resourceVersion preconditions', async () => {
    const { store } = await testStore();
    const v1 = await store.create('configmaps', cm('a', { n: '1' }));
    const v2 = await store.guaranteedUpdate<typeof v1>('configmaps', 'default', 'a', (o) => { (o['data'] as Record<string, string>)['n'] = '2'; });
    expect(v2.data).toEqual({ n: '2' });
    await expect(store.guaranteedUpdate('configmaps', 'default', 'a', () => undefined, { preconditions: { resourceVersion: v1.metadata!.resourceVersion } }))
      .rejects.toMatchObject({ code: 409, reason: 'Conflict' });
    await expect(store.guaranteedUpdate('configmaps', 'default', 'zz', () => undefined)).rejects.toMatchObject({ code: 404 });
  });
});
