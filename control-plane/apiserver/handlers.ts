// control-plane/apiserver/handlers.ts — one resource request, for any registered resource: the verb from
// method and path (get, list, watch, create, update, patch, delete, deletecollection; /status), the write
// rule, the body decoded (JSON, YAML, protobuf), the call into rest.ts, and the answer encoded (the
// requested version; a Table when the client asks `as=Table`; a Success Status for deletions of kinds that
// do not return the object; 201 for creations). `/scale` goes to scale.ts; a deprecated version's every
// answer carries its `Warning: 299 - "..."` header.
//
// Generic: nothing here depends on the kind; every difference comes from the registry's Resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStatusError, StatusError, type KubeObject, type WatchEvent } from '../store/index.js';
import { toTable, type ActionDef, type IncludeObject, type Registry, type Resource, type Subresource, type Verb } from '../registry/index.js';
import type { WriteGuard } from './auth.js';
import { asObject, decodeBody, dryRunOf, flag, intParam, readBody, sendJSON, wantsTable, type Body } from './http.js';
import type { ResourcePath } from './paths.js';
import { deleteQuery, fieldManagerOf, listQuery, patchTypeOf, watchQuery } from './queries.js';
import type { RestStorage } from './rest.js';
import { expiredWatch, streamWatch } from './watch.js';
import { page } from './paging.js';
import { patchScale, scaleOf, writeScale } from './scale.js';

export interface HandlerDeps {
  registry: Registry;
  rest: RestStorage;
  guard: WriteGuard;
  now: () => number;
}

export const notFoundPath = (): StatusError => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
const methodNotAllowed = (): StatusError => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  r: Resource;
  /** '' for cluster-scoped kinds, and for namespaced lists across all namespaces. */
  ns: string;
  name: string | undefined;
  sub: Subresource;
}

const SUBRESOURCE_VERBS: readonly Verb[] = ['get', 'patch', 'update'];
const WRITES: ReadonlySet<Verb> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function verbOf(c: Call, watchPrefix: boolean): Verb {
  const m = c.req.method ?? 'GET';
  if (c.name === undefined) {
    if (m === 'GET' || m === 'HEAD') return watchPrefix || flag(c.url, 'watch') ? 'watch' : 'list';
    if (m === 'POST') return 'create';
    if (m === 'DELETE') return 'deletecollection';
  } else {
    if (m === 'GET' || m === 'HEAD') return 'get';
    if (m === 'PUT') return 'update';
    if (m === 'PATCH') return 'patch';
    if (m === 'DELETE') return 'delete';
  }
  throw methodNotAllowed();
}

export class ResourceHandler {
  constructor(private readonly d: HandlerDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, p: ResourcePath): Promise<void> {
    const r = this.d.registry.lookup(p.group, p.version, p.resource);
    if (!r || (p.namespace !== undefined && !r.namespaced)) throw notFoundPath();
    if (r.deprecation) res.setHeader('Warning', `299 - "${r.deprecation}"`);
    if (p.subresource === 'scale' && p.name !== undefined && r.def.scale) return this.scale(req, res, url, r, p);
    const action = p.subresource && p.name !== undefined ? r.def.actions?.[p.subresource] : undefined;
    if (action) return this.act(req, res, url, r, p, action);
    const sub = (p.subresource ?? '') as Subresource;
    if (sub && (!r.subresources.includes(sub) || p.name === undefined)) throw notFoundPath();
    const c: Call = { req, res, url, r, ns: r.namespaced ? p.namespace ?? '' : '', name: p.name, sub };
    const verb = verbOf(c, p.watchPrefix);
    if (!(sub ? SUBRESOURCE_VERBS : r.verbs).includes(verb)) throw methodNotAllowed();
    // Only list and watch may span namespaces.
    if (r.namespaced && p.namespace === undefined && verb !== 'list' && verb !== 'watch') throw methodNotAllowed();
    if (WRITES.has(verb)) this.d.guard.check(req);
    await this[verb](c);
  }

  /** POST of an action subresource (pods/binding): applied to the current object, answered 201 Success. */
  private async act(req: IncomingMessage, res: ServerResponse, url: URL, r: Resource, p: ResourcePath, action: ActionDef): Promise<void> {
    if (req.method !== 'POST') throw methodNotAllowed();
    this.d.guard.check(req);
    const c: Call = { req, res, url, r, ns: r.namespaced ? p.namespace ?? '' : '', name: p.name, sub: '' };
    const body = asObject(decodeBody(await readBody(req), req.headers['content-type']));
    const uid = (body['metadata'] as { uid?: unknown } | undefined)?.uid;
    await this.d.rest.act(r, c.ns, c.name!, (o) => action.apply(o, body, this.d.now()), typeof uid === 'string' && uid ? uid : undefined);
    sendJSON(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  /** `<resource>/scale`: the object seen and written as the Scale of the request's version (scale.ts). */
  private async scale(req: IncomingMessage, res: ServerResponse, url: URL, r: Resource, p: ResourcePath): Promise<void> {
    const c: Call = { req, res, url, r, ns: r.namespaced ? p.namespace ?? '' : '', name: p.name, sub: '' };
    if (r.namespaced && p.namespace === undefined) throw methodNotAllowed();
    const verb = verbOf(c, false);
    if (verb === 'get') { sendJSON(res, 200, scaleOf(r, this.d.rest.get(r, c.ns, c.name!))); return; }
    if (verb !== 'update' && verb !== 'patch') throw methodNotAllowed();
    this.d.guard.check(req);
    const type = verb === 'patch' ? patchTypeOf(req) : undefined;
    const body = decodeBody(await readBody(req), type ? 'application/json' : req.headers['content-type']);
    const change = type ? (cur: Record<string, unknown>) => patchScale(cur, type, body) : () => body;
    sendJSON(res, 200, await writeScale(this.d.rest, r, c.ns, c.name!, change, this.opts(c)));
  }

  // ---- reads ----

  private include(c: Call): IncludeObject {
    const v = c.url.searchParams.get('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  /** The answer for objects in storage form: the requested version, or a Table. */
  private encode(c: Call, items: readonly KubeObject[], rv: string | undefined, list: boolean, columns = true): unknown {
    if (wantsTable(c.req)) return toTable(c.r.def.table, items, this.d.now(), { resourceVersion: rv, include: this.include(c), columns });
    const out = items.map((o) => c.r.fromStorage(o));
    if (!list) return out[0];
    return { kind: `${c.r.kind}List`, apiVersion: c.r.groupVersion, metadata: { resourceVersion: rv ?? '' }, items: out };
  }

  private async get(c: Call): Promise<void> {
    const o = this.d.rest.get(c.r, c.ns, c.name!);
    sendJSON(c.res, 200, this.encode(c, [o], o.metadata?.resourceVersion, false));
  }

  private async list(c: Call): Promise<void> {
    const { items, resourceVersion } = this.d.rest.list(c.r, c.ns, listQuery(c.url));
    const p = page(items, resourceVersion, intParam(c.url, 'limit'), c.url.searchParams.get('continue') || undefined);
    const body = this.encode(c, p.items, p.resourceVersion, true) as { metadata: Record<string, unknown> };
    if (p.continue) Object.assign(body.metadata, { continue: p.continue, remainingItemCount: p.remainingItemCount });
    sendJSON(c.res, 200, body);
  }

  private async watch(c: Call): Promise<void> {
    let w;
    try {
      w = this.d.rest.watch(c.r, c.ns, watchQuery(c.url));
    } catch (e) {
      if (isStatusError(e, 'Expired')) return expiredWatch(c.res, e.status());
      throw e;
    }
    const table = wantsTable(c.req);
    const encode = (ev: WatchEvent, first: boolean): unknown => {
      if (ev.type === 'BOOKMARK') return table ? toTable(c.r.def.table, [], this.d.now(), { resourceVersion: ev.object.metadata?.resourceVersion, columns: false }) : ev.object;
      return this.encode(c, [ev.object], ev.object.metadata?.resourceVersion, false, first);
    };
    await streamWatch(c.res, w, encode, intParam(c.url, 'timeoutSeconds'));
  }

  // ---- writes ----

  private async body(c: Call): Promise<Body> {
    const proto = { kind: c.r.kind, apiVersion: c.r.groupVersion, message: c.r.def.protobuf };
    return asObject(decodeBody(await readBody(c.req), c.req.headers['content-type'], proto));
  }

  private opts(c: Call, applying = false) {
    return { dryRun: dryRunOf(c.url), fieldManager: fieldManagerOf(c.req, c.url, applying), subresource: c.sub, force: flag(c.url, 'force') };
  }

  private async create(c: Call): Promise<void> {
    const body = await this.body(c);
    const o = await this.d.rest.create(c.r, c.ns, body, this.opts(c));
    sendJSON(c.res, 201, this.encode(c, [o], undefined, false));
  }

  private async update(c: Call): Promise<void> {
    const body = await this.body(c);
    const { object, created } = await this.d.rest.update(c.r, c.ns, c.name!, body, this.opts(c));
    sendJSON(c.res, created ? 201 : 200, this.encode(c, [object], undefined, false));
  }

  private async patch(c: Call): Promise<void> {
    const type = patchTypeOf(c.req);
    const raw = await readBody(c.req);
    const patch = decodeBody(raw, type === 'apply' ? 'application/yaml' : 'application/json');
    const { object, created } = await this.d.rest.patch(c.r, c.ns, c.name!, type, patch, this.opts(c, type === 'apply'));
    sendJSON(c.res, created ? 201 : 200, this.encode(c, [object], undefined, false));
  }

  private async deleteBody(c: Call): Promise<Body | undefined> {
    const raw = await readBody(c.req);
    return raw.toString('utf8').trim() === '' ? undefined : asObject(decodeBody(raw, c.req.headers['content-type']));
  }

  private async delete(c: Call): Promise<void> {
    const body = await this.deleteBody(c);
    const { object, deleted } = await this.d.rest.delete(c.r, c.ns, c.name!, deleteQuery(c.url, body, dryRunOf(c.url, body)));
    if (!deleted || c.r.def.returnDeletedObject) { sendJSON(c.res, 200, this.encode(c, [object], undefined, false)); return; }
    const m = object.metadata ?? {};
    sendJSON(c.res, 200, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
      details: { name: m.name, ...(c.r.group ? { group: c.r.group } : {}), kind: c.r.resource, uid: m.uid },
    });
  }

  private async deletecollection(c: Call): Promise<void> {
    const body = await this.deleteBody(c);
    const gone = await this.d.rest.deleteCollection(c.r, c.ns, listQuery(c.url), deleteQuery(c.url, body, dryRunOf(c.url, body)));
    sendJSON(c.res, 200, this.encode(c, gone, undefined, true));
  }
}
