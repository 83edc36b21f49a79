// agent/pod-syncer.ts — what a pod worker does in each state (the kubelet's SyncPod / SyncTerminatingPod /
// SyncTerminatedPod).
//
// Each call starts from the runtime's current view (PodCache, refreshed by PLEG), decides through the pure
// computePodActions, executes, relists, and hands a freshly generated status to the status manager.
// It keeps no memory of its own beyond the caches it is given.
import type { Pod, PodStatus } from './api/v1.js';
import { errorLine, isNotFound } from '../cri/errors.js';
import type { PodCache } from './pleg/pod-cache.js';
import type { Pleg } from './pleg/pleg.js';
import type { StatusManager } from './status-manager.js';
import type { PodSyncer } from './pod-workers/pod-workers.js';
import { podTarget, type RuntimeContext } from './kuberuntime/context.js';
import { syncPod, type ProbeInfo } from './kuberuntime/sync-pod.js';
import { killPod } from './kuberuntime/kill.js';
import type { GracePeriod } from './kuberuntime/grace.js';
import { refreshPodVolumes, removePodDir } from './kuberuntime/volumes.js';
import type { RuntimePodStatus } from './kuberuntime/types.js';

/** What the syncer needs from the prober manager. */
export interface PodProber {
  addPod(pod: Pod): void;
  removePod(uid: string): void;
  /** Probe verdicts for this pod's containers (liveness/startup failures, started). */
  verdicts(pod: Pod): ProbeInfo;
}

export interface GenerateArgs {
  readonly pod: Pod;
  readonly runtime: RuntimePodStatus;
  readonly previous: PodStatus | undefined;
  readonly podIsTerminal: boolean;
  readonly evict?: { reason: string; message: string };
}

export interface PodSyncerDeps {
  readonly ctx: RuntimeContext;
  readonly cache: PodCache;
  readonly pleg: Pleg;
  readonly statuses: StatusManager;
  readonly prober: PodProber;
  /** Generates the v1 status (agent/status/generate.ts with the probe results and reason cache bound in). */
  readonly generate: (a: GenerateArgs) => PodStatus;
  /** The current desired pod object for a UID (deletionTimestamp may have been set since). */
  readonly currentPod: (uid: string) => Pod | undefined;
}

const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

export class KubeletPodSyncer implements PodSyncer {
  constructor(readonly d: PodSyncerDeps) {}

  #runtimeStatus(pod: Pod): RuntimePodStatus {
    const md = pod.metadata!;
    return this.d.cache.getOrEmpty(md.uid!, md.name!, md.namespace ?? 'default', this.d.ctx.clock.now());
  }

  #updateStatus(pod: Pod, podIsTerminal: boolean, evict?: { reason: string; message: string }): PodStatus {
    const uid = pod.metadata!.uid!;
    const status = this.d.generate({ pod, runtime: this.#runtimeStatus(pod), previous: this.d.statuses.get(uid), podIsTerminal, evict });
    this.d.statuses.set(uid, status);
    return status;
  }

  async syncPod(pod: Pod, signal: AbortSignal): Promise<{ retryAt?: number; terminal?: boolean }> {
    const { ctx } = this.d;
    const uid = pod.metadata!.uid!;
    ctx.log.debug({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, podUID: uid }, 'SyncPod');
    if (!this.d.cache.get(uid)) await this.d.pleg.relistPod(uid);
    const previous = this.d.statuses.get(uid);
    if (previous?.phase === 'Succeeded' || previous?.phase === 'Failed') return { terminal: true };

    // activeDeadlineSeconds, measured from status.startTime.
    const deadline = pod.spec?.activeDeadlineSeconds;
    const startTime = previous?.startTime ? Date.parse(previous.startTime) : undefined;
    if (deadline !== undefined && startTime !== undefined && ctx.clock.now() - startTime >= deadline * 1000) {
      ctx.events.event(podTarget(pod), { type: 'Normal', reason: 'DeadlineExceeded', message: DEADLINE_MESSAGE });
      ctx.lifecycle.record({ time: ctx.clock.now(), podUID: uid, kind: 'phase', phase: 'Failed', reason: 'DeadlineExceeded' });
      this.#updateStatus(pod, false, { reason: 'DeadlineExceeded', message: DEADLINE_MESSAGE });
      return { terminal: true };
    }

    this.d.prober.addPod(pod);
    // Mounted ConfigMap/Secret/downward API files follow their sources on every sync (atomic ..data swap).
    for (const problem of refreshPodVolumes(ctx.rootDir, pod, ctx.configStore, { nodeName: ctx.nodeName, hostIP: ctx.hostIP })) {
      ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedMount', message: problem });
    }
    // As the kubelet, publish the status before acting: a blocking postStart then shows ContainerCreating.
    this.#updateStatus(pod, false);
    // PLEG relists the pod once the sync has changed it (the sync's own creates and starts wait for that).
    const result = await this.d.pleg.sync(uid, () => syncPod(ctx, pod, this.#runtimeStatus(pod), this.d.prober.verdicts(pod), signal));
    for (const e of result.errors) ctx.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: e }, 'Error syncing pod');
    const status = this.#updateStatus(pod, false);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      ctx.lifecycle.record({ time: ctx.clock.now(), podUID: uid, kind: 'phase', phase: status.phase });
      return { terminal: true };
    }
    let retryAt = result.retryAt;
    if (deadline !== undefined && status.startTime) {
      const at = Date.parse(status.startTime) + deadline * 1000;
      retryAt = retryAt === undefined ? at : Math.min(retryAt, at);
    }
    return { retryAt };
  }

  async syncTerminatingPod(pod: Pod, grace: GracePeriod): Promise<void> {
    const uid = pod.metadata!.uid!;
    // The desired object may carry a newer (shorter) deletion; a pod added again meanwhile is not the one to kill.
    const latest = this.d.currentPod(uid);
    const current = latest?.metadata?.deletionTimestamp ? latest : pod;
    await this.d.pleg.relistPod(uid);
    const rs = this.#runtimeStatus(current);
    const podIP = rs.sandboxes[0]?.ip ?? '';
    this.#updateStatus(current, false);
    await killPod(this.d.ctx, current, rs, grace, podIP);
    await this.d.pleg.relistPod(uid);
    this.#updateStatus(current, true);
  }

  async syncTerminatedPod(pod: Pod, remove: boolean): Promise<void> {
    const uid = pod.metadata!.uid!;
    const { ctx } = this.d;
    if (!remove) return;
    this.d.prober.removePod(uid);
    const rs = this.#runtimeStatus(pod);
    for (const c of rs.containers) {
      await ctx.runtime.removeContainer(c.id).catch((err) => { if (!isNotFound(err)) ctx.log.warn({ containerId: c.id, err: errorLine(err) }, 'RemoveContainer failed'); });
    }
    for (const sb of rs.sandboxes) {
      await ctx.runtime.removePodSandbox(sb.id).catch((err) => { if (!isNotFound(err)) ctx.log.warn({ sandboxId: sb.id, err: errorLine(err) }, 'RemovePodSandbox failed'); });
    }
    removePodDir(ctx.rootDir, uid);
    ctx.reasons.forget(uid);
    ctx.crashBackoff.gc(`${pod.metadata?.name}_${pod.metadata?.namespace}_${uid}_`);
    ctx.lifecycle.record({ time: ctx.clock.now(), podUID: uid, kind: 'delete' });
    this.d.pleg.forget(uid);
  }
}
