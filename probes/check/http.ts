// probes/check/http.ts — HTTP GET for probes and lifecycle hooks, the way the kubelet's Go client does it.
//
// Owns: the request built from an HTTPGetAction (URL, canonical headers, User-Agent, Accept, Host), the
// transport (no TLS verification, no keep-alive, no proxy, no compression), same-host redirects (max 10),
// the 10 KiB body cap, Go's error texts, and the probe's status-code mapping (pkg/probe/http).
// Called by probes/prober.ts and probes/hooks.ts. Never retries and never decides thresholds.
import type { Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import type { Container, HTTPGetAction } from 'kubernetes-types/core/v1.js';
import { type CheckOutcome, ProbeCheckError } from '../types.js';
import { connErrorText, dialErrorText, errnoCode, goQuote, joinHostPort, messageOf } from './go-text.js';
import { resolvePort } from './port.js';

/** pkg/probe/http maxRespBodyLength. */
export const MAX_HTTP_BODY_BYTES = 10 * 1024;
const MAX_REDIRECTS = 10;
const FOLLOWED = new Set([301, 302, 303, 307, 308]);

export interface HttpGetRequest {
  /** The URL as Go prints it (`http://10.1.0.5:8080/healthz`). */
  readonly url: string;
  /** Canonical names, in order; may repeat. Never contains Host. */
  readonly headers: readonly (readonly [string, string])[];
  /** The `Host` header value, if one was given. */
  readonly host?: string;
}

export interface HttpGetResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** A transport failure; `message` is Go's `*url.Error` text (`Get "<url>": <err>`). */
export class HttpGetError extends Error {
  override readonly name = 'HttpGetError';
  constructor(
    message: string,
    /** `body` when the response headers arrived but reading the body failed (the kubelet's probe error). */
    readonly phase: 'request' | 'body',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** textproto.CanonicalMIMEHeaderKey. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The kubelet's NewRequestForHTTPGetAction. Throws ProbeCheckError (`unknown`) for a bad port. */
export function buildHttpGetRequest(action: HTTPGetAction, container: Pick<Container, 'ports'>, podIP: string, userAgent: string): HttpGetRequest {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase() || 'http';
  const host = action.host || podIP;
  const port = resolvePort(action.port, container);
  let path = action.path || '/';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  if (path !== '' && !path.startsWith('/')) path = `/${path}`;
  const headers: [string, string][] = [];
  for (const h of action.httpHeaders ?? []) headers.push([canonicalHeaderKey(h.name), h.value]);
  const has = (n: string) => headers.some(([k]) => k === n);
  if (!has('User-Agent')) headers.push(['User-Agent', userAgent]);
  if (!has('Accept')) headers.push(['Accept', '*/*']);
  else if ((headers.find(([k]) => k === 'Accept')?.[1] ?? '') === '') removeAll(headers, 'Accept');
  const hostHeader = headers.find(([k]) => k === 'Host')?.[1];
  removeAll(headers, 'Host');
  // Go omits a User-Agent header whose value is empty.
  if ((headers.find(([k]) => k === 'User-Agent')?.[1] ?? 'x') === '') removeAll(headers, 'User-Agent');
  return { url: `${scheme}://${joinHostPort(host, port)}${path}`, headers, ...(hostHeader ? { host: hostHeader } : {}) };
}

function removeAll(headers: [string, string][], name: string): void {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0] === name) headers.splice(i, 1);
}

interface ConnState {
  connected: boolean;
  local?: string;
}

/**
 * One GET with the kubelet's client: `timeoutMs` bounds the whole exchange (0 = none, as for hooks);
 * redirects are followed only to the same hostname; a redirect elsewhere returns that 3xx response.
 * Reads at most `maxBody` bytes of the final body. Throws HttpGetError with Go's text.
 */
export async function httpGet(req: HttpGetRequest, opts: { timeoutMs: number; signal?: AbortSignal; maxBody?: number }): Promise<HttpGetResponse> {
  let firstHost: string;
  try {
    firstHost = new URL(req.url).hostname;
  } catch (err) {
    throw new HttpGetError(`parse ${goQuote(req.url)}: invalid URL`, 'request', { cause: err });
  }
  const conn: ConnState = { connected: false };
  const base = buildConnector({ rejectUnauthorized: false, timeout: 0 });
  const agent = new Agent({
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: (o, cb) => base(o, (err, socket) => {
      if (err || !socket) { cb(err ?? new Error('connect failed'), null); return; }
      conn.connected = true;
      conn.local = localAddr(socket);
      cb(null, socket);
    }),
  });
  const abort = new AbortController();
  let timedOut = false;
  const timer = opts.timeoutMs > 0 ? setTimeout(() => { timedOut = true; abort.abort(); }, opts.timeoutMs) : undefined;
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) abort.abort();
  let url = req.url;
  let host = req.host;
  let phase: 'request' | 'body' = 'request';
  try {
    for (let redirects = 0; ; redirects++) {
      conn.connected = false;
      const headers: string[] = [];
      if (host) headers.push('host', host);
      for (const [k, v] of req.headers) headers.push(k, v);
      let res;
      try {
        res = await request(url, { dispatcher: agent, method: 'GET', headers, reset: true, signal: abort.signal });
      } catch (err) {
        throw new HttpGetError(`Get ${goQuote(url)}: ${requestErrorText(err, url, conn, timedOut)}`, 'request', { cause: err });
      }
      const location = headerValue(res.headers['location']);
      if (FOLLOWED.has(res.statusCode) && location) {
        const next = new URL(location, url);
        if (next.hostname === firstHost) {
          discard(res.body);
          if (redirects + 1 >= MAX_REDIRECTS) throw new HttpGetError(`Get ${goQuote(location)}: stopped after 10 redirects`, 'request');
          // A custom Host survives only a relative redirect, as in Go's client.
          if (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//')) host = undefined;
          url = next.href;
          continue;
        }
      }
      phase = 'body';
      const body = await readAtMost(res.body, opts.maxBody ?? MAX_HTTP_BODY_BYTES).catch((err: unknown) => {
        const text = timedOut ? 'context deadline exceeded (Client.Timeout or context cancellation while reading body)' : connErrorText(err, conn.local, hostPort(url));
        throw new HttpGetError(text, 'body', { cause: err });
      });
      return { statusCode: res.statusCode, body };
    }
  } catch (err) {
    if (err instanceof HttpGetError) throw err;
    throw new HttpGetError(`Get ${goQuote(url)}: ${messageOf(err)}`, phase, { cause: err });
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    void agent.destroy().catch(() => {});
  }
}

function localAddr(s: Socket): string | undefined {
  if (!s.localAddress || !s.localPort) return undefined;
  return joinHostPort(s.localAddress, s.localPort);
}

function hostPort(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return joinHostPort(u.hostname.replace(/^\[|\]$/g, ''), port);
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function requestErrorText(err: unknown, url: string, conn: ConnState, timedOut: boolean): string {
  const addr = hostPort(url);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (timedOut) {
    const what = conn.connected ? 'context deadline exceeded' : `dial tcp ${addr}: i/o timeout`;
    return `${what} (Client.Timeout exceeded while awaiting headers)`;
  }
  if ((err as { name?: string })?.name === 'AbortError' || (err as { code?: string })?.code === 'UND_ERR_ABORTED') return 'context canceled';
  const code = errnoCode(err);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') return 'http: server gave HTTP response to HTTPS client';
  if (!conn.connected) return dialErrorText(err, host, addr);
  return connErrorText(err, conn.local, addr);
}

type Body = AsyncIterable<Buffer> & { destroy(): void; on(ev: 'error', fn: () => void): unknown };

function discard(body: Body): void {
  body.on('error', () => {});
  body.destroy();
}

async function readAtMost(body: Body, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  discard(body);
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * The HTTP probe (DoHTTPProbe): 200–299 success with the body as output, 300–399 warning
 * (`Probe terminated redirects, Response body: <body>`), else failure
 * (`HTTP probe failed with statuscode: <code>`); transport errors are failures with Go's text. A body that
 * cannot be read is a probe error (thrown, result `failure`).
 */
export async function httpCheck(req: HttpGetRequest, timeoutMs: number): Promise<CheckOutcome> {
  let res: HttpGetResponse;
  try {
    res = await httpGet(req, { timeoutMs });
  } catch (err) {
    if (err instanceof HttpGetError && err.phase === 'body') throw new ProbeCheckError('failure', err.message, { cause: err });
    return { result: 'failure', output: messageOf(err) };
  }
  if (res.statusCode >= 200 && res.statusCode < 400) {
    if (res.statusCode >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
}
