// The storage controller's pure decisions (control-plane/controllers/storage/decide.ts), table-tested: what a
// reconcile of a claim does (protection, default class, binding to the best Available volume, completing a
// binding, provisioning on the selected node, waiting with the upstream events, losing a volume), what a
// reconcile of a volume does (Available, Bound, Released, reclaim Delete/Retain, pv-protection), and the PV that
// local-path provisions.
import { describe, expect, it } from 'vitest';
import {
  boundClaimSpec, boundClaimStatus, claimStep, defaultClass, findVolume, localPathClass, provisionedVolume, volumeStep,
  type PodLike, type PV, type PVC, type StorageClass, type World,
} from '../../../control-plane/controllers/storage/index.js';

const claim = (o: { spec?: PVC['spec']; status?: PVC['status']; annotations?: Record<string, string>; deleting?: boolean } = {}): PVC => ({
  metadata: {
    name: 'data', namespace: 'default', uid: 'u1', resourceVersion: '7', finalizers: ['kubernetes.io/pvc-protection'],
    ...(o.annotations ? { annotations: o.annotations } : {}), ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', volumeMode: 'Filesystem', ...o.spec },
  status: o.status ?? { phase: 'Pending' },
});
const volume = (name: string, o: { spec?: PV['spec']; phase?: string; annotations?: Record<string, string>; deleting?: boolean } = {}): PV => ({
  metadata: { name, uid: `pv-${name}`, finalizers: ['kubernetes.io/pv-protection'], ...(o.annotations ? { annotations: o.annotations } : {}), ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' }, storageClassName: 'local-path', volumeMode: 'Filesystem', persistentVolumeReclaimPolicy: 'Delete', hostPath: { path: `/s/${name}` }, ...o.spec },
  status: { phase: o.phase ?? 'Available' },
});
const podOn = (node: string | undefined, claimName = 'data', phase = 'Running'): PodLike => ({
  metadata: { name: 'p', namespace: 'default' }, spec: { ...(node ? { nodeName: node } : {}), volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] }, status: { phase },
});
const node = (name: string) => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const immediate: StorageClass = { ...localPathClass(), volumeBindingMode: 'Immediate' };
const world = (w: Partial<World> = {}): World => ({ volumes: [], classes: [localPathClass()], pods: [], nodes: [node('n1')], ...w });

describe('claimStep', () => {
  const cases: [string, PVC, Partial<World>, unknown][] = [
    ['deleting, still used by a running pod: wait', claim({ deleting: true }), { pods: [podOn('n1')] }, { kind: 'none' }],
    ['deleting, its pod finished: drop pvc-protection', claim({ deleting: true }), { pods: [podOn('n1', 'data', 'Succeeded')] }, { kind: 'releaseFinalizer' }],
    ['deleting, unused: drop pvc-protection', claim({ deleting: true }), {}, { kind: 'releaseFinalizer' }],
    ['no class named: the default class', claim({ spec: { storageClassName: undefined } }), {}, { kind: 'setClass', className: 'local-path' }],
    ['no class and no default: FailedBinding', claim({ spec: { storageClassName: undefined } }), { classes: [] },
      { kind: 'none', event: { type: 'Warning', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } }],
    ['WaitForFirstConsumer without a consumer: wait', claim(), {},
      { kind: 'none', event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' } }],
    ['a consumer not scheduled yet: still wait', claim(), { pods: [podOn(undefined)] }, { kind: 'none', event: expect.objectContaining({ reason: 'WaitForFirstConsumer' }) }],
    ['the scheduler selected a node: provision there', claim({ annotations: { 'volume.kubernetes.io/selected-node': 'n2' } }), { nodes: [node('n1'), node('n2')] },
      { kind: 'provision', node: 'n2', storageClass: localPathClass() }],
    ['a scheduled pod uses it (bound before the claim existed): its node', claim(), { pods: [podOn('n1')] }, { kind: 'provision', node: 'n1', storageClass: localPathClass() }],
    ['Immediate on one node: provision at once', claim(), { classes: [immediate] }, { kind: 'provision', node: 'n1', storageClass: immediate }],
    ['Immediate on two nodes: cannot choose', claim(), { classes: [immediate], nodes: [node('n1'), node('n2')] },
      { kind: 'none', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'configuration error, no node was specified' } }],
    ['another provisioner: ExternalProvisioning', claim({ spec: { storageClassName: 'ebs' } }), { classes: [{ metadata: { name: 'ebs' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'Immediate' }] },
      { kind: 'none', event: expect.objectContaining({ reason: 'ExternalProvisioning', message: expect.stringContaining("external provisioner 'ebs.csi.aws.com'") }) }],
    ['an unknown class: ProvisioningFailed', claim({ spec: { storageClassName: 'gold' } }), {},
      { kind: 'none', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "gold" not found' } }],
    ['an Available volume that fits (Immediate): bind it', claim(), { classes: [immediate], volumes: [volume('big')] }, { kind: 'bindVolume', volume: 'big' }],
    ['a volume pre-bound to the claim by uid: complete', claim(), { volumes: [volume('pvc-u1', { phase: 'Pending', spec: { claimRef: { namespace: 'default', name: 'data', uid: 'u1' } } })] },
      { kind: 'completeBinding', volume: 'pvc-u1' }],
    ['volumeName set, volume claimed by it: complete', claim({ spec: { volumeName: 'pv1' } }), { volumes: [volume('pv1', { phase: 'Bound', spec: { claimRef: { namespace: 'default', name: 'data', uid: 'u1' } } })] },
      { kind: 'completeBinding', volume: 'pv1' }],
    ['volumeName set, volume free: bind the volume side', claim({ spec: { volumeName: 'pv1' } }), { volumes: [volume('pv1')] }, { kind: 'bindVolume', volume: 'pv1' }],
    ['volumeName set, volume of another claim: FailedBinding', claim({ spec: { volumeName: 'pv1' } }), { volumes: [volume('pv1', { spec: { claimRef: { namespace: 'default', name: 'other', uid: 'u9' } } })] },
      { kind: 'none', event: { type: 'Warning', reason: 'FailedBinding', message: 'volume "pv1" already bound to a different claim.' } }],
    ['bound, volume gone: Lost', claim({ spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } }), {},
      { kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' } }],
  ];
  it.each(cases)('%s', (_name, c, w, want) => {
    expect(claimStep(c, world(w))).toEqual(want);
  });
});

describe('findVolume', () => {
  const c = claim();
  it('takes the smallest Available volume that fits class, modes, mode, size and selector', () => {
    const vols = [
      volume('huge', { spec: { capacity: { storage: '100Gi' } } }), volume('small', { spec: { capacity: { storage: '2Gi' } } }),
      volume('tiny', { spec: { capacity: { storage: '500Mi' } } }), volume('rox', { spec: { accessModes: ['ReadOnlyMany'], capacity: { storage: '1Gi' } } }),
      volume('other-class', { spec: { storageClassName: 'fast', capacity: { storage: '1Gi' } } }), volume('block', { spec: { volumeMode: 'Block', capacity: { storage: '1Gi' } } }),
      volume('released', { phase: 'Released', spec: { capacity: { storage: '1Gi' } } }),
    ];
    expect(findVolume(c, vols)?.metadata?.name).toBe('small');
    expect(findVolume(claim({ spec: { selector: { matchLabels: { tier: 'gold' } } } }), vols)).toBeUndefined();
  });
  it('honours node affinity when a node is given', () => {
    const pinned = volume('pinned', { spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } } } });
    expect(findVolume(c, [pinned], node('n1'))).toBeUndefined();
    expect(findVolume(c, [pinned], node('n2'))?.metadata?.name).toBe('pinned');
  });
});

describe('volumeStep', () => {
  const bound = { namespace: 'default', name: 'data', uid: 'u1' };
  const claims = (c?: PVC) => (ns: string, n: string) => (c && ns === 'default' && n === 'data' ? c : undefined);
  const ours = { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' };
  const cases: [string, PV, PVC | undefined, unknown][] = [
    ['new, unclaimed: Available', volume('pv1', { phase: 'Pending' }), undefined, { kind: 'setPhase', phase: 'Available' }],
    ['Available, unclaimed: nothing', volume('pv1'), undefined, { kind: 'none' }],
    ['claimed, the claim names it: Bound', volume('pv1', { phase: 'Pending', spec: { claimRef: bound } }), claim({ spec: { volumeName: 'pv1' } }), { kind: 'setPhase', phase: 'Bound' }],
    ['claimed, the claim does not name it yet: wait', volume('pv1', { phase: 'Pending', spec: { claimRef: bound } }), claim(), { kind: 'none' }],
    ['its claim is gone: Released', volume('pv1', { phase: 'Bound', spec: { claimRef: bound } }), undefined, { kind: 'setPhase', phase: 'Released' }],
    ['a new claim of the same name (other uid): Released', volume('pv1', { phase: 'Bound', spec: { claimRef: bound } }), { ...claim(), metadata: { ...claim().metadata, uid: 'u2' } }, { kind: 'setPhase', phase: 'Released' }],
    ['Released, Delete, provisioned by local-path: delete it and its directory', volume('pv1', { phase: 'Released', annotations: ours, spec: { claimRef: bound } }), undefined, { kind: 'delete', localPath: '/s/pv1' }],
    ['Released, Retain: kept', volume('pv1', { phase: 'Released', spec: { claimRef: bound, persistentVolumeReclaimPolicy: 'Retain' } }), undefined, { kind: 'none' }],
    ['Released, Delete, not ours: Failed', volume('pv1', { phase: 'Released', spec: { claimRef: bound } }), undefined,
      { kind: 'setPhase', phase: 'Failed', message: 'error getting deleter volume plugin for volume "pv1": no deletable volume plugin matched', event: expect.objectContaining({ reason: 'VolumeFailedDelete' }) }],
    ['being deleted while Bound to a live claim: kept (pv-protection)', volume('pv1', { phase: 'Bound', deleting: true, spec: { claimRef: bound } }), claim({ spec: { volumeName: 'pv1' } }), { kind: 'none' }],
    ['being deleted, Released: drop pv-protection', volume('pv1', { phase: 'Released', deleting: true, spec: { claimRef: bound } }), undefined, { kind: 'releaseFinalizer' }],
  ];
  it.each(cases)('%s', (_name, pv, c, want) => {
    expect(volumeStep(pv, claims(c))).toEqual(want);
  });
});

describe('provisioning and binding', () => {
  it('local-path makes pvc-<uid> with hostPath <dir>/pvc-<uid>_<ns>_<name>, node affinity, the class policy, pre-bound by uid', () => {
    const pv = provisionedVolume(claim(), localPathClass(), 'n1', 'host-1', '/root/storage/');
    expect(pv).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: 'pvc-u1', annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path', 'local.path.provisioner/selected-node': 'n1' } },
      spec: {
        capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', volumeMode: 'Filesystem',
        hostPath: { path: '/root/storage/pvc-u1_default_data', type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }] }] } },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'u1', resourceVersion: '7' },
      },
    });
  });

  it('a completed binding: volumeName and bind-completed on the claim, then Bound with the capacity and modes of the volume', () => {
    const pv = volume('pv1', { spec: { claimRef: { uid: 'u1' } } });
    const spec = boundClaimSpec(claim(), pv, true)!;
    expect(spec.spec?.volumeName).toBe('pv1');
    expect(spec.metadata?.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(boundClaimSpec(spec, pv, true)).toBeUndefined();
    expect(boundClaimStatus(pv)).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
  });

  it('the default class is the newest one annotated default', () => {
    const cls = (name: string, at: string, dflt: boolean): StorageClass => ({ metadata: { name, creationTimestamp: at, annotations: dflt ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} }, provisioner: 'x' });
    expect(defaultClass([cls('a', '2026-01-01T00:00:00Z', true), cls('b', '2026-02-01T00:00:00Z', true), cls('c', '2026-03-01T00:00:00Z', false)])?.metadata?.name).toBe('b');
    expect(defaultClass([cls('c', '2026-03-01T00:00:00Z', false)])).toBeUndefined();
  });
});
