// UrlSource against a local node:http server: headers sent, YAML and JSON bodies, unchanged bytes emit
// nothing, errors (500, empty body, bad manifest, unreachable, timeout) keep the last good pods.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeManifest } from '../../../agent/sources/manifest.js';
import { staticPodUID } from '../../../agent/sources/pod-identity.js';
import type { PodSourceSnapshot } from '../../../agent/sources/source.js';
import { UrlSource, type UrlSourceOptions } from '../../../agent/sources/url-source.js';

const pod = (name: string, image = 'busybox:1.36') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: ${image}
`;

interface Reply { status?: number; body: string; type?: string; delayMs?: number }
interface Harness {
  url: string;
  reply: Reply;
  requests: IncomingHttpHeaders[];
  snaps: PodSourceSnapshot[];
  reports: (readonly string[])[];
  until(pred: () => boolean, timeoutMs?: number): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
const silent = { debug: () => {}, info: () => {}, warn: () => {} };

async function until(pred: () => boolean, timeoutMs = 3000, what = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function start(reply: Reply, opts: Partial<UrlSourceOptions> = {}, path = '/pods'): Promise<Harness> {
  const h = { reply, requests: [] as IncomingHttpHeaders[], snaps: [] as PodSourceSnapshot[], reports: [] as (readonly string[])[] } as Harness;
  const server: Server = createServer((req, res) => {
    h.requests.push(req.headers);
    const r = h.reply;
    const send = () => { res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'application/yaml' }); res.end(r.body); };
    if (r.delayMs) setTimeout(send, r.delayMs); else send();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const ac = new AbortController();
  const source = new UrlSource({ url: h.url, nodeName: 'node-1', checkFrequencyMs: 100, log: silent, ...opts });
  const done = source.run(ac.signal, (s) => h.snaps.push(s), (l) => h.reports.push(l));
  h.until = (pred, timeoutMs) => until(pred, timeoutMs, () => `snaps=${h.snaps.length} reports=${JSON.stringify(h.reports)}`);
  cleanups.push(async () => { ac.abort(); await done; server.closeAllConnections(); await new Promise((r) => server.close(r)); });
  return h;
}

const polls = async (h: Harness, n: number) => { const want = h.requests.length + n; await h.until(() => h.requests.length >= want); };

describe('UrlSource', () => {
  it('polls with the configured headers and emits the pods of a YAML body, stamped as static pods', async () => {
    const h = await start({ body: pod('remote') }, { headers: { Authorization: ['Bearer abc'], 'X-Multi': ['one', 'two'] } });
    await h.until(() => h.snaps.length === 1);
    expect(h.requests[0]!.authorization).toBe('Bearer abc');
    expect(h.requests[0]!['x-multi']).toBe('one, two');
    const s = h.snaps[0]!;
    expect(s.source).toBe('http');
    expect(s.errors).toEqual([]);
    const p = s.pods[0]!;
    expect(p.origin).toBe(`${h.url}[0]`);
    expect(p.pod.metadata!.uid).toBe(staticPodUID(decodeManifest('x.yaml', pod('remote')).pods[0]!.pod, `url:${h.url}`, 'node-1'));
    expect(p.pod.metadata!.annotations).toMatchObject({ 'kubernetes.io/config.source': 'http', 'kubernetes.io/config.hash': p.pod.metadata!.uid });
    expect(p.pod.spec!.nodeName).toBe('node-1');
    expect(p.pod.status).toEqual({ phase: 'Pending' });
  });

  it('emits nothing while the bytes stay the same, and again when they change', async () => {
    const h = await start({ body: pod('a') });
    await h.until(() => h.snaps.length === 1);
    await polls(h, 4);
    expect(h.snaps).toHaveLength(1);
    h.reply = { body: pod('a', 'nginx:1.26') };
    await h.until(() => h.snaps.length === 2);
    expect(h.snaps[1]!.pods[0]!.pod.metadata!.uid).not.toBe(h.snaps[0]!.pods[0]!.pod.metadata!.uid);
  });

  it('reads JSON: a PodList, and a List with a ConfigMap', async () => {
    const [a, b] = ['a', 'b'].map((n) => decodeManifest('x.yaml', pod(n)).pods[0]!.pod);
    const h = await start({ body: JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [a, b] }), type: 'application/json' });
    await h.until(() => h.snaps.length === 1);
    expect(h.snaps[0]!.pods.map((p) => p.pod.metadata!.name)).toEqual(['a', 'b']);
    h.reply = { body: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [a, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } }] }), type: 'text/plain' };
    await h.until(() => h.snaps.length === 2);
    expect(h.snaps[1]!.pods.map((p) => p.pod.metadata!.name)).toEqual(['a']);
    expect(h.snaps[1]!.configMaps.map((c) => c.metadata!.name)).toEqual(['cfg']);
  });

  it('reads YAML in flow style, whatever the content type says', async () => {
    const h = await start({ body: '{apiVersion: v1, kind: Pod, metadata: {name: flow}, spec: {containers: [{name: c, image: busybox}]}}', type: 'application/json' });
    await h.until(() => h.snaps.length === 1);
    expect(h.snaps[0]!.pods.map((p) => p.pod.metadata!.name)).toEqual(['flow']);
  });

  it('reads multi-document YAML', async () => {
    const h = await start({ body: `${pod('one')}---\n${pod('two')}` });
    await h.until(() => h.snaps.length === 1);
    expect(h.snaps[0]!.pods.map((p) => p.origin)).toEqual([`${h.url}[0]`, `${h.url}[1]`]);
  });

  it('keeps the last good pods on a 500 (error `<url>: <status>`), and clears the error when it recovers', async () => {
    const h = await start({ body: pod('a') });
    await h.until(() => h.snaps.length === 1);
    h.reply = { status: 500, body: 'boom' };
    await h.until(() => h.reports.length > 0);
    expect(h.reports[0]).toEqual([`${h.url}: 500 Internal Server Error`]);
    await polls(h, 2);
    expect(h.snaps).toHaveLength(1);
    h.reply = { body: pod('a') };
    await h.until(() => h.reports.at(-1)?.length === 0);
    expect(h.snaps).toHaveLength(1);
  });

  it('refuses a body with an invalid pod as a whole, naming the URL, document and field', async () => {
    const h = await start({ body: pod('a') });
    await h.until(() => h.snaps.length === 1);
    h.reply = { body: `${pod('a')}---\napiVersion: v1\nkind: Pod\nmetadata: { name: bad }\nspec:\n  containers:\n  - name: c\n` };
    await h.until(() => h.reports.length > 0);
    expect(h.reports[0]).toContainEqual(expect.stringMatching(new RegExp(`^${h.url.replace(/[.:/]/g, '\\$&')}\\[1\\]: spec\\.containers\\[0\\]\\.image: `)));
    await polls(h, 2);
    expect(h.snaps).toHaveLength(1);
  });

  it('reports a zero-length body; the first time it still marks the source as seen with an empty set', async () => {
    const h = await start({ body: '' });
    await h.until(() => h.reports.length > 0);
    expect(h.reports[0]).toEqual([`zero-length data received from ${h.url}`]);
    expect(h.snaps).toEqual([{ source: 'http', pods: [], configMaps: [], secrets: [], errors: [] }]);
    h.reply = { body: pod('a') };
    await h.until(() => h.snaps.length === 2);
    h.reply = { body: '' };
    await polls(h, 3);
    expect(h.snaps).toHaveLength(2);
    expect(h.snaps[1]!.pods).toHaveLength(1);
  });

  it('reports an unreachable URL and emits nothing', async () => {
    const reports: (readonly string[])[] = [];
    const snaps: PodSourceSnapshot[] = [];
    const ac = new AbortController();
    const dead = new UrlSource({ url: 'http://127.0.0.1:1/pods', nodeName: 'n', checkFrequencyMs: 100, log: silent });
    const done = dead.run(ac.signal, (s) => snaps.push(s), (l) => reports.push(l));
    await until(() => reports.length > 0);
    ac.abort();
    await done;
    expect(reports[0]![0]).toMatch(/^http:\/\/127\.0\.0\.1:1\/pods: .*ECONNREFUSED/);
    expect(snaps).toEqual([]);
  });

  it('gives up after the client timeout', async () => {
    const h = await start({ body: pod('a'), delayMs: 1000 }, { timeoutMs: 200 });
    await h.until(() => h.reports.length > 0);
    expect(h.reports[0]).toEqual([`${h.url}: no complete answer within 200ms (client timeout)`]);
    expect(h.snaps).toEqual([]);
  });

  it('follows redirects', async () => {
    const target = await start({ body: pod('moved') });
    const server = createServer((_req, res) => { res.writeHead(302, { location: target.url }); res.end(); });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const snaps: PodSourceSnapshot[] = [];
    const ac = new AbortController();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pods`;
    const done = new UrlSource({ url, nodeName: 'n', checkFrequencyMs: 100, log: silent }).run(ac.signal, (s) => snaps.push(s));
    await until(() => snaps.length > 0);
    ac.abort();
    await done;
    expect(snaps[0]!.pods.map((p) => p.pod.metadata!.name)).toEqual(['moved']);
    expect(snaps[0]!.pods[0]!.origin).toBe(`${url}[0]`);
  });
});
