// Unit tests of the API server over HTTP (control-plane/apiserver/server.ts and its handlers) on an in-memory
// store: discovery (legacy and aggregated) and OpenAPI as kubectl reads them, Table negotiation, Status
// errors, deletions, protobuf bodies of typed creates, content types of PATCH, and watch streams (Table
// events, 410 as an ERROR event, sendInitialEvents with its end bookmark or a 422, timeoutSeconds).
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../../control-plane/store/index.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

let api: ApiServer | undefined;
let store: ObjectStore | undefined;
afterEach(async () => { await api?.close(); await store?.close(); api = undefined; store = undefined; });

async function serve(historySize?: number): Promise<ApiServer> {
  store = await openStore({ historySize });
  api = await startApiServer({ store });
  return api;
}

interface Reply { status: number; type: string; body: any }
async function call(path: string, init: { method?: string; body?: string | Buffer; type?: string; accept?: string } = {}): Promise<Reply> {
  const r = await fetch(`${api!.url}${path}`, {
    method: init.method ?? 'GET', body: init.body,
    headers: { ...(init.type ? { 'Content-Type': init.type } : {}), ...(init.accept ? { Accept: init.accept } : {}) },
  });
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: text && r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}
const post = (path: string, obj: object) => call(path, { method: 'POST', body: JSON.stringify(obj), type: 'application/json' });

/** Reads a watch response's events until `n` arrived or the stream ended. */
function watch(path: string, n: number, accept = 'application/json'): Promise<Array<{ type: string; object: any }>> {
  return new Promise((resolve, reject) => {
    const req = request(`${api!.url}${path}`, { headers: { Accept: accept } }, (res) => {
      let buf = '';
      const events: Array<{ type: string; object: any }> = [];
      const done = () => { req.destroy(); resolve(events); };
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) { events.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
        if (events.length >= n) done();
      });
      res.on('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('discovery and OpenAPI', () => {
  it('version, legacy and aggregated discovery built from the registry', async () => {
    await serve();
    expect((await call('/version')).body).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.0-mini' });
    expect((await call('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await call('/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual(['events.k8s.io', 'coordination.k8s.io', 'apps', 'extensions', 'batch', 'storage.k8s.io']);
    const v1 = (await call('/api/v1')).body;
    expect(v1.resources).toContainEqual({ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'] });
    expect(v1.resources).toContainEqual({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect((await call('/apis/coordination.k8s.io/v1')).body.resources[0]).toMatchObject({ name: 'leases', kind: 'Lease', namespaced: true });
    const agg = await call('/api', { accept: AGGREGATED });
    expect(agg.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(agg.body.items[0].versions[0].resources).toContainEqual(expect.objectContaining({
      resource: 'namespaces', scope: 'Cluster', singularResource: 'namespace', shortNames: ['ns'], responseKind: { group: '', version: 'v1', kind: 'Namespace' },
      subresources: [{ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Namespace' }, verbs: ['get', 'patch', 'update'] }],
    }));
    expect((await call('/apis', { accept: AGGREGATED })).body.items.map((g: { metadata: { name: string } }) => g.metadata.name)).toEqual(['events.k8s.io', 'coordination.k8s.io', 'apps', 'extensions', 'batch', 'storage.k8s.io']);
  });

  it('OpenAPI: v2 empty; v3 per group version with server-side field validation and explainable schemas', async () => {
    await serve();
    const v2 = await call('/openapi/v2');
    expect([v2.status, v2.type, v2.body]).toEqual([200, 'application/octet-stream', '']);
    const root = (await call('/openapi/v3')).body;
    expect(Object.keys(root.paths)).toEqual([
      'api/v1', 'apis/events.k8s.io/v1', 'apis/coordination.k8s.io/v1', 'apis/apps/v1', 'apis/apps/v1beta2', 'apis/extensions/v1beta1', 'apis/apps/v1beta1',
      'apis/batch/v1', 'apis/batch/v1beta1', 'apis/batch/v2alpha1', 'apis/storage.k8s.io/v1',
    ]);
    const doc = (await call(root.paths['apis/coordination.k8s.io/v1'].serverRelativeURL)).body;
    const patch = doc.paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(patch).not.toHaveProperty('requestBody');
    expect(doc.components.schemas['io.k8s.api.coordination.v1.Lease']['x-kubernetes-group-version-kind']).toEqual([{ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }]);
  });
});

// ---- a hand-made protobuf body (what kubectl's typed `create configmap` posts) ----
const varint = (n: number): number[] => { const out: number[] = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return out; };
const field = (no: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([...varint(no * 8 + 2), ...varint(bytes.length)]), bytes]);
const str = (no: number, s: string): Buffer => field(no, Buffer.from(s));
const entry = (no: number, k: string, v: Buffer): Buffer => field(no, Buffer.concat([str(1, k), field(2, v)]));

describe('resources over HTTP', () => {
  it('create (JSON, YAML, protobuf), get as object or Table, list as List or Table', async () => {
    await serve();
    expect((await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } })).status).toBe(201);
    expect((await call('/api/v1/namespaces/default/configmaps', { method: 'POST', type: 'application/yaml', body: 'metadata: {name: b}\ndata: {k: v, l: w}\n' })).status).toBe(201);
    const meta = Buffer.concat([str(1, 'c'), str(2, ''), str(3, 'default')]);
    const raw = Buffer.concat([field(1, meta), entry(2, 'key', Buffer.from('value')), entry(3, 'bin', Buffer.from([0, 1, 2]))]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, Buffer.concat([str(1, 'v1'), str(2, 'ConfigMap')])), field(2, raw)]);
    const made = await call('/api/v1/namespaces/default/configmaps', { method: 'POST', type: 'application/vnd.kubernetes.protobuf', body });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { key: 'value' }, binaryData: { bin: 'AAEC' } });
    expect(made.body.metadata).not.toHaveProperty('generateName');

    expect((await call('/api/v1/namespaces/default/configmaps/a')).body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
    const one = (await call('/api/v1/namespaces/default/configmaps/b', { accept: TABLE })).body;
    expect(one).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [{ cells: ['b', 2, '0s'], object: { kind: 'PartialObjectMetadata', metadata: { name: 'b' } } }] });
    const list = (await call('/api/v1/configmaps?labelSelector=app%3Dx')).body;
    expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', items: [{ metadata: { name: 'a' } }] });
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    const rows = (await call('/api/v1/namespaces/default/configmaps?limit=500', { accept: TABLE })).body.rows;
    expect(rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['a', 'b', 'c']);
  });

  it('Status errors: unknown path and resource 404, wrong method 405, bad selectors 400, unknown patch type 415, apply needs a manager', async () => {
    await serve();
    expect((await call('/nope')).body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
    expect((await call('/api/v1/namespaces/default/widgets')).status).toBe(404);
    expect((await call('/api/v1/namespaces/default/configmaps/a/status')).status).toBe(404);
    expect((await call('/api/v1/namespaces/default/configmaps/x')).body).toMatchObject({ code: 404, message: 'configmaps "x" not found', details: { name: 'x', kind: 'configmaps' } });
    expect((await call('/api/v1/configmaps', { method: 'POST', body: '{}', type: 'application/json' })).status).toBe(405);
    expect((await call('/api/v1/configmaps?labelSelector=a%20in')).body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect((await call('/api/v1/pods?fieldSelector=spec.nope%3Dx')).body).toMatchObject({ code: 400, message: 'field label not supported: spec.nope' });
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
    expect((await call('/api/v1/namespaces/default/configmaps/a', { method: 'PATCH', body: '{}', type: 'text/plain' })).status).toBe(415);
    expect((await call('/api/v1/namespaces/default/configmaps/a', { method: 'PATCH', body: '{}', type: 'application/apply-patch+yaml' })).status).toBe(400);
  });

  it('DELETE answers a Success Status, or the object for pods and objects still being deleted; dryRun deletes nothing', async () => {
    await serve();
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'f', finalizers: ['x.io/hold'] } });
    expect((await call('/api/v1/namespaces/default/configmaps/a?dryRun=All', { method: 'DELETE' })).status).toBe(200);
    const gone = (await call('/api/v1/namespaces/default/configmaps/a', { method: 'DELETE', body: '{"propagationPolicy":"Background"}', type: 'application/json' })).body;
    expect(gone).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', kind: 'configmaps' } });
    const held = (await call('/api/v1/namespaces/default/configmaps/f', { method: 'DELETE' })).body;
    expect(held).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'f', deletionTimestamp: expect.any(String) } });
    await post('/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    expect((await call('/api/v1/namespaces/default/pods/p', { method: 'DELETE' })).body).toMatchObject({ kind: 'Pod', metadata: { name: 'p' } });
    expect((await call('/api/v1/namespaces/default/pods/p')).status).toBe(404);
  });
});

describe('watch', () => {
  it('Table watch events carry the columns once; plain watches carry the objects; DELETED too', async () => {
    await serve();
    const rv = (await call('/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
    const events = watch(`/api/v1/namespaces/default/configmaps?resourceVersion=${rv}&watch=true`, 3, TABLE);
    await new Promise((r) => setTimeout(r, 50));
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'w' }, data: { a: 'b' } });
    await call('/api/v1/namespaces/default/configmaps/w', { method: 'PATCH', body: '{"data":{"c":"d"}}', type: 'application/merge-patch+json' });
    await call('/api/v1/namespaces/default/configmaps/w', { method: 'DELETE' });
    const got = await events;
    expect(got.map((e) => [e.type, e.object.kind, e.object.rows[0].cells.slice(0, 2), e.object.columnDefinitions === null])).toEqual([
      ['ADDED', 'Table', ['w', 1], false], ['MODIFIED', 'Table', ['w', 2], true], ['DELETED', 'Table', ['w', 2], true],
    ]);
    const plain = await watch('/api/v1/namespaces/kube-system/configmaps?watch=true&resourceVersion=0&timeoutSeconds=1', 10);
    expect(plain).toEqual([]);
  });

  it('a resourceVersion the history no longer holds is one ERROR event with 410 Expired', async () => {
    await serve(2);
    const rv = (await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } })).body.metadata.resourceVersion;
    for (const n of ['b', 'c', 'd']) await post('/api/v1/namespaces/default/configmaps', { metadata: { name: n } });
    const got = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${Number(rv) - 1}`, 5);
    expect(got).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version/) }) }]);
  });

  it('sendInitialEvents: the current objects then the initial-events-end bookmark; without its companions a 422', async () => {
    await serve();
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
    const bad = await call('/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true');
    expect(bad.body).toMatchObject({ code: 422, reason: 'Invalid', message: expect.stringContaining('resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan') });
    const got = await watch('/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true', 2);
    expect(got.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(got[1]!.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } });
  });
});
