// Hostile input, the write rule on a real agent bound off loopback: reads are open, every write (create,
// replace, patch, delete, exec) needs the bearer token from --token-file, with a 401 Status otherwise; an
// agent off loopback without a token file refuses every write. Binds to this machine's own non-loopback
// address (or 0.0.0.0, reached through the host's IP, when it has none).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpawnedAgent } from '../helpers/spawned-agent.js';

/** An IPv4 address of this machine that is not loopback, preferring real interfaces to Docker bridges. */
function hostAddress(): { bind: string; host: string } {
  const all = Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, ip: a.address })));
  const real = all.find((a) => !/^(docker|br-|veth)/.test(a.name)) ?? all[0];
  return real ? { bind: real.ip, host: real.ip } : { bind: '0.0.0.0', host: '127.0.0.1' };
}

const TOKEN = 'mk-test-token-0123456789abcdef';
const { bind, host } = hostAddress();
const agents: SpawnedAgent[] = [];
afterAll(async () => {
  await Promise.all(agents.map((a) => a.cleanup()));
  rmSync(tokenDir, { recursive: true, force: true });
});

const tokenDir = mkdtempSync(join(tmpdir(), 'mk-token-'));
const tokenFile = join(tokenDir, 'token');
writeFileSync(tokenFile, `${TOKEN}\n`);

async function start(withToken: boolean): Promise<SpawnedAgent> {
  const a = new SpawnedAgent({ host, args: ['--address', bind, ...(withToken ? ['--token-file', tokenFile] : [])] });
  agents.push(a);
  await a.start();
  return a;
}

const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } });

async function call(a: SpawnedAgent, method: string, path: string, auth?: string, body?: string, type = 'application/json') {
  const res = await fetch(`${a.url}${path}`, { method, body, headers: { 'content-type': type, ...(auth !== undefined ? { authorization: auth } : {}) } });
  return { code: res.status, body: (await res.json()) as { kind?: string; reason?: string; message?: string; code?: number } };
}

/** An exec upgrade request on a raw socket; the status line and body of the answer. */
function execUpgrade(a: SpawnedAgent, auth?: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(a.port, host);
    let got = '';
    s.on('data', (d) => { got += d.toString(); });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    s.write(`GET /api/v1/namespaces/default/pods/web/exec?command=true&stdout=true HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n${auth ? `Authorization: ${auth}\r\n` : ''}\r\n`);
    setTimeout(() => s.destroy(), 2000);
  });
}

describe(`the write rule off loopback (agent on ${bind})`, () => {
  it('reads are open; create, replace, patch, delete and exec need the token', { timeout: 240_000 }, async () => {
    const a = await start(true);
    expect((await call(a, 'GET', '/api/v1/pods')).code).toBe(200);
    for (const auth of [undefined, 'Bearer wrong', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, `Bearer ${TOKEN}x`, TOKEN, 'Bearer']) {
      const r = await call(a, 'POST', '/api/v1/namespaces/default/pods', auth, pod('web'));
      expect(r, String(auth)).toMatchObject({ code: 401, body: { kind: 'Status', reason: 'Unauthorized', code: 401 } });
    }
    expect(await execUpgrade(a)).toMatch(/^HTTP\/1.1 401 [\s\S]*"reason":"Unauthorized"/);
    const created = await call(a, 'POST', '/api/v1/namespaces/default/pods', `Bearer ${TOKEN}`, pod('web'));
    expect(created.code).toBe(201);
    await a.waitForPod('web', (p) => p.status?.phase === 'Running', 90_000, 'Running');
    const patch = JSON.stringify({ metadata: { labels: { x: 'y' } } });
    expect((await call(a, 'PATCH', '/api/v1/namespaces/default/pods/web', undefined, patch, 'application/merge-patch+json')).code).toBe(401);
    expect((await call(a, 'PUT', '/api/v1/namespaces/default/pods/web', 'Bearer nope', pod('web'))).code).toBe(401);
    expect((await call(a, 'DELETE', '/api/v1/namespaces/default/pods/web')).code).toBe(401);
    expect((await call(a, 'GET', '/api/v1/namespaces/default/pods/web')).code).toBe(200);
    expect((await call(a, 'PATCH', '/api/v1/namespaces/default/pods/web', `Bearer ${TOKEN}`, patch, 'application/merge-patch+json')).code).toBe(200);
    expect((await call(a, 'DELETE', '/api/v1/namespaces/default/pods/web', `Bearer ${TOKEN}`)).code).toBe(200);
    expect(a.alive).toBe(true);
  });

  it('without a token file every write is refused, with the fix in the message', async () => {
    const a = await start(false);
    const r = await call(a, 'POST', '/api/v1/namespaces/default/pods', `Bearer ${TOKEN}`, pod('web'));
    expect(r).toMatchObject({ code: 401, body: { kind: 'Status', reason: 'Unauthorized' } });
    expect(r.body.message).toMatch(/--token-file/);
    expect((await call(a, 'GET', '/api/v1/pods')).code).toBe(200);
  });
});
