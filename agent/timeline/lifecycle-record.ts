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

const MAX_PER_POD = 5000;

export class LifecycleRecord {
  readonly #byPod = new Map<string, LifecycleEntry[]>();
  readonly #listeners = new Set<(e: LifecycleEntry) => void>();

  record(e: LifecycleEntry): void {
    let list = this.#byPod.get(e.podUID);
    if (!list) this.#byPod.set(e.podUID, (list = []));
    list.push(e);
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
    this.#finished.delete(`${namespace}/${name}`);
    this.#finished.set(`${namespace}/${name}`, { uid, pod });
    if (this.#finished.size > 200) {
      const oldest = this.#finished.entries().next().value!;
      this.#finished.delete(oldest[0]);
      if (![...this.#finished.values()].some((v) => v.uid === oldest[1].uid)) this.#byPod.delete(oldest[1].uid);
    }
  }

  /** The last kept view of a finished pod by namespace/name. */
  finished(namespace: string, name: string): { uid: string; pod: unknown } | undefined {
    return this.#finished.get(`${namespace}/${name}`);
  }

  readonly #finished = new Map<string, { uid: string; pod: unknown }>();
}
