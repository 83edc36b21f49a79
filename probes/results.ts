// probes/results.ts — the published probe result per container instance (the kubelet's results.Manager).
//
// Owns: one cache per probe type, keyed by runtime container ID (a `docker://` prefix is ignored, so v1 and
// runtime ids both work); set() notifies subscribers only when the value changes. Written only by probe
// workers; read by the prober manager (started/ready) and, through its notifications, by the agent.
// Never decides anything.
import { type ProbeType, type ResultValue, runtimeId } from './types.js';

export interface ResultUpdate {
  /** The runtime id (no `docker://` prefix). */
  readonly containerID: string;
  readonly result: ResultValue;
  readonly podUID: string;
  readonly containerName: string;
  readonly probeType: ProbeType;
  /** Why the worker set it: a new instance's initial value, a probe verdict, a non-running instance, or termination. */
  readonly cause: UpdateCause;
}

export type UpdateCause = 'initial' | 'probe' | 'notRunning' | 'terminating';

type Listener = (u: ResultUpdate) => void;

export class ResultsManager {
  readonly #cache = new Map<string, ResultValue>();
  readonly #listeners = new Set<Listener>();

  constructor(readonly probeType: ProbeType) {}

  get(containerID: string): ResultValue | undefined {
    return this.#cache.get(runtimeId(containerID));
  }

  /** Stores the result; subscribers hear of it only if it differs from the cached one (or none was cached). */
  set(containerID: string, result: ResultValue, podUID: string, containerName: string, cause: UpdateCause = 'probe'): void {
    const id = runtimeId(containerID);
    if (this.#cache.get(id) === result) return;
    this.#cache.set(id, result);
    const u: ResultUpdate = { containerID: id, result, podUID, containerName, probeType: this.probeType, cause };
    for (const l of [...this.#listeners]) l(u);
  }

  /** Forgets the container (no notification, as in the kubelet). */
  remove(containerID: string): void {
    this.#cache.delete(runtimeId(containerID));
  }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  get size(): number {
    return this.#cache.size;
  }
}
