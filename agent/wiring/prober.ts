// agent/wiring/prober.ts — connects probes/ (prober manager, hook runner) to the agent's state and sinks.
//
// The probe workers read pod status through a narrow provider built from the status manager; their events
// and lifecycle entries go to the agent's recorder and record; verdicts flow back to the pod workers as
// wake-ups (events up, calls down). No decisions here.
import type { Runtime } from '../../cri/api.js';
import type { Clock } from '../../cri/clock.js';
import { ProberManager } from '../../probes/prober-manager.js';
import { HandlerRunner } from '../../probes/hooks.js';
import type { ProbeMetrics } from '../../probes/metrics.js';
import type { ProbePodStatus, EventSink } from '../../probes/types.js';
import type { Pod, V1ContainerStatus } from '../api/v1.js';
import type { EventRecorder } from '../events/recorder.js';
import type { LifecycleRecord } from '../timeline/lifecycle-record.js';
import type { StatusManager } from '../status-manager.js';
import type { PodManager } from '../pod-manager.js';
import type { Logger } from '../kuberuntime/context.js';
import type { ProbeInfo } from '../kuberuntime/sync-pod.js';
import type { HookRunner } from '../kuberuntime/context.js';

export interface AgentProber {
  readonly hooks: HookRunner;
  readonly manager: ProberManager;
  addPod(pod: Pod): void;
  removePod(uid: string): void;
  verdicts(pod: Pod): ProbeInfo;
  onChange(cb: (uid: string) => void): void;
  /** The pod's published status changed: readiness workers with no success yet probe now (not a period later). */
  statusChanged(uid: string): void;
  metricsText(): Promise<string>;
}

function toProbeState(c: V1ContainerStatus, never: boolean) {
  const state = c.state?.running ? 'running' as const : c.state?.terminated ? 'terminated' as const : 'waiting' as const;
  return {
    name: c.name,
    containerID: c.containerID,
    state,
    startedAt: c.state?.running?.startedAt ? Date.parse(c.state.running.startedAt) : undefined,
    restartPolicyNever: never,
  };
}

export function createProber(d: {
  runtime: Runtime; events: EventRecorder; lifecycle: LifecycleRecord; statuses: StatusManager; pods: PodManager; clock: Clock; log: Logger;
  /** Where the probe series go (the agent's one registry); a registry of their own by default. */
  metrics?: ProbeMetrics;
}): AgentProber {
  const events: EventSink = {
    event(uid, e) {
      const pod = d.pods.get(uid)?.pod;
      if (!pod) return;
      d.events.event({ name: pod.metadata!.name!, namespace: pod.metadata?.namespace ?? 'default', uid }, e);
    },
  };
  const statusProvider = {
    getPodStatus(uid: string): ProbePodStatus | undefined {
      const m = d.pods.get(uid);
      const st = d.statuses.get(uid);
      if (!m || !st) return undefined;
      const never = m.pod.spec?.restartPolicy === 'Never';
      const sidecars = new Set((m.pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
      return {
        phase: st.phase,
        deleting: !!m.pod.metadata?.deletionTimestamp,
        podIP: st.podIP ?? '',
        containers: [
          ...(st.containerStatuses ?? []).map((c) => toProbeState(c, never)),
          ...(st.initContainerStatuses ?? []).map((c) => toProbeState(c, !sidecars.has(c.name))),
        ],
      };
    },
  };
  const manager = new ProberManager({ runtime: d.runtime, statusProvider, events, lifecycle: d.lifecycle, clock: d.clock, log: d.log, metrics: d.metrics });
  const hooks = new HandlerRunner({ runtime: d.runtime, events, lifecycle: d.lifecycle, clock: d.clock });
  return {
    hooks,
    manager,
    addPod: (pod) => manager.addPod(pod),
    removePod: (uid) => manager.removePod(uid),
    verdicts(pod) {
      const uid = pod.metadata!.uid!;
      const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      return {
        failed: (_name, id) => manager.failedProbe(id),
        started: (name, id) => manager.isContainerStarted(uid, name, id, true),
        probeGrace: (name, probe) => {
          const c = all.find((x) => x.name === name);
          return (probe === 'Liveness' ? c?.livenessProbe : c?.startupProbe)?.terminationGracePeriodSeconds;
        },
      };
    },
    onChange(cb) {
      // Every published change (liveness/startup failure, startup success, readiness) wakes the pod worker.
      manager.onResultChange((u) => cb(u.podUID));
    },
    statusChanged(uid) {
      const st = d.statuses.get(uid);
      if (!st) return;
      const all = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])];
      manager.updatePodStatus(uid, all.filter((c) => c.state?.running).map((c) => ({ name: c.name, containerID: c.containerID, running: true })));
    },
    metricsText: () => manager.metricsText(),
  };
}
