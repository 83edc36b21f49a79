// Tests of the API server's fallback (control-plane/apiserver/server.ts): non-API paths and /healthz go to
// the fallback first, what it refuses is the API server's (404, or its own healthz), /livez stays the API
// server's, upgrades on non-API paths go to fallback.upgrade; an upgrade request nobody takes is served as
// a plain request (as without an 'upgrade' listener); a fallback that throws is a 500 Status.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startApiServer, type ApiServer, type ApiFallback } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';

let store: ObjectStore | undefined;
let api: ApiServer | undefined;
afterEach(async () => { await api?.close(); await store?.close(); api = undefined; store = undefined; });

async function serve(fallback?: ApiFallback): Promise<ApiServer> {
  store = await openStore();
  api = await startApiServer({ store, fallback });
  return api;
}
const text = async (path: string): Promise<[number, string]> => { const r = await fetch(`${api!.url}${path}`); return [r.status, await r.text()]; };

/** A kubelet-like fallback: knows /pods, /healthz (unhealthy when asked) and upgrades on /exec/…. */
function kubeletFallback(healthy: { ok: boolean }): ApiFallback & { asked: string[] } {
  const asked: string[] = [];
  const wss = new WebSocketServer({ noServer: true });
  return {
    asked,
    async request(req, res) {
      asked.push(req.url ?? '');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/pods') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"kind":"PodList","items":[]}'); return true; }
      if (path === '/healthz' && !healthy.ok) { res.writeHead(500); res.end('[-]runtime failed'); return true; }
      if (path === '/boom') throw new Error('the fallback broke');
      return false;
    },
    upgrade(req, socket, head) {
      if (!(req.url ?? '').startsWith('/exec/')) return false;
      wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (d) => ws.send(`kubelet:${String(d)}`)));
      return true;
    },
  };
}

describe('fallback', () => {
  it('non-API paths go to the fallback; what it refuses is a 404; API paths never reach it', async () => {
    const fb = kubeletFallback({ ok: true });
    await serve(fb);
    expect(await text('/pods')).toEqual([200, '{"kind":"PodList","items":[]}']);
    const [code, body] = await text('/metrics/probes');
    expect([code, JSON.parse(body)]).toEqual([404, expect.objectContaining({ kind: 'Status', reason: 'NotFound' })]);
    expect((await text('/api/v1/namespaces/default/configmaps'))[0]).toBe(200);
    expect(await text('/livez')).toEqual([200, 'ok']);
    expect(fb.asked).toEqual(['/pods', '/metrics/probes']);
  });

  it('/healthz asks the fallback first, and is the API server\'s when the fallback passes', async () => {
    const health = { ok: true };
    const fb = kubeletFallback(health);
    await serve(fb);
    expect(await text('/healthz')).toEqual([200, 'ok']);
    health.ok = false;
    expect(await text('/healthz')).toEqual([500, '[-]runtime failed']);
    expect(await text('/readyz')).toEqual([200, 'ok']);
    expect(fb.asked).toEqual(['/healthz', '/healthz']);
  });

  it('a fallback that throws is a 500 Status', async () => {
    await serve(kubeletFallback({ ok: true }));
    const [code, body] = await text('/boom');
    expect([code, JSON.parse(body)]).toEqual([500, expect.objectContaining({ reason: 'InternalError', message: 'Internal error occurred: the fallback broke' })]);
  });

  it('upgrades on non-API paths go to fallback.upgrade', async () => {
    await serve(kubeletFallback({ ok: true }));
    const ws = new WebSocket(`${api!.url.replace('http', 'ws')}/exec/default/web/app?command=sh`);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
    ws.send('hi');
    expect(await reply).toBe('kubelet:hi');
    ws.close();
  });
});

describe('upgrade requests nobody takes', () => {
  /** A GET with Upgrade headers (an h2c probe, as `curl --http2` sends). */
  const h2cGet = (path: string): Promise<[number, string]> => new Promise((resolve, reject) => {
    const req = request(`${api!.url}${path}`, { headers: { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAAQCAAAAAAIAAAAA' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve([res.statusCode ?? 0, body]));
    });
    req.on('error', reject);
    req.end();
  });

  it('are served as plain requests, with or without a fallback (its request handler included)', async () => {
    await serve();
    expect(JSON.parse((await h2cGet('/version'))[1])).toMatchObject({ major: '1' });
    expect(await h2cGet('/api/v1/namespaces/default/pods/x/log')).toEqual([404, expect.stringContaining('pods \\"x\\" not found')]);
    await api!.close(); await store!.close();
    await serve(kubeletFallback({ ok: true }));
    expect(await h2cGet('/pods')).toEqual([200, '{"kind":"PodList","items":[]}']);
  });
});

describe('request targets that start with //', () => {
  // Regression: `new URL('//%00/x', base)` reads `%00` as a host and throws; the server process died on it.
  it('are paths: a 404 Status (plain and upgrade), and the server stays up', async () => {
    const s = await serve();
    const raw = (target: string, upgrade: boolean) => new Promise<string>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port: s.port, path: target, agent: false, headers: upgrade ? { Connection: 'Upgrade', Upgrade: 'websocket' } : {} });
      r.on('response', (res) => { let b = ''; res.on('data', (c: Buffer) => { b += c.toString(); }); res.on('end', () => resolve(`${res.statusCode} ${b}`)); });
      r.on('upgrade', () => reject(new Error('upgraded')));
      r.on('error', reject);
      r.end();
    });
    expect(await raw('//%00/lifecycle/exec', false)).toMatch(/^404 \{"kind":"Status"/);
    expect(await raw('//%00/exec/a/b/c', true)).toMatch(/^(404|400) \{"kind":"Status"/);
    expect(await text('/version')).toEqual([200, expect.stringContaining('gitVersion')]);
  });
});
