// The ReplicationController controller (startReplicationManager: the ReplicaSet controller over core/v1
// ReplicationControllers) against the REAL embedded API server over HTTP: pods `<rc>-<5 chars>` with the
// template labels and the RC (v1) as controller; SuccessfulCreate/SuccessfulDelete events from
// replication-controller; status through /status; scale-down keeps the Ready pod; an orphan matching the
// selector map is adopted, a relabelled pod released; a ReplicaSet with the same selector is not disturbed
// (each controller claims only what is not controlled). No kubelet: the test writes pod status itself.
import { describe, expect, it } from 'vitest';
import { PODS, type KubeObject } from '../../../client/index.js';
import { REPLICASETS } from '../../../control-plane/controllers/framework/index.js';
import {
  REPLICATIONCONTROLLERS, startReplicaSetController, startReplicationManager, type Pod, type ReplicaSet,
} from '../../../control-plane/controllers/replicaset/index.js';
import { pod as plainPod, type Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';
import { eventually, readyStatus, replicaPlane } from './replica-plane.js';

let plane: Plane;
withControllers((client, signal) => [startReplicationManager({ client }).run(signal), startReplicaSetController({ client }).run(signal)], (p) => { plane = p; });

const rc = (name: string, replicas: number) => ({
  apiVersion: 'v1', kind: 'ReplicationController', metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { app: name }, template: { metadata: { labels: { app: name, tier: 'fe' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
});
interface RC extends KubeObject { spec?: { replicas?: number }; status?: Record<string, unknown> }

const { podsOf, setStatus, eventsOf } = replicaPlane(() => plane);
const getRc = (name: string): Promise<RC> => plane.client.get<RC>(REPLICATIONCONTROLLERS, 'default', name);

describe('ReplicationController controller', () => {
  it('creates 2 pods <rc>-<5 chars> owned by the RC; events from replication-controller; status; scale 2 → 3 → 1 keeps the Ready pod', async () => {
    const uid = (await plane.client.create<RC>(REPLICATIONCONTROLLERS, 'default', rc('web', 2))).metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 2, '2 pods');
    const pods = await podsOf(uid);
    for (const p of pods) {
      expect(p.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata!.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(async () => (await getRc('web')).status?.['replicas'] === 2, 'status.replicas 2');
    expect((await getRc('web')).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
    await eventually(async () => (await eventsOf('web')).length === 2, '2 events');
    const events = await eventsOf('web');
    expect(events.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
    expect(new Set(events.map((e) => `${e.reason} ${e.source?.component} ${e.involvedObject?.kind}`))).toEqual(new Set(['SuccessfulCreate replication-controller ReplicationController']));

    await plane.client.patch(REPLICATIONCONTROLLERS, 'default', 'web', 'merge', { spec: { replicas: 3 } });
    await eventually(async () => (await podsOf(uid)).length === 3, '3 pods');
    const [keep, ...others] = (await podsOf(uid)).map((p) => p.metadata!.name!);
    await setStatus(keep!, readyStatus(Date.now() - 60_000));
    for (const o of others) await setStatus(o, { phase: 'Pending' });
    await eventually(async () => (await getRc('web')).status?.['readyReplicas'] === 1, 'readyReplicas 1');
    await plane.client.patch(REPLICATIONCONTROLLERS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => (await podsOf(uid)).length === 1, '1 pod');
    expect((await podsOf(uid)).map((p) => p.metadata!.name)).toEqual([keep]);
    await eventually(async () => (await eventsOf('web')).filter((e) => e.reason === 'SuccessfulDelete').length === 2, 'delete events');
    expect((await eventsOf('web')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message).sort()).toEqual(others.map((n) => `Deleted pod: ${n}`).sort());
    await eventually(async () => { const s = (await getRc('web')).status; return s?.['observedGeneration'] === 3 && s?.['replicas'] === 1; }, 'status after scale');
  });

  it('adopts a matching orphan by the selector map, releases a relabelled pod and replaces it; a pod deleted by hand is replaced', async () => {
    await plane.client.create(PODS, 'default', plainPod('orphan', { app: 'api' }));
    const uid = (await plane.client.create<RC>(REPLICATIONCONTROLLERS, 'default', rc('api', 2))).metadata!.uid!;
    await eventually(async () => (await podsOf(uid)).length === 2, '2 pods');
    await new Promise((r) => setTimeout(r, 200));
    expect((await podsOf(uid)).map((p) => p.metadata!.name)).toContain('orphan');
    expect((await podsOf(uid))).toHaveLength(2);
    await plane.client.patch(PODS, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'gone' } } });
    await eventually(async () => ((await plane.client.get<Pod>(PODS, 'default', 'orphan')).metadata!.ownerReferences ?? []).length === 0, 'released');
    await eventually(async () => { const ps = await podsOf(uid); return ps.length === 2 && !ps.some((p) => p.metadata!.name === 'orphan'); }, 'a replacement');
    const victim = (await podsOf(uid))[0]!.metadata!.name!;
    await plane.client.delete(PODS, 'default', victim, { gracePeriodSeconds: 0 });
    await eventually(async () => { const ps = await podsOf(uid); return ps.length === 2 && !ps.some((p) => p.metadata!.name === victim); }, 'a replacement of the deleted pod');
  });

  it('an RC and a ReplicaSet with overlapping selectors each keep their own pods', async () => {
    const rcUid = (await plane.client.create<RC>(REPLICATIONCONTROLLERS, 'default', rc('db', 2))).metadata!.uid!;
    await eventually(async () => (await podsOf(rcUid)).length === 2, 'RC pods');
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'db-rs', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } } };
    const rsUid = (await plane.client.create<ReplicaSet>(REPLICASETS, 'default', rs)).metadata!.uid!;
    await eventually(async () => (await podsOf(rsUid)).length === 1, 'RS pod');
    await new Promise((r) => setTimeout(r, 300));
    expect([(await podsOf(rcUid)).length, (await podsOf(rsUid)).length]).toEqual([2, 1]);
  });
});
