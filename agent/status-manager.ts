// agent/status-manager.ts — the one writer of each pod's v1 status (the kubelet's status.Manager).
//
// Pod workers hand it freshly generated statuses; it keeps the latest per pod UID, bumps a resource version
// only when something changed, and notifies watchers (the API's watch, the timeline) of changes.
// Readers get snapshots; nobody else mutates a status.
import type { PodStatus } from './api/v1.js';

type Listener = (uid: string, status: PodStatus) => void;

export class StatusManager {
  readonly #statuses = new Map<string, { status: PodStatus; json: string; version: number }>();
  readonly #listeners = new Set<Listener>();
  #version = 0;

  get(uid: string): PodStatus | undefined {
    return this.#statuses.get(uid)?.status;
  }

  version(uid: string): number {
    return this.#statuses.get(uid)?.version ?? 0;
  }

  /** Stores the status if it differs from the last one; returns true when it changed. */
  set(uid: string, status: PodStatus): boolean {
    const json = JSON.stringify(status);
    const prev = this.#statuses.get(uid);
    if (prev?.json === json) return false;
    this.#statuses.set(uid, { status, json, version: ++this.#version });
    for (const l of this.#listeners) l(uid, status);
    return true;
  }

  delete(uid: string): void {
    this.#statuses.delete(uid);
  }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}
