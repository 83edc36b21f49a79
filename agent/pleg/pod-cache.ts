// agent/pleg/pod-cache.ts — what the runtime holds, per pod UID, as PLEG last read it.
//
// Written only by PLEG; read by pod workers and the status path. Readers that must not act on a stale view
// ask for a status newer than a time (the kubelet's Cache.GetNewerThan).
import type { RuntimePodStatus } from '../kuberuntime/types.js';

export class PodCache {
  readonly #byUid = new Map<string, RuntimePodStatus>();

  get(uid: string): RuntimePodStatus | undefined {
    return this.#byUid.get(uid);
  }

  /** The cached status, or an empty one (nothing in the runtime) stamped with `at`. */
  getOrEmpty(uid: string, name: string, namespace: string, at: number): RuntimePodStatus {
    return this.#byUid.get(uid) ?? { uid, name, namespace, sandboxes: [], containers: [], timestamp: at };
  }

  set(status: RuntimePodStatus): void {
    this.#byUid.set(status.uid, status);
  }

  delete(uid: string): void {
    this.#byUid.delete(uid);
  }

  uids(): string[] {
    return [...this.#byUid.keys()];
  }

  all(): RuntimePodStatus[] {
    return [...this.#byUid.values()];
  }
}
