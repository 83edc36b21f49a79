// Lifecycle hook handlers: exec (fake execSync), httpGet (real local servers), sleep (fake clock), tcpSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type { Container } from 'kubernetes-types/core/v1.js';
import { HandlerRunner, HookError, SLEEP_TERMINATED } from '../../../probes/hooks.js';
import { CriError } from '../../../cri/errors.js';
import { FakeClock, UID, fakeRuntime, makePod, selfSignedCert, sinks } from './helpers.js';

const container: Container = { name: 'main', image: 'busybox', ports: [{ name: 'admin', containerPort: 1 }] };
const pod = makePod([container]);
const where = `for Container "main" in Pod "web_default(${UID})"`;

function setup() {
  const clock = new FakeClock();
  const runtime = fakeRuntime(clock);
  const s = sinks();
  const runner = new HandlerRunner({ runtime, events: s.eventSink, lifecycle: s.lifecycle, clock });
  const ctx = (signal = new AbortController().signal, podIP = '127.0.0.1') => ({ pod, container, containerId: 'docker://c1', podIP, signal });
  return { clock, runtime, runner, ctx, ...s };
}

async function failure(p: Promise<unknown>): Promise<HookError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HookError);
  return err as HookError;
}

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

describe('exec hook', () => {
  it('runs the command with no timeout and records start and end', async () => {
    const t = setup();
    await t.runner.run('postStart', { exec: { command: ['sh', '-c', 'echo hi'] } }, t.ctx());
    expect(t.runtime.calls).toMatchObject([{ containerId: 'c1', cmd: ['sh', '-c', 'echo hi'], timeoutMs: 0 }]);
    expect(t.records).toEqual([
      { podUID: UID, container: 'main', kind: 'hook', hook: 'postStart', handler: 'exec', containerId: 'docker://c1', time: t.clock.now(), phase: 'start' },
      { podUID: UID, container: 'main', kind: 'hook', hook: 'postStart', handler: 'exec', containerId: 'docker://c1', time: t.clock.now(), phase: 'end', result: 'success', durationMs: 0 },
    ]);
  });

  it('a non-zero exit fails with the kubelet message', async () => {
    const t = setup();
    t.runtime.impl = () => ({ exitCode: 3, stdout: 'out\n', stderr: 'oops' });
    const err = await failure(t.runner.run('preStop', { exec: { command: ['sh', '-c', 'exit 3'] } }, t.ctx()));
    expect(err.message).toBe(`Exec lifecycle hook ([sh -c exit 3]) ${where} failed - error: command 'sh -c exit 3' exited with 3: oops, message: "out\\noops"`);
    expect(t.records.at(-1)).toMatchObject({ phase: 'end', result: 'failure', message: err.message });
  });

  it('a runtime error fails with its text and empty output', async () => {
    const t = setup();
    t.runtime.impl = () => { throw new CriError('NotFound', 'No such container: c1'); };
    const err = await failure(t.runner.run('postStart', { exec: { command: ['true'] } }, t.ctx()));
    expect(err.message).toBe(`Exec lifecycle hook ([true]) ${where} failed - error: No such container: c1, message: ""`);
  });
});

describe('sleep hook', () => {
  it('waits the given seconds on the clock', async () => {
    const t = setup();
    let done = false;
    const p = t.runner.run('preStop', { sleep: { seconds: 5 } }, t.ctx()).then(() => { done = true; });
    await t.clock.advance(4999);
    expect(done).toBe(false);
    await t.clock.advance(1);
    await p;
    expect(t.records.at(-1)).toMatchObject({ phase: 'end', result: 'success', durationMs: 5000 });
  });

  it('ends early when the container is terminated (signal aborted)', async () => {
    const t = setup();
    const ac = new AbortController();
    const p = failure(t.runner.run('preStop', { sleep: { seconds: 30 } }, t.ctx(ac.signal)));
    await t.clock.advance(2000);
    ac.abort();
    const err = await p;
    expect(err.message).toBe(`Sleep lifecycle hook (30) ${where} failed - error: ${SLEEP_TERMINATED}`);
    expect(t.clock.pendingTimers).toBe(0);
  });
});

describe('tcpSocket hook', () => {
  it('is rejected at run time as the kubelet does', async () => {
    const t = setup();
    const err = await failure(t.runner.run('postStart', { tcpSocket: { port: 8080 } }, t.ctx()));
    expect(err.message).toBe('Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}');
    const named = await failure(t.runner.run('preStop', { tcpSocket: { port: 'http', host: 'h' } }, t.ctx()));
    expect(named.message).toBe('Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{1 0 http},Host:h,},Sleep:nil,}');
  });
});

describe('httpGet hook', () => {
  const seen: IncomingMessage[] = [];
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req);
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end('whatever');
    });
    port = await listen(server);
  });
  afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  it('sends kube-lifecycle/1.33 to the pod IP and ignores the status code', async () => {
    const t = setup();
    await t.runner.run('postStart', { httpGet: { path: '/fail', port } }, t.ctx());
    expect(seen.at(-1)!.headers['user-agent']).toBe('kube-lifecycle/1.33');
    expect(seen.at(-1)!.url).toBe('/fail');
  });

  it('a transport error fails with the kubelet message', async () => {
    const t = setup();
    const tmp = http.createServer();
    const closed = await listen(tmp);
    await new Promise((r) => tmp.close(r));
    const err = await failure(t.runner.run('preStop', { httpGet: { path: '/hook', port: closed } }, t.ctx()));
    expect(err.message).toBe(`HTTP lifecycle hook (/hook) ${where} failed - error: Get "http://127.0.0.1:${closed}/hook": dial tcp 127.0.0.1:${closed}: connect: connection refused`);
  });

  it('a bad port name fails before any request', async () => {
    const t = setup();
    const err = await failure(t.runner.run('postStart', { httpGet: { path: '/x', port: 'nope' } }, t.ctx()));
    expect(err.message).toBe(`HTTP lifecycle hook (/x) ${where} failed - error: strconv.Atoi: parsing "nope": invalid syntax`);
  });

  it('HTTPS answered in plain HTTP retries over HTTP without Authorization and emits LifecycleHTTPFallback', async () => {
    const t = setup();
    const before = seen.length;
    await t.runner.run('postStart', { httpGet: { path: '/ok', port, scheme: 'HTTPS', httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }, { name: 'X-A', value: '1' }] } }, t.ctx());
    const retried = seen.slice(before).filter((r) => r.url === '/ok');
    expect(retried).toHaveLength(1);
    expect(retried[0]!.headers['authorization']).toBeUndefined();
    expect(retried[0]!.headers['x-a']).toBe('1');
    expect(t.events).toEqual([{ podUID: UID, type: 'Warning', reason: 'LifecycleHTTPFallback', message: `request to HTTPS lifecycle hook 127.0.0.1:${port} got HTTP response, retry with HTTP succeeded` }]);
  });

  const tls = selfSignedCert();
  it('HTTPS with a self-signed certificate succeeds (no verification)', async () => {
    const t = setup();
    const s = https.createServer({ key: tls.key, cert: tls.cert }, (_q, r) => r.end('ok'));
    const p = await listen(s);
    try {
      await t.runner.run('postStart', { httpGet: { path: '/', port: p, scheme: 'HTTPS' } }, t.ctx());
      expect(t.events).toEqual([]);
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});
