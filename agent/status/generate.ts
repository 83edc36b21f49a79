// agent/status/generate.ts — the v1 PodStatus the kubelet would report (generateAPIPodStatus, plus the
// status manager's bookkeeping, so the result can be stored as is).
//
// Pure: pod + runtime view + probe verdicts + reason cache + previous status + `now` in, PodStatus out.
// Steps, in the kubelet's order: container statuses → phase → terminal stickiness and reason carry-over →
// eviction → started/ready → conditions → IPs → (status manager) illegal-transition check, times, message
// truncation → (podIsTerminal) TerminatePod's final rewrite.
import type { Pod, PodCondition, PodStatus } from '../api/v1.js';
import type { RuntimePodStatus } from '../kuberuntime/types.js';
import {
  generateContainersReadyCondition, generatePodInitializedCondition, generatePodReadyCondition,
  generatePodReadyToStartContainersCondition, KUBELET_CONDITIONS, podScheduledCondition,
} from './conditions.js';
import { applyProbeResults, convertContainerStatuses, type ProbeFn } from './container-statuses.js';
import { commitStatus, terminatePod } from './finalize.js';
import { getPhase, type PodPhase } from './phase.js';
import { computeQOSClass } from '../api/qos.js';
import { rfc3339 } from './format.js';

export { getPhase, countContainers, type PodPhase, type PhaseCounters } from './phase.js';
export {
  generateContainersReadyCondition, generatePodInitializedCondition, generatePodReadyCondition,
  generatePodReadyToStartContainersCondition, podScheduledCondition, podSandboxChanged,
} from './conditions.js';
export { computeQOSClass, getPodQOS, type QOSClass } from '../api/qos.js';

export interface GenerateInput {
  /** The defaulted pod; metadata.deletionTimestamp may be set. */
  readonly pod: Pod;
  readonly runtime: RuntimePodStatus | undefined;
  /** Prober verdicts for a running container instance; undefined ⇒ derived from the spec's probes. */
  readonly probe: ProbeFn;
  /** The container's last start error (reasonCache). */
  readonly reasonCache: (containerName: string) => { reason: string; message: string } | undefined;
  /** Whether the worker will start the container again (so the cached reason shows as waiting). */
  readonly shouldRestart: (containerName: string) => boolean;
  /** The status the status manager holds for this pod. */
  readonly previous: PodStatus | undefined;
  /** Producing the final status after everything stopped. */
  readonly podIsTerminal: boolean;
  /** Pods from a file or URL: no terminal shortcut in getPhase, no forced Failed at the end. */
  readonly isStaticPod: boolean;
  /** A pod sync handler asked for eviction (e.g. DeadlineExceeded). */
  readonly evict?: { reason: string; message: string };
  readonly hostIP: string;
  readonly now: number;
}

const isTerminal = (p: string | undefined): boolean => p === 'Succeeded' || p === 'Failed';

/** HasAnyActiveRegularContainerStarted: a regular container exists in the current (newest, ready) sandbox. */
function hasActiveRegularContainer(runtime: RuntimePodStatus | undefined): boolean {
  const newest = runtime?.sandboxes[0];
  if (!runtime || !newest || newest.state !== 'SANDBOX_READY') return false;
  return runtime.containers.some((c) => c.type === 'container' && c.podSandboxId === newest.id);
}

/** Pod IPs: the newest sandbox's when it is ready; with no ready sandbox the last known IP stays (PLEG). */
function podIPOf(pod: Pod, runtime: RuntimePodStatus | undefined, old: PodStatus, hostIP: string): string {
  if (pod.spec?.hostNetwork) return hostIP;
  const sandboxes = runtime?.sandboxes ?? [];
  const newest = sandboxes[0];
  if (newest && newest.state === 'SANDBOX_READY') return newest.ip;
  if (sandboxes.some((s) => s.state === 'SANDBOX_READY')) return '';
  return old.podIP ?? '';
}

export function generateAPIPodStatus(input: GenerateInput): PodStatus {
  const { pod, runtime, previous } = input;
  const old: PodStatus = previous ?? pod.status ?? {};
  const apiPhase = pod.status?.phase;

  const initStatuses = convertContainerStatuses(pod, runtime, old.initContainerStatuses, 'init', input);
  const containerStatuses = convertContainerStatuses(pod, runtime, old.containerStatuses, 'container', input);

  let phase: PodPhase = getPhase(pod, [...containerStatuses, ...initStatuses], input.podIsTerminal, hasActiveRegularContainer(runtime), input.isStaticPod);
  if (!isTerminal(phase)) {
    if (isTerminal(old.phase)) phase = old.phase as PodPhase;
    else if (isTerminal(apiPhase)) phase = apiPhase as PodPhase;
  }
  let reason: string | undefined;
  let message: string | undefined;
  if (phase === old.phase) {
    reason = old.reason || pod.status?.reason;
    message = old.message || pod.status?.message;
  }
  if (input.evict) {
    phase = 'Failed';
    reason = input.evict.reason;
    message = input.evict.message;
  }
  if (isTerminal(apiPhase) && phase !== apiPhase) phase = apiPhase as PodPhase;

  applyProbeResults(pod, initStatuses, containerStatuses, input.probe);

  // Conditions: foreign ones (readiness gates…) kept, DisruptionTarget carried, then the kubelet's own.
  const conditions: PodCondition[] = structuredClone((pod.status?.conditions ?? previous?.conditions ?? [])
    .filter((c) => !KUBELET_CONDITIONS.includes(c.type)));
  const disruption = old.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (disruption) {
    const i = conditions.findIndex((c) => c.type === 'DisruptionTarget');
    if (i >= 0) conditions[i] = structuredClone(disruption);
    else conditions.push(structuredClone(disruption));
  }
  const all = [...initStatuses, ...containerStatuses];
  conditions.push(generatePodReadyToStartContainersCondition(pod, runtime));
  conditions.push(generatePodInitializedCondition(pod, all, phase));
  conditions.push(generatePodReadyCondition(pod, conditions, all, phase));
  conditions.push(generateContainersReadyCondition(pod, all, phase));
  conditions.push(podScheduledCondition());

  const status: PodStatus = { phase, conditions };
  if (reason) status.reason = reason;
  if (message) status.message = message;
  status.hostIP = input.hostIP;
  status.hostIPs = [{ ip: input.hostIP }];
  const podIP = podIPOf(pod, runtime, old, input.hostIP);
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (old.startTime) status.startTime = old.startTime;
  else if (previous === undefined && runtime && runtime.sandboxes.length > 0) {
    // No status kept (the agent restarted and adopted the pod): the pod started when its first sandbox was
    // made, not now, so activeDeadlineSeconds and `kubectl get pods` AGE-like readings survive a restart.
    status.startTime = rfc3339(Math.min(...runtime.sandboxes.map((s) => s.createdAt)));
  }
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = containerStatuses;
  status.qosClass = pod.status?.qosClass || old.qosClass || computeQOSClass(pod);

  let out = commitStatus(pod, previous ?? pod.status, status, input.now);
  if (input.podIsTerminal) out = commitStatus(pod, out, terminatePod(pod, out, input.isStaticPod), input.now);
  return out;
}
