// cri/docker/map-errors.ts — turns whatever dockerode throws into a CriError, in exactly this one place.
//
// Owns: the reading of Docker status codes, engine JSON messages, socket errno codes and pull-failure
// texts. Called by every other file of cri/docker around each Docker call. Never logs, never retries, and
// never lets a raw stack trace or a multi-line engine message reach a user: messages are one line.
import { CriError, type CriErrorCode } from '../errors.js';

/** What a caller knows about the call that failed, to pick the code of an otherwise generic failure. */
export interface ErrorContext {
  /** Short description of the call, e.g. `create container k8s_app_web_default_…`. */
  readonly op: string;
  /** Code for a failure nothing more specific matches (default 'Unknown'). */
  readonly fallback?: CriErrorCode;
  /** Code for HTTP 409 (default: the fallback). Create calls pass 'AlreadyExists'. */
  readonly conflict?: CriErrorCode;
  /** Code for HTTP 400 (default: the fallback). Image calls pass 'InvalidImageName'. */
  readonly badRequest?: CriErrorCode;
  /** Code for HTTP 404 (default 'NotFound'). Create calls pass their own code: a missing image is no NotFound. */
  readonly notFound?: CriErrorCode;
}

interface DockerodeError {
  readonly statusCode?: number;
  readonly json?: unknown;
  readonly code?: string;
  readonly name?: string;
  readonly message?: string;
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ENOTCONN', 'ETIMEDOUT']);

export const RUNTIME_UNAVAILABLE_HINT = 'the Docker engine is not answering on its socket; start it with `npm run setup`';

/** The first line of a text, trimmed, without dockerode's `(HTTP code 404) no such container - ` prefix. */
export function oneLine(text: string): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** The engine's own message of a dockerode error (its JSON `message`), else the error's message. */
export function engineMessage(err: unknown): string {
  const e = err as DockerodeError | undefined;
  const json = e?.json as { message?: unknown } | string | undefined;
  if (json && typeof json === 'object' && typeof json.message === 'string') return oneLine(json.message);
  if (typeof json === 'string' && json.trim()) return oneLine(json);
  if (e && typeof e.message === 'string') return oneLine(e.message);
  return oneLine(String(err));
}

export function isAbortError(err: unknown): boolean {
  const e = err as DockerodeError | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** True when the error says the Docker socket itself cannot be reached. */
export function isSocketError(err: unknown): boolean {
  const e = err as DockerodeError | undefined;
  return !!e && e.statusCode === undefined && typeof e.code === 'string' && SOCKET_CODES.has(e.code);
}

export function statusCodeOf(err: unknown): number | undefined {
  const s = (err as DockerodeError | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Maps any error from a Docker call to a CriError (a CriError passes through unchanged). */
export function toCriError(err: unknown, ctx: ErrorContext): CriError {
  if (err instanceof CriError) return err;
  const fallback = ctx.fallback ?? 'Unknown';
  if (isAbortError(err)) return new CriError('DeadlineExceeded', `${ctx.op}: cancelled`, { cause: err });
  if (isSocketError(err)) {
    const code = (err as DockerodeError).code;
    return new CriError('RuntimeUnavailable', `${ctx.op}: ${RUNTIME_UNAVAILABLE_HINT} (${code})`, { cause: err });
  }
  const msg = engineMessage(err);
  let code: CriErrorCode = fallback;
  switch (statusCodeOf(err)) {
    case 404: code = ctx.notFound ?? 'NotFound'; break;
    case 409: code = ctx.conflict ?? fallback; break;
    case 400: code = ctx.badRequest ?? fallback; break;
    default: break;
  }
  return new CriError(code, `${ctx.op}: ${msg}`, { cause: err });
}

/** Runs a Docker call and rethrows its failure as a CriError. */
export async function docker<T>(ctx: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toCriError(err, ctx);
  }
}

// Texts of pull failures that mean "no registry answered" rather than "the registry said no".
const REGISTRY_UNREACHABLE = [
  /dial tcp/i, /no such host/i, /i\/o timeout/i, /connection refused/i, /connection reset/i,
  /tls handshake timeout/i, /network is unreachable/i, /no route to host/i, /temporary failure in name resolution/i,
  /server misbehaving/i, /client\.timeout exceeded/i, /context deadline exceeded/i, /timeout awaiting response headers/i,
  /lookup .* on .*:53/i,
];
const INVALID_REFERENCE = [/invalid reference format/i, /repository name must/i, /invalid tag format/i];

/** Classifies the text of a failed pull: InvalidImageName, RegistryUnavailable or ErrImagePull. */
export function pullErrorCode(message: string): CriErrorCode {
  if (INVALID_REFERENCE.some((r) => r.test(message))) return 'InvalidImageName';
  if (REGISTRY_UNREACHABLE.some((r) => r.test(message))) return 'RegistryUnavailable';
  return 'ErrImagePull';
}

/** Maps a failed pull (thrown by the engine or reported in the progress stream) to a CriError. */
export function pullError(err: unknown, ref: string): CriError {
  if (err instanceof CriError) return err;
  if (isAbortError(err) || isSocketError(err)) return toCriError(err, { op: `pull image "${ref}"` });
  const msg = engineMessage(err);
  const code = statusCodeOf(err) === 400 ? 'InvalidImageName' : pullErrorCode(msg);
  return new CriError(code, code === 'RegistryUnavailable'
    ? `image pull failed for ${ref} because the registry is unavailable: ${msg}`
    : `failed to pull image "${ref}": ${msg}`, { cause: err });
}
