// Unit tests of client/http.ts (HttpKubeClient) against the REAL embedded API server (control-plane/) on an
// in-memory store: CRUD on configmaps and pods, selectors, the 409s (stale update, delete preconditions,
// already exists), 404, the four patch types, the status subresource, dry runs; and against scripted servers:
// the wire itself (paths, query, headers, bodies), non-JSON errors, unreachable and silent servers, aborts,
// and HTTPS (CA, no verification, untrusted).
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError, CONFIGMAPS, EVENTS, HttpKubeClient, isAlreadyExists, isConflict, isNotFound, isUnreachable, LEASES, NODES, PODS, type KubeObject,
} from '../../../client/index.js';
import { selfSignedCert } from '../probes/helpers.js';
import { configMap, fakeServer, pod, startPlane, type Plane } from './helpers.js';

let plane: Plane;
beforeAll(async () => { plane = await startPlane(); });
afterAll(async () => { await plane.close(); });

/** The ApiError a promise rejects with (fails the test if it resolves or throws something else). */
async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

type CM = KubeObject & { data?: Record<string, string> };
type Pod = KubeObject & { spec: { containers: { name: string; image: string }[] }; status?: { phase?: string } };

describe('HttpKubeClient against the embedded API server', () => {
  it('creates, gets and lists with label and field selectors, namespaced and cluster-wide', async () => {
    const c = plane.client;
    const a = await c.create<CM>(CONFIGMAPS, 'default', configMap('sel-a', { k: '1' }, { app: 'x' }));
    expect(a.metadata).toMatchObject({ name: 'sel-a', namespace: 'default', uid: expect.any(String), resourceVersion: expect.any(String) });
    await c.create(CONFIGMAPS, undefined, configMap('sel-b', {}, { app: 'y' })); // the namespace taken from the object
    expect((await c.get<CM>(CONFIGMAPS, 'default', 'sel-a')).data).toEqual({ k: '1' });

    const byLabel = await c.list<CM>(CONFIGMAPS, { namespace: 'default', labelSelector: 'app=x' });
    expect(byLabel.items.map((o) => o.metadata?.name)).toEqual(['sel-a']);
    expect(Number(byLabel.metadata.resourceVersion)).toBeGreaterThan(0);
    const byField = await c.list(CONFIGMAPS, { namespace: 'default', fieldSelector: 'metadata.name=sel-b' });
    expect(byField.items.map((o) => o.metadata?.name)).toEqual(['sel-b']);
    const everywhere = await c.list(CONFIGMAPS, { labelSelector: 'app in (x,y)' });
    expect(everywhere.items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort()).toEqual(['default/sel-a', 'default/sel-b']);
    expect((await c.list(NODES)).items).toEqual([]);
  });

  it('a second create is 409 AlreadyExists; a missing object is 404', async () => {
    await plane.client.create(CONFIGMAPS, 'default', configMap('twice'));
    const dup = await apiError(plane.client.create(CONFIGMAPS, 'default', configMap('twice')));
    expect([dup.code, dup.reason, isAlreadyExists(dup), isConflict(dup)]).toEqual([409, 'AlreadyExists', true, true]);
    const missing = await apiError(plane.client.get(CONFIGMAPS, 'default', 'nothing-here'));
    expect([missing.code, missing.reason, isNotFound(missing)]).toEqual([404, 'NotFound', true]);
    expect(missing.message).toContain('"nothing-here" not found');
    expect(isNotFound(await apiError(plane.client.get(LEASES, 'kube-node-lease', 'no-node')))).toBe(true);
  });

  it('update with a stale resourceVersion is 409 Conflict', async () => {
    const c = plane.client;
    const first = await c.create<CM>(CONFIGMAPS, 'default', configMap('upd', { v: '1' }));
    const second = await c.update<CM>(CONFIGMAPS, 'default', { ...first, data: { v: '2' } });
    expect(Number(second.metadata!.resourceVersion)).toBeGreaterThan(Number(first.metadata!.resourceVersion));
    const stale = await apiError(c.update<CM>(CONFIGMAPS, 'default', { ...first, data: { v: '3' } }));
    expect([stale.code, stale.reason, isConflict(stale)]).toEqual([409, 'Conflict', true]);
    expect((await c.get<CM>(CONFIGMAPS, 'default', 'upd')).data).toEqual({ v: '2' });
  });

  it('patches: merge, strategic (containers merged by name), JSON patch, server-side apply', async () => {
    const c = plane.client;
    await c.create(CONFIGMAPS, 'default', configMap('pat', { a: '1', b: '2' }));
    const merged = await c.patch<CM>(CONFIGMAPS, 'default', 'pat', 'merge', { data: { b: null, c: '3' } });
    expect(merged.data).toEqual({ a: '1', c: '3' });
    const jsonPatched = await c.patch<CM>(CONFIGMAPS, 'default', 'pat', 'json', [{ op: 'add', path: '/metadata/labels', value: { via: 'json' } }, { op: 'replace', path: '/data/a', value: '9' }]);
    expect([jsonPatched.metadata?.labels, jsonPatched.data]).toEqual([{ via: 'json' }, { a: '9', c: '3' }]);
    const applied = await c.patch<CM>(CONFIGMAPS, 'default', 'applied', 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { x: 'y' } }, { fieldManager: 'client-test', force: true });
    expect(applied.data).toEqual({ x: 'y' });
    expect((applied.metadata as { managedFields?: { manager: string }[] }).managedFields?.map((m) => m.manager)).toContain('client-test');

    await c.create(PODS, 'default', pod('smp'));
    const smp = await c.patch<Pod>(PODS, 'default', 'smp', 'strategic', { spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } });
    expect(smp.spec.containers).toEqual([expect.objectContaining({ name: 'main', image: 'busybox:1.36' })]);
  });

  it('the status subresource: get, patch and update it; a main-resource write leaves status alone', async () => {
    const c = plane.client;
    await c.create(PODS, 'default', pod('st'));
    const patched = await c.patch<Pod>(PODS, 'default', 'st', 'merge', { status: { phase: 'Running' } }, { subresource: 'status' });
    expect(patched.status?.phase).toBe('Running');
    expect((await c.get<Pod>(PODS, 'default', 'st', { subresource: 'status' })).status?.phase).toBe('Running');
    const main = await c.patch<Pod>(PODS, 'default', 'st', 'merge', { status: { phase: 'Failed' }, metadata: { labels: { l: '1' } } });
    expect([main.status?.phase, main.metadata?.labels]).toEqual(['Running', { l: '1' }]);
    const updated = await c.update<Pod>(PODS, 'default', { ...main, status: { phase: 'Succeeded' } }, { subresource: 'status' });
    expect(updated.status?.phase).toBe('Succeeded');
  });

  it('delete sends DeleteOptions: preconditions (409 on a mismatch), dry run, then gone (404)', async () => {
    const c = plane.client;
    const cm = await c.create<CM>(CONFIGMAPS, 'default', configMap('del'));
    const wrongRv = await apiError(c.delete(CONFIGMAPS, 'default', 'del', { preconditions: { resourceVersion: '1' } }));
    expect([wrongRv.code, isConflict(wrongRv)]).toEqual([409, true]);
    const wrongUid = await apiError(c.delete(CONFIGMAPS, 'default', 'del', { preconditions: { uid: 'not-the-uid' } }));
    expect(wrongUid.code).toBe(409);
    await c.delete(CONFIGMAPS, 'default', 'del', { dryRun: true });
    expect((await c.get(CONFIGMAPS, 'default', 'del')).metadata?.uid).toBe(cm.metadata?.uid);
    const gone = await c.delete(CONFIGMAPS, 'default', 'del', { preconditions: { uid: cm.metadata!.uid, resourceVersion: cm.metadata!.resourceVersion } });
    expect(gone).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'del', kind: 'configmaps', uid: cm.metadata!.uid } });
    expect(isNotFound(await apiError(c.get(CONFIGMAPS, 'default', 'del')))).toBe(true);

    await c.create(PODS, 'default', pod('del-pod'));
    const marked = await c.delete(PODS, 'default', 'del-pod', { gracePeriodSeconds: 0 });
    expect(marked.metadata?.name).toBe('del-pod');
    expect(isNotFound(await apiError(c.get(PODS, 'default', 'del-pod')))).toBe(true);
  });

  it('a dry-run create answers the object and stores nothing', async () => {
    const dry = await plane.client.create<CM>(CONFIGMAPS, 'default', configMap('dry'), { dryRun: true });
    expect(dry.metadata?.name).toBe('dry');
    expect(isNotFound(await apiError(plane.client.get(CONFIGMAPS, 'default', 'dry')))).toBe(true);
  });
});

describe('HttpKubeClient on the wire', () => {
  it('sends the paths, query, headers and bodies kube-apiserver expects', async () => {
    const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
    const srv = await fakeServer((req, res) => {
      let body = '';
      req.on('data', (b: Buffer) => { body += b.toString(); });
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Lease","metadata":{"resourceVersion":"7"},"items":[]}');
      });
    });
    const c = new HttpKubeClient({ server: `${srv.url}/prefix/`, token: 'sekret', userAgent: 'tester/1' });
    try {
      await c.get(LEASES, 'kube-node-lease', 'n1');
      await c.list(PODS, { namespace: 'ns', labelSelector: 'a=b', fieldSelector: 'spec.nodeName=n1', resourceVersion: '0', limit: 5, continue: 'tok' });
      await c.create(EVENTS, 'ns', { metadata: { name: 'e' } }, { dryRun: true, fieldManager: 'fm' });
      await c.patch(PODS, 'ns', 'p', 'strategic', { a: 1 }, { subresource: 'status' });
      await c.patch(PODS, 'ns', 'p', 'apply', { a: 1 }, { fieldManager: 'fm', force: true });
      await c.update(NODES, undefined, { metadata: { name: 'n1' } });
      await c.delete(PODS, 'ns', 'p', { gracePeriodSeconds: 5, propagationPolicy: 'Background', preconditions: { uid: 'u' }, dryRun: true });
      await c.create(PODS, 'ns', { metadata: { name: 'p' }, target: {} } as KubeObject, { subresource: 'binding' });
    } finally {
      await c.close();
      await srv.close();
    }
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /prefix/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1',
      'GET /prefix/api/v1/namespaces/ns/pods?labelSelector=a%3Db&fieldSelector=spec.nodeName%3Dn1&resourceVersion=0&limit=5&continue=tok',
      'POST /prefix/api/v1/namespaces/ns/events?dryRun=All&fieldManager=fm',
      'PATCH /prefix/api/v1/namespaces/ns/pods/p/status',
      'PATCH /prefix/api/v1/namespaces/ns/pods/p?fieldManager=fm&force=true',
      'PUT /prefix/api/v1/nodes/n1',
      'DELETE /prefix/api/v1/namespaces/ns/pods/p?dryRun=All',
      'POST /prefix/api/v1/namespaces/ns/pods/p/binding',
    ]);
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer sekret', accept: 'application/json', 'user-agent': 'tester/1' });
    expect(seen.map((r) => r.headers['content-type'])).toEqual([
      undefined, undefined, 'application/json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/json', 'application/json', 'application/json',
    ]);
    expect(JSON.parse(seen[6]!.body)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5, propagationPolicy: 'Background', preconditions: { uid: 'u' }, dryRun: ['All'] });
    expect(JSON.parse(seen[3]!.body)).toEqual({ a: 1 });
  });

  it('a non-JSON error body is an ApiError with the code and the text; a Status body is taken as is', async () => {
    const srv = await fakeServer((req, res) => {
      if (req.url!.includes('/status')) res.writeHead(429, { 'content-type': 'application/json' }).end('{"kind":"Status","status":"Failure","message":"slow down","reason":"TooManyRequests","details":{"retryAfterSeconds":2}}');
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway upstream');
    });
    const c = new HttpKubeClient({ server: srv.url });
    try {
      const text = await apiError(c.get(PODS, 'ns', 'p'));
      expect([text.code, text.reason]).toEqual([502, 'InternalError']);
      expect(text.message).toContain('bad gateway upstream');
      const status = await apiError(c.get(PODS, 'ns', 'p', { subresource: 'status' }));
      expect([status.code, status.reason, status.message, status.status.details?.retryAfterSeconds]).toEqual([429, 'TooManyRequests', 'slow down', 2]);
    } finally {
      await c.close();
      await srv.close();
    }
  });

  it('an unreachable server is code 0 (Unreachable); a silent one too, after timeoutMs', async () => {
    const gone = await fakeServer(() => {});
    await gone.close();
    const down = new HttpKubeClient({ server: gone.url });
    const refused = await apiError(down.get(PODS, 'ns', 'p'));
    expect([refused.code, refused.reason, isUnreachable(refused)]).toEqual([0, 'Unreachable', true]);
    expect(refused.message).toContain(gone.url);
    await down.close();

    const silent = await fakeServer(() => {});
    const c = new HttpKubeClient({ server: silent.url, timeoutMs: 100 });
    try {
      const late = await apiError(c.list(PODS));
      expect([late.code, isUnreachable(late)]).toEqual([0, true]);
      expect(late.message).toContain('no answer within 100 ms');
    } finally {
      await c.close();
      await silent.close();
    }
  });

  it('a call aborted by its own signal rejects with the abort, not an ApiError', async () => {
    const silent = await fakeServer(() => {});
    const c = new HttpKubeClient({ server: silent.url });
    try {
      const ac = new AbortController();
      const p = c.get(PODS, 'ns', 'p', { signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      const e = await p.then(() => undefined, (err: unknown) => err);
      expect(e).not.toBeInstanceOf(ApiError);
      expect((e as Error).name).toBe('AbortError');
    } finally {
      await c.close();
      await silent.close();
    }
  });

  it('HTTPS: trusts the given CA, or skips verification when asked; an unknown CA is Unreachable', async () => {
    const { key, cert } = selfSignedCert();
    const srv = createHttpsServer({ key, cert }, (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Pod","metadata":{"name":"p"}}'); });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    const clients = [
      new HttpKubeClient({ server: `https://localhost:${port}`, ca: cert }),
      new HttpKubeClient({ server: `https://127.0.0.1:${port}`, insecureSkipTLSVerify: true }),
      new HttpKubeClient({ server: `https://localhost:${port}` }),
    ];
    try {
      expect((await clients[0]!.get(PODS, 'ns', 'p')).metadata?.name).toBe('p');
      expect((await clients[1]!.get(PODS, 'ns', 'p')).metadata?.name).toBe('p');
      const untrusted = await apiError(clients[2]!.get(PODS, 'ns', 'p'));
      expect(untrusted.code).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      srv.closeAllConnections();
      await new Promise<void>((ok) => srv.close(() => ok()));
    }
  });
});
