// client/errors.ts — ApiError: a failure the API server answered (its Status: code, reason, message,
// details), or a transport failure (code 0, reason 'Unreachable'). Helpers name the cases callers branch on.
export interface StatusBody {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: StatusBody;

  constructor(status: StatusBody) {
    super(status.message ?? `the server answered ${status.code ?? 0} ${status.reason ?? ''}`.trim());
    this.name = 'ApiError';
    this.code = status.code ?? 0;
    this.reason = status.reason ?? '';
    this.status = status;
  }

  static unreachable(server: string, cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 0, reason: 'Unreachable', message: `the API server at ${server} is not answering: ${why}` });
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.code === 409;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';
/** 410 Gone / Expired: the resourceVersion is older than the server's history; relist. */
export const isExpired = (e: unknown): boolean => e instanceof ApiError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
export const isUnreachable = (e: unknown): boolean => e instanceof ApiError && e.code === 0;
