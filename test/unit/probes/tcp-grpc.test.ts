// TCP and gRPC probe mechanics against real servers on 127.0.0.1: node:net, and for gRPC an independent
// grpc.health.v1 server (grpc-health-check on @grpc/grpc-js; test/helpers/grpc-health.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net, { type AddressInfo } from 'node:net';
import { startBareServer, startHealthServer, type HealthServer } from '../../helpers/grpc-health.js';
import { tcpCheck } from '../../../probes/check/tcp.js';
import {
  decodeHealthCheckRequest, decodeHealthCheckResponse, encodeHealthCheckRequest, encodeHealthCheckResponse, grpcCheck,
} from '../../../probes/check/grpc.js';
import { PROBE_USER_AGENT } from '../../../probes/types.js';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

describe('tcp probe', () => {
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    server = net.createServer((sock) => sock.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an open port → success with empty output', async () => {
    expect(await tcpCheck('127.0.0.1', port, 1000)).toEqual({ result: 'success', output: '' });
  });

  it('a closed port → failure with the dial error', async () => {
    const p = await freePort();
    expect(await tcpCheck('127.0.0.1', p, 1000)).toEqual({ result: 'failure', output: `dial tcp 127.0.0.1:${p}: connect: connection refused` });
  });
});

describe('grpc health messages', () => {
  it('round-trips the request and response encodings', () => {
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest({ service: 'svc.v1' }))).toEqual({ service: 'svc.v1' });
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest({ service: '' }))).toEqual({ service: '' });
    expect(decodeHealthCheckResponse(encodeHealthCheckResponse({ status: 2 }))).toEqual({ status: 2 });
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toEqual({ status: 0 });
  });
});

describe('grpc probe, against grpc-health-check\'s HealthImplementation on @grpc/grpc-js', () => {
  let health: HealthServer;
  let bare: { port: number; close(): void };
  let port = 0;

  beforeAll(async () => {
    health = await startHealthServer('127.0.0.1', { '': 'SERVING', sick: 'NOT_SERVING', starting: 'UNKNOWN', slow: 'SERVING' }, { delayMs: { slow: 1500 } });
    port = health.port;
    bare = await startBareServer('127.0.0.1');
  });
  afterAll(() => { health.close(); bare.close(); });

  it('SERVING → success "service healthy", with the kube-probe User-Agent', async () => {
    expect(await grpcCheck('127.0.0.1', port, '', 1, PROBE_USER_AGENT)).toEqual({ result: 'success', output: 'service healthy' });
    expect(health.seen.at(-1)).toMatch(/^\|kube-probe\/1\.33 /);
  });

  it('NOT_SERVING → failure with the status name (the service name reached the server)', async () => {
    expect(await grpcCheck('127.0.0.1', port, 'sick', 1, PROBE_USER_AGENT)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(health.seen.at(-1)).toMatch(/^sick\|kube-probe\//);
  });

  it('UNKNOWN → failure with the status name', async () => {
    expect(await grpcCheck('127.0.0.1', port, 'starting', 1, PROBE_USER_AGENT)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "UNKNOWN")' });
  });

  it('a status change on the server is seen by the next probe', async () => {
    health.health.setStatus('flip', 'NOT_SERVING');
    expect((await grpcCheck('127.0.0.1', port, 'flip', 1, PROBE_USER_AGENT)).result).toBe('failure');
    health.health.setStatus('flip', 'SERVING');
    expect(await grpcCheck('127.0.0.1', port, 'flip', 1, PROBE_USER_AGENT)).toEqual({ result: 'success', output: 'service healthy' });
  });

  it('an unknown service → the server\'s NOT_FOUND, in Go\'s status text', async () => {
    expect(await grpcCheck('127.0.0.1', port, 'other', 1, PROBE_USER_AGENT)).toEqual({
      result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = Health status unknown for service other',
    });
  });

  it('a server without the health service → unimplemented', async () => {
    const out = await grpcCheck('127.0.0.1', bare.port, '', 1, PROBE_USER_AGENT);
    expect(out.result).toBe('failure');
    expect(out.output).toMatch(/^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
  });

  it('a slow answer → rpc timeout', async () => {
    expect(await grpcCheck('127.0.0.1', port, 'slow', 1, PROBE_USER_AGENT)).toEqual({ result: 'failure', output: 'timeout: health rpc did not complete within 1s' });
  });

  it('connection refused → connect timeout after the probe timeout (blocking dial)', async () => {
    const p = await freePort();
    const started = Date.now();
    expect(await grpcCheck('127.0.0.1', p, '', 1, PROBE_USER_AGENT)).toEqual({ result: 'failure', output: `timeout: failed to connect service "127.0.0.1:${p}" within 1s: context deadline exceeded` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
