// agent/status/conditions.ts — the kubelet-owned pod conditions (status/generate.go) and their
// lastTransitionTime bookkeeping (status manager's updateLastTransitionTime).
//
// Owns: PodReadyToStartContainers (from the runtime's sandboxes), Initialized, Ready, ContainersReady and
// PodScheduled, with the kubelet's exact reasons and messages; which conditions the kubelet owns; and
// carrying lastTransitionTime over while a condition's status is unchanged.
import type { Pod, PodCondition, PodStatus, V1ContainerStatus } from '../api/v1.js';
import type { RuntimePodStatus } from '../kuberuntime/types.js';
import { goList, NULL_TIME, rfc3339 } from './format.js';
import { isRestartableInit, type PodPhase } from './phase.js';

export const UnknownContainerStatuses = 'UnknownContainerStatuses';
export const PodCompleted = 'PodCompleted';
export const PodFailed = 'PodFailed';
export const ContainersNotReady = 'ContainersNotReady';
export const ContainersNotInitialized = 'ContainersNotInitialized';
export const ReadinessGatesNotReady = 'ReadinessGatesNotReady';

/** Condition types the kubelet generates itself (any other type on the pod is preserved as is). */
export const KUBELET_CONDITIONS: readonly string[] = ['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers'];

/** A condition as the API serialises it: lastProbeTime null, lastTransitionTime filled in later. */
function cond(type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status, lastProbeTime: NULL_TIME, lastTransitionTime: NULL_TIME };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function find(statuses: readonly V1ContainerStatus[], name: string): V1ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

/** The kubelet's PodSandboxChanged: true when a (new) sandbox must be created before containers can start. */
export function podSandboxChanged(pod: Pod, runtime: RuntimePodStatus | undefined): boolean {
  const sandboxes = runtime?.sandboxes ?? [];
  const newest = sandboxes[0];
  if (!newest) return true;
  if (sandboxes.filter((s) => s.state === 'SANDBOX_READY').length > 1) return true;
  if (newest.state !== 'SANDBOX_READY') return true;
  const hostNetwork = pod.spec?.hostNetwork === true;
  if (newest.hostNetwork !== hostNetwork) return true;
  if (!hostNetwork && newest.ip === '') return true;
  return false;
}

export function generatePodReadyToStartContainersCondition(pod: Pod, runtime: RuntimePodStatus | undefined): PodCondition {
  return cond('PodReadyToStartContainers', podSandboxChanged(pod, runtime) ? 'False' : 'True');
}

/** A regular container has a running or terminated state (the pod initialized at some point). */
export function hasAnyRegularContainerStarted(pod: Pod, statuses: readonly V1ContainerStatus[]): boolean {
  const names = new Set(pod.spec!.containers.map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && (s.state?.running !== undefined || s.state?.terminated !== undefined));
}

/** `statuses` = init + regular container statuses (after the probe results were applied). */
export function generatePodInitializedCondition(pod: Pod, statuses: readonly V1ContainerStatus[], phase: PodPhase): PodCondition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec!.initContainers ?? []) {
    const s = find(statuses, c.name);
    if (!s) { unknown.push(c.name); continue; }
    const done = isRestartableInit(c) ? s.started === true : s.ready;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return cond('Initialized', 'True', PodCompleted);
  if (hasAnyRegularContainerStarted(pod, statuses)) return cond('Initialized', 'True');
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return cond('Initialized', 'False', ContainersNotInitialized, messages.join(', '));
  return cond('Initialized', 'True');
}

export function generateContainersReadyCondition(pod: Pod, statuses: readonly V1ContainerStatus[], phase: PodPhase): PodCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const spec = pod.spec!;
  for (const c of [...(spec.initContainers ?? []).filter(isRestartableInit), ...spec.containers]) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return cond('ContainersReady', 'False', phase === 'Failed' ? PodFailed : PodCompleted);
  }
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return cond('ContainersReady', 'False', ContainersNotReady, messages.join(', '));
  return cond('ContainersReady', 'True');
}

/** `conditions` = the conditions gathered so far (readiness-gate conditions are looked up there). */
export function generatePodReadyCondition(pod: Pod, conditions: readonly PodCondition[], statuses: readonly V1ContainerStatus[], phase: PodPhase): PodCondition {
  const cr = generateContainersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') return cond('Ready', cr.status as 'False', cr.reason, cr.message);
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return cond('Ready', 'False', ReadinessGatesNotReady, messages.join(', '));
  return cond('Ready', 'True');
}

export function podScheduledCondition(): PodCondition {
  return cond('PodScheduled', 'True');
}

/** Types whose lastTransitionTime the status manager maintains. */
const TRACKED = ['ContainersReady', 'Ready', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'DisruptionTarget'];

/**
 * Sets lastTransitionTime on the tracked conditions of `status`: the previous condition's time when the
 * status (True/False/Unknown) is unchanged, else `now`.
 */
export function updateLastTransitionTimes(status: PodStatus, old: PodStatus | undefined, now: number): void {
  for (const c of status.conditions ?? []) {
    if (!TRACKED.includes(c.type)) continue;
    const prev = old?.conditions?.find((o) => o.type === c.type);
    c.lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime ?? NULL_TIME : rfc3339(now);
  }
}
