// agent/api-server/events.ts — core/v1 events: list (one namespace or all), get, watch, field selectors
// (involvedObject.*, type, reason, source, …) and the Table form, so `kubectl describe pod` shows Events,
// `kubectl get events` prints LAST SEEN/TYPE/REASON/OBJECT/MESSAGE and `kubectl get events -w` streams.
//
// Called through the routes registered by index.ts. Reads the EventRecorder (list + subscribe; its
// resourceVersions are the events'); never records or changes an event.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Event } from '../api/v1.js';
import { flag, notFound, sendJSON, wantsTable } from './request.js';
import { namespaceParam } from './pods.js';
import { parseFieldSelector, parseLabelSelector, type FieldGetters } from './selectors.js';
import { eventTable, includeObjectOf, toTable } from './tables.js';
import type { ApiContext, RouteDef } from './types.js';
import { expiredStatus, openWatch } from './watch.js';

const eventFields: FieldGetters<Event> = {
  'metadata.name': (e) => e.metadata.name,
  'metadata.namespace': (e) => e.metadata.namespace,
  'involvedObject.kind': (e) => e.involvedObject.kind,
  'involvedObject.namespace': (e) => e.involvedObject.namespace,
  'involvedObject.name': (e) => e.involvedObject.name,
  'involvedObject.uid': (e) => e.involvedObject.uid,
  'involvedObject.apiVersion': (e) => e.involvedObject.apiVersion,
  'involvedObject.resourceVersion': (e) => e.involvedObject.resourceVersion,
  'involvedObject.fieldPath': (e) => e.involvedObject.fieldPath,
  reason: (e) => e.reason,
  reportingComponent: (e) => e.reportingComponent,
  source: (e) => e.source?.component,
  type: (e) => e.type,
};

const rvOf = (e: Event): number => Number(e.metadata.resourceVersion ?? '0');

function matcher(url: URL, namespace?: string): (e: Event) => boolean {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), eventFields, 'Event');
  return (e) => (namespace === undefined || e.metadata.namespace === namespace) && labels(e.metadata.labels) && fields(e);
}

function listOrWatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, namespace?: string): void {
  const rec = ctx.deps.events;
  const match = matcher(url, namespace);
  const table = wantsTable(req);
  const include = includeObjectOf(url);
  const now = ctx.deps.now;
  if (!flag(url, 'watch')) {
    const rv = String(rec.resourceVersion());
    const items = rec.list(match);
    if (table) return sendJSON(res, 200, toTable(eventTable, items, now(), rv, include));
    return sendJSON(res, 200, { kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
  }
  const rvParam = url.searchParams.get('resourceVersion') ?? '';
  let initial: { type: 'ADDED' | 'MODIFIED'; e: Event }[];
  if (rvParam === '' || rvParam === '0') {
    initial = rec.list(match).map((e) => ({ type: 'ADDED', e }));
  } else {
    const n = Number(rvParam);
    if (!Number.isInteger(n) || n > rec.resourceVersion()) return sendJSON(res, 410, expiredStatus(rvParam));
    initial = rec.list((e) => rvOf(e) > n && match(e))
      .sort((a, b) => rvOf(a) - rvOf(b))
      .map((e) => ({ type: (e.count ?? 1) > 1 ? 'MODIFIED' : 'ADDED', e }));
  }
  const w = openWatch(req, res, url);
  const send = (type: 'ADDED' | 'MODIFIED', e: Event): void => {
    // The recorder mutates aggregated events in place: send a snapshot.
    const obj = structuredClone(e);
    w.send(type, table ? toTable(eventTable, [obj], now(), obj.metadata.resourceVersion ?? '', include, false) : obj);
  };
  for (const { type, e } of initial) send(type, e);
  // Runs inside EventRecorder.event(): nothing may throw back into the agent.
  w.onClose(rec.subscribe((e, op) => {
    try { if (match(e)) send(op, e); } catch { w.end(); }
  }));
}

function getEvent(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): void {
  const ns = namespaceParam(params);
  const e = ctx.deps.events.list((x) => x.metadata.namespace === ns && x.metadata.name === params.name)[0];
  if (!e) throw notFound('events', params.name!);
  if (wantsTable(req)) return sendJSON(res, 200, toTable(eventTable, [e], ctx.deps.now(), e.metadata.resourceVersion ?? '', includeObjectOf(url)));
  sendJSON(res, 200, e);
}

export function eventRoutes(ctx: ApiContext): RouteDef[] {
  return [
    { method: 'GET', path: '/api/v1/events', handler: (req, res, url) => listOrWatch(ctx, req, res, url) },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/events', handler: (req, res, url, p) => listOrWatch(ctx, req, res, url, namespaceParam(p)) },
    { method: 'GET', path: '/api/v1/namespaces/:namespace/events/:name', handler: (req, res, url, p) => getEvent(ctx, req, res, url, p) },
  ];
}
