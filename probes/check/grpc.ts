// probes/check/grpc.ts — the gRPC probe: grpc.health.v1.Health/Check over an insecure channel.
//
// Owns: a blocking connect bounded by the timeout, the Check call with the same deadline, the two tiny
// health messages (hand-encoded protobuf), and the kubelet's exact output strings (pkg/probe/grpc).
// Called by probes/prober.ts. Every outcome is success or failure; it never throws.
import { Client, credentials, Metadata, status as Code, type ServiceError } from '@grpc/grpc-js';
import type { CheckOutcome } from '../types.js';
import { goQuote, goSeconds, joinHostPort } from './go-text.js';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** grpc.health.v1.HealthCheckResponse.ServingStatus names by number. */
export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/** Go's codes.Code String() names, by number. */
const CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented',
  'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

function encodeVarint(n: number, out: number[]): void {
  let v = n >>> 0;
  while (v > 0x7f) { out.push((v & 0x7f) | 0x80); v >>>= 7; }
  out.push(v);
}

/** HealthCheckRequest { string service = 1; } */
export function encodeHealthCheckRequest(msg: { service: string }): Buffer {
  if (!msg.service) return Buffer.alloc(0);
  const s = Buffer.from(msg.service, 'utf8');
  const head: number[] = [0x0a];
  encodeVarint(s.length, head);
  return Buffer.concat([Buffer.from(head), s]);
}

/** HealthCheckResponse { ServingStatus status = 1; } */
export function encodeHealthCheckResponse(msg: { status: number }): Buffer {
  if (!msg.status) return Buffer.alloc(0);
  const out = [0x08];
  encodeVarint(msg.status, out);
  return Buffer.from(out);
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    if (shift < 32) result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, pos];
  }
}

/** Decodes the first length-delimited field 1 (request) or varint field 1 (response); skips the rest. */
function decodeField1(buf: Buffer): number | Buffer | undefined {
  let pos = 0;
  let found: number | Buffer | undefined;
  while (pos < buf.length) {
    let key: number;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      if (field === 1) found = v;
    } else if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (field === 1) found = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return found;
}

export function decodeHealthCheckRequest(buf: Buffer): { service: string } {
  const f = decodeField1(buf);
  return { service: Buffer.isBuffer(f) ? f.toString('utf8') : '' };
}

export function decodeHealthCheckResponse(buf: Buffer): { status: number } {
  const f = decodeField1(buf);
  return { status: typeof f === 'number' ? f : 0 };
}

export function servingStatusName(n: number): string {
  return SERVING_STATUS[n] ?? String(n);
}

/** Go's status error text: `rpc error: code = <Name> desc = <message>`. */
function rpcErrorText(err: ServiceError): string {
  return `rpc error: code = ${CODE_NAMES[err.code] ?? `Code(${err.code})`} desc = ${err.details ?? err.message}`;
}

export async function grpcCheck(host: string, port: number, service: string, timeoutSeconds: number, userAgent: string): Promise<CheckOutcome> {
  const addr = joinHostPort(host, port);
  const within = goSeconds(timeoutSeconds);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const client = new Client(addr, credentials.createInsecure(), {
    'grpc.primary_user_agent': userAgent,
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_retries': 0,
  });
  try {
    const connectErr = await new Promise<Error | undefined>((resolve) => client.waitForReady(deadline, (e) => resolve(e)));
    if (connectErr) {
      if (/deadline/i.test(connectErr.message)) {
        return { result: 'failure', output: `timeout: failed to connect service ${goQuote(addr)} within ${within}: context deadline exceeded` };
      }
      return { result: 'failure', output: `error: failed to connect service at ${goQuote(addr)}: ${connectErr.message}` };
    }
    const resp = await new Promise<{ status: number } | ServiceError>((resolve) => {
      client.makeUnaryRequest(
        HEALTH_CHECK_PATH,
        encodeHealthCheckRequest,
        decodeHealthCheckResponse,
        { service },
        new Metadata(),
        { deadline },
        (err, value) => resolve(err ?? value ?? { status: 0 }),
      );
    });
    if ('code' in resp) {
      if (resp.code === Code.UNIMPLEMENTED) {
        return { result: 'failure', output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${resp.details}` };
      }
      if (resp.code === Code.DEADLINE_EXCEEDED) return { result: 'failure', output: `timeout: health rpc did not complete within ${within}` };
      return { result: 'failure', output: `error: health rpc probe failed: ${rpcErrorText(resp)}` };
    }
    if (resp.status !== 1) return { result: 'failure', output: `service unhealthy (responded with "${servingStatusName(resp.status)}")` };
    return { result: 'success', output: 'service healthy' };
  } finally {
    client.close();
  }
}
