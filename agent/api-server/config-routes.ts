// agent/api-server/config-routes.ts — the configmaps and secrets resources: list (one namespace or all, label
// selector), get, the Table form for `kubectl get`, create (POST), replace (PUT), patch (strategic merge,
// merge, JSON patch, server-side apply) and delete, so `kubectl create configmap`, `kubectl apply -f` and
// `kubectl edit` work on them.
//
// Called through the routes registered by index.ts. Reads every ConfigMap/Secret in force (the manifest
// folder, the URL and the API, through ctx.deps.configObjects); writes only through ApiConfigObjects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigMap, Secret } from '../api/v1.js';
import { resourceOf, type ConfigKind, type ConfigObject } from './config-objects.js';
import { jsonMergePatch, jsonPatch, strategicMerge } from './patch.js';
import { dryRunOf, namespaceParam } from './pods.js';
import { ApiError, badRequest, decodeBody, notFound, readBody, readObject, sendJSON, wantsTable } from './request.js';
import { parseLabelSelector } from './selectors.js';
import { configMapTable, includeObjectOf, secretTable, toTable } from './tables.js';
import type { ApiContext, RouteDef } from './types.js';

type Obj = Record<string, unknown>;

/** Every ConfigMap/Secret in force: all sources (the API's included) through PodConfig, or the API's own. */
function inForce(ctx: ApiContext, kind: ConfigKind): ConfigObject[] {
  return ctx.deps.configObjects?.(kind) ?? (kind === 'ConfigMap' ? ctx.configs.configMaps() : ctx.configs.secrets());
}

function list(ctx: ApiContext, kind: ConfigKind, req: IncomingMessage, res: ServerResponse, url: URL, namespace?: string): void {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const items = inForce(ctx, kind)
    .filter((o) => (namespace === undefined || o.metadata?.namespace === namespace) && labels(o.metadata?.labels))
    .sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(`${b.metadata?.namespace}/${b.metadata?.name}`));
  const rv = String(Math.max(0, ...items.map((o) => Number(o.metadata?.resourceVersion ?? 0) || 0)));
  if (wantsTable(req)) {
    const table = kind === 'ConfigMap' ? toTable(configMapTable, items as ConfigMap[], ctx.deps.now(), rv, includeObjectOf(url)) : toTable(secretTable, items as Secret[], ctx.deps.now(), rv, includeObjectOf(url));
    return sendJSON(res, 200, table);
  }
  sendJSON(res, 200, { kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: rv }, items: items.map((o) => ({ apiVersion: 'v1', kind, ...o })) });
}

function find(ctx: ApiContext, kind: ConfigKind, ns: string, name: string): ConfigObject | undefined {
  return inForce(ctx, kind).find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
}

function get(ctx: ApiContext, kind: ConfigKind, req: IncomingMessage, res: ServerResponse, url: URL, p: Record<string, string>): void {
  const ns = namespaceParam(p);
  const o = find(ctx, kind, ns, p.name!);
  if (!o) throw notFound(resourceOf(kind), p.name!);
  if (wantsTable(req)) {
    const rv = o.metadata?.resourceVersion ?? '';
    return sendJSON(res, 200, kind === 'ConfigMap' ? toTable(configMapTable, [o as ConfigMap], ctx.deps.now(), rv, includeObjectOf(url)) : toTable(secretTable, [o as Secret], ctx.deps.now(), rv, includeObjectOf(url)));
  }
  sendJSON(res, 200, { apiVersion: 'v1', kind, ...o });
}

async function create(ctx: ApiContext, kind: ConfigKind, req: IncomingMessage, res: ServerResponse, url: URL, p: Record<string, string>): Promise<void> {
  const ns = namespaceParam(p);
  sendJSON(res, 201, ctx.configs.create(kind, ns, await readObject(req), dryRunOf(url)));
}

async function replace(ctx: ApiContext, kind: ConfigKind, req: IncomingMessage, res: ServerResponse, url: URL, p: Record<string, string>): Promise<void> {
  const ns = namespaceParam(p);
  sendJSON(res, 200, ctx.configs.update(kind, ns, p.name!, await readObject(req), dryRunOf(url)));
}

async function patch(ctx: ApiContext, kind: ConfigKind, req: IncomingMessage, res: ServerResponse, url: URL, p: Record<string, string>): Promise<void> {
  const ns = namespaceParam(p);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const body = decodeBody(await readBody(req), type);
  const current = ctx.configs.get(kind, ns, p.name!);
  const dryRun = dryRunOf(url);
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (type === 'application/apply-patch+yaml' || type === 'application/apply-patch+json') {
    if (!isObject) throw badRequest('an apply patch must be an object');
    if (!current) return sendJSON(res, 201, ctx.configs.create(kind, ns, body as Obj, dryRun));
    // Server-side apply without field ownership: the applied configuration is merged over the live object.
    return sendJSON(res, 200, ctx.configs.update(kind, ns, p.name!, strategicMerge(current, body) as Obj, dryRun));
  }
  if (!current) throw ctx.configs.missing(kind, ns, p.name!);
  let next: unknown;
  if (type === 'application/strategic-merge-patch+json') next = strategicMerge(current, body);
  else if (type === 'application/merge-patch+json') next = jsonMergePatch(current, body);
  else if (type === 'application/json-patch+json') next = jsonPatch(current, body);
  else throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json');
  if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new ApiError(422, 'Invalid', 'the patched object is not an object');
  sendJSON(res, 200, ctx.configs.update(kind, ns, p.name!, next as Obj, dryRun));
}

function remove(ctx: ApiContext, kind: ConfigKind, _req: IncomingMessage, res: ServerResponse, url: URL, p: Record<string, string>): void {
  const ns = namespaceParam(p);
  const gone = ctx.configs.delete(kind, ns, p.name!, dryRunOf(url));
  sendJSON(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: gone.metadata?.name, kind: resourceOf(kind), uid: gone.metadata?.uid } });
}

export function configRoutes(ctx: ApiContext): RouteDef[] {
  return (['ConfigMap', 'Secret'] as const).flatMap((kind): RouteDef[] => {
    const r = resourceOf(kind);
    const base = `/api/v1/namespaces/:namespace/${r}`;
    return [
      { method: 'GET', path: `/api/v1/${r}`, handler: (req, res, url) => list(ctx, kind, req, res, url) },
      { method: 'GET', path: base, handler: (req, res, url, p) => list(ctx, kind, req, res, url, namespaceParam(p)) },
      { method: 'POST', path: base, write: true, handler: (req, res, url, p) => create(ctx, kind, req, res, url, p) },
      { method: 'GET', path: `${base}/:name`, handler: (req, res, url, p) => get(ctx, kind, req, res, url, p) },
      { method: 'PUT', path: `${base}/:name`, write: true, handler: (req, res, url, p) => replace(ctx, kind, req, res, url, p) },
      { method: 'PATCH', path: `${base}/:name`, write: true, handler: (req, res, url, p) => patch(ctx, kind, req, res, url, p) },
      { method: 'DELETE', path: `${base}/:name`, write: true, handler: (req, res, url, p) => remove(ctx, kind, req, res, url, p) },
    ];
  });
}
