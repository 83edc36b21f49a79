// Table tests of the Deployment controller's pure decisions (control-plane-semantics.md §1.2–§1.14): the
// pod-template-hash, the rolling-update arithmetic, one sync step of RollingUpdate / Recreate / proportional
// scaling / pause, conditions, status, revisions and the ScalingReplicaSet events, on a fixed clock.
import { describe, expect, it } from 'vitest';
import { computeHash, equalIgnoreHash, fnv32a, safeEncode } from '../../../control-plane/controllers/deployment/hash.js';
import { maxSurge, maxUnavailable, resolveFenceposts } from '../../../control-plane/controllers/deployment/arithmetic.js';
import { syncDeployment } from '../../../control-plane/controllers/deployment/decide.js';
import { appendHistory, replicaSetsToClean } from '../../../control-plane/controllers/deployment/revision.js';
import type { Deployment, ReplicaSet } from '../../../control-plane/controllers/deployment/types.js';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function deploy(o: { replicas?: number; image?: string; surge?: number | string; unavail?: number | string; recreate?: boolean; paused?: boolean; generation?: number; status?: Deployment['status']; limit?: number } = {}): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: o.generation ?? 1 },
    spec: {
      replicas: o.replicas ?? 3, selector: { matchLabels: { app: 'web' } }, template: template(o.image ?? 'v1'),
      strategy: o.recreate ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.surge ?? '25%', maxUnavailable: o.unavail ?? '25%' } },
      revisionHistoryLimit: o.limit ?? 10, progressDeadlineSeconds: 600, ...(o.paused ? { paused: true } : {}),
    },
    status: o.status ?? {},
  };
}

function rs(name: string, image: string, spec: number, avail: number, o: { rev?: number; created?: string; desired?: number; max?: number; statusReplicas?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name, namespace: 'default', uid: `${name}-uid`, generation: 1, creationTimestamp: o.created ?? '2026-12-01T09:00:00Z',
      annotations: { 'deployment.kubernetes.io/revision': String(o.rev ?? 1), 'deployment.kubernetes.io/desired-replicas': String(o.desired ?? 3), 'deployment.kubernetes.io/max-replicas': String(o.max ?? 4) },
    },
    spec: { replicas: spec, selector: { matchLabels: { app: 'web' } }, template: { ...template(image), metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(4) } } } },
    status: { replicas: o.statusReplicas ?? spec, readyReplicas: avail, availableReplicas: avail, observedGeneration: 1 },
  };
}

const sizes = (d: ReturnType<typeof syncDeployment>) => d.actions.map((a) => `${a.op} ${a.rs.metadata!.name} ${a.rs.spec.replicas}`);
const messages = (d: ReturnType<typeof syncDeployment>) => d.actions.flatMap((a) => a.events.map((e) => e.message));

describe('pod-template-hash (§1.2)', () => {
  it('FNV-32a of known vectors', () => {
    expect(fnv32a(new TextEncoder().encode(''))).toBe(0x811c9dc5);
    expect(fnv32a(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv32a(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });
  it('SafeEncodeString maps digits to 4–9 b c d f', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });
  it('is stable, only from the safe alphabet, ignores key order and changes with the template and collisionCount', () => {
    const h = computeHash(template('v1'));
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash({ spec: { containers: [{ image: 'v1', name: 'c' }] }, metadata: { labels: { app: 'web' } } })).toBe(h);
    expect(computeHash(template('v2'))).not.toBe(h);
    expect(computeHash(template('v1'), 1)).not.toBe(h);
    expect(computeHash(template('v1'), 1)).not.toBe(computeHash(template('v1'), 2));
  });
  it('EqualIgnoreHash ignores only the pod-template-hash label', () => {
    expect(equalIgnoreHash(template('v1'), { ...template('v1'), metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } } })).toBe(true);
    expect(equalIgnoreHash(template('v1'), template('v2'))).toBe(false);
  });
});

describe('rolling-update arithmetic (§1.4)', () => {
  it.each([
    [1, 1, 0], [3, 1, 0], [4, 1, 1], [10, 3, 2],
  ])('replicas %i with 25%%/25%% → surge %i, unavailable %i', (replicas, surge, unavail) => {
    expect([maxSurge(deploy({ replicas })), maxUnavailable(deploy({ replicas }))]).toEqual([surge, unavail]);
  });
  it('both 0 → unavailable 1; Recreate and replicas 0 → 0', () => {
    expect(resolveFenceposts(0, 0, 5)).toEqual([0, 1]);
    expect(resolveFenceposts('0%', '10%', 5)).toEqual([0, 1]);
    expect(maxUnavailable(deploy({ recreate: true }))).toBe(0);
    expect(maxSurge(deploy({ recreate: true }))).toBe(0);
    expect(maxUnavailable(deploy({ replicas: 0 }))).toBe(0);
  });
});

describe('one RollingUpdate sync', () => {
  it('a new Deployment: RS <name>-<hash> with all replicas, labels, owner, annotations, Progressing/Available', () => {
    const d = deploy();
    const out = syncDeployment({ deployment: d, replicaSets: [], now: NOW });
    const hash = computeHash(d.spec.template);
    expect(sizes(out)).toEqual([`create web-${hash} 3`]);
    const created = out.actions[0]!.rs;
    expect(created.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(created.spec.selector!.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(created.spec.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(created.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
    expect(created.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(messages(out)).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
    expect(out.statusUpdate!.metadata!.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    const conds = out.statusUpdate!.status!.conditions!;
    expect(conds.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "web-${hash}"` });
    expect(conds.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(out.statusUpdate!.status).toMatchObject({ observedGeneration: 1, unavailableReplicas: 3 });
  });

  it('an image change with 3 replicas: new RS created at 1 (surge 1), old kept at 3 (unavailable 0)', () => {
    const old = rs('web-old1', 'v1', 3, 3);
    const out = syncDeployment({ deployment: deploy({ image: 'v2', generation: 2 }), replicaSets: [old], now: NOW });
    const hash = computeHash(template('v2'));
    expect(sizes(out)).toEqual([`create web-${hash} 1`]);
    expect(out.actions[0]!.rs.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(messages(out)).toEqual([`Scaled up replica set web-${hash} from 0 to 1`]);
  });

  it('the new pod available → the old RS goes down by one, event "Scaled down … from 3 to 2"', () => {
    const old = rs('web-old1', 'v1', 3, 3);
    const nw = rs('web-new2', 'v2', 1, 1, { rev: 2, created: '2026-12-01T09:30:00Z' });
    const out = syncDeployment({ deployment: deploy({ image: 'v2' }), replicaSets: [old, nw], now: NOW });
    expect(sizes(out)).toEqual(['update web-old1 2']);
    expect(messages(out)).toEqual(['Scaled down replica set web-old1 from 3 to 2']);
  });

  it('the new pod not available → nothing scales (rollout stalls at surge + unavailable)', () => {
    const old = rs('web-old1', 'v1', 3, 3);
    const nw = rs('web-new2', 'v2', 1, 0, { rev: 2, created: '2026-12-01T09:30:00Z' });
    expect(sizes(syncDeployment({ deployment: deploy({ image: 'v2' }), replicaSets: [old, nw], now: NOW }))).toEqual([]);
  });

  it('old capacity freed → the new RS scales up to replicas + surge − current', () => {
    const old = rs('web-old1', 'v1', 2, 2);
    const nw = rs('web-new2', 'v2', 1, 1, { rev: 2, created: '2026-12-01T09:30:00Z' });
    const out = syncDeployment({ deployment: deploy({ image: 'v2' }), replicaSets: [old, nw], now: NOW });
    expect(sizes(out)).toEqual(['update web-new2 2']);
    expect(messages(out)).toEqual(['Scaled up replica set web-new2 from 1 to 2']);
  });

  it('10 replicas (surge 3, unavailable 2): unhealthy old replicas are cleaned up first, then down to minAvailable 8', () => {
    const old = rs('web-old1', 'v1', 10, 8, { desired: 10, max: 13 });
    const nw = rs('web-new2', 'v2', 3, 3, { rev: 2, created: '2026-12-01T09:30:00Z', desired: 10, max: 13 });
    const out = syncDeployment({ deployment: deploy({ replicas: 10, image: 'v2' }), replicaSets: [old, nw], now: NOW });
    // maxScaledDown = 13 − 8 − 0 = 5: 2 unhealthy, then available 8+3 − 8 = 3 more
    expect(sizes(out)).toEqual(['update web-old1 5']);
    expect(messages(out)).toEqual(['Scaled down replica set web-old1 from 10 to 8', 'Scaled down replica set web-old1 from 8 to 5']);
  });

  it('complete: Progressing NewReplicaSetAvailable, Available True, old revisions beyond the limit deleted', () => {
    const olds = [rs('web-old1', 'v0', 0, 0, { rev: 1 }), rs('web-old2', 'v1', 0, 0, { rev: 2, created: '2026-12-01T09:10:00Z' })];
    const nw = rs('web-new3', 'v2', 3, 3, { rev: 3, created: '2026-12-01T09:30:00Z' });
    const status = { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
    const out = syncDeployment({ deployment: deploy({ image: 'v2', limit: 1, status }), replicaSets: [...olds, nw], now: NOW });
    expect(sizes(out)).toEqual(['delete web-old1 0']);
    const conds = out.statusUpdate!.status!.conditions!;
    expect(conds.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-new3" has successfully progressed.' });
    expect(conds.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  });

  it('a second identical sync writes nothing (idempotent)', () => {
    const first = syncDeployment({ deployment: deploy(), replicaSets: [], now: NOW });
    const created = { ...first.actions[0]!.rs, metadata: { ...first.actions[0]!.rs.metadata, uid: 'rs-uid', creationTimestamp: '2026-12-01T10:00:00Z', generation: 1 } } as ReplicaSet;
    const again = syncDeployment({ deployment: first.statusUpdate!, replicaSets: [created], now: NOW + 1000 });
    expect(again.actions).toEqual([]);
    expect(again.statusUpdate).toBeUndefined();
  });

  it('timed out: Progressing False ProgressDeadlineExceeded after lastUpdateTime + 600 s', () => {
    const old = rs('web-old1', 'v1', 3, 3);
    const nw = rs('web-new2', 'v2', 1, 0, { rev: 2, created: '2026-12-01T09:30:00Z' });
    const status = { observedGeneration: 1, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: '2026-12-01T09:49:00Z', lastTransitionTime: '2026-12-01T09:49:00Z' }] };
    const out = syncDeployment({ deployment: deploy({ image: 'v2', status }), replicaSets: [old, nw], now: NOW });
    expect(out.statusUpdate!.status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new2" has timed out progressing.' });
  });
});

describe('Recreate (§1.6)', () => {
  it('old RS to 0 first; no new RS while old pods run; then the new RS at full size', () => {
    const d = deploy({ recreate: true, image: 'v2' });
    const old = rs('web-old1', 'v1', 3, 3);
    expect(sizes(syncDeployment({ deployment: d, replicaSets: [old], now: NOW }))).toEqual(['update web-old1 0']);
    const draining = rs('web-old1', 'v1', 0, 0, { statusReplicas: 0 });
    const pods = new Map([['web-old1-uid', [{ metadata: { name: 'p' }, status: { phase: 'Running' } }]]]);
    expect(sizes(syncDeployment({ deployment: d, replicaSets: [draining], podsByReplicaSet: pods, now: NOW }))).toEqual([]);
    const gone = new Map([['web-old1-uid', [{ metadata: { name: 'p' }, status: { phase: 'Succeeded' } }]]]);
    expect(sizes(syncDeployment({ deployment: d, replicaSets: [draining], podsByReplicaSet: gone, now: NOW }))).toEqual([`create web-${computeHash(template('v2'))} 3`]);
  });
});

describe('scaling in flight, pause (§1.7, §1.11)', () => {
  it('scale 10 → 20 mid-rollout: spread by max-replicas annotation, leftovers to the largest, newer first', () => {
    const old = rs('web-old1', 'v1', 8, 8, { desired: 10, max: 13 });
    const nw = rs('web-new2', 'v2', 5, 0, { rev: 2, created: '2026-12-01T09:30:00Z', desired: 10, max: 13 });
    const out = syncDeployment({ deployment: deploy({ replicas: 20, image: 'v2' }), replicaSets: [old, nw], now: NOW });
    // allowed 20 + 5 = 25, to add 12: old 8·25/13 = 15.4 → +7, new 5·25/13 = 9.6 → +5
    expect(sizes(out)).toEqual(['update web-old1 15', 'update web-new2 10']);
    expect(out.actions.every((a) => a.rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'] === '20')).toBe(true);
  });
  it('one active RS: scaled straight to replicas (also to 0)', () => {
    const only = rs('web-old1', 'v1', 3, 3);
    const out = syncDeployment({ deployment: deploy({ replicas: 0 }), replicaSets: [only], now: NOW });
    expect(sizes(out)).toEqual(['update web-old1 0']);
    expect(messages(out)).toEqual(['Scaled down replica set web-old1 from 3 to 0']);
  });
  it('paused: no rollout of a new template, Progressing Unknown DeploymentPaused', () => {
    const old = rs('web-old1', 'v1', 3, 3);
    const out = syncDeployment({ deployment: deploy({ image: 'v2', paused: true }), replicaSets: [old], now: NOW });
    expect(sizes(out)).toEqual([]);
    expect(out.statusUpdate!.status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
  });
});

describe('revisions (§1.11)', () => {
  it('a rollback (template equal to an old RS) re-uses it with revision max+1 and records the old one in revision-history', () => {
    const v1 = rs('web-old1', 'v1', 0, 0, { rev: 1 });
    const v2 = rs('web-new2', 'v2', 3, 3, { rev: 2, created: '2026-12-01T09:30:00Z' });
    const out = syncDeployment({ deployment: deploy({ image: 'v1', generation: 3 }), replicaSets: [v1, v2], now: NOW });
    const back = out.actions.find((a) => a.rs.metadata!.name === 'web-old1')!.rs;
    expect(back.metadata!.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(out.statusUpdate!.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('3');
  });
  it('a restart (restartedAt annotation in the template) makes a new RS', () => {
    const d = deploy();
    d.spec.template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-12-01T10:00:00Z' };
    const out = syncDeployment({ deployment: d, replicaSets: [rs('web-old1', 'v1', 3, 3)], now: NOW });
    expect(out.actions[0]).toMatchObject({ op: 'create' });
    expect(out.actions[0]!.rs.metadata!.name).toBe(`web-${computeHash(d.spec.template)}`);
  });
  it('revision-history is capped at 2000 chars, dropping the oldest', () => {
    const long = Array.from({ length: 500 }, (_, i) => String(1000 + i)).join(',');
    const out = appendHistory(long, '9999');
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.endsWith(',9999')).toBe(true);
    expect(out.startsWith('1000,')).toBe(false);
  });
  it('cleanup deletes only idle old RSes, lowest revisions first', () => {
    const busy = rs('web-a', 'v0', 1, 1, { rev: 1 });
    const idle = rs('web-b', 'v1', 0, 0, { rev: 2 });
    const idle2 = rs('web-c', 'v2', 0, 0, { rev: 3 });
    expect(replicaSetsToClean([idle2, idle, busy], deploy({ limit: 1 })).map((r) => r.metadata!.name)).toEqual(['web-b']);
  });
});
