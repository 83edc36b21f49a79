// Deleting API pods over HTTP (agent/api-server/pods.ts → api-source.ts → the real SyncLoop and PodManager;
// the pod workers are a recorder): a second delete of a terminating pod is accepted as the API server
// accepts it (200 with the pod; the grace period only shrinks and deletionTimestamp moves earlier by as
// much; `--force --grace-period=0` removes the object at once), the shorter grace reaches the workers, and
// a pod re-created under the same name is a new pod with a new UID (a client cannot choose the UID).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { registerApiRoutes, type KubeApi } from '../../../agent/api-server/index.js';
import { EventRecorder } from '../../../agent/events/recorder.js';
import { createLogger } from '../../../agent/log.js';
import { PodCache } from '../../../agent/pleg/pod-cache.js';
import { PodManager } from '../../../agent/pod-manager.js';
import type { PodWorkers } from '../../../agent/pod-workers/pod-workers.js';
import { Router, startServer, type StartedServer } from '../../../agent/server/server.js';
import { StatusManager } from '../../../agent/status-manager.js';
import { SyncLoop } from '../../../agent/sync-loop.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Rig {
  url: string;
  pods: PodManager;
  terminated: [string, number | undefined][];
  clock: { t: number };
  req(method: string, path: string, body?: unknown): Promise<{ code: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const rootDir = mkdtempSync(join(tmpdir(), 'mk-api-delete-'));
  const clock = { t: T0 };
  const now = () => clock.t;
  const pods = new PodManager();
  const terminated: [string, number | undefined][] = [];
  // The pod workers as the sync loop sees them: every pod has a worker that never finishes on its own.
  const workers = {
    update: () => undefined,
    terminate: (uid: string, grace?: number) => { terminated.push([uid, grace]); },
    has: () => true,
    done: () => new Promise<void>(() => undefined),
  } as unknown as PodWorkers;
  const loop = new SyncLoop({ pods, workers, now, maxPods: 10, onRejected: () => undefined });
  const log = createLogger({ level: 'silent', pretty: false });
  const router = new Router();
  const api: KubeApi = registerApiRoutes(router, {
    nodeName: 'node-1', rootDir, maxPods: 10, address: '127.0.0.1', hostIP: '10.0.0.1',
    pods, statuses: new StatusManager(), events: new EventRecorder('node-1', now), cache: new PodCache(),
    runtime: {} as never, loop, now, log,
  });
  const server: StartedServer = await startServer(router, '127.0.0.1', 0, log);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url, pods, terminated, clock,
    async req(method, path, body) {
      const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { code: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() { api.close(); await server.close(); rmSync(rootDir, { recursive: true, force: true }); },
  };
}

const podBody = (name: string, grace = 30) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'main', image: 'busybox' }] },
});
const PODS = '/api/v1/namespaces/default/pods';
const del = (grace?: number) => ({ kind: 'DeleteOptions', apiVersion: 'v1', ...(grace === undefined ? {} : { gracePeriodSeconds: grace }) });
const meta = (b: Record<string, unknown>) => (b as Pod).metadata!;

let r: Rig;
beforeEach(async () => { r = await rig(); });
afterEach(async () => { await r.close(); });

describe('deleting a terminating API pod again', () => {
  it('is accepted: a shorter grace shrinks the period and moves deletionTimestamp earlier; a longer one changes nothing', async () => {
    const created = await r.req('POST', PODS, podBody('web'));
    expect(created.code).toBe(201);
    const uid = meta(created.body).uid!;

    const first = await r.req('DELETE', `${PODS}/web`, del());
    expect(first.code).toBe(200);
    expect(meta(first.body)).toMatchObject({ uid, deletionGracePeriodSeconds: 30, deletionTimestamp: at(T0 + 30_000) });

    r.clock.t = T0 + 5000;
    const second = await r.req('DELETE', `${PODS}/web`, del(10));
    expect(second.code).toBe(200);
    expect(second.body.kind).toBe('Pod');
    // The API server's rule: the new deadline is the first deletion's start plus the new grace.
    expect(meta(second.body)).toMatchObject({ uid, deletionGracePeriodSeconds: 10, deletionTimestamp: at(T0 + 10_000) });
    expect(r.terminated).toEqual([[uid, undefined], [uid, 10]]);

    const longer = await r.req('DELETE', `${PODS}/web`, del(20));
    expect(longer.code).toBe(200);
    expect(meta(longer.body)).toMatchObject({ uid, deletionGracePeriodSeconds: 10, deletionTimestamp: at(T0 + 10_000) });
    const plain = await r.req('DELETE', `${PODS}/web`);
    expect(plain.code).toBe(200);
    expect(meta(plain.body)).toMatchObject({ uid, deletionGracePeriodSeconds: 10 });
    expect(r.terminated).toEqual([[uid, undefined], [uid, 10]]);
    expect(meta((await r.req('GET', `${PODS}/web`)).body)).toMatchObject({ uid, deletionGracePeriodSeconds: 10, deletionTimestamp: at(T0 + 10_000) });
  });

  it('--force --grace-period=0 removes the object from the API at once and passes grace 0 down', async () => {
    const uid = meta((await r.req('POST', PODS, podBody('web'))).body).uid!;
    expect((await r.req('DELETE', `${PODS}/web`, del())).code).toBe(200);
    const force = await r.req('DELETE', `${PODS}/web`, del(0));
    expect(force.code).toBe(200);
    expect(meta(force.body)).toMatchObject({ name: 'web', uid, deletionGracePeriodSeconds: 0, deletionTimestamp: at(T0) });
    expect((await r.req('GET', `${PODS}/web`)).code).toBe(404);
    expect(((await r.req('GET', PODS)).body.items as Pod[]).map((p) => p.metadata?.name)).toEqual([]);
    expect(r.terminated).toEqual([[uid, undefined], [uid, 0]]);
    // The containers still stop (the worker has the pod), but the name is free for a new pod.
    expect(r.pods.get(uid)?.pod.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect((await r.req('DELETE', `${PODS}/web`, del(0))).code).toBe(404);
    const again = await r.req('POST', PODS, podBody('web'));
    expect(again.code).toBe(201);
    expect(meta(again.body).uid).not.toBe(uid);
  });

  it('a dry run of the second delete changes nothing', async () => {
    const uid = meta((await r.req('POST', PODS, podBody('web'))).body).uid!;
    await r.req('DELETE', `${PODS}/web`, del());
    const dry = await r.req('DELETE', `${PODS}/web?dryRun=All`, del(0));
    expect(dry.code).toBe(200);
    expect(meta(dry.body)).toMatchObject({ uid, deletionGracePeriodSeconds: 30 });
    expect((await r.req('GET', `${PODS}/web`)).code).toBe(200);
    expect(r.terminated).toEqual([[uid, undefined]]);
  });

  it('a terminating API pod cannot be replaced or patched (409), and is never called "not an API pod" (403)', async () => {
    await r.req('POST', PODS, podBody('web'));
    await r.req('DELETE', `${PODS}/web`, del());
    const put = await r.req('PUT', `${PODS}/web`, { ...podBody('web'), metadata: { name: 'web', labels: { a: 'b' } } });
    expect(put.code).toBe(409);
    expect(String(put.body.message)).toBe('Operation cannot be fulfilled on pods "web": the pod is being deleted');
    const patch = await fetch(`${r.url}${PODS}/web`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"metadata":{"labels":{"a":"b"}}}' });
    expect(patch.status).toBe(409);
  });
});

describe('re-creating an API pod', () => {
  it('always gives a new UID: a uid in the body is ignored, and the old UID is never handed out again', async () => {
    const first = meta((await r.req('POST', PODS, podBody('web', 0))).body).uid!;
    expect((await r.req('DELETE', `${PODS}/web`, del(0))).code).toBe(200);
    const body = { ...podBody('web'), metadata: { name: 'web', uid: first } };
    const second = await r.req('POST', PODS, body);
    expect(second.code).toBe(201);
    expect(meta(second.body).uid).not.toBe(first);
    expect(r.pods.get(meta(second.body).uid!)).toBeDefined();
  });
});
