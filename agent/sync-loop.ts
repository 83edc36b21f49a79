// agent/sync-loop.ts — turns pod updates from the sources into pod-worker calls (the kubelet's
// syncLoopIteration, reduced to what a single node without an API server needs).
//
// ADD → a new worker (waiting for an older pod with the same namespace/name to finish terminating, as the
// kubelet does for static pods); REMOVE/DELETE → graceful termination with the pod's grace period;
// UPDATE of the same UID → the worker sees the newest object. It also routes PLEG and probe wake-ups.
import type { Pod } from './api/v1.js';
import type { PodManager } from './pod-manager.js';
import type { PodWorkers } from './pod-workers/pod-workers.js';
import { forbiddenSysctl, SYSCTL_FORBIDDEN_REASON } from './spec-support/sysctls.js';

export interface SourcePodRef {
  readonly pod: Pod;
  readonly origin: string;
}

export interface SyncLoopOptions {
  readonly pods: PodManager;
  readonly workers: PodWorkers;
  readonly now: () => number;
  readonly maxPods: number;
  readonly onRejected: (pod: Pod, origin: string, reason: string, message: string) => void;
}

export class SyncLoop {
  readonly #o: SyncLoopOptions;

  constructor(o: SyncLoopOptions) {
    this.#o = o;
  }

  add(source: string, refs: readonly SourcePodRef[]): void {
    for (const { pod, origin } of refs) {
      const uid = pod.metadata!.uid!;
      const existing = this.#o.pods.get(uid);
      if (existing) { existing.pod = pod; this.#o.workers.update(pod); continue; }
      const active = this.#o.pods.all().filter((m) => !m.pod.metadata?.deletionTimestamp).length;
      if (active >= this.#o.maxPods) {
        this.#o.onRejected(pod, origin, 'OutOfpods', `Node didn't have enough resource: pods, requested: 1, used: ${active}, capacity: ${this.#o.maxPods}`);
        continue;
      }
      // Admission, as the kubelet's sysctl handler: a sysctl that would change the whole node is refused.
      const sysctl = forbiddenSysctl(pod);
      if (sysctl) { this.#o.onRejected(pod, origin, SYSCTL_FORBIDDEN_REASON, sysctl); continue; }
      const ns = pod.metadata?.namespace ?? 'default';
      const olders = this.#o.pods.byFullName(ns, pod.metadata!.name!).filter((m) => m.pod.metadata?.uid !== uid);
      this.#o.pods.set({ pod, source, origin });
      if (olders.length === 0) { this.#o.workers.update(pod); continue; }
      // A changed manifest: the old pod stops gracefully first, then the new one starts.
      void Promise.all(olders.map((m) => this.#o.workers.done(m.pod.metadata!.uid!))).then(() => {
        const cur = this.#o.pods.get(uid);
        if (cur && !cur.pod.metadata?.deletionTimestamp) this.#o.workers.update(cur.pod);
      });
    }
  }

  /** The pod is gone from its source: terminate gracefully, then remove everything it had. */
  remove(uids: readonly string[], gracePeriodSeconds?: number): void {
    for (const uid of uids) {
      const m = this.#o.pods.get(uid);
      if (!m) continue;
      const grace = gracePeriodSeconds ?? m.pod.spec?.terminationGracePeriodSeconds ?? 30;
      const pod = this.#o.pods.markDeleted(uid, grace, this.#o.now());
      if (!this.#o.workers.has(uid)) { this.#o.pods.delete(uid); continue; }
      if (pod) this.#o.workers.update(pod);
      this.#o.workers.terminate(uid, gracePeriodSeconds, true);
    }
  }

  wake(uid: string): void {
    this.#o.workers.wake(uid);
  }

  /** UIDs of the pods that refer to any of these ConfigMaps/Secrets (volumes, env, envFrom). */
  uidsUsing(changes: readonly { kind: 'ConfigMap' | 'Secret'; namespace: string; name: string }[]): string[] {
    return this.#o.pods.all().filter((m) => {
      const ns = m.pod.metadata?.namespace ?? 'default';
      const spec = m.pod.spec;
      const refs = new Set<string>();
      for (const v of spec?.volumes ?? []) {
        if (v.configMap?.name) refs.add(`ConfigMap/${v.configMap.name}`);
        if (v.secret?.secretName) refs.add(`Secret/${v.secret.secretName}`);
        for (const p of v.projected?.sources ?? []) {
          if (p.configMap?.name) refs.add(`ConfigMap/${p.configMap.name}`);
          if (p.secret?.name) refs.add(`Secret/${p.secret.name}`);
        }
      }
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          if (e.valueFrom?.configMapKeyRef?.name) refs.add(`ConfigMap/${e.valueFrom.configMapKeyRef.name}`);
          if (e.valueFrom?.secretKeyRef?.name) refs.add(`Secret/${e.valueFrom.secretKeyRef.name}`);
        }
        for (const f of c.envFrom ?? []) {
          if (f.configMapRef?.name) refs.add(`ConfigMap/${f.configMapRef.name}`);
          if (f.secretRef?.name) refs.add(`Secret/${f.secretRef.name}`);
        }
      }
      return changes.some((c) => c.namespace === ns && refs.has(`${c.kind}/${c.name}`));
    }).map((m) => m.pod.metadata!.uid!);
  }
}
