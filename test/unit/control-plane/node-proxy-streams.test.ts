// Tests of the pod streaming subresources through the API server to a fake kubelet
// (control-plane/apiserver/node-proxy.ts): logs with their options, follow streaming line by line and
// closing the kubelet request when the client goes, exec over WebSocket with bytes both ways, and the
// errors as Status answers (plain and on the raw socket of an upgrade): unknown pod, no node, no Node,
// unknown or unnamed container, a kubelet 400, an unreachable kubelet, a non-upgrade exec, the write rule.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { NodeProxy } from '../../../control-plane/apiserver/node-proxy.js';
import { WriteGuard } from '../../../control-plane/apiserver/auth.js';
import { RestStorage } from '../../../control-plane/apiserver/rest.js';
import { Registry } from '../../../control-plane/registry/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';
import { nodeAt, startFakeKubelet, type FakeKubelet } from './fake-kubelet.js';

let store: ObjectStore;
let api: ApiServer;
let kubelet: FakeKubelet;
let deadPort: number;

const post = async (path: string, obj: object): Promise<void> => {
  const r = await fetch(`${api.url}${path}`, { method: 'POST', body: JSON.stringify(obj), headers: { 'Content-Type': 'application/json' } });
  expect(r.status, await r.text()).toBe(201);
};
const pod = (name: string, nodeName: string, containers = ['app']) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) } });
const podPath = (name: string, sub: string, query = '') => `/api/v1/namespaces/default/pods/${name}/${sub}${query ? `?${query}` : ''}`;

/** A free port with nothing listening on it. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  store = await openStore();
  api = await startApiServer({ store });
  kubelet = await startFakeKubelet();
  deadPort = await freePort();
  await post('/api/v1/nodes', nodeAt('n1', kubelet.port));
  await post('/api/v1/nodes', nodeAt('dead', deadPort));
  await post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } });
  await post('/api/v1/namespaces/default/pods', pod('web', 'n1', ['app', 'side', 'waiting']));
  await post('/api/v1/namespaces/default/pods', pod('solo', 'n1'));
  await post('/api/v1/namespaces/default/pods', pod('lost', 'gone'));
  await post('/api/v1/namespaces/default/pods', pod('cut', 'dead'));
  await post('/api/v1/namespaces/default/pods', pod('bare', 'bare'));
  await post('/api/v1/namespaces/default/pods', pod('pending', ''));
});
afterAll(async () => { await api?.close(); await kubelet?.close(); await store?.close(); });

const get = async (path: string) => {
  const r = await fetch(`${api.url}${path}`);
  const text = await r.text();
  return { status: r.status, type: r.headers.get('content-type'), text, json: () => JSON.parse(text) };
};

/** Opens a WebSocket through the API server: the socket once open, or the refusal's status and Status body. */
function dial(path: string): Promise<{ ws?: WebSocket; status?: number; body?: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}${path}`, ['v5.channel.k8s.io']);
    const messages: Buffer[] = [];
    ws.on('message', (d: Buffer) => messages.push(d));
    (ws as WebSocket & { received: Buffer[] }).received = messages;
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    ws.once('error', reject);
  });
}
const nextMessage = (ws: WebSocket, seen: number): Promise<string> => new Promise((resolve) => {
  const received = (ws as WebSocket & { received: Buffer[] }).received;
  const check = () => { if (received.length > seen) { ws.off('message', check); resolve(received[seen]!.toString()); } };
  ws.on('message', check);
  check();
});

describe('pods/log', () => {
  it('streams the kubelet\'s answer for the container and options asked', async () => {
    const r = await get(podPath('web', 'log', 'container=side&tailLines=2&timestamps=true'));
    expect([r.status, r.type, r.text]).toEqual([200, 'text/plain', 'log of default/web/side\nline 2\n']);
    expect(kubelet.seen.at(-1)!.path).toBe('/containerLogs/default/web/side?timestamps=true&tailLines=2');
    expect((await get(podPath('solo', 'log'))).text).toBe('log of default/solo/app\nline 2\n');
  });

  it('follow: lines arrive one by one, and the kubelet request closes when the client goes', async () => {
    const abort = new AbortController();
    const r = await fetch(`${api.url}${podPath('solo', 'log', 'follow=true')}`, { signal: abort.signal });
    const reader = r.body!.getReader();
    let text = '';
    while (!text.includes('line 2\n')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text.startsWith('line 0\nline 1\n')).toBe(true);
    abort.abort();
    await reader.cancel().catch(() => {});
    await expect(kubelet.followClosed).resolves.toBeUndefined();
  });

  it('a pod without a node has an empty log; errors are Status answers', async () => {
    expect(await get(podPath('pending', 'log'))).toMatchObject({ status: 200, text: '' });
    const cases: Array<[string, number, string, string]> = [
      [podPath('nope', 'log'), 404, 'NotFound', 'pods "nope" not found'],
      [podPath('web', 'log'), 400, 'BadRequest', 'a container name must be specified for pod web, choose one of: [app side waiting]'],
      [podPath('web', 'log', 'container=db'), 400, 'BadRequest', 'container db is not valid for pod web'],
      [podPath('web', 'log', 'container=waiting'), 400, 'BadRequest', 'container "waiting" in pod "web" is waiting to start: ContainerCreating'],
      [podPath('lost', 'log'), 503, 'ServiceUnavailable', 'cannot reach the kubelet of node "gone": the Node object does not exist (the kubelet has not registered)'],
      [podPath('bare', 'log'), 503, 'ServiceUnavailable', 'cannot reach the kubelet of node "bare": the Node has no InternalIP, Hostname, ExternalIP address in status.addresses'],
    ];
    for (const [path, code, reason, message] of cases) expect((await get(path)).json(), path).toMatchObject({ kind: 'Status', code, reason, message });
    expect((await get(podPath('cut', 'log'))).json()).toMatchObject({ code: 503, message: expect.stringMatching(new RegExp(`^error dialing the kubelet of node "dead" at 127\\.0\\.0\\.1:${deadPort}: connect ECONNREFUSED`)) });
  });
});

describe('pods/exec, attach, portforward', () => {
  it('exec over WebSocket: the kubelet gets its path and the client\'s protocol; bytes flow both ways', async () => {
    const { ws } = await dial(podPath('web', 'exec', 'container=app&command=cat&command=-n&stdin=true&stdout=true&stderr=false'));
    expect(ws!.protocol).toBe('v5.channel.k8s.io');
    expect(kubelet.seen.at(-1)).toMatchObject({ path: '/exec/default/web/app?input=1&output=1&command=cat&command=-n', headers: { host: `127.0.0.1:${kubelet.port}`, 'sec-websocket-protocol': 'v5.channel.k8s.io' } });
    expect(await nextMessage(ws!, 0)).toBe('\x01ran: cat -n\n');
    ws!.send(Buffer.from('\x00hello'));
    expect(await nextMessage(ws!, 2)).toBe('echo:\x00hello');
    ws!.close();
  });

  it('errors before the upgrade are Status answers on the socket; an unreachable kubelet does not hang', async () => {
    const cases: Array<[string, number, string]> = [
      [podPath('nope', 'exec', 'command=ls'), 404, 'pods "nope" not found'],
      [podPath('web', 'exec', 'command=ls'), 400, 'a container name must be specified for pod web, choose one of: [app side waiting]'],
      [podPath('solo', 'attach', 'container=db'), 400, 'container db is not valid for pod solo'],
      [podPath('pending', 'exec', 'command=ls'), 400, 'pod pending does not have a host assigned'],
      [podPath('lost', 'portforward', 'ports=80'), 503, 'cannot reach the kubelet of node "gone": the Node object does not exist (the kubelet has not registered)'],
    ];
    for (const [path, code, message] of cases) expect(await dial(path), path).toMatchObject({ status: code, body: { kind: 'Status', code, message } });
    expect(await dial(podPath('cut', 'exec', 'command=ls'))).toMatchObject({ status: 503, body: { reason: 'ServiceUnavailable', message: expect.stringContaining('ECONNREFUSED') } });
  });

  it('a request without an upgrade is a 400 "Upgrade request required"; the write rule applies first', async () => {
    const r = await fetch(`${api.url}${podPath('solo', 'exec', 'command=ls')}`, { method: 'POST' });
    expect([r.status, await r.json()]).toEqual([400, expect.objectContaining({ reason: 'BadRequest', message: 'Upgrade request required' })]);
    const registry = new Registry();
    const proxy = new NodeProxy({ registry, rest: new RestStorage(store), guard: new WriteGuard() });
    const remote = { method: 'GET', headers: {}, socket: { remoteAddress: '10.0.0.7' } } as unknown as IncomingMessage;
    const path = { group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'solo', subresource: 'exec', watchPrefix: false };
    await expect(proxy.handle(remote, {} as ServerResponse, new URL('http://x/?command=ls'), path)).rejects.toMatchObject({ code: 401, reason: 'Unauthorized' });
  });
});
