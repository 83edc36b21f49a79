// control-plane/apiserver/http.ts — the HTTP edge of the API server: request bodies (3 MiB limit; JSON, YAML,
// or a Kubernetes protobuf envelope for kinds with a protobuf layout), JSON answers, Status answers from
// StatusErrors (anything else a 500 Status), query flags, and the Accept negotiation (Table or not).
//
// Holds no state. Errors come from store/errors.ts, the one place that makes Status objects.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { badRequest, internalError, StatusError } from '../store/index.js';
import type { ProtoMessage } from '../registry/index.js';
import { decodeProtobuf, isProtobuf } from './protobuf.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type Body = Record<string, unknown>;

/** Reads the whole body; a larger one than the limit is a 413 (the rest is drained so keep-alive survives). */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max && !failed) {
        failed = true;
        chunks.length = 0;
        reject(new StatusError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${max} bytes`));
      }
      if (!failed) chunks.push(b);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

function parseText(body: Buffer, contentType: string): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; expected an object');
  const yaml = /yaml/i.test(contentType);
  try {
    return yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Decodes a body by its content type; `proto` is the layout of the expected kind for protobuf bodies. */
export function decodeBody(body: Buffer, contentType: string | undefined, proto?: { kind: string; apiVersion: string; message?: ProtoMessage }): unknown {
  const type = contentType ?? 'application/json';
  if (isProtobuf(type)) return decodeProtobuf(body, proto);
  return parseText(body, type);
}

export function asObject(v: unknown): Body {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw badRequest(`the body of the request must be an object, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`);
  }
  return v as Body;
}

export function sendJSON(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendRaw(res: ServerResponse, code: number, body: string, contentType: string): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Any error as a Status answer: a StatusError as it is, anything else a 500. */
export function toStatusError(e: unknown): StatusError {
  return e instanceof StatusError ? e : internalError(e instanceof Error ? e.message : String(e));
}

export function sendError(res: ServerResponse, e: unknown): void {
  const err = toStatusError(e);
  if (res.headersSent) { res.destroy(); return; }
  sendJSON(res, err.code, err.status());
}

/** The true spellings of Go's strconv.ParseBool, which kube-apiserver parses query flags with. */
const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 't', 'T', 'true', 'True', 'TRUE']);

export const flag = (url: URL, name: string): boolean => TRUE_WORDS.has(url.searchParams.get(name) ?? '');

export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)} is not an integer`);
  return Number(v);
}

/** `dryRun=All` (the only value the API accepts); anything else is a 400 as upstream. */
export function dryRunOf(url: URL, body?: Body): boolean {
  const values = [...url.searchParams.getAll('dryRun'), ...(Array.isArray(body?.['dryRun']) ? (body!['dryRun'] as string[]) : [])];
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: ${JSON.stringify(v)}; supported values: "All"`);
  return values.length > 0;
}

/** The media ranges of an Accept header, each with its parameters (`as`, `g`, `v`). */
export function acceptRanges(req: IncomingMessage): Array<{ type: string; params: Record<string, string> }> {
  return (req.headers.accept ?? '').split(',').map((range) => {
    const [type = '', ...rest] = range.split(';').map((x) => x.trim());
    const params: Record<string, string> = {};
    for (const p of rest) { const eq = p.indexOf('='); if (eq > 0) params[p.slice(0, eq)] = p.slice(eq + 1); }
    return { type: type.toLowerCase(), params };
  });
}

/** The client asked for the server-side Table form (`kubectl get`). */
export const wantsTable = (req: IncomingMessage): boolean => acceptRanges(req).some((r) => r.params['as'] === 'Table');

/** Aggregated discovery (apidiscovery.k8s.io/v2), as kubectl ≥ 1.30 asks for on /api and /apis. */
export const wantsAggregated = (req: IncomingMessage): boolean =>
  acceptRanges(req).some((r) => r.params['as'] === 'APIGroupDiscoveryList' && r.params['g'] === 'apidiscovery.k8s.io' && r.params['v'] === 'v2');

/**
 * A request Node's parser refused (an unknown method, a bad request line, a lying length, too many headers):
 * answered with a Status like every other error, then the connection closes.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already under way on this connection (pipelining) must not get text spliced into it.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) { socket.destroy(); return; }
  const code = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = code === 408 ? 'Timeout' : code === 431 ? 'RequestHeaderFieldsTooLarge' : 'BadRequest';
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `malformed HTTP request: ${err.code ?? err.message}`, reason, code });
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * The request's URL, its target always read as a path: `//x/y` is the path `//x/y`, not a host `x` (what
 * `new URL(target, base)` would make of it, throwing on a host like `%00`).
 */
export const requestUrl = (req: IncomingMessage): URL => new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
