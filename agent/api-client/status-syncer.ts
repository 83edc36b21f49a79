// agent/api-client/status-syncer.ts — writes the status manager's pod statuses to the API (the kubelet's
// status manager syncPod): an API pod's status to its own object, a static pod's to its mirror pod.
//
// Level-based and coalescing: a status change marks the pod dirty; one drain loop sends the newest status of
// each dirty pod (a burst of changes is one write). Each write is a JSON patch that first tests
// metadata.uid (so a status never lands on a newer pod of the same name) and replaces status, keeping the
// conditions the kubelet does not own (readiness gates set by others). When an API pod being deleted has
// terminated, its final status is written, then the object is deleted with grace 0 and a UID precondition —
// the last step of a graceful deletion. A pod the kubelet refused to admit (OutOfpods, a forbidden sysctl)
// is written Failed with the reason. Failures are retried on the next change or the periodic resync.
import type { Pod, PodStatus } from '../api/v1.js';
import type { Logger } from '../log.js';
import type { PodManager } from '../pod-manager.js';
import type { StatusManager } from '../status-manager.js';
import { API_SOURCE } from './pod-source.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { PODS, type KubeClient } from '../../client/types.js';

/** The conditions the kubelet writes; any other type in the API object is someone else's and is kept. */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'DisruptionTarget']);

interface Final { readonly pod: Pod; readonly status?: PodStatus; readonly deleteAfter: boolean }

export interface StatusSyncerOptions {
  readonly client: KubeClient;
  readonly pods: Pick<PodManager, 'get'>;
  readonly statuses: Pick<StatusManager, 'get' | 'subscribe'>;
  /** The API's object for namespace/name on this node (the pod source's cache). */
  readonly apiObject: (namespace: string, name: string) => Pod | undefined;
  /** The mirror pod of a static pod, once it exists. */
  readonly mirrorOf: (staticPod: Pod) => Pod | undefined;
  readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

export class StatusSyncer {
  readonly #o: StatusSyncerOptions;
  readonly #dirty = new Set<string>();
  /** Pods the kubelet no longer holds whose last write (and maybe deletion) is still to be made. */
  readonly #finals = new Map<string, Final>();
  /** Pods whose last write failed (the API was away): tried again by `retryFailed`. */
  readonly #failed = new Set<string>();
  #draining: Promise<void> | undefined;
  #stopped = false;

  constructor(o: StatusSyncerOptions) {
    this.#o = o;
    o.statuses.subscribe((uid) => this.mark(uid));
  }

  /** Writes this pod's status again (a mirror pod appeared, a write failed earlier). */
  mark(uid: string): void {
    if (this.#stopped) return;
    this.#dirty.add(uid);
    this.#draining ??= this.#drain().finally(() => { this.#draining = undefined; if (this.#dirty.size) this.mark([...this.#dirty][0]!); });
  }

  /** The kubelet has finished with this pod (terminated and cleaned up): last status, then the deletion. */
  podRemoved(pod: Pod, status: PodStatus | undefined): void {
    const uid = pod.metadata!.uid!;
    this.#finals.set(uid, { pod, status, deleteAfter: isApiPod(pod) && !!pod.metadata?.deletionTimestamp });
    this.mark(uid);
  }

  /** The kubelet refused the pod at admission: it is Failed with the reason, as the kubelet reports it. */
  podRejected(pod: Pod, reason: string, message: string): void {
    if (!isApiPod(pod)) return;
    this.#finals.set(pod.metadata!.uid!, { pod, status: { phase: 'Failed', reason, message }, deleteAfter: false });
    this.mark(pod.metadata!.uid!);
  }

  /** Tries again every write that failed (the kubelet calls it periodically, as the kubelet's syncBatch). */
  retryFailed(): void {
    const uids = [...this.#failed];
    this.#failed.clear();
    for (const uid of uids) this.mark(uid);
  }

  /** Resolves when every pending write has been tried. */
  async flushed(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  stop(): void {
    this.#stopped = true;
    this.#dirty.clear();
  }

  async #drain(): Promise<void> {
    while (this.#dirty.size && !this.#stopped) {
      const uid = this.#dirty.values().next().value as string;
      this.#dirty.delete(uid);
      await this.#write(uid).catch((err: unknown) => {
        this.#failed.add(uid);
        this.#o.log.warn({ podUID: uid, err: err instanceof Error ? err.message : String(err) }, 'Failed to update the pod status in the API');
      });
    }
  }

  async #write(uid: string): Promise<void> {
    const final = this.#finals.get(uid);
    const m = final ? undefined : this.#o.pods.get(uid);
    const pod = m?.pod ?? final?.pod;
    const status = m ? this.#o.statuses.get(uid) : final?.status;
    if (!pod) return;
    const target = this.#target(pod);
    if (!target) return; // a static pod whose mirror pod does not exist yet: written once it appears
    if (status) await this.#patchStatus(target, status);
    if (!m && final) {
      this.#finals.delete(uid);
      if (final.deleteAfter) await this.#deletePod(target);
    }
  }

  /** Where a pod's status goes: an API pod's own object; a static pod's mirror pod (of its current version). */
  #target(pod: Pod): { namespace: string; name: string; uid: string; current?: Pod } | undefined {
    const md = pod.metadata!;
    const namespace = md.namespace ?? 'default';
    if (isApiPod(pod)) {
      const current = this.#o.apiObject(namespace, md.name!);
      return { namespace, name: md.name!, uid: md.uid!, current: current?.metadata?.uid === md.uid ? current : undefined };
    }
    const mirror = this.#o.mirrorOf(pod);
    return mirror ? { namespace, name: md.name!, uid: mirror.metadata!.uid!, current: mirror } : undefined;
  }

  async #patchStatus(t: { namespace: string; name: string; uid: string; current?: Pod }, status: PodStatus): Promise<void> {
    const mine = new Set((status.conditions ?? []).map((c) => c.type));
    const kept = (t.current?.status?.conditions ?? []).filter((c) => !mine.has(c.type) && !KUBELET_CONDITIONS.has(c.type));
    const value = kept.length ? { ...status, conditions: [...(status.conditions ?? []), ...kept] } : status;
    const ops = [{ op: 'test', path: '/metadata/uid', value: t.uid }, { op: 'replace', path: '/status', value }];
    try {
      await this.#o.client.patch(PODS, t.namespace, t.name, 'json', ops, { subresource: 'status', fieldManager: 'kubelet' });
    } catch (err) {
      if (isNotFound(err) || isUidMismatch(err)) return; // the object is gone or is another pod now
      throw err;
    }
  }

  async #deletePod(t: { namespace: string; name: string; uid: string }): Promise<void> {
    try {
      await this.#o.client.delete(PODS, t.namespace, t.name, { gracePeriodSeconds: 0, preconditions: { uid: t.uid } });
      this.#o.log.debug({ pod: `${t.namespace}/${t.name}`, podUID: t.uid }, 'Pod deleted from the API after termination');
    } catch (err) {
      if (isNotFound(err) || isUidMismatch(err)) return;
      throw err;
    }
  }
}

const isApiPod = (p: Pod): boolean => p.metadata?.annotations?.['kubernetes.io/config.source'] === API_SOURCE;
/** A failed `test` of metadata.uid, or a UID precondition: the name now belongs to another object. */
const isUidMismatch = (e: unknown): boolean => e instanceof ApiError && (e.code === 409 || e.code === 422) && /uid|UID|test/.test(e.message);
