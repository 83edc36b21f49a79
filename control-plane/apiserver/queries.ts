// control-plane/apiserver/queries.ts — the query parameters and bodies of resource requests, parsed into
// rest.ts's options: list/watch options (selectors, resourceVersion, resourceVersionMatch, bookmarks,
// sendInitialEvents with kube-apiserver's rules), DeleteOptions (body and query), the patch type of a
// Content-Type, and the field manager (the User-Agent's program when none is sent).
//
// PURE over URL, headers and decoded bodies; errors are StatusErrors.
import type { IncomingMessage } from 'node:http';
import { badRequest, invalid, StatusError, type FieldError, type PropagationPolicy } from '../store/index.js';
import { flag, intParam, type Body } from './http.js';
import type { DeleteQuery, ListQuery, PatchType, WatchQuery } from './rest.js';

const MATCHES = ['NotOlderThan', 'Exact'] as const;

export function listQuery(url: URL): ListQuery {
  const q = url.searchParams;
  const match = q.get('resourceVersionMatch') || undefined;
  if (match !== undefined && !(MATCHES as readonly string[]).includes(match)) {
    throw invalid('ListOptions.meta.k8s.io', '', [{ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', value: match, detail: 'supported values: "Exact", "NotOlderThan"' }]);
  }
  return {
    labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined, resourceVersionMatch: match as ListQuery['resourceVersionMatch'],
  };
}

/** Watch options; sendInitialEvents needs resourceVersionMatch=NotOlderThan and allowWatchBookmarks (422 otherwise). */
export function watchQuery(url: URL): WatchQuery {
  const base = listQuery(url);
  const q = url.searchParams;
  const allowWatchBookmarks = flag(url, 'allowWatchBookmarks');
  const sendInitialEvents = q.has('sendInitialEvents') ? flag(url, 'sendInitialEvents') : undefined;
  if (sendInitialEvents !== undefined) {
    const errs: FieldError[] = [];
    if (base.resourceVersionMatch !== 'NotOlderThan') errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
    if (sendInitialEvents && !allowWatchBookmarks) errs.push({ type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'sendInitialEvents requires setting allowWatchBookmarks to true' });
    if (errs.length) throw invalid('ListOptions.meta.k8s.io', '', errs);
  } else if (base.resourceVersionMatch !== undefined) {
    throw invalid('ListOptions.meta.k8s.io', '', [{ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' }]);
  }
  return { ...base, resourceVersionMatch: undefined, allowWatchBookmarks, sendInitialEvents };
}

const POLICIES: readonly PropagationPolicy[] = ['Foreground', 'Background', 'Orphan'];

/** DeleteOptions from the body (kubectl's way) and the query; the body wins. */
export function deleteQuery(url: URL, body: Body | undefined, dryRun: boolean): DeleteQuery {
  const b = body ?? {};
  const grace = typeof b['gracePeriodSeconds'] === 'number' ? b['gracePeriodSeconds'] : intParam(url, 'gracePeriodSeconds');
  let policy = (b['propagationPolicy'] ?? url.searchParams.get('propagationPolicy') ?? undefined) as string | undefined;
  const orphan = b['orphanDependents'] ?? (url.searchParams.has('orphanDependents') ? flag(url, 'orphanDependents') : undefined);
  if (policy !== undefined && orphan !== undefined) {
    throw invalid('DeleteOptions.meta.k8s.io', '', [{ type: 'FieldValueInvalid', field: 'propagationPolicy', value: policy, detail: 'orphanDependents and deletionPropagation cannot be both set' }]);
  }
  if (orphan !== undefined) policy = orphan === true ? 'Orphan' : 'Background';
  if (policy !== undefined && !(POLICIES as readonly string[]).includes(policy)) {
    throw invalid('DeleteOptions.meta.k8s.io', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: policy, detail: 'supported values: "Foreground", "Background", "Orphan"' }]);
  }
  const pre = typeof b['preconditions'] === 'object' && b['preconditions'] !== null ? (b['preconditions'] as DeleteQuery['preconditions']) : undefined;
  return { gracePeriodSeconds: grace, propagationPolicy: policy as PropagationPolicy | undefined, preconditions: pre, dryRun };
}

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json', 'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic', 'application/apply-patch+yaml': 'apply',
};

export function patchTypeOf(req: IncomingMessage): PatchType {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const t = PATCH_TYPES[ct];
  if (!t) {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`);
  }
  return t;
}

/** `fieldManager`, or the program name of the User-Agent ("kubectl/v1.33 …" → "kubectl"), as upstream. */
export function fieldManagerOf(req: IncomingMessage, url: URL, required: boolean): string {
  const given = url.searchParams.get('fieldManager');
  if (given) {
    if (given.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return given;
  }
  if (required) throw badRequest('PATCH requests with apply-patch content type must include a fieldManager (the fieldManager query parameter)');
  return (req.headers['user-agent'] ?? 'unknown').split('/')[0]!.slice(0, 128) || 'unknown';
}
