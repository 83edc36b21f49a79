// agent/pod-manager.ts — the desired pods the agent manages, by UID (the kubelet's pod manager).
//
// Holds each pod with its source and origin; pods being deleted stay here (with deletionTimestamp set) until
// their worker has terminated them, so /pods shows them Terminating. Written by the sync loop only.
import type { Pod } from './api/v1.js';

export interface ManagedPod {
  pod: Pod;
  readonly source: string;
  readonly origin: string;
}

export class PodManager {
  readonly #byUid = new Map<string, ManagedPod>();

  set(m: ManagedPod): void {
    this.#byUid.set(m.pod.metadata!.uid!, m);
  }

  get(uid: string): ManagedPod | undefined {
    return this.#byUid.get(uid);
  }

  delete(uid: string): void {
    this.#byUid.delete(uid);
  }

  byFullName(namespace: string, name: string): ManagedPod[] {
    return [...this.#byUid.values()].filter((m) => m.pod.metadata?.name === name && (m.pod.metadata?.namespace ?? 'default') === namespace);
  }

  all(): ManagedPod[] {
    return [...this.#byUid.values()];
  }

  /** Marks a pod as being deleted, as the API server does (deletionTimestamp + grace). */
  markDeleted(uid: string, graceSeconds: number, now: number): Pod | undefined {
    const m = this.#byUid.get(uid);
    if (!m) return undefined;
    if (!m.pod.metadata?.deletionTimestamp) {
      m.pod = {
        ...m.pod,
        metadata: {
          ...m.pod.metadata,
          deletionTimestamp: new Date(now + graceSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          deletionGracePeriodSeconds: graceSeconds,
        },
      };
    }
    return m.pod;
  }
}
