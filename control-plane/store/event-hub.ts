// control-plane/store/event-hub.ts — where committed events go: the history window, the watchers of each
// resource and the store-wide subscribers, always in resourceVersion order (an event committed while
// another is being dispatched waits its turn); and how a new watch starts (from the current state, or by
// replaying the history from a resourceVersion).
import { badRequest, tooLargeResourceVersion } from './errors.js';
import { History } from './history.js';
import { parseRv } from './meta.js';
import type { KubeObject, StoreClock, StoreEvent, WatchOptions } from './types.js';
import { Watch, type WatchFilter } from './watch.js';

export interface EventHubOptions {
  clock: StoreClock;
  /** The store's newest resourceVersion. */
  currentRv: () => number;
  historySize: number;
  bookmarkIntervalMs: number;
  maxPendingEvents: number;
}

export class EventHub {
  private readonly history: History;
  private readonly watchers = new Map<string, Set<Watch>>();
  private readonly subscribers = new Set<(ev: StoreEvent) => void>();
  private readonly outbox: StoreEvent[] = [];
  private dispatching = false;

  constructor(private readonly o: EventHubOptions) {
    this.history = new History(o.historySize, o.currentRv());
  }

  emit(ev: StoreEvent): void {
    this.history.push(ev);
    this.outbox.push(ev);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.outbox.shift(); e; e = this.outbox.shift()) {
        for (const w of this.watchers.get(e.resource) ?? []) w.deliver(e);
        for (const s of this.subscribers) s(e);
      }
    } finally {
      this.dispatching = false;
    }
  }

  subscribe(listener: (ev: StoreEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** `state()` lists the objects the filter selects now; a resourceVersion out of the window throws 410. */
  watch(filter: WatchFilter, opts: WatchOptions, state: () => KubeObject[]): Watch {
    const now = this.o.currentRv();
    const asked = parseRv(opts.resourceVersion);
    if (Number.isNaN(asked)) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
    if (asked !== undefined && asked > now) throw tooLargeResourceVersion(asked, now);
    const fromState = opts.sendInitialEvents === true || (!asked && opts.sendInitialEvents !== false);
    const replay = !fromState && asked ? this.history.since(filter.resource, asked) : [];
    const w = new Watch({
      filter,
      clock: this.o.clock,
      currentRv: this.o.currentRv,
      bookmarkIntervalMs: opts.allowWatchBookmarks ? (opts.bookmarkIntervalMs ?? this.o.bookmarkIntervalMs) : undefined,
      bookmarkKind: opts.bookmarkKind,
      maxPending: this.o.maxPendingEvents,
      onStop: (x) => this.watchers.get(filter.resource)?.delete(x),
    }, fromState || !asked ? now : asked, fromState ? state() : [], opts.sendInitialEvents === true ? now : undefined);
    for (const ev of replay) w.deliver(ev);
    let set = this.watchers.get(filter.resource);
    if (!set) { set = new Set(); this.watchers.set(filter.resource, set); }
    set.add(w);
    return w;
  }

  stopAll(): void {
    for (const set of this.watchers.values()) for (const w of [...set]) w.stop();
  }
}
