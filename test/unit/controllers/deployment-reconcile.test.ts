// The Deployment controller (control-plane/controllers/deployment) against the REAL embedded API server over
// HTTP, with the ReplicaSet controller running and this test acting as the kubelet (it marks every new pod
// Ready through pods/status): a new Deployment gets one RS <name>-<hash> with the labels, owner and
// annotations; an image change rolls in steps that never exceed replicas + maxSurge nor drop below
// replicas − maxUnavailable Ready pods (checked on every store commit); scale to 0; Recreate never has old
// and new pods at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENTS, PODS, type KubeObject } from '../../../client/index.js';
import { startDeploymentController } from '../../../control-plane/controllers/deployment/index.js';
import { computeHash } from '../../../control-plane/controllers/deployment/hash.js';
import type { Deployment, ReplicaSet } from '../../../control-plane/controllers/deployment/types.js';
import { DEPLOYMENTS, REPLICASETS, rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import { startReplicaSetController } from '../../../control-plane/controllers/replicaset/index.js';
import { startPlane, until, type Plane } from '../client/helpers.js';

let plane: Plane;
let ac: AbortController;
let running: Promise<unknown>;
let kubelet: ReturnType<typeof setInterval>;

type PodObj = KubeObject & { status?: { phase?: string; conditions?: { type: string; status: string }[] } };
const isReady = (p: PodObj): boolean => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const live = (o: KubeObject): boolean => !o.metadata?.deletionTimestamp;
const storePods = (): PodObj[] => plane.store.list('pods', { namespace: 'default' }).items as PodObj[];
const storeRSs = (): ReplicaSet[] => plane.store.list('replicasets.apps', { namespace: 'default' }).items as unknown as ReplicaSet[];

beforeEach(async () => {
  plane = await startPlane();
  ac = new AbortController();
  running = Promise.all([
    startReplicaSetController({ client: plane.client }).run(ac.signal),
    startDeploymentController({ client: plane.client }).run(ac.signal),
  ]);
  // The kubelet's part: every live pod not yet Ready becomes Running and Ready.
  let busy = false;
  kubelet = setInterval(() => {
    if (busy) return;
    busy = true;
    const todo = storePods().filter((p) => live(p) && !isReady(p));
    void Promise.all(todo.map((p) => plane.client.patch(PODS, 'default', p.metadata!.name!, 'merge',
      { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now() - 1000) }] } }, { subresource: 'status' }).catch(() => undefined)))
      .finally(() => { busy = false; });
  }, 20);
});
afterEach(async () => {
  clearInterval(kubelet);
  ac.abort();
  await running;
  await plane.close();
});

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image }] } });
const deployment = (replicas: number, strategy?: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template('busybox:1'), ...(strategy ? { strategy } : {}) },
});
const getD = (): Promise<Deployment> => plane.client.get<Deployment>(DEPLOYMENTS, 'default', 'web');
async function eventually(fn: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  let ok = false;
  const check = (): void => { void Promise.resolve(fn()).then((v) => { ok = v; }, () => undefined); };
  check();
  await until(() => { if (!ok) check(); return ok; }, ms, what);
}
const done = async (replicas: number): Promise<boolean> => {
  const d = await getD();
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata!.generation && (s.updatedReplicas ?? 0) === replicas && (s.replicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas;
};
async function messages(): Promise<string[]> {
  const list = await plane.client.list(EVENTS, { namespace: 'default' });
  return (list.items as { involvedObject?: { kind?: string }; reason?: string; message?: string; source?: { component?: string } }[])
    .filter((e) => e.involvedObject?.kind === 'Deployment')
    .map((e) => `${e.source?.component} ${e.reason} ${e.message}`).sort();
}
const setImage = async (image: string): Promise<void> => {
  await plane.client.patch(DEPLOYMENTS, 'default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'main', image }] } } } });
};

describe('Deployment controller', () => {
  it('a 3-replica Deployment: one RS <name>-<hash> with 3 replicas, labels, owner, annotations; complete status', async () => {
    const created = await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(3));
    const hash = computeHash(created.spec.template);
    await eventually(() => done(3), 'the rollout to complete');
    const rss = storeRSs();
    expect(rss.map((r) => r.metadata!.name)).toEqual([`web-${hash}`]);
    const rs = rss[0]!;
    expect(rs.spec.replicas).toBe(3);
    expect(rs.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs.spec.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    const d = await getD();
    expect(d.metadata!.generation).toBe(1);
    expect(d.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status!.unavailableReplicas).toBeUndefined();
    expect(d.status!.conditions!.map((c) => `${c.type} ${c.status} ${c.reason} ${c.message}`).sort()).toEqual([
      'Available True MinimumReplicasAvailable Deployment has minimum availability.',
      `Progressing True NewReplicaSetAvailable ReplicaSet "web-${hash}" has successfully progressed.`,
    ]);
    expect(await messages()).toEqual([`deployment-controller ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('an image change rolls one pod at a time: never above 4 pods (surge 1), never below 3 Ready (unavailable 0)', async () => {
    const created = await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(3));
    const h1 = computeHash(created.spec.template);
    await eventually(() => done(3), 'the first rollout');
    let maxSpec = 0;
    let minReady = Infinity;
    const off = plane.store.subscribe((ev) => {
      if (ev.resource === 'replicasets.apps') maxSpec = Math.max(maxSpec, storeRSs().reduce((n, r) => n + (r.spec.replicas ?? 0), 0));
      if (ev.resource === 'pods') minReady = Math.min(minReady, storePods().filter((p) => live(p) && isReady(p)).length);
    });
    await setImage('busybox:2');
    await eventually(async () => (await getD()).metadata!.generation === 2 && await done(3), 'the second rollout');
    const h2 = computeHash((await getD()).spec.template); // as the API defaulted it
    off();
    expect(maxSpec).toBe(4);
    expect(minReady).toBe(3);
    const byName = new Map(storeRSs().map((r) => [r.metadata!.name, r]));
    expect([...byName.keys()].sort()).toEqual([`web-${h1}`, `web-${h2}`].sort());
    expect(byName.get(`web-${h1}`)!.spec.replicas).toBe(0);
    expect(byName.get(`web-${h2}`)!.spec.replicas).toBe(3);
    expect(byName.get(`web-${h2}`)!.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect((await getD()).metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(await messages()).toEqual([
      `Scaled up replica set web-${h1} from 0 to 3`,
      `Scaled up replica set web-${h2} from 0 to 1`, `Scaled up replica set web-${h2} from 1 to 2`, `Scaled up replica set web-${h2} from 2 to 3`,
      `Scaled down replica set web-${h1} from 3 to 2`, `Scaled down replica set web-${h1} from 2 to 1`, `Scaled down replica set web-${h1} from 1 to 0`,
    ].map((m) => `deployment-controller ScalingReplicaSet ${m}`).sort());
  });

  it('scale to 0: the RS goes to 0, its pods go, the status counts are absent', async () => {
    await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(2));
    await eventually(() => done(2), 'the rollout');
    await plane.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 0 } });
    await eventually(async () => { const d = await getD(); return d.status?.observedGeneration === 2 && d.status.replicas === undefined; }, 'status replicas 0');
    await eventually(() => storePods().filter(live).length === 0, 'no pods');
    expect(storeRSs().map((r) => r.spec.replicas)).toEqual([0]);
    expect(storeRSs()[0]!.metadata!.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('0');
  });

  it('Recreate: the old RS goes to 0 and the new RS is created only once no old pod is left', async () => {
    const created = await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(2, { type: 'Recreate' }));
    const h1 = computeHash(created.spec.template);
    await eventually(() => done(2), 'the first rollout');
    const oldPodsAtNewRS: number[] = [];
    const off = plane.store.subscribe((ev) => {
      if (ev.resource === 'replicasets.apps' && ev.type === 'ADDED') {
        oldPodsAtNewRS.push(storePods().filter((p) => p.metadata!.labels!['pod-template-hash'] === h1).length);
      }
    });
    await setImage('busybox:2');
    await eventually(async () => (await getD()).metadata!.generation === 2 && await done(2), 'the recreate rollout');
    off();
    expect(oldPodsAtNewRS).toEqual([0]);
    const old = storeRSs().find((r) => r.metadata!.name === `web-${h1}`)!;
    expect(old.spec.replicas).toBe(0);
  });

  it('rollback as `kubectl rollout undo` sends it re-uses the old RS with revision 3 (history "1"); revisionHistoryLimit 1 deletes the idle oldest', async () => {
    const created = await plane.client.create<Deployment>(DEPLOYMENTS, 'default', { ...deployment(2), spec: { ...deployment(2).spec, revisionHistoryLimit: 1 } });
    const h1 = computeHash(created.spec.template);
    await eventually(() => done(2), 'rollout 1');
    await setImage('busybox:2');
    await eventually(async () => (await getD()).metadata!.generation === 2 && await done(2), 'rollout 2');
    const v1 = storeRSs().find((r) => r.metadata!.name === `web-${h1}`)!;
    const tpl = structuredClone(v1.spec.template!);
    delete tpl.metadata!.labels!['pod-template-hash'];
    await plane.client.patch(DEPLOYMENTS, 'default', 'web', 'json', [{ op: 'replace', path: '/spec/template', value: tpl }]);
    await eventually(async () => (await getD()).metadata!.generation === 3 && await done(2), 'the rollback');
    const after = storeRSs().find((r) => r.metadata!.name === `web-${h1}`)!;
    expect(after.metadata!.uid).toBe(v1.metadata!.uid);
    expect(after.spec.replicas).toBe(2);
    expect(after.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect((await getD()).metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(storeRSs()).toHaveLength(2);
    await setImage('busybox:3');
    await eventually(async () => (await getD()).metadata!.generation === 4 && await done(2) && storeRSs().length === 2, 'rollout 4 and the cleanup');
    expect(storeRSs().map((r) => r.metadata!.annotations!['deployment.kubernetes.io/revision']).sort()).toEqual(['3', '4']);
  });

  it('paused: a template change makes no RS (Progressing Unknown DeploymentPaused); resumed: it rolls out', async () => {
    await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(2));
    await eventually(() => done(2), 'rollout 1');
    await plane.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: true } });
    await setImage('busybox:2');
    await eventually(async () => (await getD()).status?.observedGeneration === 3, 'the paused template change observed');
    const progressing = (d: Deployment) => d.status!.conditions!.find((c) => c.type === 'Progressing');
    expect(progressing(await getD())).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(storeRSs()).toHaveLength(1);
    await plane.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { paused: false } });
    await eventually(async () => (await getD()).status?.observedGeneration === 4 && await done(2), 'the resumed rollout');
    expect(storeRSs()).toHaveLength(2);
  });

  it('an orphan RS with the same template and a matching selector is adopted as the new RS (no second RS)', async () => {
    const orphan = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-manual', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template('busybox:1') } };
    await plane.client.create(REPLICASETS, 'default', orphan);
    const d = await plane.client.create<Deployment>(DEPLOYMENTS, 'default', deployment(2));
    await eventually(() => done(2), 'the rollout');
    const rss = storeRSs();
    expect(rss.map((r) => r.metadata!.name)).toEqual(['web-manual']);
    expect(rss[0]!.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rss[0]!.spec.replicas).toBe(2);
    expect(rss[0]!.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
  });
});
