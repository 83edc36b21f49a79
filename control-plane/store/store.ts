// control-plane/store/store.ts — the object store: every object by (resource, namespace, name) with one
// resourceVersion counter across all kinds, optimistic concurrency, finalizers and deletion, namespaces,
// list with selectors, and watch with a history window — kube-apiserver's generic store and etcd3 storage
// in one in-process class, durable through persistence.ts.
//
// Reads are synchronous and return deeply frozen objects. Writes are decided and committed synchronously
// (so they are ordered and see each other at once) and resolve only when durable (see persistence.ts).
// Every commit is pushed, in resourceVersion order, to the watchers of its resource and to subscribers.
import { randomUUID } from 'node:crypto';
import { planDelete } from './deletion.js';
import { alreadyExists, badRequest, conflict, generateNameConflict, internalError, invalid, notFound, tooLargeResourceVersion, tooOldResourceVersion } from './errors.js';
import { EventHub } from './event-hub.js';
import { clone, deepEqual, deepFreeze, generateName, metaOf, parseRv, rfc3339 } from './meta.js';
import { checkCreateInNamespace, DEFAULT_NAMESPACES, NAMESPACES, newNamespace, planNamespaceDelete } from './namespaces.js';
import { SqliteBackend } from './persistence.js';
import { parseFieldSelector, parseLabelSelector, requiredField } from './selectors.js';
import { ObjectIndex, type Entry } from './state.js';
import type {
  CreateOptions, DeleteOptions, DeleteResult, KubeObject, ListOptions, ListResult, Mutable, ObjectKey, StoreClock,
  Stored, StoreController, StoreEvent, UpdateOptions, WatchOptions, WriteStrategy,
} from './types.js';
import { planUpdate, qualifiedKind } from './update.js';
import { Watch, matches, type WatchFilter } from './watch.js';

export interface StoreOptions {
  /** Directory of the database (the agent's --root-dir/…); unset = in memory, nothing survives close. */
  dir?: string;
  /** fdatasync before a write is answered (default true). */
  fsync?: boolean;
  clock?: StoreClock;
  /** Events kept per resource for watches that resume from a resourceVersion (default 2000). */
  historySize?: number;
  /** Default period of BOOKMARK events (default 60 s, as kube-apiserver). */
  bookmarkIntervalMs?: number;
  /** Unread live events one watcher may hold before it is closed (default 10,000). */
  maxPendingEvents?: number;
}

export const realClock: StoreClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) { const t = setTimeout(fn, ms); t.unref(); return { cancel: () => clearTimeout(t) }; },
};

export interface GuaranteedUpdateOptions {
  strategy?: WriteStrategy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class ObjectStore {
  private rv: number;
  private readonly hub: EventHub;
  private readonly controllers: StoreController[] = [];
  private closed = false;

  private constructor(
    private readonly backend: SqliteBackend,
    private readonly index: ObjectIndex,
    rv: number,
    private readonly opts: StoreOptions,
    readonly clock: StoreClock,
  ) {
    this.rv = rv;
    this.hub = new EventHub({
      clock, currentRv: () => this.rv, historySize: opts.historySize ?? 2000,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000, maxPendingEvents: opts.maxPendingEvents ?? 10_000,
    });
  }

  /** Opens (or creates) the store and makes sure the default namespaces exist. */
  static async open(opts: StoreOptions = {}): Promise<ObjectStore> {
    const backend = new SqliteBackend({ dir: opts.dir, fsync: opts.fsync });
    const { rv, rows } = backend.load();
    const index = new ObjectIndex();
    for (const r of rows) index.put({ resource: r.resource, namespace: r.namespace, name: r.name }, deepFreeze(JSON.parse(r.data) as KubeObject));
    const store = new ObjectStore(backend, index, rv, opts, opts.clock ?? realClock);
    for (const ns of DEFAULT_NAMESPACES) if (!index.get(NAMESPACES, '', ns)) await store.create(NAMESPACES, newNamespace(ns));
    return store;
  }

  /** The newest resourceVersion handed out. */
  get resourceVersion(): number { return this.rv; }

  get size(): number { return this.index.size; }

  // ---- reads ----

  get<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T {
    const e = this.index.get(resource, namespace, name);
    if (!e) throw notFound(resource, name);
    return e.object as T;
  }

  find<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string): T | undefined {
    return this.index.get(resource, namespace, name)?.object as T | undefined;
  }

  getByUid(uid: string): Entry | undefined { return this.index.getByUid(uid); }

  /** Objects whose ownerReferences name `ownerUid`. */
  dependentsOf(ownerUid: string): Entry[] { return this.index.dependentsOf(ownerUid); }

  /** The resources that hold (or held) objects. */
  resources(): string[] { return this.index.resources(); }

  /** Every object in a namespace, of every resource. */
  contentsOf(namespace: string): Entry[] { return this.index.inNamespace(namespace); }

  list<T extends KubeObject = KubeObject>(resource: string, opts: ListOptions = {}): ListResult<T> {
    const asked = parseRv(opts.resourceVersion);
    if (Number.isNaN(asked)) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
    if (asked !== undefined && asked > this.rv) throw tooLargeResourceVersion(asked, this.rv);
    // Only the current state is kept: an exact older version is gone, as after an etcd compaction.
    if (asked !== undefined && asked !== 0 && opts.resourceVersionMatch === 'Exact' && asked !== this.rv) throw tooOldResourceVersion(asked, this.rv);
    const filter = this.filter(resource, opts);
    const items = this.index.list(resource, filter.namespace).map((e) => e.object).filter((o) => matches(filter, o));
    return { items: items as T[], resourceVersion: String(this.rv) };
  }

  private filter(resource: string, opts: ListOptions | WatchOptions): WatchFilter {
    const fields = parseFieldSelector(opts.fieldSelector, opts.fields);
    const namespace = opts.namespace || requiredField(fields, 'metadata.namespace');
    return { resource, namespace, labels: parseLabelSelector(opts.labelSelector), fields };
  }

  // ---- writes ----

  async create<T extends KubeObject>(resource: string, obj: T, opts: CreateOptions = {}): Promise<Stored<T>> {
    const next = clone(obj) as unknown as Mutable;
    next.metadata = next.metadata ?? {};
    const m = next.metadata;
    if (m.resourceVersion) throw internalError('resourceVersion should not be set on objects to be created');
    const namespace = m.namespace ?? '';
    if (!m.name && m.generateName) m.name = this.freeName(resource, namespace, m.generateName);
    if (!m.name) throw invalid(qualifiedKind(next, resource), '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    if (namespace && resource !== NAMESPACES) checkCreateInNamespace(this.find(NAMESPACES, '', namespace), namespace, resource, m.name);
    const existing = this.find(resource, namespace, m.name);
    if (existing) throw alreadyExists(resource, m.name, existing.metadata?.deletionTimestamp !== undefined);
    if (!opts.restore || !m.uid) m.uid = randomUUID();
    if (!opts.restore || !m.creationTimestamp) m.creationTimestamp = rfc3339(this.clock.now());
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.generation;
    opts.strategy?.prepareForCreate?.(next);
    return this.finish(this.commitPut({ resource, namespace, name: m.name }, next, undefined, opts.dryRun)) as Promise<Stored<T>>;
  }

  private freeName(resource: string, namespace: string, base: string): string {
    let name = '';
    for (let i = 0; i < 8; i++) {
      name = generateName(base);
      if (!this.find(resource, namespace, name)) return name;
    }
    throw generateNameConflict(resource, name);
  }

  /** PUT: replaces the object; a stale metadata.resourceVersion is a 409 Conflict. */
  async update<T extends KubeObject>(resource: string, obj: T, opts: UpdateOptions = {}): Promise<Stored<T>> {
    const m = metaOf(obj);
    const namespace = m.namespace ?? '';
    const name = m.name ?? '';
    const existing = this.find(resource, namespace, name);
    if (!existing) {
      if (!opts.allowCreateOnUpdate) throw notFound(resource, name);
      const fresh = clone(obj) as unknown as Mutable;
      delete fresh.metadata.resourceVersion;
      return this.create(resource, fresh as unknown as T, opts);
    }
    const old = metaOf(existing);
    if (m.uid && m.uid !== old.uid) throw conflict(resource, name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${old.uid}`);
    if (!m.resourceVersion && opts.allowUnconditionalUpdate === false) {
      throw invalid(qualifiedKind(existing, resource), name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: 0, detail: 'must be specified for an update' }]);
    }
    if (m.resourceVersion && m.resourceVersion !== old.resourceVersion) throw conflict(resource, name);
    return this.finish(this.applyUpdate(resource, existing, clone(obj) as unknown as Mutable, opts.strategy, opts.dryRun)) as Promise<Stored<T>>;
  }

  /**
   * Read-modify-write of the current object (kube's GuaranteedUpdate): `mutate` gets a mutable copy and may
   * change it or return a replacement. Never conflicts, since the store decides writes one at a time.
   */
  async guaranteedUpdate<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string,
    mutate: (obj: Mutable) => Mutable | void, opts: GuaranteedUpdateOptions = {}): Promise<Stored<T>> {
    const existing = this.get(resource, namespace, name);
    const old = metaOf(existing);
    const p = opts.preconditions;
    if (p?.uid !== undefined && p.uid !== old.uid) throw conflict(resource, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${old.uid}`);
    if (p?.resourceVersion !== undefined && p.resourceVersion !== old.resourceVersion) throw conflict(resource, name);
    const copy = clone(existing) as Mutable;
    const next = mutate(copy) ?? copy;
    return this.finish(this.applyUpdate(resource, existing, next, opts.strategy, false)) as Promise<Stored<T>>;
  }

  private applyUpdate(resource: string, existing: KubeObject, next: Mutable, strategy: WriteStrategy | undefined, dryRun?: boolean): Committed {
    const plan = planUpdate(resource, existing, next, strategy);
    const m = metaOf(existing);
    const key = { resource, namespace: m.namespace ?? '', name: m.name ?? '' };
    if (plan.action === 'none') return { object: existing, durable: Promise.resolve() };
    return plan.action === 'remove' ? this.commitRemove(key, existing, dryRun, plan.next) : this.commitPut(key, plan.next, existing, dryRun);
  }

  /**
   * DELETE: removes the object, or only marks it (deletionTimestamp) when finalizers remain or a grace
   * period runs. A namespace is marked Terminating; namespace-controller.ts empties and removes it.
   */
  async delete<T extends KubeObject = KubeObject>(resource: string, namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult<T>> {
    const existing = this.get(resource, namespace, name);
    const key = { resource, namespace, name };
    const now = this.clock.now();
    if (resource === NAMESPACES) {
      const ns = planNamespaceDelete(existing, now);
      if (ns.action === 'mark') return { object: await this.finish(this.commitPut(key, ns.next, existing, opts.dryRun)) as T, deleted: false };
    }
    const plan = planDelete(existing, opts, now);
    if (plan.action === 'none') return { object: existing as T, deleted: false };
    if (plan.action === 'update') {
      const done = deepEqual(plan.next, existing) ? { object: existing, durable: Promise.resolve() } : this.commitPut(key, plan.next, existing, opts.dryRun);
      return { object: await this.finish(done) as T, deleted: false };
    }
    return { object: await this.finish(this.commitRemove(key, existing, opts.dryRun)) as T, deleted: true };
  }

  /** DELETE of a collection: every object the list options select, one by one. */
  async deleteCollection(resource: string, listOpts: ListOptions, opts: DeleteOptions = {}): Promise<DeleteResult[]> {
    const out: DeleteResult[] = [];
    for (const o of this.list(resource, listOpts).items) {
      const m = metaOf(o);
      if (!this.find(resource, m.namespace ?? '', m.name ?? '')) continue;
      out.push(await this.delete(resource, m.namespace ?? '', m.name ?? '', opts));
    }
    return out;
  }

  // ---- commit and dispatch ----

  private commitPut(key: ObjectKey, next: Mutable, prev: KubeObject | undefined, dryRun?: boolean): Committed {
    if (dryRun) { delete next.metadata.resourceVersion; return { object: deepFreeze(next), durable: Promise.resolve() }; }
    this.assertOpen();
    const rv = this.rv + 1;
    next.metadata.resourceVersion = String(rv);
    this.write(() => this.backend.put(key.resource, key.namespace, key.name, rv, JSON.stringify(next)));
    this.rv = rv;
    const object = deepFreeze(next) as KubeObject;
    this.index.put(key, object);
    this.hub.emit({ type: prev ? 'MODIFIED' : 'ADDED', ...key, rv, object, prev });
    return { object, durable: this.backend.sync() };
  }

  private commitRemove(key: ObjectKey, prev: KubeObject, dryRun?: boolean, last?: Mutable): Committed {
    const gone = (last ?? clone(prev)) as Mutable;
    if (dryRun) return { object: deepFreeze(gone), durable: Promise.resolve() };
    this.assertOpen();
    const rv = this.rv + 1;
    gone.metadata.resourceVersion = String(rv);
    this.write(() => this.backend.remove(key.resource, key.namespace, key.name, rv));
    this.rv = rv;
    const object = deepFreeze(gone) as KubeObject;
    this.index.remove(key);
    this.hub.emit({ type: 'DELETED', ...key, rv, object, prev });
    return { object, durable: this.backend.sync() };
  }

  private write(fn: () => void): void {
    try { fn(); } catch (e) { throw internalError(`store write failed: ${(e as Error).message}`); }
  }

  private async finish(c: Committed): Promise<KubeObject> {
    try { await c.durable; } catch (e) { throw internalError(`store sync failed: ${(e as Error).message}`); }
    return c.object;
  }

  private assertOpen(): void { if (this.closed) throw internalError('the store is closed'); }

  // ---- watch, subscribers, controllers ----

  /** Opens a watch; a resourceVersion the history no longer covers throws 410 Expired at once. */
  watch(resource: string, opts: WatchOptions = {}): Watch {
    this.assertOpen();
    const filter = this.filter(resource, opts);
    return this.hub.watch(filter, opts, () => this.index.list(resource, filter.namespace).map((e) => e.object).filter((o) => matches(filter, o)));
  }

  /**
   * Every committed event of every resource, in order. A listener must not write synchronously (queue the
   * work instead): it runs inside the commit that produced the event.
   */
  subscribe(listener: (ev: StoreEvent) => void): () => void { return this.hub.subscribe(listener); }

  addController(c: StoreController): void { this.controllers.push(c); }

  /** Waits until the controllers (garbage collector, namespace controller) have nothing left to do. */
  async settle(): Promise<void> {
    for (let before = -1; before !== this.rv;) {
      before = this.rv;
      for (const c of this.controllers) await c.drain();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const c of this.controllers) c.stop();
    this.closed = true;
    this.hub.stopAll();
    await this.backend.close();
  }
}

interface Committed { object: KubeObject; durable: Promise<void> }
