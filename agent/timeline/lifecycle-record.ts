// agent/timeline/lifecycle-record.ts — the pod's lifecycle record: every step with a millisecond time.
//
// An append-only sink: the executor, the runtime decorator, probes and hooks write to it; the timeline
// renderers and the API read it. Nothing reads it to make a decision. Bounded per pod.
export type LifecycleKind =
  | 'sandbox' | 'pull' | 'create' | 'start' | 'exit' | 'kill' | 'signal' | 'hook' | 'probe'
  | 'ready' | 'backoff' | 'phase' | 'delete' | 'error';

export interface LifecycleEntry {
  /** ms since the epoch */
  readonly time: number;
  readonly podUID: string;
  readonly kind: LifecycleKind | string;
  readonly container?: string;
  readonly [key: string]: unknown;
}

/** Entries kept per pod; probe attempts (the bulk on a long-lived pod) have their own, smaller cap. */
const MAX_PER_POD = 3000;
export const MAX_PROBE_ENTRIES_PER_POD = 600;
/** Pods gone whose record is kept for `timeline` (the newest per namespace/name). */
const MAX_FINISHED = 100;

export class LifecycleRecord {
  readonly #byPod = new Map<string, LifecycleEntry[]>();
  readonly #listeners = new Set<(e: LifecycleEntry) => void>();

  record(e: LifecycleEntry): void {
    let list = this.#byPod.get(e.podUID);
    if (!list) this.#byPod.set(e.podUID, (list = []));
    list.push(e);
    if (e.kind === 'probe') {
      // A pod probed every second for a day would otherwise hold 86,400 entries: keep the newest attempts.
      let probes = 0;
      for (const x of list) if (x.kind === 'probe') probes++;
      if (probes > MAX_PROBE_ENTRIES_PER_POD) list.splice(list.findIndex((x) => x.kind === 'probe'), 1);
    }
    if (list.length > MAX_PER_POD) list.splice(0, list.length - MAX_PER_POD);
    for (const l of this.#listeners) l(e);
  }

  entries(podUID: string): readonly LifecycleEntry[] {
    return this.#byPod.get(podUID) ?? [];
  }

  subscribe(l: (e: LifecycleEntry) => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  forget(podUID: string): void {
    this.#byPod.delete(podUID);
    for (const [k, v] of this.#finished) if (v.uid === podUID) this.#finished.delete(k);
  }

  /** Keeps the last view of a pod that is gone, so its timeline can still be drawn (latest per name). */
  keepFinished(namespace: string, name: string, uid: string, pod: unknown): void {
    const key = `${namespace}/${name}`;
    const replaced = this.#finished.get(key);
    this.#finished.delete(key);
    this.#finished.set(key, { uid, pod });
    // The earlier pod of the same name is no longer reachable: its record goes with it.
    if (replaced && replaced.uid !== uid) this.#dropIfUnreferenced(replaced.uid);
    if (this.#finished.size > MAX_FINISHED) {
      const oldest = this.#finished.entries().next().value!;
      this.#finished.delete(oldest[0]);
      this.#dropIfUnreferenced(oldest[1].uid);
    }
  }

  #dropIfUnreferenced(uid: string): void {
    if (![...this.#finished.values()].some((v) => v.uid === uid)) this.#byPod.delete(uid);
  }

  /** Drops the records of pods that are neither live nor kept as finished (late writes for a pod gone). */
  sweep(isLive: (uid: string) => boolean): void {
    const kept = new Set([...this.#finished.values()].map((v) => v.uid));
    for (const uid of this.#byPod.keys()) if (!isLive(uid) && !kept.has(uid)) this.#byPod.delete(uid);
  }

  /** The last kept view of a finished pod by namespace/name. */
  finished(namespace: string, name: string): { uid: string; pod: unknown } | undefined {
    return this.#finished.get(`${namespace}/${name}`);
  }

  readonly #finished = new Map<string, { uid: string; pod: unknown }>();
}
