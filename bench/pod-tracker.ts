// bench/pod-tracker.ts — follows the pods of one label selector through a watch on the agent's API and keeps,
// per pod, the moments (performance.now(), at the watch event's arrival) it was first seen, first Running (all
// containers), first Ready, first marked for deletion and gone. The workload benchmarks time around it: a
// watch pushes every status change, so nothing is polled while a rollout is timed.
import { openWatch, type Watcher } from './api-http.js';
import { allRunning, isReady } from './agent-proc.js';
import type { Pod } from '../agent/api/v1.js';
import { waitUntil } from './util.js';

export interface PodTimes {
  readonly name: string;
  seen: number;
  running?: number;
  ready?: number;
  deleting?: number;
  gone?: number;
}

export class PodTracker {
  readonly pods = new Map<string, PodTimes>();
  #watch: Watcher | undefined;

  private constructor() {}

  /** Starts watching pods of `selector` in default (the watch is registered when this resolves). */
  static async start(base: string, selector: string): Promise<PodTracker> {
    const t = new PodTracker();
    const path = `/api/v1/namespaces/default/pods?watch=true&labelSelector=${encodeURIComponent(selector)}`;
    t.#watch = await openWatch(base, path, (ev, at) => t.#onEvent(ev.type, ev.object as Pod, at));
    return t;
  }

  #onEvent(type: string, pod: Pod, at: number): void {
    const name = pod.metadata?.name;
    if (!name || type === 'BOOKMARK' || type === 'ERROR') return;
    let p = this.pods.get(name);
    if (!p) { p = { name, seen: at }; this.pods.set(name, p); }
    if (type === 'DELETED') { p.gone ??= at; return; }
    if (p.running === undefined && allRunning(pod)) p.running = at;
    if (p.ready === undefined && allRunning(pod, true) && isReady(pod)) p.ready = at;
    if (p.deleting === undefined && pod.metadata?.deletionTimestamp) p.deleting = at;
  }

  /** Pods seen and not gone. */
  live(): PodTimes[] { return [...this.pods.values()].filter((p) => p.gone === undefined); }

  /** Resolves with the moment `count` live pods satisfy `pred` (the latest of their own moments). */
  async until(what: string, count: number, moment: (p: PodTimes) => number | undefined, timeoutMs: number): Promise<number> {
    return waitUntil(what, () => {
      const at = this.live().map(moment).filter((v): v is number => v !== undefined);
      return at.length >= count ? Math.max(...at) : undefined;
    }, timeoutMs, 20);
  }

  /** Resolves when no pod of the selector is left (each one's DELETED arrived). */
  async untilEmpty(timeoutMs: number): Promise<void> {
    await waitUntil('every pod to be gone', () => (this.live().length === 0 ? true : undefined), timeoutMs, 50);
  }

  close(): void { this.#watch?.close(); }
}
