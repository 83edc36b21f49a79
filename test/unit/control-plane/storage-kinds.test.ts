// The storage kinds (control-plane/registry/kinds/{persistentvolumeclaims,persistentvolumes,storageclasses}.ts)
// through the generic REST storage: defaults and the protection finalizers, validation with the upstream texts,
// the DefaultStorageClass admission, the PVC update rule (volumeName once, a class for a claim that named none, requests of a bound claim only and
// never below its capacity), StorageClass immutability, and the Tables kube-apiserver 1.33 prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { toTable } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pvc = (spec: Record<string, unknown> = {}): Any => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const pv = (spec: Record<string, unknown> = {}): Any => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' }, hostPath: { path: '/tmp/pv1' }, ...spec },
});
const failure = (p: Promise<unknown>): Promise<string> => p.then(() => '', (e: Error) => e.message);

describe('PersistentVolumeClaim (v1)', () => {
  it('defaults volumeMode, starts Pending with the pvc-protection finalizer', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('persistentvolumeclaims'), 'default', pvc(), by('t')) as Any;
    expect(o.spec.volumeMode).toBe('Filesystem');
    expect(o.status).toEqual({ phase: 'Pending' });
    expect(o.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('the DefaultStorageClass admission: a claim naming no class gets the newest default one; "" stays without', async () => {
    const { rest, res, clock } = await rig();
    const sc = (name: string) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' });
    const r = res('persistentvolumeclaims');
    expect((await rest.create(r, 'default', pvc(), by('t')) as Any).spec.storageClassName).toBeUndefined();
    await rest.create(res('storageclasses', 'storage.k8s.io'), '', sc('local-path'), by('t'));
    await clock.advance(2000);
    await rest.create(res('storageclasses', 'storage.k8s.io'), '', sc('newer'), by('t'));
    expect((await rest.create(r, 'default', { ...pvc(), metadata: { name: 'b' } }, by('t')) as Any).spec.storageClassName).toBe('newer');
    expect((await rest.create(r, 'default', { ...pvc({ storageClassName: '' }), metadata: { name: 'c' } }, by('t')) as Any).spec.storageClassName).toBe('');
  });

  it('validation: access modes and a storage request are required, modes known, size above zero', async () => {
    const { rest, res } = await rig();
    const r = res('persistentvolumeclaims');
    expect(await failure(rest.create(r, 'default', pvc({ accessModes: [] }), by('t'))))
      .toBe('PersistentVolumeClaim "data" is invalid: spec.accessModes: Required value: at least 1 access mode is required');
    expect(await failure(rest.create(r, 'default', pvc({ resources: {} }), by('t'))))
      .toBe('PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value');
    expect(await failure(rest.create(r, 'default', pvc({ accessModes: ['ReadWriteSometimes'] }), by('t'))))
      .toBe('PersistentVolumeClaim "data" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"');
    expect(await failure(rest.create(r, 'default', pvc({ resources: { requests: { storage: '0' } } }), by('t'))))
      .toBe('PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero');
  });

  it('update: volumeName set once and a class given to a claim without one; otherwise the spec is immutable; bound claims may grow', async () => {
    const { rest, res } = await rig();
    const r = res('persistentvolumeclaims');
    const created = await rest.create(r, 'default', pvc(), by('t')) as Any;
    const put = (spec: Record<string, unknown>, base: Any = created) => rest.update(r, 'default', 'data', { ...base, spec: { ...base.spec, ...spec } }, by('t'));
    const classed = (await put({ storageClassName: 'local-path' })).object as Any;
    expect(classed.spec.storageClassName).toBe('local-path');
    const immutable = 'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    expect(await failure(put({ storageClassName: 'other' }, classed))).toBe(immutable);
    expect(await failure(put({ resources: { requests: { storage: '2Gi' } } }, classed))).toBe(immutable);
    const named = (await put({ volumeName: 'pv1' }, classed)).object as Any;
    expect(await failure(put({ volumeName: 'pv2' }, named))).toBe(immutable);
    const bound = (await rest.update(r, 'default', 'data', { ...named, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }, by('t', { subresource: 'status' }))).object as Any;
    const grown = (await put({ resources: { requests: { storage: '2Gi' } } }, bound)).object as Any;
    expect(grown.spec.resources.requests.storage).toBe('2Gi');
    expect(await failure(put({ resources: { requests: { storage: '500Mi' } } }, grown)))
      .toBe('PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
  });

  it('prints NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE (+ VOLUMEMODE); Terminating while deleted', async () => {
    const { registry } = await rig();
    const r = registry.lookup('', 'v1', 'persistentvolumeclaims')!;
    const at = new Date(T0 - 90_000).toISOString();
    const bound = { ...pvc({ storageClassName: 'local-path', volumeName: 'pvc-1', volumeMode: 'Filesystem' }), metadata: { name: 'data', creationTimestamp: at }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
    const pending = { ...pvc({ storageClassName: 'local-path' }), metadata: { name: 'new', creationTimestamp: at, deletionTimestamp: at }, status: { phase: 'Pending' } };
    const t = toTable(r.def.table, [bound, pending], T0);
    expect(t.columnDefinitions!.map((c) => c.name + (c.priority ? '*' : ''))).toEqual(['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*']);
    expect(t.rows.map((x) => x.cells)).toEqual([
      ['data', 'Bound', 'pvc-1', '1Gi', 'RWO', 'local-path', '<unset>', '90s', 'Filesystem'],
      ['new', 'Terminating', '', '', '', 'local-path', '<unset>', '90s', '<unset>'],
    ]);
  });
});

describe('PersistentVolume (v1)', () => {
  it('defaults Retain and Filesystem, starts Pending with pv-protection; cluster-scoped', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('persistentvolumes'), '', pv(), by('t')) as Any;
    expect(o.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(o.status).toEqual({ phase: 'Pending' });
    expect(o.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(o.metadata.namespace).toBeUndefined();
  });

  it('validation: capacity, one volume source, local needs node affinity, reclaim policy; the source is immutable', async () => {
    const { rest, res } = await rig();
    const r = res('persistentvolumes');
    expect(await failure(rest.create(r, '', pv({ capacity: undefined }), by('t')))).toBe('PersistentVolume "pv1" is invalid: spec.capacity: Required value');
    expect(await failure(rest.create(r, '', pv({ hostPath: undefined }), by('t')))).toBe('PersistentVolume "pv1" is invalid: spec: Required value: must specify a volume type');
    expect(await failure(rest.create(r, '', pv({ local: { path: '/x' } }), by('t')))).toBe('PersistentVolume "pv1" is invalid: spec.local: Forbidden: may not specify more than 1 volume type');
    expect(await failure(rest.create(r, '', pv({ hostPath: undefined, local: { path: '/x' } }), by('t')))).toBe('PersistentVolume "pv1" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity');
    expect(await failure(rest.create(r, '', pv({ persistentVolumeReclaimPolicy: 'Keep' }), by('t'))))
      .toBe('PersistentVolume "pv1" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"');
    const o = await rest.create(r, '', pv(), by('t')) as Any;
    expect(await failure(rest.update(r, '', 'pv1', { ...o, spec: { ...o.spec, hostPath: { path: '/elsewhere' } } }, by('t'))))
      .toBe('PersistentVolume "pv1" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is forbidden.');
  });

  it('prints NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE (+ VOLUMEMODE)', async () => {
    const { registry } = await rig();
    const r = registry.lookup('', 'v1', 'persistentvolumes')!;
    const o = { ...pv({ persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], claimRef: { namespace: 'default', name: 'data' } }), metadata: { name: 'pv1', creationTimestamp: new Date(T0 - 5000).toISOString() }, status: { phase: 'Bound' } };
    const t = toTable(r.def.table, [o], T0);
    expect(t.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode']);
    expect(t.rows[0]!.cells).toEqual(['pv1', '2Gi', 'RWO,ROX', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '', '5s', 'Filesystem']);
  });
});

describe('StorageClass (storage.k8s.io/v1)', () => {
  it('defaults Delete and Immediate, requires a provisioner, keeps provisioner/parameters/policies, prints the default class', async () => {
    const { rest, res, registry } = await rig();
    const r = res('storageclasses', 'storage.k8s.io');
    expect(await failure(rest.create(r, '', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'x' } }, by('t'))))
      .toBe('StorageClass.storage.k8s.io "x" is invalid: provisioner: Required value');
    const o = await rest.create(r, '', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' }, by('t')) as Any;
    expect([o.reclaimPolicy, o.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(await failure(rest.update(r, '', 'fast', { ...o, provisioner: 'other.io/x', reclaimPolicy: 'Retain' }, by('t'))))
      .toBe('StorageClass.storage.k8s.io "fast" is invalid: [provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.]');
    const t = toTable(registry.lookup('storage.k8s.io', 'v1', 'storageclasses')!.def.table, [{ ...o, metadata: { ...o.metadata, creationTimestamp: new Date(T0 - 3000).toISOString() } }], T0);
    expect(t.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age']);
    expect(t.rows[0]!.cells).toEqual(['fast (default)', 'rancher.io/local-path', 'Delete', 'Immediate', 'false', '3s']);
  });
});

describe('examples/api/pvc.yaml', () => {
  it('is a valid claim and pod', async () => {
    const { rest, res } = await rig();
    const [c, p] = parseAllDocuments(readFileSync(new URL('../../../examples/api/pvc.yaml', import.meta.url), 'utf8')).map((d) => d.toJS() as Any);
    expect((await rest.create(res('persistentvolumeclaims'), 'default', c, by('t')) as Any).status.phase).toBe('Pending');
    expect((await rest.create(res('pods'), 'default', p, by('t')) as Any).spec.volumes[0].persistentVolumeClaim.claimName).toBe('data');
  });
});
