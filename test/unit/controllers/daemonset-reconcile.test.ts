// The DaemonSet controller (control-plane/controllers/daemonset) against the REAL embedded API server over HTTP
// (startPlane): two Node objects → one pod per node with the pinned affinity, labels and controllerRef, a
// ControllerRevision `<ds>-<hash>` revision 1, SuccessfulCreate events and status; a nodeSelector that matches
// one node, then labelling the other → a pod there; a template change → one old pod deleted at a time
// (maxUnavailable 1), revision 2; a strategic merge patch of revision 1's data (what `kubectl rollout undo`
// sends) → revision 1 renumbered 3. No kubelet or scheduler runs: the test writes pod status itself and
// finishes deletions with grace 0.
import { beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, NODES, PODS, type KubeObject } from '../../../client/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import {
  CONTROLLERREVISIONS, DAEMONSETS, startDaemonSetController, type ControllerRevision, type DaemonSet, type Pod,
} from '../../../control-plane/controllers/daemonset/index.js';
import { until, type Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';

let plane: Plane;
withControllers((client, signal) => startDaemonSetController({ client }).run(signal), (p) => { plane = p; });
beforeEach(async () => {
  for (const n of ['node-a', 'node-b']) {
    await plane.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  }
});

const daemonSet = (name: string, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...podSpec } } },
});

async function eventually(fn: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  let ok = false;
  const check = (): void => { void fn().then((v) => { ok = v; }); };
  check();
  await until(() => { if (!ok) check(); return ok; }, ms, what);
}
const podsOf = async (uid: string, withDeleting = false): Promise<Pod[]> =>
  (await plane.client.list<Pod>(PODS, { namespace: 'default' })).items.filter((p) => (withDeleting || !p.metadata?.deletionTimestamp) && p.metadata?.ownerReferences?.some((r) => r.uid === uid));
const nodeOf = (p: Pod): string => (p.spec as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ values: [string] }] }] } } } })
  .affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0];
const getDs = (name: string): Promise<DaemonSet> => plane.client.get<DaemonSet>(DAEMONSETS, 'default', name);
const revisionsOf = async (): Promise<ControllerRevision[]> =>
  (await plane.client.list<ControllerRevision>(CONTROLLERREVISIONS, { namespace: 'default' })).items.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
/** What the kubelet and scheduler would do: bind to the pinned node, Running and Ready. */
async function runReady(p: Pod): Promise<KubeObject> {
  const name = p.metadata!.name!;
  await plane.client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: nodeOf(p) } } as KubeObject, { subresource: 'binding', name });
  return plane.client.patch(PODS, 'default', name, 'merge',
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now() - 5000) }] } }, { subresource: 'status' });
}
/** Finishes graceful deletions (the kubelet's final delete). */
async function reap(uid: string): Promise<void> {
  for (const p of await podsOf(uid, true)) if (p.metadata?.deletionTimestamp) await plane.client.delete(PODS, 'default', p.metadata.name!, { gracePeriodSeconds: 0 }).catch(() => undefined);
}

describe('DaemonSet controller', () => {
  it('one pod per node: generateName, labels, pinned affinity, tolerations, controllerRef; revision 1; events; status', async () => {
    const ds = await plane.client.create<DaemonSet>(DAEMONSETS, 'default', daemonSet('agent'));
    const uid = ds.metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 2, 'a pod on each node');
    const pods = await podsOf(uid);
    expect(pods.map(nodeOf).sort()).toEqual(['node-a', 'node-b']);
    const revs = await revisionsOf();
    expect(revs.map((r) => [r.metadata?.name, r.revision])).toEqual([[`agent-${revs[0]!.metadata!.labels!['controller-revision-hash']}`, 1]]);
    for (const p of pods) {
      expect(p.metadata?.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata?.labels).toEqual({ app: 'agent', 'controller-revision-hash': revs[0]!.metadata!.labels!['controller-revision-hash'], 'pod-template-generation': '1' });
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid, controller: true, blockOwnerDeletion: true }]);
      expect((p.spec as { tolerations: { key: string }[] }).tolerations.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
      await runReady(p);
    }
    await eventually(async () => (await getDs('agent')).status?.numberAvailable === 2, 'status counts both');
    expect((await getDs('agent')).status).toEqual({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, observedGeneration: 1 });
    const events = (await plane.client.list(EVENTS, { namespace: 'default' })).items as { reason: string; message: string; source: { component: string } }[];
    expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
    expect(events.every((e) => e.source.component === 'daemonset-controller')).toBe(true);
  });

  it('a nodeSelector matching one node; labelling the other adds a pod there', async () => {
    await plane.client.patch(NODES, undefined, 'node-a', 'merge', { metadata: { labels: { role: 'edge' } } });
    const ds = await plane.client.create<DaemonSet>(DAEMONSETS, 'default', daemonSet('edge', { nodeSelector: { role: 'edge' } }));
    await eventually(async () => (await podsOf(ds.metadata!.uid!)).length === 1, 'one pod');
    expect((await podsOf(ds.metadata!.uid!)).map(nodeOf)).toEqual(['node-a']);
    await eventually(async () => (await getDs('edge')).status?.desiredNumberScheduled === 1, 'desired 1');
    await plane.client.patch(NODES, undefined, 'node-b', 'merge', { metadata: { labels: { role: 'edge' } } });
    await eventually(async () => (await podsOf(ds.metadata!.uid!)).length === 2, 'a pod on the labelled node');
    expect((await podsOf(ds.metadata!.uid!)).map(nodeOf).sort()).toEqual(['node-a', 'node-b']);
  });

  it('rolling update one node at a time; the undo patch brings revision 1 back as revision 3', async () => {
    const ds = await plane.client.create<DaemonSet>(DAEMONSETS, 'default', daemonSet('roll'));
    const uid = ds.metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 2, 'two pods');
    for (const p of await podsOf(uid)) await runReady(p);
    await eventually(async () => (await getDs('roll')).status?.numberAvailable === 2, 'available');
    await plane.client.patch(DAEMONSETS, 'default', 'roll', 'strategic', { spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] } } } });
    await eventually(async () => (await podsOf(uid, true)).some((p) => p.metadata?.deletionTimestamp), 'one old pod deleted');
    const during = await podsOf(uid, true);
    expect(during.filter((p) => p.metadata?.deletionTimestamp)).toHaveLength(1);
    expect(during.filter((p) => p.metadata?.labels?.['pod-template-generation'] === '2')).toHaveLength(0);
    for (let step = 0; step < 2; step++) {
      await reap(uid);
      const fresh = (p: Pod): boolean => p.metadata?.labels?.['pod-template-generation'] === '2' && !p.spec?.nodeName;
      await eventually(async () => (await podsOf(uid)).some(fresh), 'a new pod');
      for (const p of await podsOf(uid)) if (fresh(p)) await runReady(p);
      if (step === 0) await eventually(async () => (await podsOf(uid, true)).filter((p) => p.metadata?.deletionTimestamp).length === 1, 'the second old pod deleted');
    }
    await eventually(async () => (await getDs('roll')).status?.updatedNumberScheduled === 2 && (await getDs('roll')).status?.numberAvailable === 2, 'rolled out');
    const revs = await revisionsOf();
    expect(revs.map((r) => r.revision)).toEqual([1, 2]);
    await plane.client.patch(DAEMONSETS, 'default', 'roll', 'strategic', revs[0]!.data);
    await eventually(async () => (await revisionsOf()).map((r) => `${r.metadata!.name}:${r.revision}`).join() === `${revs[1]!.metadata!.name}:2,${revs[0]!.metadata!.name}:3`, 'revision 1 renumbered 3');
    expect((await getDs('roll')).spec?.template?.spec?.['containers']).toMatchObject([{ image: 'busybox:1.36' }]);
  });
});
