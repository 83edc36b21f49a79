// The scheduler's VolumeBinding PreFilter: claimsBlock (PURE) as a table, then the real Scheduler against the
// REAL embedded API server: a pod naming a missing claim stays unbound with PodScheduled False Unschedulable and a
// FailedScheduling event in kube-scheduler's words, and is bound once the claim (local-path class,
// WaitForFirstConsumer) is created; a claim of an Immediate class that is not bound holds its pod until bound.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, NODES, PODS, type KubeObject } from '../../../client/index.js';
import { BIND_COMPLETED, localPathClass, PVCS, SELECTED_NODE, STORAGE_CLASSES, type PVC, type StorageClass } from '../../../control-plane/controllers/storage/index.js';
import { Scheduler } from '../../../control-plane/scheduler/scheduler.js';
import { claimsBlock, preFilterMessage } from '../../../control-plane/scheduler/volume-binding.js';
import { eventually } from '../controllers/replica-plane.js';
import { startPlane, type Plane } from '../client/helpers.js';

const claim = (name: string, o: { cls?: string; volume?: string; completed?: boolean; phase?: string; deleting?: boolean } = {}): PVC => ({
  metadata: {
    name, namespace: 'default',
    ...(o.completed ? { annotations: { [BIND_COMPLETED]: 'yes' } } : {}),
    ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { storageClassName: o.cls, volumeName: o.volume },
  status: { phase: o.phase ?? (o.volume ? 'Bound' : 'Pending') },
});
const classes: Record<string, StorageClass> = {
  'local-path': localPathClass(),
  fast: { metadata: { name: 'fast' }, provisioner: 'x', volumeBindingMode: 'Immediate' },
};
const block = (names: string[], claims: PVC[]): string | undefined =>
  claimsBlock(names, (n) => claims.find((c) => c.metadata?.name === n), (n) => classes[n]);

describe('claimsBlock (VolumeBinding PreFilter)', () => {
  it.each<[string, string[], PVC[], string | undefined]>([
    ['no claims', [], [], undefined],
    ['a missing claim', ['a'], [], 'persistentvolumeclaim "a" not found'],
    ['the first missing claim in volume order', ['a', 'b'], [claim('a', { cls: 'fast' })], 'persistentvolumeclaim "b" not found'],
    ['a claim being deleted', ['a'], [claim('a', { cls: 'local-path', deleting: true })], 'persistentvolumeclaim "a" is being deleted'],
    ['a Lost claim', ['a'], [claim('a', { volume: 'pv-1', phase: 'Lost', completed: true })], 'persistentvolumeclaim "a" bound to non-existent persistentvolume "pv-1"'],
    ['unbound, WaitForFirstConsumer class', ['a'], [claim('a', { cls: 'local-path' })], undefined],
    ['unbound, Immediate class', ['a'], [claim('a', { cls: 'fast' })], 'pod has unbound immediate PersistentVolumeClaims'],
    ['unbound, no class (Immediate)', ['a'], [claim('a', { cls: '' })], 'pod has unbound immediate PersistentVolumeClaims'],
    ['unbound, a class that does not exist (Immediate)', ['a'], [claim('a', { cls: 'gone' })], 'pod has unbound immediate PersistentVolumeClaims'],
    ['volume named but binding not completed, Immediate', ['a'], [claim('a', { cls: 'fast', volume: 'pv-1' })], 'pod has unbound immediate PersistentVolumeClaims'],
    ['bound, Immediate class', ['a'], [claim('a', { cls: 'fast', volume: 'pv-1', completed: true })], undefined],
    ['a missing claim wins over an unbound immediate one', ['a', 'b'], [claim('a', { cls: 'fast' })], 'persistentvolumeclaim "b" not found'],
  ])('%s', (_what, names, claims, want) => {
    expect(block(names, claims)).toBe(want);
  });

  it('formats as the scheduler FitError of a PreFilter rejection', () => {
    expect(preFilterMessage(1, 'persistentvolumeclaim "x" not found')).toBe(
      '0/1 nodes are available: persistentvolumeclaim "x" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });
});

interface SeenPod extends KubeObject { spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }
interface SeenEvent { reason?: string; message?: string; type?: string; involvedObject?: { name?: string } }

let plane: Plane;
const podUsing = (name: string, claimName: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox:latest' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
});
const pvc = (name: string, storageClassName: string): KubeObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
});
const getPod = (name: string): Promise<SeenPod> => plane.client.get<SeenPod>(PODS, 'default', name);
const eventsOf = async (name: string): Promise<SeenEvent[]> =>
  ((await plane.client.list(EVENTS, { namespace: 'default' })).items as SeenEvent[]).filter((e) => e.involvedObject?.name === name);

async function expectHeld(name: string, message: string): Promise<void> {
  await eventually(async () => (await eventsOf(name)).some((e) => e.reason === 'FailedScheduling'), 'a FailedScheduling event');
  expect((await eventsOf(name)).map((e) => [e.type, e.reason, e.message])).toEqual([['Warning', 'FailedScheduling', message]]);
  const pod = await getPod(name);
  expect(pod.spec?.nodeName).toBeUndefined();
  expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
}

describe('Scheduler with claims (real API server)', () => {
  let ac: AbortController;
  let running: Promise<void>;
  beforeEach(async () => {
    plane = await startPlane();
    await plane.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await plane.client.create(STORAGE_CLASSES, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', ...localPathClass() });
    await plane.client.create(STORAGE_CLASSES, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', ...classes['fast'] });
    ac = new AbortController();
    running = new Scheduler({ client: plane.client }).run(ac.signal);
  });
  afterEach(async () => {
    ac.abort();
    await running;
    await plane.close();
  });

  it('holds a pod whose claim is missing, and binds it once the claim exists (selected-node set)', async () => {
    await plane.client.create(PODS, 'default', podUsing('orphan', 'missing'));
    await expectHeld('orphan', preFilterMessage(1, 'persistentvolumeclaim "missing" not found'));

    await plane.client.create(PVCS, 'default', pvc('missing', 'local-path'));
    await eventually(async () => (await getPod('orphan')).spec?.nodeName === 'node-a', 'the pod bound once the claim exists');
    expect((await plane.client.get<PVC>(PVCS, 'default', 'missing')).metadata?.annotations?.[SELECTED_NODE]).toBe('node-a');
    expect((await eventsOf('orphan')).map((e) => e.reason)).toEqual(['FailedScheduling', 'Scheduled']);
  });

  it('holds a pod on an unbound claim of an Immediate class until the claim is bound', async () => {
    await plane.client.create(PVCS, 'default', pvc('quick', 'fast'));
    await plane.client.create(PODS, 'default', podUsing('waiter', 'quick'));
    await expectHeld('waiter', preFilterMessage(1, 'pod has unbound immediate PersistentVolumeClaims'));

    // What the PV controller does when it binds: volumeName and bind-completed (no volume object: no affinity).
    await plane.client.patch(PVCS, 'default', 'quick', 'merge', { metadata: { annotations: { [BIND_COMPLETED]: 'yes' } }, spec: { volumeName: 'pv-quick' } });
    await eventually(async () => (await getPod('waiter')).spec?.nodeName === 'node-a', 'the pod bound once its claim is');
    expect((await plane.client.get<PVC>(PVCS, 'default', 'quick')).metadata?.annotations?.[SELECTED_NODE]).toBeUndefined();
  });
});
