// control-plane/apiserver/rest.ts — the generic REST storage (kube-apiserver's registry.Store) over the
// object store, for any registered resource: get, list, watch, create, update (PUT, also of /status),
// patch (JSON, merge, strategic; apply via apply.ts), delete (graceful for kinds that are, with
// propagation and preconditions) and deletecollection. Every write runs the registry's strategy and keeps
// managedFields; objects go in and out in the storage version (the handler converts for other versions).
//
// No HTTP here: the handler parses requests into these calls, and a future in-process client can call
// them directly. Errors are StatusErrors (store/errors.ts).
import { badRequest, notFound, type DeleteResult, type KubeObject, type Mutable, type ObjectStore, type PropagationPolicy, type Watch } from '../store/index.js';
import { createStrategy, defaultUpdate, prepareCreate, updateStrategy, type AfterPrepare, type Resource, type Subresource } from '../registry/index.js';
import { planApply } from './apply.js';
import { trackUpdate } from './managed-fields.js';
import { jsonMergePatch, jsonPatch, mergeSchemaOf, strategicMerge } from './patch.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOptions {
  dryRun?: boolean;
  /** The field manager (managedFields); the handler derives one from the User-Agent when none was sent. */
  fieldManager: string;
  subresource?: Subresource;
  /** apply: take over fields other managers own. */
  force?: boolean;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchQuery extends ListQuery {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface DeleteQuery {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class RestStorage {
  constructor(private readonly store: ObjectStore, private readonly now: () => number = Date.now) {}

  /** What admission hooks read (the DefaultStorageClass admission: the storage classes). */
  private readonly admission = { list: (storeResource: string): readonly KubeObject[] => this.store.list(storeResource).items };

  get(r: Resource, ns: string, name: string): KubeObject { return this.store.get(r.storeResource, ns, name); }

  list(r: Resource, ns: string, q: ListQuery): { items: KubeObject[]; resourceVersion: string } {
    return this.store.list(r.storeResource, { ...q, namespace: ns || undefined, fields: r.def.selectableFields });
  }

  watch(r: Resource, ns: string, q: WatchQuery): Watch {
    return this.store.watch(r.storeResource, {
      ...q, namespace: ns || undefined, fields: r.def.selectableFields, bookmarkKind: { apiVersion: r.groupVersion, kind: r.kind },
    });
  }

  /**
   * A request body as the stored object it asks for: the resource's apiVersion/kind, converted to storage,
   * namespace and name from the URL (a body naming others is a 400, as upstream).
   */
  incoming(r: Resource, ns: string, name: string | undefined, body: unknown): Mutable {
    if (!isObj(body)) throw badRequest('the body of the request must be an object');
    if (body['kind'] !== undefined && body['kind'] !== r.kind) throw badRequest(`the kind of the object (${String(body['kind'])}) does not match the resource (${r.resource}, kind ${r.kind})`);
    if (body['apiVersion'] !== undefined && body['apiVersion'] !== r.groupVersion) {
      throw badRequest(`the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${r.groupVersion})`);
    }
    const obj = structuredClone(r.toStorage({ apiVersion: r.groupVersion, kind: r.kind, ...body })) as Mutable;
    const m = (obj.metadata = isObj(obj.metadata) ? obj.metadata : {});
    if (r.namespaced) {
      if (m.namespace && m.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      m.namespace = ns;
    } else delete m.namespace;
    if (name !== undefined) {
      if (m.name && m.name !== name) throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${name})`);
      m.name = name;
    }
    return obj;
  }

  /** An action subresource: read-modify-write of the current object (with a UID precondition when given). */
  async act(r: Resource, ns: string, name: string, fn: (o: Mutable) => void, uid?: string): Promise<KubeObject> {
    return this.store.guaranteedUpdate(r.storeResource, ns, name, fn, { preconditions: uid ? { uid } : undefined });
  }

  async create(r: Resource, ns: string, body: unknown, o: WriteOptions): Promise<KubeObject> {
    const obj = this.incoming(r, ns, undefined, body);
    prepareCreate(r, obj, this.admission);
    const after = trackUpdate(r, o.fieldManager, '', this.now);
    return this.store.create(r.storeResource, obj, { strategy: createStrategy(r, after), dryRun: o.dryRun });
  }

  /** PUT of the object or its status; `created` when a kind that allows it was created. */
  async update(r: Resource, ns: string, name: string, body: unknown, o: WriteOptions): Promise<{ object: KubeObject; created: boolean }> {
    const obj = this.incoming(r, ns, name, body);
    return this.replace(r, obj, o, r.def.allowCreateOnUpdate === true && !o.subresource);
  }

  private async replace(r: Resource, obj: Mutable, o: WriteOptions, allowCreate: boolean): Promise<{ object: KubeObject; created: boolean }> {
    defaultUpdate(r, obj);
    const sub = o.subresource ?? '';
    const existed = this.store.find(r.storeResource, obj.metadata.namespace ?? '', obj.metadata.name ?? '') !== undefined;
    const object = await this.store.update(r.storeResource, obj, {
      strategy: updateStrategy(r, sub, trackUpdate(r, o.fieldManager, sub, this.now)), allowCreateOnUpdate: allowCreate, allowUnconditionalUpdate: true, dryRun: o.dryRun,
    });
    return { object, created: !existed };
  }

  async patch(r: Resource, ns: string, name: string, type: PatchType, patch: unknown, o: WriteOptions): Promise<{ object: KubeObject; created: boolean }> {
    if (type === 'apply') {
      const plan = planApply(r, this.store.find(r.storeResource, ns, name), this.incoming(r, ns, name, patch), o, this.now);
      return this.write(r, plan.obj, o, plan.after, plan.exists);
    }
    const current = this.store.find(r.storeResource, ns, name);
    if (!current) throw notFound(r.storeResource, name);
    const doc = r.fromStorage(current);
    const patched = type === 'json' ? jsonPatch(doc, patch) : type === 'merge' ? jsonMergePatch(doc, patch) : strategicMerge(doc, patch, mergeSchemaOf(r));
    const obj = this.incoming(r, ns, name, patched);
    // The patch was made against `current`: without a resourceVersion of its own it applies to that version.
    obj.metadata.resourceVersion ??= current.metadata?.resourceVersion;
    return this.replace(r, obj, o, false);
  }

  /** The write half of apply (apply.ts decides the object): create, or replace at the version it read. */
  private async write(r: Resource, obj: Mutable, o: WriteOptions, after: AfterPrepare, exists: boolean): Promise<{ object: KubeObject; created: boolean }> {
    if (!exists) {
      prepareCreate(r, obj, this.admission);
      return { object: await this.store.create(r.storeResource, obj, { strategy: createStrategy(r, after), dryRun: o.dryRun }), created: true };
    }
    defaultUpdate(r, obj);
    const strategy = updateStrategy(r, o.subresource ?? '', after);
    return { object: await this.store.update(r.storeResource, obj, { strategy, allowUnconditionalUpdate: true, dryRun: o.dryRun }), created: false };
  }

  async delete(r: Resource, ns: string, name: string, q: DeleteQuery): Promise<DeleteResult> {
    const current = this.store.get(r.storeResource, ns, name);
    const grace = r.def.deleteGrace ? r.def.deleteGrace(current, q.gracePeriodSeconds) : undefined;
    return this.store.delete(r.storeResource, ns, name, { ...q, gracePeriodSeconds: grace });
  }

  async deleteCollection(r: Resource, ns: string, list: ListQuery, q: DeleteQuery): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    for (const o of this.list(r, ns, list).items) {
      const m = o.metadata ?? {};
      if (!this.store.find(r.storeResource, m.namespace ?? '', m.name ?? '')) continue;
      out.push((await this.delete(r, m.namespace ?? '', m.name ?? '', q)).object);
    }
    return out;
  }
}
