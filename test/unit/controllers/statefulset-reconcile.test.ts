// The StatefulSet controller (control-plane/controllers/statefulset) against the REAL embedded API server over
// HTTP (openStore + startApiServer + HttpKubeClient). No kubelet runs: the test writes pod status through
// pods/status itself, and unscheduled pods are deleted at once. OrderedReady creates web-1 only after web-0
// is Running+Ready; events with the upstream texts; the ControllerRevision `web-<hash>` and the status
// (observedGeneration, revisions, counts); scale down highest first; Parallel creates all at once; a
// template change rolls highest ordinal first to the new revision and completes; claims `www-web-<n>` are
// created before their pods with the event, and a deleted pod is made again with the same claim.
import { describe, expect, it } from 'vitest';
import { EVENTS, PODS, type KubeObject } from '../../../client/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import { CONTROLLERREVISIONS, PVCS, STATEFULSETS, startStatefulSetController, type Pod, type StatefulSet } from '../../../control-plane/controllers/statefulset/index.js';
import { until, type Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';

let plane: Plane;
withControllers((client, signal) => startStatefulSetController({ client }).run(signal), (p) => { plane = p; });

const sts = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } }, ...spec },
});

const names = async (): Promise<string[]> =>
  (await plane.client.list<Pod>(PODS, { namespace: 'default' })).items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!).sort();
async function eventually(fn: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  let ok = false;
  const check = (): void => { void fn().then((v) => { ok = v; }).catch(() => undefined); };
  check();
  await until(() => { if (!ok) check(); return ok; }, ms, what);
}
const ready = (name: string): Promise<KubeObject> => plane.client.patch(PODS, 'default', name, 'merge',
  { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now() - 1000) }] } }, { subresource: 'status' });
const getSts = (): Promise<StatefulSet> => plane.client.get<StatefulSet>(STATEFULSETS, 'default', 'web');
const messages = async (): Promise<string[]> => (await plane.client.list(EVENTS, { namespace: 'default' })).items
  .filter((e) => (e as { source?: { component?: string } }).source?.component === 'statefulset-controller').map((e) => `${(e as { reason: string }).reason}: ${(e as { message: string }).message}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('StatefulSet controller', () => {
  it('OrderedReady: web-1 only after web-0 is Running+Ready, then web-2; revision, events, status', async () => {
    await plane.client.create(STATEFULSETS, 'default', sts());
    await eventually(async () => (await names()).length === 1, 'web-0');
    await sleep(200);
    expect(await names()).toEqual(['web-0']);
    const p0 = await plane.client.get<Pod>(PODS, 'default', 'web-0');
    const rev = (await plane.client.list(CONTROLLERREVISIONS, { namespace: 'default' })).items;
    expect(rev).toHaveLength(1);
    const revName = rev[0]!.metadata!.name!;
    expect(revName).toMatch(/^web-[4-9bcdf]+$/);
    expect(p0.metadata!.labels).toEqual({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': revName });
    expect(p0.spec).toMatchObject({ hostname: 'web-0', subdomain: 'nginx' });
    await ready('web-0');
    await eventually(async () => (await names()).length === 2, 'web-1');
    await ready('web-1');
    await eventually(async () => (await names()).length === 3, 'web-2');
    await ready('web-2');
    await eventually(async () => (await getSts()).status?.readyReplicas === 3, 'readyReplicas 3');
    expect((await getSts()).status).toEqual({
      observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3,
      currentRevision: revName, updateRevision: revName, collisionCount: 0,
    });
    await eventually(async () => (await messages()).length === 3, '3 events');
    expect((await messages()).sort()).toEqual([0, 1, 2].map((n) => `SuccessfulCreate: create Pod web-${n} in StatefulSet web successful`));
  });

  it('scale down 3 → 1 deletes web-2 then web-1; Parallel creates all at once', async () => {
    await plane.client.create(STATEFULSETS, 'default', sts({ podManagementPolicy: 'Parallel' }));
    await eventually(async () => (await names()).length === 3, '3 pods at once');
    for (const n of ['web-0', 'web-1', 'web-2']) await ready(n);
    await plane.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => (await names()).length === 1, 'scaled to 1');
    expect(await names()).toEqual(['web-0']);
    await eventually(async () => (await messages()).filter((m) => m.startsWith('SuccessfulDelete')).length === 2, 'delete events');
    expect((await messages()).filter((m) => m.startsWith('SuccessfulDelete')).sort()).toEqual(['SuccessfulDelete: delete Pod web-1 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-2 in StatefulSet web successful']);
  });

  it('a template change rolls web-1 then web-0 to the new revision and completes', async () => {
    await plane.client.create(STATEFULSETS, 'default', sts({ replicas: 2 }));
    await eventually(async () => (await names()).length === 1, 'web-0');
    await ready('web-0');
    await eventually(async () => (await names()).length === 2, 'web-1');
    await ready('web-1');
    await eventually(async () => (await getSts()).status?.readyReplicas === 2, 'ready');
    const first = (await getSts()).status!.currentRevision;
    await plane.client.patch(STATEFULSETS, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } });
    await eventually(async () => { const s = (await getSts()).status; return !!s?.updateRevision && s.updateRevision !== first; }, 'update revision');
    const next = (await getSts()).status!.updateRevision!;
    const revOf = async (n: string): Promise<string | undefined> => (await plane.client.get<Pod>(PODS, 'default', n).catch(() => undefined))?.metadata?.labels?.['controller-revision-hash'];
    await eventually(async () => (await revOf('web-1')) === next, 'web-1 updated');
    expect(await revOf('web-0')).toBe(first);
    await ready('web-1');
    await eventually(async () => (await revOf('web-0')) === next, 'web-0 updated');
    await ready('web-0');
    await eventually(async () => (await getSts()).status?.currentRevision === next, 'rollout complete');
    expect((await getSts()).status).toMatchObject({ currentReplicas: 2, updatedReplicas: 2, readyReplicas: 2, observedGeneration: 2 });
  });

  it('volumeClaimTemplates: claim www-web-0 before the pod (event), the pod mounts it, the recreated pod reuses it', async () => {
    await plane.client.create(STATEFULSETS, 'default', sts({ replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } }] }));
    await eventually(async () => (await names()).length === 1, 'web-0');
    const claim = await plane.client.get(PVCS, 'default', 'www-web-0');
    expect(claim.metadata!.labels).toEqual({ app: 'web' });
    expect(claim.metadata!.ownerReferences ?? []).toEqual([]);
    const p0 = await plane.client.get<Pod>(PODS, 'default', 'web-0');
    expect((p0.spec as { volumes?: unknown[] }).volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
    await eventually(async () => (await messages()).includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), 'claim event');
    const uid = p0.metadata!.uid;
    await plane.client.delete(PODS, 'default', 'web-0');
    await eventually(async () => (await plane.client.get<Pod>(PODS, 'default', 'web-0').catch(() => undefined))?.metadata?.uid !== uid && (await names()).length === 1, 'web-0 made again');
    expect((await plane.client.list(PVCS, { namespace: 'default' })).items.map((c) => c.metadata!.name)).toEqual(['www-web-0']);
    expect((await plane.client.get(PVCS, 'default', 'www-web-0')).metadata!.uid).toBe(claim.metadata!.uid);
  });
});
