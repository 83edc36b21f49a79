// control-plane/store/errors.ts — the errors of the object store as Kubernetes Status objects (code, reason,
// message, details), with the exact texts kube-apiserver's generic store and storage layer produce.
//
// PURE: no I/O. The store throws a StatusError; the API server writes `err.status()` as the response body
// with `err.code` as the HTTP status. A resource is named by its qualified name ("pods",
// "deployments.apps"), as GroupResource.String() prints it in every message.

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status as it goes on the wire. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  status(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

export const isStatusError = (e: unknown, reason?: string): e is StatusError =>
  e instanceof StatusError && (reason === undefined || e.reason === reason);

/** Awaits `p`, treating a StatusError of one of `reasons` as done (the object went meanwhile, …). */
export async function ignoring(p: Promise<unknown>, ...reasons: string[]): Promise<void> {
  try { await p; } catch (e) {
    if (e instanceof StatusError && reasons.includes(e.reason)) return;
    throw e;
  }
}

/** "deployments.apps" → { group: 'apps', resource: 'deployments' }; "pods" → { group: '', resource: 'pods' }. */
export function splitResource(qualified: string): { group: string; resource: string } {
  const dot = qualified.indexOf('.');
  return dot < 0 ? { group: '', resource: qualified } : { group: qualified.slice(dot + 1), resource: qualified.slice(0, dot) };
}

/** Details naming the resource and object, without empty fields (the wire omits them). */
function details(qualified: string, name: string, extra: Partial<StatusDetails> = {}): StatusDetails {
  const { group, resource } = splitResource(qualified);
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  d.kind = resource;
  return { ...d, ...extra };
}

export const notFound = (resource: string, name: string): StatusError =>
  new StatusError(404, 'NotFound', `${resource} "${name}" not found`, details(resource, name));

export const alreadyExists = (resource: string, name: string, beingDeleted = false): StatusError =>
  new StatusError(409, 'AlreadyExists', `${beingDeleted ? 'object is being deleted: ' : ''}${resource} "${name}" already exists`, details(resource, name));

export const generateNameConflict = (resource: string, name: string): StatusError =>
  new StatusError(409, 'AlreadyExists',
    `${resource} "${name}" already exists, the server was not able to generate a unique name for the object`,
    details(resource, name, { retryAfterSeconds: 1 }));

/** The optimistic-concurrency text of the generic store (OptimisticLockErrorMsg). */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export const conflict = (resource: string, name: string, why: string = OPTIMISTIC_LOCK_MESSAGE): StatusError =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, details(resource, name));

export function forbidden(resource: string, name: string, why: string, causes?: StatusCause[]): StatusError {
  const message = name ? `${resource} "${name}" is forbidden: ${why}` : `${resource} is forbidden: ${why}`;
  return new StatusError(403, 'Forbidden', message, details(resource, name, causes ? { causes } : {}));
}

/**
 * One field error of a 422 Invalid, as field.Error renders it. (Issue 11, registry: NotSupported, Duplicate
 * and TooLong added — the kinds' validation needs field.NotSupported/Duplicate/TooLong texts too.)
 */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueTooLong';
  field: string;
  detail: string;
  value?: unknown;
}

const TYPE_WORDS: Record<FieldError['type'], string> = {
  FieldValueInvalid: 'Invalid value', FieldValueRequired: 'Required value', FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value', FieldValueDuplicate: 'Duplicate value', FieldValueTooLong: 'Too long',
};

function errorBody(e: FieldError): string {
  const word = TYPE_WORDS[e.type];
  if (e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported') return `${word}: ${JSON.stringify(e.value)}: ${e.detail}`;
  if (e.type === 'FieldValueDuplicate') return `${word}: ${JSON.stringify(e.value)}`;
  return e.detail ? `${word}: ${e.detail}` : word;
}

/** 422 Invalid; `kind` is the qualified kind ("Pod", "Deployment.apps"). */
export function invalid(kind: string, name: string, errs: FieldError[]): StatusError {
  const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const list = errs.map((e) => `${e.field}: ${errorBody(e)}`);
  const agg = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const [k, ...g] = kind.split('.');
  const d: StatusDetails = { ...(name ? { name } : {}), ...(g.length ? { group: g.join('.') } : {}), kind: k!, causes };
  return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${agg}`, d);
}

export const badRequest = (message: string): StatusError => new StatusError(400, 'BadRequest', message);

/** 410 Expired: a watch or list from a resourceVersion the history no longer holds. */
export const expired = (message: string): StatusError => new StatusError(410, 'Expired', message);

export const tooOldResourceVersion = (requested: number, oldest: number): StatusError =>
  expired(`too old resource version: ${requested} (${oldest})`);

/** 504 Timeout with cause ResourceVersionTooLarge: a resourceVersion newer than the store has handed out. */
export const tooLargeResourceVersion = (requested: number, current: number): StatusError =>
  new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`,
    { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });

export const internalError = (message: string): StatusError =>
  new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
