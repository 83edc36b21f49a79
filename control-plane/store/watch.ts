// control-plane/store/watch.ts — one watcher: its filter (resource, namespace, label and field selectors),
// its queue of events, periodic BOOKMARKs, and the async iterator a consumer (the API server's chunked
// response, an informer) reads.
//
// The store pushes every committed event synchronously, in resourceVersion order, so a BOOKMARK carrying
// the store's current resourceVersion never overtakes an event. An event that makes an object stop matching
// the selectors reaches the watcher as DELETED (the old content, the new resourceVersion); one that makes it
// start matching as ADDED — as kube-apiserver's cacheWatcher does.
import { deepFreeze } from './meta.js';
import type { FieldSelector, LabelSelector } from './selectors.js';
import type { KubeObject, StoreClock, StoreEvent, WatchEvent } from './types.js';

export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export interface WatchFilter { resource: string; namespace?: string; labels: LabelSelector; fields: FieldSelector }

export function matches(f: WatchFilter, o: KubeObject): boolean {
  if (f.namespace && (o.metadata?.namespace ?? '') !== f.namespace) return false;
  return f.labels.matches(o.metadata?.labels) && f.fields.matches(o);
}

export interface WatchSettings {
  filter: WatchFilter;
  clock: StoreClock;
  /** Store's current resourceVersion, read when a BOOKMARK is due. */
  currentRv: () => number;
  bookmarkIntervalMs?: number;
  bookmarkKind?: { apiVersion: string; kind: string };
  /** Live events a slow consumer may leave unread before the watch is closed (it then re-watches). */
  maxPending: number;
  onStop: (w: Watch) => void;
}

export class Watch implements AsyncIterable<WatchEvent> {
  private readonly queue: WatchEvent[] = [];
  private waiter: ((r: IteratorResult<WatchEvent>) => void) | undefined;
  private stopped = false;
  private bookmarkTimer: { cancel(): void } | undefined;
  private allowance: number;
  /** Why the watch ended: 'stopped' by the consumer or the store, 'overflow' when the consumer fell behind. */
  endReason: 'stopped' | 'overflow' | undefined;

  /** The resourceVersion this watcher is in sync with: later events only (guards against duplicates). */
  private syncedRv: number;

  /**
   * `initial` is the state at `fromRv` (ADDED events), or empty when the watch starts after `fromRv`;
   * `initialEndRv` adds the initial-events-end BOOKMARK.
   */
  constructor(private readonly s: WatchSettings, fromRv: number, initial: readonly KubeObject[], initialEndRv?: number) {
    this.syncedRv = fromRv;
    for (const o of initial) this.queue.push({ type: 'ADDED', object: o });
    if (initialEndRv !== undefined) this.queue.push(this.bookmark(initialEndRv, true));
    this.allowance = s.maxPending;
    this.scheduleBookmark();
  }

  get filter(): WatchFilter { return this.s.filter; }

  /** Called by the store for every committed event of this watcher's resource. */
  deliver(ev: StoreEvent): void {
    if (ev.rv <= this.syncedRv) return;
    this.syncedRv = ev.rv;
    const out = this.convert(ev);
    if (out) this.push(out);
  }

  stop(): void { this.end('stopped'); }

  /** Events waiting to be read (for tests and the API server's back-pressure decisions). */
  get pending(): number { return this.queue.length; }

  next(): Promise<IteratorResult<WatchEvent>> {
    const ev = this.queue.shift();
    if (ev) { this.allowance = Math.min(this.allowance + 1, this.s.maxPending); return Promise.resolve({ value: ev, done: false }); }
    if (this.stopped) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return { next: () => this.next(), return: async () => { this.stop(); return { value: undefined, done: true }; } };
  }

  private convert(ev: StoreEvent): WatchEvent | undefined {
    const f = this.s.filter;
    const now = ev.type !== 'DELETED' && matches(f, ev.object);
    const before = ev.prev !== undefined && matches(f, ev.prev);
    if (now && before) return { type: 'MODIFIED', object: ev.object };
    if (now) return { type: 'ADDED', object: ev.object };
    if (!before) return undefined;
    if (ev.type === 'DELETED') return { type: 'DELETED', object: ev.object };
    const gone = structuredClone(ev.prev!) as KubeObject & { metadata: { resourceVersion?: string } };
    gone.metadata.resourceVersion = String(ev.rv);
    return { type: 'DELETED', object: deepFreeze(gone) };
  }

  private push(ev: WatchEvent): void {
    if (this.stopped) return;
    if (this.waiter) { const w = this.waiter; this.waiter = undefined; w({ value: ev, done: false }); return; }
    if (ev.type !== 'BOOKMARK' && --this.allowance < 0) { this.end('overflow'); return; }
    this.queue.push(ev);
  }

  private bookmark(rv: number, initialEnd = false): WatchEvent {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) metadata['annotations'] = { [INITIAL_EVENTS_END]: 'true' };
    return { type: 'BOOKMARK', object: deepFreeze({ ...(this.s.bookmarkKind ?? {}), metadata }) as KubeObject };
  }

  private scheduleBookmark(): void {
    const ms = this.s.bookmarkIntervalMs;
    if (ms === undefined || this.stopped) return;
    this.bookmarkTimer = this.s.clock.setTimeout(() => {
      // Only when the consumer is keeping up: a BOOKMARK behind unread events tells nothing new.
      if (this.queue.length === 0) this.push(this.bookmark(this.s.currentRv()));
      this.scheduleBookmark();
    }, ms);
  }

  private end(reason: 'stopped' | 'overflow'): void {
    if (this.stopped) return;
    this.stopped = true;
    this.endReason = reason;
    this.bookmarkTimer?.cancel();
    if (reason === 'overflow') this.queue.length = 0;
    if (this.waiter) { const w = this.waiter; this.waiter = undefined; w({ value: undefined, done: true }); }
    this.s.onStop(this);
  }
}
