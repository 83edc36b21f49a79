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

  /**
   * Marks a pod as being deleted, as the API server does (deletionTimestamp + grace). Marked again, the grace
   * only shrinks, and deletionTimestamp moves earlier by as much (the first deletion's start + the new grace).
   */
  markDeleted(uid: string, graceSeconds: number, now: number): Pod | undefined {
    const m = this.#byUid.get(uid);
    if (!m) return undefined;
    const md = m.pod.metadata ?? {};
    const prev = md.deletionGracePeriodSeconds;
    if (md.deletionTimestamp && (prev === undefined || graceSeconds >= prev)) return m.pod;
    const start = md.deletionTimestamp ? Date.parse(md.deletionTimestamp) - prev! * 1000 : now;
    m.pod = {
      ...m.pod,
      metadata: {
        ...md,
        deletionTimestamp: new Date(start + graceSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        deletionGracePeriodSeconds: graceSeconds,
      },
    };
    return m.pod;
  }
}
