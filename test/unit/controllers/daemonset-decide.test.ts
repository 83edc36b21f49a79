// The DaemonSet controller's pure decisions (control-plane/controllers/daemonset/{placement,decide,history}.ts)
// and the shared node-fit rules (control-plane/scheduler/affinity.ts), table-tested on a fixed clock: which
// nodes run the daemon, the pod made for a node, per-node create/delete, the rolling-update steps with
// maxUnavailable and maxSurge, status counts, and the ControllerRevision history.
import { describe, expect, it } from 'vitest';
import {
  computeStatus, currentHash, daemonTolerations, historyToDelete, manage, planHistory, podForNode, podsByNode, revisionData,
  revisionHash, rollingUpdate, shouldRun, surgeAndUnavailable, targetNode, type ControllerRevision, type DaemonSet, type NodeView, type Pod,
} from '../../../control-plane/controllers/daemonset/index.js';
import { decide } from '../../../control-plane/scheduler/decide.js';
import { fitsNodeAffinity, tolerates } from '../../../control-plane/scheduler/affinity.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const at = (s: number): string => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const ds = (spec: Partial<NonNullable<DaemonSet['spec']>> = {}, extra: Partial<DaemonSet> = {}): DaemonSet => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default', uid: 'ds-uid', generation: 2, annotations: { 'deprecated.daemonset.template.generation': '2' } },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    ...spec,
  },
  ...extra,
});
const node = (name: string, labels: Record<string, string> = {}, taints: { key?: string; value?: string; effect?: string }[] = []): NodeView =>
  ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } });

let seq = 0;
const pod = (nodeName: string, hash: string, o: { ready?: boolean; age?: number; phase?: string; deleting?: boolean; readyFor?: number } = {}): Pod => ({
  metadata: {
    name: `agent-${++seq}`, namespace: 'default', uid: `u${seq}`, creationTimestamp: at(o.age ?? 60),
    labels: { app: 'agent', 'controller-revision-hash': hash }, ...(o.deleting ? { deletionTimestamp: at(0) } : {}),
  },
  spec: { nodeName },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: at(o.readyFor ?? 30) }] },
});
const names = (ps: readonly Pod[]): string[] => ps.map((p) => p.metadata!.name!);

describe('node fit (scheduler/affinity.ts)', () => {
  it.each([
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, true],
    ['nodeSelector misses', { nodeSelector: { disk: 'hdd' } }, false],
    ['matchExpressions In', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }] }] } } } }, true],
    ['matchExpressions NotIn', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }] } } } }, false],
    ['Gt on a number label', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }] } } } }, true],
    ['terms are ORed', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } } }, true],
    ['matchFields other node', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } } }, false],
    ['an empty term matches nothing', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }, false],
  ])('%s', (_what, spec, want) => {
    expect(fitsNodeAffinity(spec, node('n1', { disk: 'ssd', cores: '8' }))).toBe(want);
  });

  it('tolerations: key+effect, Exists with no key matches every taint, Equal needs the value', () => {
    const t = { key: 'gpu', value: 'yes', effect: 'NoSchedule' };
    expect(tolerates([{ key: 'gpu', operator: 'Equal', value: 'yes' }], t)).toBe(true);
    expect(tolerates([{ key: 'gpu', operator: 'Equal', value: 'no' }], t)).toBe(false);
    expect(tolerates([{ operator: 'Exists' }], t)).toBe(true);
    expect(tolerates([{ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }], t)).toBe(false);
  });

  it('the scheduler places a DaemonSet pod only on its pinned node, and on an unschedulable node when it tolerates that', () => {
    const nodes = [{ ...node('a'), status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { ...node('b'), spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }];
    const p = podForNode(ds(), 'b', 'h1');
    expect(decide({ ...p, status: {} } as never, nodes, []).node).toBe('b');
    const plain = { metadata: { name: 'x' }, spec: { affinity: p.spec!['affinity'] } };
    expect(decide(plain as never, nodes, []).message).toContain("1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable");
  });
});

describe('placement', () => {
  it('automatic tolerations: all Exists, network-unavailable only for hostNetwork, same key+effect replaced', () => {
    const tols = daemonTolerations({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, { key: 'x', operator: 'Exists' }] });
    expect(tols.map((t) => `${t.key}:${t.effect ?? ''}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'x:', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(tols[0]).toEqual({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
    expect(daemonTolerations({ hostNetwork: true }).at(-1)).toEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  });

  it.each([
    ['no selector', {}, [], { run: true, keep: true }],
    ['nodeSelector misses', { nodeSelector: { role: 'edge' } }, [], { run: false, keep: false }],
    ['untolerated NoSchedule taint: no new pod, the old one may stay', {}, [{ key: 'gpu', effect: 'NoSchedule' }], { run: false, keep: true }],
    ['untolerated NoExecute taint: none', {}, [{ key: 'gpu', effect: 'NoExecute' }], { run: false, keep: false }],
    ['PreferNoSchedule is ignored', {}, [{ key: 'gpu', effect: 'PreferNoSchedule' }], { run: true, keep: true }],
    ['unschedulable taint is tolerated automatically', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], { run: true, keep: true }],
  ])('shouldRun: %s', (_w, podSpec, taints, want) => {
    const d = ds({ template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], ...podSpec } } });
    expect(shouldRun(d, node('n1', {}, taints))).toEqual(want);
  });

  it('the pod for a node: generateName, labels, controllerRef, pinned affinity in every term, tolerations', () => {
    const d = ds({ template: { metadata: { labels: { app: 'agent' }, annotations: { a: 'b' } }, spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] } } } } } });
    const p = podForNode(d, 'n2', '7f9c8d');
    expect(p.metadata).toEqual({
      generateName: 'agent-', namespace: 'default', annotations: { a: 'b' },
      labels: { app: 'agent', 'controller-revision-hash': '7f9c8d', 'pod-template-generation': '2' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec!['affinity']).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'disk', operator: 'Exists' }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
    ] } } });
    expect((p.spec!['tolerations'] as unknown[]).length).toBe(6);
    expect(targetNode(p)).toBe('n2');
    expect(targetNode({ spec: { nodeName: 'n9' } })).toBe('n9');
  });
});

describe('manage: one pod per node', () => {
  const nodes = [node('n2'), node('n1', { role: 'edge' })];

  it('creates on nodes without a pod, in name order; a terminating pod holds the node until it is gone', () => {
    expect(manage(ds(), nodes, podsByNode([]), 'h').create).toEqual(['n1', 'n2']);
    const plan = manage(ds(), nodes, podsByNode([pod('n1', 'h', { deleting: true })]), 'h');
    expect([plan.create, plan.delete]).toEqual([['n2'], []]);
  });

  it('a nodeSelector that matches only one node; the pod on the other is deleted', () => {
    const d = ds({ template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], nodeSelector: { role: 'edge' } } } });
    const off = pod('n2', 'h');
    const plan = manage(d, nodes, podsByNode([off]), 'h');
    expect(plan.create).toEqual(['n1']);
    expect(names(plan.delete)).toEqual(names([off]));
  });

  it('keeps the oldest of two running pods; deletes Failed pods (reported); with surge keeps the oldest old and oldest new', () => {
    const old = pod('n1', 'h', { age: 100 });
    const young = pod('n1', 'h', { age: 10 });
    const failed = pod('n2', 'h', { phase: 'Failed' });
    const plan = manage(ds(), nodes, podsByNode([young, old, failed]), 'h');
    expect(names(plan.delete)).toEqual(names([young, failed]));
    expect(names(plan.failed)).toEqual(names([failed]));
    const surge = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const o1 = pod('n1', 'old', { age: 100 });
    const n1 = pod('n1', 'h', { age: 50 });
    const n2 = pod('n1', 'h', { age: 10 });
    expect(names(manage(surge, [node('n1')], podsByNode([o1, n1]), 'h').delete)).toEqual([]);
    expect(names(manage(surge, [node('n1')], podsByNode([o1, n1, n2]), 'h').delete)).toEqual(names([n2]));
  });

  it('deletes unscheduled pods aimed at nodes that are gone', () => {
    const stray = podForNode(ds(), 'gone', 'h') as Pod;
    stray.metadata = { ...stray.metadata, name: 'agent-x' };
    expect(names(manage(ds(), [], podsByNode([stray]), 'h').delete)).toEqual(['agent-x']);
  });
});

describe('rolling update', () => {
  const three = [node('a'), node('b'), node('c')];

  it('maxUnavailable 1: deletes one old pod; none more while a node is unavailable', () => {
    const pods = [pod('a', 'old'), pod('b', 'old'), pod('c', 'old')];
    expect(names(rollingUpdate(ds(), three, podsByNode(pods), 'new', NOW).delete)).toEqual(names([pods[0]!]));
    const midway = [pod('a', 'new', { ready: false }), pod('b', 'old'), pod('c', 'old')];
    expect(rollingUpdate(ds(), three, podsByNode(midway), 'new', NOW).delete).toEqual([]);
    const gone = [pod('b', 'old'), pod('c', 'old')]; // a's old pod is deleted, the new one not made yet
    expect(rollingUpdate(ds(), three, podsByNode(gone), 'new', NOW).delete).toEqual([]);
    const next = [pod('a', 'new'), pod('b', 'old'), pod('c', 'old')];
    expect(names(rollingUpdate(ds(), three, podsByNode(next), 'new', NOW).delete)).toEqual(names([next[1]!]));
  });

  it('an unavailable old pod is replaced at once, beside the budget; minReadySeconds counts', () => {
    const pods = [pod('a', 'old', { ready: false }), pod('b', 'old'), pod('c', 'old')];
    expect(names(rollingUpdate(ds(), three, podsByNode(pods), 'new', NOW).delete)).toEqual(names([pods[0]!, pods[1]!]));
    const slow = ds({ minReadySeconds: 60 });
    const fresh = [pod('a', 'new', { readyFor: 10 }), pod('b', 'old', { readyFor: 600 }), pod('c', 'old', { readyFor: 600 })];
    expect(rollingUpdate(slow, three, podsByNode(fresh), 'new', NOW).delete).toEqual([]);
  });

  it('maxUnavailable 50% of 3 rounds up to 2; both 0 → 1', () => {
    expect(surgeAndUnavailable(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%', maxSurge: 0 } } }), 3)).toEqual({ surge: 0, unavailable: 2 });
    expect(surgeAndUnavailable(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), 3)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('maxSurge 1: a new pod beside one old; the old goes once the new is available', () => {
    const surge = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const pods = [pod('a', 'old'), pod('b', 'old'), pod('c', 'old')];
    expect(rollingUpdate(surge, three, podsByNode(pods), 'new', NOW)).toMatchObject({ create: ['a'], delete: [] });
    const starting = [...pods, pod('a', 'new', { ready: false })];
    expect(rollingUpdate(surge, three, podsByNode(starting), 'new', NOW)).toMatchObject({ create: [], delete: [] });
    const up = [...pods, pod('a', 'new')];
    const plan = rollingUpdate(surge, three, podsByNode(up), 'new', NOW);
    expect([plan.create, names(plan.delete)]).toEqual([['b'], names([pods[0]!])]);
  });
});

describe('status', () => {
  it('desired/current/ready/available/updated over the oldest pod per node; misscheduled; unavailable', () => {
    const d = ds({ template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], nodeSelector: { role: 'edge' } } } });
    const nodes = [node('a', { role: 'edge' }), node('b', { role: 'edge' }), node('c', { role: 'edge' }), node('x')];
    const pods = [pod('a', 'new'), pod('b', 'old', { ready: false }), pod('x', 'new')];
    expect(computeStatus(d, nodes, podsByNode(pods), 'new', NOW)).toEqual({
      desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1,
      numberMisscheduled: 1, numberUnavailable: 2, observedGeneration: 2,
    });
  });
});

describe('history', () => {
  const rev = (name: string, revision: number, data: unknown, hash = name.slice(6)): ControllerRevision =>
    ({ metadata: { name, labels: { 'controller-revision-hash': hash } }, data, revision });

  it('the data is the template with $patch replace; the hash is ComputeHash of the template; stable and template-sensitive', () => {
    expect(revisionData(ds())).toEqual({ spec: { template: { $patch: 'replace', metadata: { labels: { app: 'agent' } }, spec: { containers: [{ image: 'busybox', name: 'a' }] } } } });
    expect(revisionHash(ds())).toMatch(/^[4-9bcdf]+$/);
    expect(revisionHash(ds())).toBe(revisionHash(ds()));
    const other = ds({ template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:2' }] } } });
    expect(revisionHash(other)).not.toBe(revisionHash(ds()));
    expect(revisionHash(ds(undefined, { status: { collisionCount: 1 } }))).not.toBe(revisionHash(ds()));
  });

  it('first sync creates revision 1 named <ds>-<hash>; an old template coming back is renumbered to max+1', () => {
    const first = planHistory(ds(), []);
    expect(first.create?.metadata).toMatchObject({ name: `agent-${revisionHash(ds())}`, labels: { app: 'agent', 'controller-revision-hash': revisionHash(ds()) } });
    expect(first.create?.revision).toBe(1);
    const r1 = rev('agent-aaa', 1, revisionData(ds()));
    const r2 = rev('agent-bbb', 2, { spec: { template: { other: true } } });
    const back = planHistory(ds(), [r1, r2]);
    expect([back.current?.metadata?.name, back.number, back.renumber, back.create]).toEqual(['agent-aaa', 3, true, undefined]);
    expect(currentHash(ds(), back.current)).toBe('aaa');
  });

  it('cleanup keeps revisionHistoryLimit old revisions and any a live pod runs', () => {
    const old = [rev('agent-r1', 1, {}), rev('agent-r2', 2, {}), rev('agent-r3', 3, {})];
    const d = ds({ revisionHistoryLimit: 1 });
    expect(historyToDelete(d, old, new Set()).map((r) => r.revision)).toEqual([1, 2]);
    expect(historyToDelete(d, old, new Set(['r1'])).map((r) => r.revision)).toEqual([2, 3]);
    expect(historyToDelete(ds(), old, new Set())).toEqual([]);
  });
});
