// agent/api-server/pod-feed.ts — the pods as the API serves them, with resource versions and a replayable
// change log (ADDED / MODIFIED / DELETED), so lists, gets and watches agree the way client-go expects.
//
// Called by agent/api-server/pods.ts (and nodes.ts for `describe node`). It reads snapshots of the
// PodManager (desired pods, deletionTimestamp) and the StatusManager (v1 status); changes are found by
// diffing the served objects on each sync: when a status changes (StatusManager.subscribe), on every API
// request, after every API write, and on a short timer while someone watches (pods come and go through the
// sync loop without a notification). It never changes a pod; pods the API source has retired (force-deleted
// or replaced, their containers still stopping) are left out of the view.
import type { Pod } from '../api/v1.js';
import type { PodManager } from '../pod-manager.js';
import type { StatusManager } from '../status-manager.js';
import { rfc3339 } from './request.js';

export type FeedEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface FeedEvent {
  readonly rv: number;
  readonly type: FeedEventType;
  /** The pod after the change (for DELETED: as last served). */
  readonly pod: Pod;
  /** The pod before the change (undefined for ADDED): lets a watcher with a selector see objects enter/leave. */
  readonly prev?: Pod;
}

export interface PodFeedOptions {
  readonly pods: Pick<PodManager, 'all'>;
  readonly statuses: Pick<StatusManager, 'get' | 'subscribe'>;
  readonly nodeName: string;
  readonly now: () => number;
  /** Events kept for replay to watchers that resume from an older resourceVersion. */
  readonly logSize?: number;
  /** How often to look for pods added or removed while someone watches (ms). */
  readonly pollMs?: number;
  /** Pods the API no longer shows though they are still in the pod manager (force-deleted, replaced). */
  readonly isHidden?: (uid: string) => boolean;
}

interface Entry { pod: Pod; json: string; rv: number }

export class PodFeed {
  readonly #o: PodFeedOptions;
  readonly #current = new Map<string, Entry>();
  readonly #firstSeen = new Map<string, number>();
  readonly #log: FeedEvent[] = [];
  readonly #listeners = new Set<(e: FeedEvent) => void>();
  #rv = 1;
  /** The oldest resourceVersion a watch can resume from. */
  #oldest = 1;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;

  constructor(o: PodFeedOptions) {
    this.#o = o;
    o.statuses.subscribe(() => this.#schedule());
  }

  /** The current resourceVersion (of the whole collection). */
  get resourceVersion(): number {
    this.sync();
    return this.#rv;
  }

  /** Every pod the API shows, by namespace and name (the API server's order). */
  list(): Pod[] {
    this.sync();
    const key = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
    return [...this.#current.values()].map((e) => e.pod).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** The pod named ns/name: the one not being deleted if there are several, else the newest. */
  byName(namespace: string, name: string): Pod | undefined {
    const all = this.list().filter((p) => p.metadata?.name === name && p.metadata?.namespace === namespace);
    return all.find((p) => !p.metadata?.deletionTimestamp) ?? all[all.length - 1];
  }

  /** Events after `rv`, or 'expired' when they are no longer kept. */
  since(rv: number): FeedEvent[] | 'expired' {
    this.sync();
    if (rv < this.#oldest) return 'expired';
    return this.#log.filter((e) => e.rv > rv);
  }

  /** Live events; the returned function unsubscribes. While anyone listens, the feed polls the pod manager. */
  subscribe(fn: (e: FeedEvent) => void): () => void {
    this.#listeners.add(fn);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#safeSync(), this.#o.pollMs ?? 250);
      this.#timer.unref();
    }
    return () => {
      this.#listeners.delete(fn);
      if (this.#listeners.size === 0 && this.#timer) { clearInterval(this.#timer); this.#timer = undefined; }
    };
  }

  /** Diffs the served objects against the last sync and records the changes. */
  sync(): void {
    const seen = new Set<string>();
    const managed = this.#o.pods.all();
    for (const m of managed) {
      const uid = m.pod.metadata?.uid;
      if (!uid) continue;
      if (!this.#firstSeen.has(uid)) this.#firstSeen.set(uid, this.#o.now());
      if (this.#o.isHidden?.(uid)) continue;
      seen.add(uid);
      const view = this.#serve(m.pod, uid);
      const json = JSON.stringify(view);
      const prev = this.#current.get(uid);
      if (prev?.json === json) continue;
      const rv = ++this.#rv;
      const pod = withRV(view, rv);
      this.#current.set(uid, { pod, json, rv });
      this.#record({ rv, type: prev ? 'MODIFIED' : 'ADDED', pod, ...(prev ? { prev: prev.pod } : {}) });
    }
    for (const [uid, e] of this.#current) {
      if (seen.has(uid)) continue;
      this.#current.delete(uid);
      const rv = ++this.#rv;
      this.#record({ rv, type: 'DELETED', pod: withRV(e.pod, rv), prev: e.pod });
    }
    const live = new Set(managed.map((m) => m.pod.metadata?.uid));
    for (const uid of this.#firstSeen.keys()) if (!live.has(uid)) this.#firstSeen.delete(uid);
  }

  #serve(pod: Pod, uid: string): Pod {
    const { resourceVersion: _rv, ...meta } = pod.metadata ?? {};
    const spec = pod.spec ? { ...pod.spec, nodeName: pod.spec.nodeName || this.#o.nodeName } : pod.spec;
    return {
      ...pod,
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...meta, namespace: meta.namespace || 'default', creationTimestamp: meta.creationTimestamp ?? rfc3339(this.#firstSeen.get(uid)!) },
      ...(spec ? { spec } : {}),
      status: this.#o.statuses.get(uid) ?? { phase: 'Pending' },
    };
  }

  #record(e: FeedEvent): void {
    this.#log.push(e);
    const max = this.#o.logSize ?? 2000;
    while (this.#log.length > max) this.#oldest = this.#log.shift()!.rv;
    for (const l of this.#listeners) {
      try { l(e); } catch { /* one broken watcher must not stop the others or the caller */ }
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#listeners.size === 0) return;
    this.#scheduled = true;
    setImmediate(() => { this.#scheduled = false; this.#safeSync(); });
  }

  /** A sync from a timer: a failure must not escape into the agent (it is retried on the next tick). */
  #safeSync(): void {
    try { this.sync(); } catch { /* the next sync or request tries again */ }
  }
}

function withRV(pod: Pod, rv: number): Pod {
  return { ...pod, metadata: { ...pod.metadata, resourceVersion: String(rv) } };
}

/**
 * What a watcher with a filter sees of an event: objects entering the selection are ADDED, leaving it
 * DELETED, and changes outside it are not sent (as the API server's watch cache does).
 */
export function filterEvent(e: FeedEvent, match: (p: Pod) => boolean): { type: FeedEventType; pod: Pod } | undefined {
  const wasIn = e.prev !== undefined && match(e.prev);
  const isIn = e.type !== 'DELETED' && match(e.pod);
  if (wasIn && isIn) return { type: 'MODIFIED', pod: e.pod };
  if (isIn) return { type: 'ADDED', pod: e.pod };
  if (wasIn) return { type: 'DELETED', pod: e.pod };
  return undefined;
}
