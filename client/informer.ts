// client/informer.ts — list+watch into a cache, as client-go's reflector and informer, shaped for our use.
//
// run(): list → replace the cache and call onAdd/onUpdate/onDelete for the difference against the cache
// before (so a relist after a lost watch delivers the deletes missed meanwhile) → watch from the list's
// resourceVersion (bookmarks on, a random timeoutSeconds of 300–600) → when the server ends the watch,
// watch again from the last resourceVersion seen. 410 Expired (thrown, or an ERROR event) → relist at once.
// Any other failure (server down, a watch ended at once with nothing in it) → back off 0.8 s doubling to
// 30 s (±20 % jitter), then relist; a good list resets the back-off. Events are applied in the order they
// come; an object whose resourceVersion is unchanged causes no onUpdate (bookmarks, relists). A deleted
// object's last state is passed to onDelete (the DELETED event's, or the cache's for a relist).
// Handlers run synchronously, in order; one that throws is logged and does not stop the informer.
import { ApiError, isExpired, type StatusBody } from './errors.js';
import type { KubeClient, KubeObject, ResourceRef } from './types.js';

export interface InformerLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface InformerOptions {
  /** Unset: every namespace (or a cluster-scoped resource). */
  readonly namespace?: string;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  /** Every resyncMs, onUpdate(obj, obj) for every cached object (client-go's resync); unset = never. */
  readonly resyncMs?: number;
  readonly log?: InformerLog;
  /** Injected time (tests): an abortable sleep that resolves (never rejects) on abort, and a clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  /** In [0, 1): picks the watch timeout and the back-off jitter. */
  readonly random?: () => number;
}

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
  /** Once, after the first list's handlers ran. */
  onSynced?(): void;
}

export const BACKOFF_INITIAL_MS = 800;
export const BACKOFF_MAX_MS = 30_000;
/** A watch that ends within this time having carried nothing counts as a failure (no hot re-watch loop). */
const SHORT_WATCH_MS = 1000;

const silent: InformerLog = { debug: () => {}, warn: () => {} };

export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The n-th back-off (n = failures before, from 0): 0.8 s · 2ⁿ up to 30 s, times 0.8–1.2. */
export function backoffMs(n: number, random: () => number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.min(n, 16)) * (0.8 + 0.4 * random());
}

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const rvOf = (o: KubeObject): string | undefined => o.metadata?.resourceVersion;
const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Informer<T extends KubeObject = KubeObject> {
  readonly #client: KubeClient;
  readonly #ref: ResourceRef;
  readonly #o: InformerOptions;
  readonly #h: InformerHandlers<T>;
  readonly #log: InformerLog;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;
  #cache = new Map<string, T>();
  #synced = false;
  #running = false;
  #rv = '';

  constructor(client: KubeClient, ref: ResourceRef, opts: InformerOptions = {}, handlers: InformerHandlers<T> = {}) {
    this.#client = client;
    this.#ref = ref;
    this.#o = opts;
    this.#h = handlers;
    this.#log = opts.log ?? silent;
    this.#sleep = opts.sleep ?? realSleep;
    this.#now = opts.now ?? Date.now;
    this.#random = opts.random ?? Math.random;
  }

  /** True once the first list is in the cache (and its handlers ran). */
  hasSynced(): boolean { return this.#synced; }

  /** The cached object (namespace undefined or '' for cluster-scoped resources). */
  get(namespace: string | undefined, name: string): T | undefined { return this.#cache.get(`${namespace ?? ''}/${name}`); }

  /** Every cached object. */
  list(): T[] { return [...this.#cache.values()]; }

  /** The resourceVersion of the last list, event or bookmark ('' before the first list). */
  lastSyncResourceVersion(): string { return this.#rv; }

  /** Lists and watches until `signal` aborts; failures are retried, never thrown. One run at a time. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error(`the informer of ${this.#ref.resource} is already running`);
    this.#running = true;
    try {
      await Promise.all([this.#listAndWatch(signal), this.#o.resyncMs ? this.#resync(this.#o.resyncMs, signal) : undefined]);
    } finally {
      this.#running = false;
    }
  }

  async #listAndWatch(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.#relist(signal);
        failures = 0;
        await this.#watchUntilExpired(signal);
        if (!signal.aborted) this.#log.debug({ resource: this.#ref.resource, resourceVersion: this.#rv }, 'Watch expired; relisting');
      } catch (e) {
        if (signal.aborted) break;
        const wait = backoffMs(failures++, this.#random);
        this.#log.warn({ resource: this.#ref.resource, err: errMessage(e), retryInMs: Math.round(wait) }, 'List/watch failed; relisting after a back-off');
        await this.#sleep(wait, signal);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const list = await this.#client.list<T>(this.#ref, {
      namespace: this.#o.namespace, fieldSelector: this.#o.fieldSelector, labelSelector: this.#o.labelSelector, signal,
    });
    if (signal.aborted) return;
    this.#rv = list.metadata.resourceVersion ?? '';
    this.#replace(list.items);
    if (!this.#synced) {
      this.#synced = true;
      this.#call('onSynced', () => this.#h.onSynced?.());
    }
  }

  /** Watches from the last resourceVersion again and again; returns on 410 (or abort), throws on failure. */
  async #watchUntilExpired(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.#now();
      let seen = 0;
      try {
        const events = this.#client.watch<T>(this.#ref, {
          namespace: this.#o.namespace, fieldSelector: this.#o.fieldSelector, labelSelector: this.#o.labelSelector,
          resourceVersion: this.#rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(this.#random() * 301), signal,
        });
        for await (const ev of events) {
          seen++;
          if (ev.type === 'ERROR') throw new ApiError(ev.object as StatusBody);
          this.#apply(ev.type, ev.object);
          this.#rv = rvOf(ev.object) ?? this.#rv;
        }
      } catch (e) {
        if (isExpired(e)) return;
        throw e;
      }
      if (!signal.aborted && seen === 0 && this.#now() - started < SHORT_WATCH_MS) {
        throw new Error(`the watch of ${this.#ref.resource} ended at once with no event`);
      }
    }
  }

  #apply(type: string, obj: T): void {
    const key = keyOf(obj);
    const old = this.#cache.get(key);
    if (type === 'ADDED' || type === 'MODIFIED') {
      this.#cache.set(key, obj);
      if (!old) this.#call('onAdd', () => this.#h.onAdd?.(obj));
      else if (rvOf(old) !== rvOf(obj)) this.#call('onUpdate', () => this.#h.onUpdate?.(old, obj));
    } else if (type === 'DELETED' && old) {
      this.#cache.delete(key);
      this.#call('onDelete', () => this.#h.onDelete?.(obj));
    }
  }

  /** The cache becomes `items`; handlers are told the difference. */
  #replace(items: readonly T[]): void {
    const prev = this.#cache;
    this.#cache = new Map(items.map((o) => [keyOf(o), o]));
    for (const [key, obj] of this.#cache) {
      const old = prev.get(key);
      if (!old) this.#call('onAdd', () => this.#h.onAdd?.(obj));
      else if (rvOf(old) !== rvOf(obj)) this.#call('onUpdate', () => this.#h.onUpdate?.(old, obj));
    }
    for (const [key, old] of prev) {
      if (!this.#cache.has(key)) this.#call('onDelete', () => this.#h.onDelete?.(old));
    }
  }

  async #resync(periodMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.#sleep(periodMs, signal);
      if (signal.aborted || !this.#synced) continue;
      for (const obj of this.#cache.values()) this.#call('onUpdate', () => this.#h.onUpdate?.(obj, obj));
    }
  }

  #call(handler: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#log.warn({ resource: this.#ref.resource, handler, err: errMessage(e) }, 'Informer handler failed');
    }
  }
}
