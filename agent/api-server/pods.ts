// agent/api-server/pods.ts — the pods resource: list (one namespace or all, label and field selectors),
// get, watch, the Table form for `kubectl get`, create (POST), replace (PUT), patch (strategic merge, merge,
// JSON patch, server-side apply) and delete (grace period, `--force --grace-period=0`).
//
// Called through the routes registered by index.ts. Reads pods from the PodFeed (served objects with
// resource versions) and writes only through the ApiPodSource; it never talks to workers or the runtime.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from '../api/v1.js';
import { filterEvent, type FeedEvent } from './pod-feed.js';
import { jsonMergePatch, jsonPatch, strategicMerge } from './patch.js';
import { ApiError, badRequest, flag, intParam, notFound, readBody, readObject, decodeBody, sendJSON, wantsTable } from './request.js';
import { parseFieldSelector, parseLabelSelector, type FieldGetters } from './selectors.js';
import { includeObjectOf, podTable, toTable } from './tables.js';
import type { ApiContext, RouteDef } from './types.js';
import { expiredStatus, openWatch } from './watch.js';

const podFields: FieldGetters<Pod> = {
  'metadata.name': (p) => p.metadata?.name,
  'metadata.namespace': (p) => p.metadata?.namespace,
  'spec.nodeName': (p) => p.spec?.nodeName,
  'spec.restartPolicy': (p) => p.spec?.restartPolicy,
  'spec.schedulerName': (p) => p.spec?.schedulerName,
  'spec.serviceAccountName': (p) => p.spec?.serviceAccountName,
  'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
  'status.phase': (p) => p.status?.phase,
  'status.podIP': (p) => p.status?.podIP,
  'status.nominatedNodeName': (p) => p.status?.nominatedNodeName,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The namespace of a namespaced URL; a malformed one can hold nothing, so it is a 404 like any missing object. */
export function namespaceParam(params: Record<string, string>): string {
  const ns = params.namespace ?? '';
  if (!DNS_LABEL.test(ns)) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  return ns;
}

/** Label + field selector (+ namespace) of a list or watch request. */
export function podMatcher(url: URL, namespace?: string): (p: Pod) => boolean {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), podFields, 'Pod');
  return (p) => (namespace === undefined || p.metadata?.namespace === namespace) && labels(p.metadata?.labels) && fields(p);
}

export const dryRunOf = (url: URL, body?: Record<string, unknown>): boolean =>
  url.searchParams.getAll('dryRun').includes('All') || (Array.isArray(body?.dryRun) && body.dryRun.includes('All'));

function listOrWatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, namespace?: string): void {
  const match = podMatcher(url, namespace);
  if (flag(url, 'watch')) return watchPods(ctx, req, res, url, match);
  const items = ctx.feed.list().filter(match);
  const rv = String(ctx.feed.resourceVersion);
  if (wantsTable(req)) return sendJSON(res, 200, toTable(podTable, items, ctx.deps.now(), rv, includeObjectOf(url)));
  sendJSON(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
}

function watchPods(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, match: (p: Pod) => boolean): void {
  const rvParam = url.searchParams.get('resourceVersion') ?? '';
  const current = ctx.feed.resourceVersion;
  let initial: Pod[] = [];
  let replay: FeedEvent[] = [];
  if (rvParam === '' || rvParam === '0') {
    initial = ctx.feed.list().filter(match);
  } else {
    const n = Number(rvParam);
    const events = Number.isInteger(n) && n <= current ? ctx.feed.since(n) : 'expired';
    if (events === 'expired') return sendJSON(res, 410, expiredStatus(rvParam));
    replay = events;
  }
  const table = wantsTable(req);
  const include = includeObjectOf(url);
  const w = openWatch(req, res, url);
  const send = (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void => {
    w.send(type, table ? toTable(podTable, [pod], ctx.deps.now(), pod.metadata?.resourceVersion ?? '', include, false) : pod);
  };
  for (const p of initial) send('ADDED', p);
  const onEvent = (e: FeedEvent): void => {
    try {
      const f = filterEvent(e, match);
      if (f) send(f.type, f.pod);
    } catch {
      w.end();
    }
  };
  replay.forEach(onEvent);
  w.onClose(ctx.feed.subscribe(onEvent));
}

function getPod(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): void {
  const ns = namespaceParam(params);
  const pod = ctx.feed.byName(ns, params.name!);
  if (!pod) throw notFound('pods', params.name!);
  if (wantsTable(req)) return sendJSON(res, 200, toTable(podTable, [pod], ctx.deps.now(), pod.metadata?.resourceVersion ?? '', includeObjectOf(url)));
  sendJSON(res, 200, pod);
}

/** The served pod after a write (falls back to the stored object for dry runs and force deletes). */
function served(ctx: ApiContext, pod: Pod): Pod {
  const s = ctx.feed.list().find((p) => p.metadata?.uid === pod.metadata?.uid);
  return s ?? { ...pod, status: pod.status ?? { phase: 'Pending' } };
}

async function createPod(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const ns = namespaceParam(params);
  const body = await readObject(req);
  const pod = ctx.source.create(body, ns, dryRunOf(url));
  sendJSON(res, 201, served(ctx, pod));
}

async function replacePod(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const ns = namespaceParam(params);
  const body = await readObject(req);
  const current = ctx.feed.byName(ns, params.name!);
  if (!current) throw notFound('pods', params.name!);
  sendJSON(res, 200, served(ctx, ctx.source.update(current, body, dryRunOf(url))));
}

const withoutStatus = (p: Pod): Record<string, unknown> => {
  const { status: _s, ...rest } = p;
  return rest as Record<string, unknown>;
};

async function patchPod(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const ns = namespaceParam(params);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const raw = await readBody(req);
  const patch = decodeBody(raw, type);
  const current = ctx.feed.byName(ns, params.name!);
  const dryRun = dryRunOf(url);
  const isObject = typeof patch === 'object' && patch !== null && !Array.isArray(patch);
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+json') {
    if (!isObject) throw badRequest('an apply patch must be an object');
    const applied = patch as Record<string, unknown>;
    if (!current) {
      const pod = ctx.source.create(applied, ns, dryRun);
      return sendJSON(res, 201, served(ctx, pod));
    }
    // Server-side apply without field ownership: the applied configuration is merged over the live object.
    const merged = strategicMerge(withoutStatus(current), applied) as Record<string, unknown>;
    return sendJSON(res, 200, served(ctx, ctx.source.update(current, merged, dryRun)));
  }
  if (!current) throw notFound('pods', params.name!);
  let next: unknown;
  if (type === 'application/strategic-merge-patch+json') next = strategicMerge(withoutStatus(current), patch);
  else if (type === 'application/merge-patch+json') next = jsonMergePatch(withoutStatus(current), patch);
  else if (type === 'application/json-patch+json') next = jsonPatch(withoutStatus(current), patch);
  else throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new ApiError(422, 'Invalid', 'the patched object is not an object');
  sendJSON(res, 200, served(ctx, ctx.source.update(current, next as Record<string, unknown>, dryRun)));
}

async function deletePod(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const ns = namespaceParam(params);
  const raw = await readBody(req);
  const opts = raw.toString('utf8').trim() ? decodeBody(raw, req.headers['content-type']) : {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw badRequest('DeleteOptions must be an object');
  const body = opts as Record<string, unknown>;
  const fromBody = typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined;
  const grace = intParam(url, 'gracePeriodSeconds') ?? fromBody;
  const before = ctx.feed.byName(ns, params.name!);
  const pre = body.preconditions as { uid?: string } | undefined;
  if (before && pre?.uid && pre.uid !== before.metadata?.uid) {
    throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${before.metadata?.uid}`);
  }
  const pod = ctx.source.delete(ns, params.name!, grace === undefined ? undefined : Math.max(0, grace), dryRunOf(url, body));
  // A pod still shown (graceful delete pending) is answered as served now; one gone from view (a force
  // delete) as last served, with the deletion fields it was removed with.
  const after = ctx.feed.list().find((p) => p.metadata?.uid === pod.metadata?.uid);
  const last = before?.metadata?.uid === pod.metadata?.uid ? before : undefined;
  sendJSON(res, 200, after ?? (last ? { ...last, metadata: { ...last.metadata, ...deletionOf(pod) } } : pod));
}

const deletionOf = (pod: Pod): Pick<NonNullable<Pod['metadata']>, 'deletionTimestamp' | 'deletionGracePeriodSeconds'> => {
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata ?? {};
  return deletionTimestamp === undefined ? {} : { deletionTimestamp, deletionGracePeriodSeconds };
};

export function podRoutes(ctx: ApiContext): RouteDef[] {
  const pods = '/api/v1/namespaces/:namespace/pods';
  return [
    { method: 'GET', path: '/api/v1/pods', handler: (req, res, url) => listOrWatch(ctx, req, res, url) },
    { method: 'GET', path: pods, handler: (req, res, url, p) => listOrWatch(ctx, req, res, url, namespaceParam(p)) },
    { method: 'POST', path: pods, write: true, handler: (req, res, url, p) => createPod(ctx, req, res, url, p) },
    { method: 'GET', path: `${pods}/:name`, handler: (req, res, url, p) => getPod(ctx, req, res, url, p) },
    { method: 'GET', path: `${pods}/:name/status`, handler: (req, res, url, p) => getPod(ctx, req, res, url, p) },
    { method: 'PUT', path: `${pods}/:name`, write: true, handler: (req, res, url, p) => replacePod(ctx, req, res, url, p) },
    { method: 'PATCH', path: `${pods}/:name`, write: true, handler: (req, res, url, p) => patchPod(ctx, req, res, url, p) },
    { method: 'DELETE', path: `${pods}/:name`, write: true, handler: (req, res, url, p) => deletePod(ctx, req, res, url, p) },
  ];
}
