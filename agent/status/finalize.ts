// agent/status/finalize.ts — what the kubelet's status manager does to a generated status before storing it.
//
// Owns: refusing illegal terminated → running transitions (checkContainerStateTransition), lastTransitionTime
// carry-over, startTime set once, normalizeStatus (second-precision times are already produced; termination
// messages cut to 12 KiB / number of containers), and TerminatePod's end-of-life rules (containers without a
// terminated state become ContainerStatusUnknown; a non-static pod ends Failed unless already terminal).
import type { Pod, PodStatus, V1ContainerState, V1ContainerStatus } from '../api/v1.js';
import { updateLastTransitionTimes } from './conditions.js';
import { ContainerStatusUnknown, MSG_UNKNOWN_TERMINATED } from './container-statuses.js';
import { rfc3339, truncateBytes } from './format.js';
import { isRestartableInit } from './phase.js';

/** MaxPodTerminationMessageLogLength: the budget for all containers' terminated messages together. */
export const MAX_POD_TERMINATION_MESSAGE_BYTES = 12 * 1024;

/** Bytes each container's terminated message may keep (12288 / number of containers, Go integer division). */
export function bytesPerContainerMessage(pod: Pod): number {
  const spec = pod.spec;
  const n = (spec?.containers.length ?? 0) + (spec?.initContainers?.length ?? 0) + (spec?.ephemeralContainers?.length ?? 0);
  return n > 0 ? Math.floor(MAX_POD_TERMINATION_MESSAGE_BYTES / n) : MAX_POD_TERMINATION_MESSAGE_BYTES;
}

function truncateState(state: V1ContainerState | undefined, max: number): void {
  const t = state?.terminated;
  if (t?.message !== undefined) t.message = truncateBytes(t.message, max);
}

/** normalizeStatus: cut terminated messages (state and lastState) to the per-container budget. */
export function truncateTerminationMessages(pod: Pod, status: PodStatus): void {
  const max = bytesPerContainerMessage(pod);
  for (const s of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    truncateState(s.state, max);
    truncateState(s.lastState, max);
  }
}

/** checkContainerStateTransition: undefined when allowed, else the error text the kubelet logs. */
export function illegalTransition(pod: Pod, old: PodStatus | undefined, next: PodStatus): string | undefined {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always' || !old) return undefined;
  const blocked = (o: V1ContainerStatus): boolean => {
    const t = o.state?.terminated;
    return t !== undefined && !(t.exitCode !== 0 && policy === 'OnFailure');
  };
  for (const o of old.containerStatuses ?? []) {
    if (!blocked(o)) continue;
    if ((next.containerStatuses ?? []).some((n) => n.name === o.name && !n.state?.terminated)) {
      return `terminated container ${o.name} attempted illegal transition to non-terminated state`;
    }
  }
  const inits = pod.spec?.initContainers ?? [];
  for (const o of old.initContainerStatuses ?? []) {
    if (isRestartableInit(inits.find((c) => c.name === o.name)) || !blocked(o)) continue;
    if ((next.initContainerStatuses ?? []).some((n) => n.name === o.name && !n.state?.terminated)) {
      return `terminated init container ${o.name} attempted illegal transition to non-terminated state`;
    }
  }
  return undefined;
}

/**
 * updateStatusInternal: returns the status to store. An illegal transition keeps `old` (the update is
 * dropped); otherwise times are carried over and messages truncated, in place.
 */
export function commitStatus(pod: Pod, old: PodStatus | undefined, next: PodStatus, now: number): PodStatus {
  if (old && illegalTransition(pod, old, next)) return old;
  updateLastTransitionTimes(next, old, now);
  next.startTime = old?.startTime ? old.startTime : next.startTime ?? rfc3339(now);
  truncateTerminationMessages(pod, next);
  return next;
}

function unknownTerminated(): V1ContainerState {
  return { terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: MSG_UNKNOWN_TERMINATED, startedAt: rfc3339(0), finishedAt: rfc3339(0) } };
}

/** hasPodInitialized (TerminatePod): evidence that regular containers were ever started. */
export function hasPodInitialized(pod: Pod, status: PodStatus): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;
  if ((status.containerStatuses ?? []).some((s) => s.lastState?.terminated || !s.state?.waiting)) return true;
  const list = status.initContainerStatuses ?? [];
  const last = list[list.length - 1];
  if (!last) return false;
  const spec = inits[list.length - 1];
  if (!spec || spec.name !== last.name) return false;
  if (isRestartableInit(spec)) return last.state?.running !== undefined && last.started === true;
  return last.lastState?.terminated?.exitCode === 0 || last.state?.terminated?.exitCode === 0;
}

/** The init statuses that ever tried to start (all but the waiting suffix; at least the first). */
function initializedCount(list: readonly V1ContainerStatus[]): number {
  for (let i = list.length - 1; i >= 0; i--) {
    if (!list[i]!.state?.waiting || list[i]!.lastState?.terminated) return i + 1;
  }
  return list.length > 0 ? 1 : 0;
}

/** TerminatePod's rewrite of the final status (a copy; the input is not modified). */
export function terminatePod(pod: Pod, status: PodStatus, isStaticPod: boolean): PodStatus {
  const s = structuredClone(status);
  if (hasPodInitialized(pod, s)) {
    for (const c of s.containerStatuses ?? []) if (!c.state?.terminated) c.state = unknownTerminated();
  }
  const inits = s.initContainerStatuses ?? [];
  for (let i = 0; i < initializedCount(inits); i++) {
    if (!inits[i]!.state?.terminated) inits[i]!.state = unknownTerminated();
  }
  if (!isStaticPod && s.phase !== 'Succeeded' && s.phase !== 'Failed') s.phase = 'Failed';
  return s;
}
