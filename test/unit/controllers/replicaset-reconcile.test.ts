// The ReplicaSet controller (control-plane/controllers/replicaset) against the REAL embedded API server
// over HTTP (openStore + startApiServer + HttpKubeClient): pods created with generateName, template labels and
// the controllerRef; SuccessfulCreate/SuccessfulDelete events with the real messages; scale-down deletes the
// not-ready pods and keeps the Ready one; a pod deleted by hand is replaced; an orphan that matches is
// adopted (and counted), an owned pod relabelled out of the selector is released and replaced; status
// replicas/fullyLabeled/ready/available (minReadySeconds) and observedGeneration. No kubelet runs here: the
// test writes pod status through pods/status itself.
import { describe, expect, it } from 'vitest';
import { PODS } from '../../../client/index.js';
import { REPLICASETS } from '../../../control-plane/controllers/framework/index.js';
import { startReplicaSetController, type Pod, type ReplicaSet } from '../../../control-plane/controllers/replicaset/index.js';
import { pod as plainPod, type Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';
import { eventually, readyStatus, replicaPlane } from './replica-plane.js';

let plane: Plane;
withControllers((client, signal) => startReplicaSetController({ client }).run(signal), (p) => { plane = p; });

const rs = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'fe' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } }, ...extra },
});

const { podsOf, setStatus, eventsOf } = replicaPlane(() => plane);
const getRs = (name: string): Promise<ReplicaSet> => plane.client.get<ReplicaSet>(REPLICASETS, 'default', name);

describe('ReplicaSet controller', () => {
  it('creates 3 pods named <rs>-<5 chars> with the template labels and the RS as controller; events and status', async () => {
    const created = await plane.client.create<ReplicaSet>(REPLICASETS, 'default', rs('web', 3));
    const uid = created.metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 3, '3 pods');
    const pods = await podsOf(uid);
    for (const p of pods) {
      expect(p.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata!.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(async () => (await getRs('web')).status?.replicas === 3, 'status.replicas 3');
    expect((await getRs('web')).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    await eventually(async () => (await eventsOf('web')).length === 3, '3 events');
    const events = await eventsOf('web');
    expect(events.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
    expect(new Set(events.map((e) => `${e.reason} ${e.source?.component}`))).toEqual(new Set(['SuccessfulCreate replicaset-controller']));
    await new Promise((r) => setTimeout(r, 200)); // never more than asked
    expect((await podsOf(uid)).length).toBe(3);
  });

  it('scale 3 → 1 deletes the two not-ready pods and keeps the Ready one; a pod deleted by hand is replaced', async () => {
    const uid = (await plane.client.create<ReplicaSet>(REPLICASETS, 'default', rs('web', 3))).metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 3, '3 pods');
    const [keep, ...others] = (await podsOf(uid)).map((p) => p.metadata!.name!);
    await setStatus(keep!, readyStatus(Date.now() - 60_000));
    for (const o of others) await setStatus(o, { phase: 'Pending' });
    await eventually(async () => (await getRs('web')).status?.readyReplicas === 1, 'readyReplicas 1');
    await plane.client.patch(REPLICASETS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => (await podsOf(uid)).length === 1, '1 pod');
    expect((await podsOf(uid)).map((p) => p.metadata!.name)).toEqual([keep]);
    await eventually(async () => (await eventsOf('web')).filter((e) => e.reason === 'SuccessfulDelete').length === 2, 'delete events');
    expect((await eventsOf('web')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort()).toEqual(others.map((n) => `Deleted pod: ${n}`).sort());
    await eventually(async () => (await getRs('web')).status?.observedGeneration === 2 && (await getRs('web')).status?.replicas === 1, 'status after scale');

    await plane.client.delete(PODS, 'default', keep!, { gracePeriodSeconds: 0 });
    await eventually(async () => { const ps = await podsOf(uid); return ps.length === 1 && ps[0]!.metadata!.name !== keep; }, 'a replacement');
  });

  it('adopts a matching orphan (and creates only the rest); releases a pod relabelled out of the selector and replaces it', async () => {
    await plane.client.create(PODS, 'default', plainPod('orphan', { app: 'api' }));
    await plane.client.create(PODS, 'default', plainPod('stranger', { app: 'db' }));
    const uid = (await plane.client.create<ReplicaSet>(REPLICASETS, 'default', rs('api', 2))).metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 2, '2 pods');
    await new Promise((r) => setTimeout(r, 200));
    const names = (await podsOf(uid)).map((p) => p.metadata!.name!);
    expect(names).toContain('orphan');
    expect(names).toHaveLength(2);
    const orphan = await plane.client.get<Pod>(PODS, 'default', 'orphan');
    expect(orphan.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api', uid, controller: true, blockOwnerDeletion: true }]);
    expect((await plane.client.get<Pod>(PODS, 'default', 'stranger')).metadata!.ownerReferences).toBeUndefined();

    await plane.client.patch(PODS, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'gone' } } });
    await eventually(async () => ((await plane.client.get<Pod>(PODS, 'default', 'orphan')).metadata!.ownerReferences ?? []).length === 0, 'released');
    await eventually(async () => { const ps = await podsOf(uid); return ps.length === 2 && !ps.some((p) => p.metadata!.name === 'orphan'); }, 'a replacement');
  });

  it('readyReplicas at once, availableReplicas only after minReadySeconds (the controller requeues itself)', async () => {
    const uid = (await plane.client.create<ReplicaSet>(REPLICASETS, 'default', rs('slow', 1, { minReadySeconds: 1 }))).metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 1, '1 pod');
    const [p] = await podsOf(uid);
    // Ready from the next whole second (timestamps have second resolution): available ≥ 1 s from now.
    await setStatus(p!.metadata!.name!, readyStatus(Date.now() + 1000));
    await eventually(async () => (await getRs('slow')).status?.readyReplicas === 1, 'ready');
    expect((await getRs('slow')).status?.availableReplicas).toBeUndefined();
    await eventually(async () => (await getRs('slow')).status?.availableReplicas === 1, 'available after 1 s', 6000);
  });
});
