// HTTP probe mechanics against real servers on 127.0.0.1 (node:http / node:https).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { buildHttpGetRequest, canonicalHeaderKey, httpCheck } from '../../../probes/check/http.js';
import { ProbeCheckError, PROBE_USER_AGENT } from '../../../probes/types.js';
import { selfSignedCert } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const seen: { url: string; rawHeaders: string[] }[] = [];
let port = 0;
let server: http.Server;
let closedPort = 0;

const routes: Record<string, Handler> = {
  '/ok': (_q, r) => r.end('all good'),
  '/missing': (_q, r) => { r.statusCode = 404; r.end('no such thing'); },
  '/hop': (_q, r) => { r.writeHead(302, { location: '/ok' }); r.end(); },
  '/away': (_q, r) => { r.writeHead(301, { location: `http://localhost:${port}/ok` }); r.end('moved away'); },
  '/loop': (_q, r) => { r.writeHead(302, { location: '/loop' }); r.end(); },
  '/slow': () => { /* never answers */ },
  '/big': (_q, r) => r.end('x'.repeat(20 * 1024)),
  '/headers': (_q, r) => r.end('h'),
  '/broken': (_q, r) => { r.writeHead(200, { 'content-length': '100' }); r.write('partial'); setTimeout(() => r.socket?.destroy(), 20); },
  '/notmod': (_q, r) => { r.statusCode = 304; r.end(); },
};

function chain(n: number): Handler {
  return (q, r) => {
    const i = Number(new URL(q.url!, 'http://x').searchParams.get('i') ?? 0);
    if (i < n) { r.writeHead(302, { location: `/chain${n}?i=${i + 1}` }); r.end(); } else r.end(`done after ${i}`);
  };
}
routes['/chain9'] = chain(9);
routes['/chain10'] = chain(10);

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url!, rawHeaders: req.rawHeaders });
    (routes[new URL(req.url!, 'http://x').pathname] ?? ((_q, r) => { r.statusCode = 500; r.end(); }))(req, res);
  });
  port = await listen(server);
  const tmp = http.createServer();
  closedPort = await listen(tmp);
  await new Promise((r) => tmp.close(r));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function req(path: string, extra: Partial<Parameters<typeof buildHttpGetRequest>[0]> = {}) {
  return buildHttpGetRequest({ path, port, ...extra }, {}, '127.0.0.1', PROBE_USER_AGENT);
}

describe('http probe', () => {
  it('200 → success with the body as output', async () => {
    expect(await httpCheck(req('/ok'), 1000)).toEqual({ result: 'success', output: 'all good' });
  });

  it('404 → failure with the status code only', async () => {
    expect(await httpCheck(req('/missing'), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });

  it('follows a redirect to the same host', async () => {
    expect(await httpCheck(req('/hop'), 1000)).toEqual({ result: 'success', output: 'all good' });
  });

  it('does not follow a redirect to another host: warning with the 3xx body', async () => {
    expect(await httpCheck(req('/away'), 1000)).toEqual({ result: 'warning', output: 'Probe terminated redirects, Response body: moved away' });
  });

  it('a 3xx that is not a redirect is a warning too', async () => {
    expect(await httpCheck(req('/notmod'), 1000)).toEqual({ result: 'warning', output: 'Probe terminated redirects, Response body: ' });
  });

  it('stops after 10 redirects (failure); 9 redirects are fine', async () => {
    const before = seen.length;
    expect(await httpCheck(req('/loop'), 2000)).toEqual({ result: 'failure', output: 'Get "/loop": stopped after 10 redirects' });
    expect(seen.length - before).toBe(10);
    expect(await httpCheck(req('/chain9'), 2000)).toEqual({ result: 'success', output: 'done after 9' });
    expect((await httpCheck(req('/chain10'), 2000)).output).toBe('Get "/chain10?i=10": stopped after 10 redirects');
  });

  it('a server that does not answer in time → failure with the client timeout text', async () => {
    const started = Date.now();
    const out = await httpCheck(req('/slow'), 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
  });

  it('connection refused → failure with the dial error', async () => {
    const r = buildHttpGetRequest({ path: '/healthz', port: closedPort }, {}, '127.0.0.1', PROBE_USER_AGENT);
    expect(await httpCheck(r, 1000)).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${closedPort}/healthz": dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  it('reads at most 10 KiB of the body', async () => {
    const out = await httpCheck(req('/big'), 1000);
    expect(out.result).toBe('success');
    expect(out.output).toHaveLength(10 * 1024);
  });

  it('a body that breaks off is a prober error (thrown, result failure)', async () => {
    const err = await httpCheck(req('/broken'), 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeCheckError);
    expect((err as ProbeCheckError).result).toBe('failure');
  });

  it('sends the kubelet headers: User-Agent, Accept, Connection: close, canonical custom headers, Host', async () => {
    const before = seen.length;
    await httpCheck(req('/headers', { httpHeaders: [{ name: 'x-custom-thing', value: 'a' }, { name: 'X-Custom-Thing', value: 'b' }] }), 1000);
    const h = seen[before]!.rawHeaders;
    const pairs = Array.from({ length: h.length / 2 }, (_v, i) => [h[2 * i], h[2 * i + 1]]);
    expect(pairs).toContainEqual(['User-Agent', 'kube-probe/1.33']);
    expect(pairs).toContainEqual(['Accept', '*/*']);
    expect(pairs).toContainEqual(['connection', 'close']);
    expect(pairs).toContainEqual(['X-Custom-Thing', 'a']);
    expect(pairs).toContainEqual(['X-Custom-Thing', 'b']);
    expect(pairs.find(([k]) => k!.toLowerCase() === 'host')![1]).toBe(`127.0.0.1:${port}`);
    expect(pairs.find(([k]) => k!.toLowerCase() === 'accept-encoding')).toBeUndefined();

    await httpCheck(req('/headers', { httpHeaders: [{ name: 'user-agent', value: 'mine/1' }, { name: 'Accept', value: '' }, { name: 'host', value: 'svc.example' }] }), 1000);
    const h2 = seen[seen.length - 1]!.rawHeaders;
    const lower = Object.fromEntries(Array.from({ length: h2.length / 2 }, (_v, i) => [h2[2 * i]!.toLowerCase(), h2[2 * i + 1]]));
    expect(lower['user-agent']).toBe('mine/1');
    expect(lower['accept']).toBeUndefined();
    expect(lower['host']).toBe('svc.example');
  });

  it('builds the URL from scheme, host or pod IP, named port and path with query', () => {
    const container = { ports: [{ name: 'web', containerPort: 8080 }] };
    expect(buildHttpGetRequest({ port: 'web', path: '/healthz?full=1' }, container, '10.1.0.5', 'ua').url).toBe('http://10.1.0.5:8080/healthz?full=1');
    expect(buildHttpGetRequest({ port: '9000', scheme: 'HTTPS', host: 'example.test' }, container, '10.1.0.5', 'ua').url).toBe('https://example.test:9000/');
    expect(buildHttpGetRequest({ port: 80, path: 'ready' }, container, 'fd00::5', 'ua').url).toBe('http://[fd00::5]:80/ready');
    expect(() => buildHttpGetRequest({ port: 'nope' }, container, '10.1.0.5', 'ua')).toThrow('strconv.Atoi: parsing "nope": invalid syntax');
    expect(() => buildHttpGetRequest({ port: 70000 }, container, '10.1.0.5', 'ua')).toThrow('invalid port number: 70000');
    expect(canonicalHeaderKey('x-forwarded-FOR')).toBe('X-Forwarded-For');
  });

  describe('https', () => {
    const tls = selfSignedCert();
    it('does not verify certificates', async () => {
      const s = https.createServer({ key: tls.key, cert: tls.cert }, (_q, r) => r.end('secure'));
      const p = await listen(s);
      try {
        const r = buildHttpGetRequest({ port: p, scheme: 'HTTPS', path: '/' }, {}, '127.0.0.1', PROBE_USER_AGENT);
        expect(await httpCheck(r, 1000)).toEqual({ result: 'success', output: 'secure' });
      } finally {
        await new Promise((r) => s.close(r));
      }
    });

    it('an HTTPS probe answered in plain HTTP fails as Go reports it', async () => {
      const r = buildHttpGetRequest({ port, scheme: 'HTTPS', path: '/ok' }, {}, '127.0.0.1', PROBE_USER_AGENT);
      expect(await httpCheck(r, 1000)).toEqual({ result: 'failure', output: `Get "https://127.0.0.1:${port}/ok": http: server gave HTTP response to HTTPS client` });
    });
  });
});
