// agent/api-server/request.ts — small HTTP helpers shared by the Kubernetes API handlers: Status errors,
// request bodies (size limit, JSON/YAML decoding), query flags and the Table content negotiation.
//
// Called by every handler in agent/api-server/. Holds no state and never touches the agent: it only reads
// requests and writes responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { sendJSON, sendStatus } from '../server/server.js';
import { ApiError, badRequest } from './api-error.js';
import { decodeKubeProtobuf } from './protobuf.js';

export { sendJSON };
export { ApiError, badRequest, notFound } from './api-error.js';

/** The largest request body accepted (the API server's limit is 3 MiB too). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Writes an ApiError (thrown by handlers) as a Kubernetes Status; called by the route wrapper. */
export function sendApiError(res: ServerResponse, err: ApiError): void {
  sendStatus(res, err.code, err.reason, err.message, err.details);
}

/**
 * Reads the body up to MAX_BODY_BYTES; a larger one is a 413 at once. The rest of a refused body is read and
 * dropped (never kept), so the connection stays usable for the client's next request: stopping half-way
 * through (as leaving a for-await loop does, which destroys the request) left keep-alive connections hung.
 */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = (what: string) => new ApiError(413, 'RequestEntityTooLarge', what);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) {
    req.resume();
    return Promise.reject(tooLarge(`the request body is ${declared} bytes; the limit is ${max} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => { req.off('data', onData); req.off('end', onEnd); req.off('error', onError); };
    const onData = (b: Buffer) => {
      size += b.length;
      if (size <= max) { chunks.push(b); return; }
      stop();
      chunks.length = 0;
      req.on('error', () => undefined); // a client that gives up now is no error of ours
      req.resume(); // keep draining, dropping what comes
      reject(tooLarge(`the request body is larger than the limit of ${max} bytes`));
    };
    const onEnd = () => { stop(); resolve(Buffer.concat(chunks)); };
    const onError = (err: Error) => { stop(); reject(err); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Decodes a JSON (or, by content type, YAML) body into a value; malformed input is a 400. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  if (/^application\/vnd\.kubernetes\.protobuf/i.test(contentType ?? '')) return decodeKubeProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; expected a JSON object');
  const yaml = /yaml/i.test(contentType ?? '');
  try {
    return yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw badRequest(`the request body is not valid ${yaml ? 'YAML' : 'JSON'}: ${msg}`);
  }
}

/** Reads and decodes a body that must be an object. */
export async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const v = decodeBody(await readBody(req), req.headers['content-type']);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`the request body must be a JSON object, not ${Array.isArray(v) ? 'a list' : typeof v}`);
  return v as Record<string, unknown>;
}

/** `true`/`1` → true (Go's strconv.ParseBool subset kubectl sends). */
export function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE';
}

/** A non-negative integer query parameter, or undefined; garbage is a 400. */
export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: "${v}" is not an integer`);
  return n;
}

/** Did the client ask for the server-side Table form (`kubectl get`)? */
export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

/** RFC 3339 with seconds, as the API server writes timestamps. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
