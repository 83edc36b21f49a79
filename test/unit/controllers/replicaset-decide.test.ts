// Table tests of the ReplicaSet controller's PURE decisions (control-plane/controllers/replicaset/decide.ts,
// rank.ts, pods.ts): replica diff with the 500 burst, slow-start batches, claim (adopt/release), the pod a
// create sends, status counts and the ReplicaFailure condition, availability with minReadySeconds, and the
// scale-down order of upstream ActivePodsWithRanks.
import { describe, expect, it } from 'vitest';
import {
  claimPods, computeStatus, isPodAvailable, nextAvailableAt, podFromTemplate, podsToDelete, replicaDiff, slowStartBatches, type Pod, type ReplicaSet,
} from '../../../control-plane/controllers/replicaset/index.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const rs = (over: Partial<ReplicaSet['spec']> = {}, meta: Record<string, unknown> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'rs-uid', generation: 4, ...meta },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...over },
});

interface PodOpts { node?: string; phase?: string; ready?: boolean; readyAt?: number; cost?: string; restarts?: number; created?: number; uid?: string; labels?: Record<string, string>; owner?: string; deleting?: boolean }
function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: {
      name, namespace: 'default', uid: o.uid ?? `uid-${name}`, labels: o.labels ?? { app: 'web', tier: 'fe' },
      ...(o.created !== undefined ? { creationTimestamp: iso(o.created) } : {}),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: o.owner, controller: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: iso(o.readyAt ?? NOW - 3600_000) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}
const names = (ps: Pod[]): string[] => ps.map((p) => p.metadata!.name!);

describe('replicaDiff', () => {
  it.each([
    [3, 0, 3], [3, 3, 0], [1, 3, -2], [0, 2, -2], [600, 0, 500], [0, 700, -500], [undefined, 0, 1],
  ])('desired %s, active %s → %s', (replicas, active, want) => {
    expect(replicaDiff(rs({ replicas }), active)).toBe(want);
  });
});

describe('slowStartBatches', () => {
  it.each([
    [0, []], [1, [1]], [2, [1, 1]], [3, [1, 2]], [7, [1, 2, 4]], [10, [1, 2, 4, 3]], [500, [1, 2, 4, 8, 16, 32, 64, 128, 245]],
  ])('%s creates → %j', (n, want) => {
    expect(slowStartBatches(n)).toEqual(want);
  });
});

describe('claimPods', () => {
  it('keeps owned matching pods, adopts orphans that match, releases owned that no longer match, ignores others', () => {
    const c = claimPods(rs(), [
      pod('mine', { owner: 'rs-uid' }),
      pod('orphan'),
      pod('orphan-other-labels', { labels: { app: 'db' } }),
      pod('orphan-deleting', { deleting: true }),
      pod('mine-relabelled', { owner: 'rs-uid', labels: { app: 'other' } }),
      pod('someone-elses', { owner: 'other-uid' }),
    ]);
    expect(names(c.owned)).toEqual(['mine', 'orphan']);
    expect(names(c.adopt)).toEqual(['orphan']);
    expect(names(c.release)).toEqual(['mine-relabelled']);
  });
  it('a ReplicaSet being deleted neither adopts nor releases', () => {
    const c = claimPods(rs({}, { deletionTimestamp: iso(NOW) }), [pod('orphan'), pod('mine-relabelled', { owner: 'rs-uid', labels: { app: 'x' } })]);
    expect(c.adopt).toEqual([]);
    expect(c.release).toEqual([]);
    expect(names(c.owned)).toEqual(['mine-relabelled']);
  });
  it('matchExpressions select too', () => {
    const c = claimPods(rs({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }), [pod('a', { labels: { app: 'api' } }), pod('b', { labels: { app: 'db' } })]);
    expect(names(c.adopt)).toEqual(['a']);
  });
});

describe('podFromTemplate', () => {
  it('generateName <rs>-, template labels, the RS as controller with blockOwnerDeletion, the template spec', () => {
    const p = podFromTemplate(rs());
    expect(p.metadata).toEqual({
      generateName: 'web-', namespace: 'default', labels: { app: 'web', tier: 'fe' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec).toEqual({ containers: [{ name: 'c', image: 'busybox' }] });
  });
});

describe('computeStatus', () => {
  it('counts replicas, fully labelled, ready and available; observedGeneration from generation; zeros omitted', () => {
    const s = computeStatus(rs(), [pod('a', { ready: true }), pod('b', { ready: false }), pod('c', { labels: { app: 'web' } })], undefined, iso(NOW), NOW);
    expect(s).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 4 });
    expect(computeStatus(rs(), [], undefined, iso(NOW), NOW)).toEqual({ replicas: 0, observedGeneration: 4 });
  });
  it('minReadySeconds: Ready for less is ready but not available', () => {
    const s = computeStatus(rs({ minReadySeconds: 10 }), [pod('old', { ready: true, readyAt: NOW - 11_000 }), pod('new', { ready: true, readyAt: NOW - 5_000 })], undefined, iso(NOW), NOW);
    expect([s.readyReplicas, s.availableReplicas]).toEqual([2, 1]);
  });
  it('ReplicaFailure FailedCreate when short, FailedDelete when over; kept while failing, removed when not', () => {
    const short = computeStatus(rs(), [pod('a')], 'pods "web-x" is forbidden: quota', iso(NOW), NOW);
    expect(short.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: iso(NOW), reason: 'FailedCreate', message: 'pods "web-x" is forbidden: quota' }]);
    const over = computeStatus(rs({ replicas: 0 }), [pod('a')], 'boom', iso(NOW), NOW);
    expect(over.conditions?.[0]?.reason).toBe('FailedDelete');
    const failing = { ...rs(), status: short };
    expect(computeStatus(failing, [pod('a')], 'again', iso(NOW + 5000), NOW + 5000).conditions).toEqual(short.conditions);
    expect(computeStatus(failing, [pod('a')], undefined, iso(NOW), NOW).conditions).toBeUndefined();
  });
});

describe('availability', () => {
  it.each([
    [0, NOW - 1, true], [10, NOW - 10_000, false], [10, NOW - 10_001, true],
  ])('minReadySeconds %s, Ready since %s → available %s', (min, since, want) => {
    expect(isPodAvailable(pod('a', { ready: true, readyAt: since }), min, NOW)).toBe(want);
  });
  it('nextAvailableAt: the earliest pod to pass minReadySeconds', () => {
    expect(nextAvailableAt([pod('a', { ready: true, readyAt: NOW - 2000 }), pod('b', { ready: true, readyAt: NOW - 7000 }), pod('c', { ready: false })], 10, NOW)).toBe(NOW + 3001);
    expect(nextAvailableAt([pod('a', { ready: true, readyAt: NOW - 2000 })], 0, NOW)).toBeUndefined();
  });
});

describe('podsToDelete (ActivePodsWithRanks order)', () => {
  const cases: [string, Pod[], string[]][] = [
    ['unassigned before assigned', [pod('assigned', { node: 'n1' }), pod('unassigned')], ['unassigned', 'assigned']],
    ['Pending < Unknown < Running', [pod('run', { node: 'n', phase: 'Running' }), pod('unk', { node: 'n', phase: 'Unknown' }), pod('pend', { node: 'n', phase: 'Pending' })], ['pend', 'unk', 'run']],
    ['not ready before ready', [pod('ready', { node: 'n', ready: true }), pod('notready', { node: 'n', ready: false })], ['notready', 'ready']],
    ['lower deletion cost first', [pod('hi', { node: 'n', cost: '100' }), pod('lo', { node: 'n', cost: '-5' }), pod('none', { node: 'n' })], ['lo', 'none', 'hi']],
    ['more pods on the same node first', [pod('alone', { node: 'n2' }), pod('crowded', { node: 'n1' }), pod('crowded2', { node: 'n1' })], ['crowded', 'crowded2', 'alone']],
    ['ready more recently first (different log2 buckets)', [pod('long', { node: 'n', ready: true, readyAt: NOW - 3600_000 }), pod('recent', { node: 'n', ready: true, readyAt: NOW - 60_000 })], ['recent', 'long']],
    ['same ready bucket: UID ascending', [pod('b', { node: 'n', ready: true, readyAt: NOW - 3000_000, uid: 'uid-2' }), pod('a', { node: 'n', ready: true, readyAt: NOW - 3100_000, uid: 'uid-1' })], ['a', 'b']],
    ['more restarts first', [pod('calm', { node: 'n', restarts: 0 }), pod('flappy', { node: 'n', restarts: 7 })], ['flappy', 'calm']],
    ['newer first; no timestamp first', [pod('old', { node: 'n', created: NOW - 86_400_000 }), pod('new', { node: 'n', created: NOW - 1000 }), pod('none', { node: 'n' })], ['none', 'new', 'old']],
  ];
  it.each(cases)('%s', (_what, pods, want) => {
    expect(names(podsToDelete(pods, pods.length, NOW))).toEqual(want);
  });
  it('takes only the first count; none for 0', () => {
    expect(names(podsToDelete([pod('a', { node: 'n', ready: true }), pod('b'), pod('c', { node: 'n' })], 2, NOW))).toEqual(['b', 'c']);
    expect(podsToDelete([pod('a')], 0, NOW)).toEqual([]);
  });
});
