// Decision tables of the StatefulSet controller (control-plane/controllers/statefulset): names, labels,
// hostname/subdomain and claim volumes of a pod; OrderedReady (one create at a time, the next only after the
// previous is Running+Ready and available for minReadySeconds; scale down highest first, waiting for full
// termination; an unhealthy pod blocks) against Parallel (all at once); failed pods recreated; rolling update
// highest ordinal first down to the partition, OnDelete never deletes; status counts and completion;
// claims `<claim>-<sts>-<n>` created before their pod with ownerReferences per retention policy; revisions
// (`<sts>-<hash>`, renumbering an older equal one, history truncation). Pure: no API, a fixed clock.
import { describe, expect, it } from 'vitest';
import {
  claimOwnerRefs, fnv32, newPod, newRevision, parentAndOrdinal, planRevisions, revisionsToDelete, syncStatefulSet, templateOf,
  type Pod, type PersistentVolumeClaim, type StatefulSet, type SyncInput,
} from '../../../control-plane/controllers/statefulset/index.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const tmpl = (image = 'busybox:1') => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function sts(spec: Partial<NonNullable<StatefulSet['spec']>> = {}, extra: Partial<StatefulSet> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, serviceName: 'nginx', template: tmpl(), podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, ...spec },
    ...extra,
  };
}

type State = 'Pending' | 'Running' | 'Ready' | 'Failed' | 'Terminating';
function pod(ordinal: number, state: State, rev = 'web-rev1', readySince = NOW - 60_000): Pod {
  const p = newPod(sts(), tmpl(), ordinal, rev);
  p.metadata!.uid = `uid-${ordinal}`;
  const phase = state === 'Ready' || state === 'Terminating' ? 'Running' : state;
  p.status = { phase, conditions: [{ type: 'Ready', status: state === 'Ready' || state === 'Terminating' ? 'True' : 'False', lastTransitionTime: iso(readySince) }] };
  if (state === 'Terminating') p.metadata!.deletionTimestamp = iso(NOW);
  return p;
}

const input = (set: StatefulSet, pods: Pod[], o: Partial<SyncInput> = {}): SyncInput => ({
  set, pods, claims: new Map(), now: NOW,
  current: { name: 'web-rev1', template: tmpl() }, update: { name: 'web-rev1', template: tmpl() }, ...o,
});
const ops = (i: SyncInput): string[] => syncStatefulSet(i).actions.map((a) => `${a.op} ${a.op === 'createClaims' ? a.claims.map((c) => c.metadata!.name).join(',') : a.op === 'setClaimRefs' ? a.claim.metadata!.name : a.pod.metadata!.name}`);

describe('StatefulSet pods', () => {
  it('pod <sts>-<ordinal>: labels pod-name, pod-index, controller-revision-hash; hostname, subdomain; claim volumes first; controllerRef', () => {
    const set = sts({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: {} }], template: { ...tmpl(), spec: { containers: [{ name: 'c', image: 'b' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'tmp', emptyDir: {} }] } } });
    const p = newPod(set, set.spec!.template!, 4, 'web-abc');
    expect(p.metadata).toMatchObject({
      name: 'web-4', namespace: 'default',
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-4', 'apps.kubernetes.io/pod-index': '4', 'controller-revision-hash': 'web-abc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec).toMatchObject({ hostname: 'web-4', subdomain: 'nginx', volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-4' } }, { name: 'tmp', emptyDir: {} }] });
  });

  it('ordinals from names: `<parent>-<n>`, else -1', () => {
    expect(parentAndOrdinal('web-12')).toEqual(['web', 12]);
    expect(parentAndOrdinal('my-web-0')).toEqual(['my-web', 0]);
    expect(parentAndOrdinal('web')).toEqual(['', -1]);
  });
});

describe('OrderedReady', () => {
  it('creates web-0 only, then waits while it is Pending, creates web-1 once web-0 is Running and Ready', () => {
    expect(ops(input(sts(), []))).toEqual(['createPod web-0']);
    const waiting = syncStatefulSet(input(sts(), [pod(0, 'Pending')]));
    expect(waiting.actions).toEqual([]);
    expect(waiting.waiting).toBe('waiting for Pod web-0 to be Running and Ready');
    expect(ops(input(sts(), [pod(0, 'Running')]))).toEqual([]);
    expect(ops(input(sts(), [pod(0, 'Ready')]))).toEqual(['createPod web-1']);
  });

  it('minReadySeconds: Ready for less than that blocks and requeues at the moment it becomes available', () => {
    const d = syncStatefulSet(input(sts({ minReadySeconds: 10 }), [pod(0, 'Ready', 'web-rev1', NOW - 4_000)]));
    expect(d.actions).toEqual([]);
    expect(d.waiting).toBe('waiting for Pod web-0 to be Available');
    expect(d.requeueAfterMs).toBe(6_001);
    expect(ops(input(sts({ minReadySeconds: 10 }), [pod(0, 'Ready', 'web-rev1', NOW - 11_000)]))).toEqual(['createPod web-1']);
  });

  it('a non-ready lower pod blocks everything; a terminating one blocks scale up', () => {
    expect(ops(input(sts(), [pod(0, 'Running'), pod(1, 'Ready')]))).toEqual([]);
    const d = syncStatefulSet(input(sts(), [pod(0, 'Ready'), pod(1, 'Terminating')]));
    expect(d.actions).toEqual([]);
    expect(d.waiting).toBe('waiting for Pod web-1 to Terminate prior to scale up');
  });

  it('scale 3 → 1: deletes web-2, waits until it is gone, then web-1', () => {
    const one = sts({ replicas: 1 });
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready')]))).toEqual(['deletePod web-2']);
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Terminating')]))).toEqual([]);
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Ready')]))).toEqual(['deletePod web-1']);
  });

  it('scale down does not delete an unhealthy pod other than the first (lowest) unhealthy one', () => {
    const one = sts({ replicas: 1 });
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Running'), pod(2, 'Running')]))).toEqual([]);
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Running'), pod(2, 'Ready')]))).toEqual(['deletePod web-2']);
    expect(ops(input(one, [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Running')]))).toEqual(['deletePod web-2']);
  });

  it('spec.ordinals.start: pods start-… ; below start are condemned', () => {
    expect(ops(input(sts({ ordinals: { start: 5 } }), []))).toEqual(['createPod web-5']);
    expect(ops(input(sts({ ordinals: { start: 1 }, replicas: 1 }), [pod(0, 'Ready'), pod(1, 'Ready')]))).toEqual(['deletePod web-0']);
  });

  it('a Failed pod is deleted (recreated next sync) and nothing else happens', () => {
    const d = syncStatefulSet(input(sts(), [pod(0, 'Ready'), pod(1, 'Failed')]));
    expect(d.actions).toEqual([{ op: 'deletePod', pod: expect.objectContaining({ metadata: expect.objectContaining({ name: 'web-1' }) }), why: 'failed' }]);
  });
});

describe('Parallel', () => {
  it('creates every missing pod in one sync and deletes every condemned one at once', () => {
    const par = sts({ podManagementPolicy: 'Parallel' });
    expect(ops(input(par, []))).toEqual(['createPod web-0', 'createPod web-1', 'createPod web-2']);
    expect(ops(input(par, [pod(0, 'Pending')]))).toEqual(['createPod web-1', 'createPod web-2']);
    expect(ops(input({ ...par, spec: { ...par.spec, replicas: 0 } }, [pod(0, 'Pending'), pod(1, 'Ready'), pod(2, 'Running')]))).toEqual(['deletePod web-2', 'deletePod web-1', 'deletePod web-0']);
  });
});

describe('rolling update', () => {
  const upd = { current: { name: 'web-rev1', template: tmpl() }, update: { name: 'web-rev2', template: tmpl('busybox:2') } };
  const all = (): Pod[] => [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready')];

  it('deletes the highest ordinal not at the update revision; the recreated pod gets the update template', () => {
    expect(ops(input(sts(), all(), upd))).toEqual(['deletePod web-2']);
    const d = syncStatefulSet(input(sts(), [pod(0, 'Ready'), pod(1, 'Ready')], upd));
    const created = d.actions[0] as { op: string; pod: Pod };
    expect(created.op).toBe('createPod');
    expect(created.pod.metadata!.labels!['controller-revision-hash']).toBe('web-rev2');
    expect((created.pod.spec as { containers: { image: string }[] }).containers[0]!.image).toBe('busybox:2');
    expect(ops(input(sts(), [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready', 'web-rev2')], upd))).toEqual(['deletePod web-1']);
    expect(ops(input(sts(), [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Running', 'web-rev2')], upd))).toEqual([]);
  });

  it('partition 2: only ordinals ≥ 2 are updated; pods below are made at the current revision', () => {
    const part = sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    expect(ops(input(part, [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready', 'web-rev2')], upd))).toEqual([]);
    const d = syncStatefulSet(input(part, [pod(0, 'Ready')], upd));
    expect((d.actions[0] as { pod: Pod }).pod.metadata!.labels!['controller-revision-hash']).toBe('web-rev1');
  });

  it('OnDelete never deletes for an update', () => {
    expect(ops(input(sts({ updateStrategy: { type: 'OnDelete' } }), all(), upd))).toEqual([]);
  });

  it('status: counts by revision, and completion moves currentRevision to the update revision', () => {
    const mid = syncStatefulSet(input(sts(), [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready', 'web-rev2')], upd)).status;
    expect(mid).toEqual({ observedGeneration: 2, replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 1, updatedReplicas: 1, currentRevision: 'web-rev1', updateRevision: 'web-rev2', collisionCount: 0 });
    const done = syncStatefulSet(input(sts(), [pod(0, 'Ready', 'web-rev2'), pod(1, 'Ready', 'web-rev2'), pod(2, 'Ready', 'web-rev2')], upd)).status;
    expect(done).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'web-rev2', updateRevision: 'web-rev2' });
  });
});

describe('volumeClaimTemplates', () => {
  const withClaims = (policy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' }) =>
    sts({ volumeClaimTemplates: [{ metadata: { name: 'www', labels: { disk: 'ssd' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }], persistentVolumeClaimRetentionPolicy: policy });

  it('creates the claim www-web-0 (labels: template + selector, no owner under Retain) before the pod', () => {
    const d = syncStatefulSet(input(withClaims(), []));
    expect(d.actions.map((a) => a.op)).toEqual(['createClaims', 'createPod']);
    const claim = (d.actions[0] as { claims: PersistentVolumeClaim[] }).claims[0]!;
    expect(claim.metadata).toEqual({ name: 'www-web-0', namespace: 'default', labels: { disk: 'ssd', app: 'web' } });
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
  });

  it('an existing claim is not made again (the recreated pod reuses it)', () => {
    const have = new Map([['www-web-0', { metadata: { name: 'www-web-0', namespace: 'default' } }]]);
    expect(ops(input(withClaims(), [], { claims: have }))).toEqual(['createPod web-0']);
  });

  it('ownerReferences per policy: whenDeleted Delete → the set; whenScaled Delete → the pod once scaled down', () => {
    const claim: PersistentVolumeClaim = { metadata: { name: 'www-web-2', ownerReferences: [] } };
    const p2 = pod(2, 'Ready');
    expect(claimOwnerRefs(claim, withClaims(), 2, p2)).toEqual([]);
    expect(claimOwnerRefs(claim, withClaims({ whenDeleted: 'Delete', whenScaled: 'Retain' }), 2, p2).map((r) => r.kind)).toEqual(['StatefulSet']);
    const scaled = { ...withClaims({ whenDeleted: 'Retain', whenScaled: 'Delete' }) };
    expect(claimOwnerRefs(claim, scaled, 2, p2)).toEqual([]);
    scaled.spec = { ...scaled.spec, replicas: 2 };
    expect(claimOwnerRefs(claim, scaled, 2, p2)).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-2', uid: 'uid-2', controller: true, blockOwnerDeletion: true }]);
    const both = { ...withClaims({ whenDeleted: 'Delete', whenScaled: 'Delete' }) };
    expect(claimOwnerRefs(claim, both, 2, p2).map((r) => r.kind)).toEqual(['StatefulSet']);
    both.spec = { ...both.spec, replicas: 2 };
    expect(claimOwnerRefs(claim, both, 2, p2).map((r) => r.kind)).toEqual(['Pod']);
  });

  it('scale down with whenScaled Delete marks the claim with the pod before deleting the pod', () => {
    const set = { ...withClaims({ whenScaled: 'Delete' }), spec: { ...withClaims({ whenScaled: 'Delete' }).spec, replicas: 2 } };
    const have = new Map(['www-web-0', 'www-web-1', 'www-web-2'].map((n) => [n, { metadata: { name: n, namespace: 'default', resourceVersion: '1' } }]));
    expect(ops(input(set, [pod(0, 'Ready'), pod(1, 'Ready'), pod(2, 'Ready')], { claims: have }))).toEqual(['setClaimRefs www-web-2', 'deletePod web-2']);
  });
});

describe('ControllerRevisions', () => {
  it('FNV-32 (not 32a) and the revision object: <sts>-<hash>, template labels + hash label, the patch, controllerRef', () => {
    expect(fnv32(new TextEncoder().encode('a'))).toBe(0x050c5d7e);
    const r = newRevision(sts(), 1, 0);
    const hash = r.metadata!.labels!['controller.kubernetes.io/hash']!;
    expect(hash).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(r.metadata).toMatchObject({ name: `web-${hash}`, labels: { app: 'web' }, ownerReferences: [{ kind: 'StatefulSet', name: 'web', controller: true }] });
    expect(r.revision).toBe(1);
    expect(templateOf(r)).toEqual({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } });
    expect(newRevision(sts(), 1, 1).metadata!.name).not.toBe(r.metadata!.name);
  });

  it('plan: create the first; reuse the latest when equal; renumber an older equal one; current from status', () => {
    const r1 = { ...newRevision(sts(), 1, 0), metadata: { ...newRevision(sts(), 1, 0).metadata, uid: 'r1' } };
    expect(planRevisions(sts(), []).write).toEqual({ op: 'create' });
    expect(planRevisions(sts(), [r1])).toMatchObject({ write: undefined, update: { revision: 1 }, current: { revision: 1 } });
    const changed = sts({ template: tmpl('busybox:2') });
    const r2 = newRevision(changed, 2, 0);
    const set = { ...sts(), status: { replicas: 3, availableReplicas: 3, currentRevision: r2.metadata!.name } };
    const back = planRevisions(set, [r1, r2]);
    expect(back.write).toEqual({ op: 'renumber', revision: 3 });
    expect(back.update.metadata!.name).toBe(r1.metadata!.name);
    expect(back.current.metadata!.name).toBe(r2.metadata!.name);
  });

  it('history: keeps revisionHistoryLimit unused revisions besides current, update and those pods use', () => {
    const revs = [1, 2, 3, 4].map((n) => newRevision(sts({ template: tmpl(`busybox:${n}`) }), n, 0));
    const names = revs.map((r) => r.metadata!.name!);
    const used = pod(0, 'Ready', names[1]);
    const drop = revisionsToDelete(sts({ revisionHistoryLimit: 0 }), revs, [used], names[3]!, names[3]!);
    expect(drop.map((r) => r.metadata!.name)).toEqual([names[0], names[2]]);
    expect(revisionsToDelete(sts({ revisionHistoryLimit: 1 }), revs, [used], names[3]!, names[3]!).map((r) => r.metadata!.name)).toEqual([names[0]]);
  });
});
