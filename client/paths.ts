// client/paths.ts — the REST API's addresses as kube-apiserver serves them: resource paths (`/api/v1/…` for
// the core group, `/apis/<group>/<version>/…` otherwise, `/namespaces/<ns>/` for namespaced resources, then
// `<resource>[/<name>[/<subresource>]]`), the query parameters of list, watch and writes, the patch content
// types, and the Status an answer that carries none stands for. Pure functions; client/http.ts sends them.
import type { StatusBody } from './errors.js';
import type { ListOptions, PatchType, ResourceRef, WatchOptions } from './types.js';

/** The path of a collection (no name) or of one object, below the server's base path. */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const parts = [ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`];
  if (ref.namespaced && namespace) parts.push('namespaces', encodeURIComponent(namespace));
  parts.push(ref.resource);
  if (name !== undefined) {
    if (name === '') throw new TypeError(`a ${ref.resource} name must not be empty`);
    parts.push(encodeURIComponent(name));
    if (subresource) parts.push(subresource);
  }
  return parts.join('/');
}

/** The namespace of a call on one object: given, or the object's; required for namespaced resources. */
export function namespaceFor(ref: ResourceRef, namespace: string | undefined, obj?: { metadata?: { namespace?: string } }): string | undefined {
  if (!ref.namespaced) return undefined;
  const ns = namespace ?? obj?.metadata?.namespace;
  if (!ns) throw new TypeError(`${ref.resource} are namespaced: the call needs a namespace`);
  return ns;
}

/** Query of a list (`watch` false) or a watch. Unset options are left out. */
export function listQuery(opts: ListOptions & WatchOptions, watch: boolean): URLSearchParams {
  const q = new URLSearchParams();
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  if (opts.resourceVersion !== undefined) q.set('resourceVersion', opts.resourceVersion);
  if (opts.limit !== undefined) q.set('limit', String(opts.limit));
  if (opts.continue) q.set('continue', opts.continue);
  if (watch) {
    q.set('watch', 'true');
    if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
    if (opts.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(opts.timeoutSeconds));
  }
  return q;
}

/** Query of a create, update, patch or delete. */
export function writeQuery(opts: { dryRun?: boolean; fieldManager?: string; force?: boolean }): URLSearchParams {
  const q = new URLSearchParams();
  if (opts.dryRun) q.set('dryRun', 'All');
  if (opts.fieldManager) q.set('fieldManager', opts.fieldManager);
  if (opts.force !== undefined) q.set('force', String(opts.force));
  return q;
}

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  // JSON is YAML: the apply body is sent as JSON.
  apply: 'application/apply-patch+yaml',
};

/** The reason kube-apiserver gives each code (for answers without a Status body). */
const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Expired', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** The Status of a non-2xx answer: its JSON Status body, or one made of the code and the text. */
export function statusOf(code: number, text: string): StatusBody {
  const body = parseOrUndefined(text);
  if (body && typeof body === 'object' && !Array.isArray(body) && ((body as StatusBody).kind === 'Status' || typeof (body as StatusBody).reason === 'string')) {
    const s = body as StatusBody;
    return { ...s, code: s.code || code };
  }
  const trimmed = text.trim();
  return {
    kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: REASONS[code] ?? (code >= 500 ? 'InternalError' : 'Unknown'),
    message: trimmed ? `the server answered ${code}: ${trimmed.slice(0, 1024)}` : `the server answered ${code} with no body`,
  };
}

function parseOrUndefined(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
