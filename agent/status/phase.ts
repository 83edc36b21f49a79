// agent/status/phase.ts — the pod phase from the API container statuses (the kubelet's getPhase).
//
// Owns the counting rules for regular init containers, sidecars (restartable init containers) and regular
// containers, and the decision table that turns the counters into Pending/Running/Succeeded/Failed.
// `Unknown` is never produced. Pure: spec + statuses in, phase out.
import type { Container, Pod, V1ContainerStatus } from '../api/v1.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The counters getPhase decides on (exported so tests can check the counting itself). */
export interface PhaseCounters {
  /** Regular init containers not finished yet (no status, running, waiting without a previous run). */
  pendingInit: number;
  /** Regular init containers whose current or last run exited non-zero. */
  failedInit: number;
  /** Sidecars running but not started, or waiting for their first run. */
  pendingSidecar: number;
  unknown: number;
  running: number;
  waiting: number;
  stopped: number;
  succeeded: number;
}

export function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function statusOf(statuses: readonly V1ContainerStatus[], name: string): V1ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

export function countContainers(pod: Pod, statuses: readonly V1ContainerStatus[]): PhaseCounters {
  const spec = pod.spec!;
  const n: PhaseCounters = { pendingInit: 0, failedInit: 0, pendingSidecar: 0, unknown: 0, running: 0, waiting: 0, stopped: 0, succeeded: 0 };
  const inits = spec.initContainers ?? [];

  for (const c of inits) {
    if (isRestartableInit(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) { n.pendingInit++; continue; }
    const st = s.state ?? {};
    if (st.running) n.pendingInit++;
    else if (st.terminated) { if (st.terminated.exitCode !== 0) n.failedInit++; }
    else if (st.waiting) {
      const last = s.lastState?.terminated;
      if (last) { if (last.exitCode !== 0) n.failedInit++; }
      else n.pendingInit++;
    } else n.pendingInit++;
  }

  for (const c of inits) {
    if (!isRestartableInit(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) { n.unknown++; continue; }
    const st = s.state ?? {};
    if (st.running) {
      if (s.started !== true) n.pendingSidecar++;
      n.running++;
    } else if (st.terminated) {
      // a stopped sidecar does not count toward the phase
    } else if (st.waiting) {
      if (!s.lastState?.terminated) { n.pendingSidecar++; n.waiting++; }
    } else { n.pendingSidecar++; n.unknown++; }
  }

  for (const c of spec.containers) {
    const s = statusOf(statuses, c.name);
    if (!s) { n.unknown++; continue; }
    const st = s.state ?? {};
    if (st.running) n.running++;
    else if (st.terminated) {
      n.stopped++;
      if (st.terminated.exitCode === 0) n.succeeded++;
    } else if (st.waiting) {
      if (s.lastState?.terminated) n.stopped++;
      else n.waiting++;
    } else n.unknown++;
  }
  return n;
}

/**
 * The kubelet's getPhase.
 * @param podIsTerminal the kubelet is producing the final status after stopping everything.
 * @param podHasInitialized a regular container exists in the current sandbox (sidecar restarts then do not
 *   send the pod back to Pending).
 * @param isStaticPod static pods skip the terminal shortcut (kubernetes#116484).
 */
export function getPhase(pod: Pod, statuses: readonly V1ContainerStatus[], podIsTerminal: boolean, podHasInitialized: boolean, isStaticPod: boolean): PodPhase {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const n = countContainers(pod, statuses);
  if (n.failedInit > 0 && policy === 'Never') return 'Failed';
  if (n.pendingInit > 0 || (n.pendingSidecar > 0 && !podHasInitialized)) return 'Pending';
  if (n.waiting > 0) return 'Pending';
  if (n.running > 0 && n.unknown === 0) return 'Running';
  if (n.running === 0 && n.stopped > 0 && n.unknown === 0) {
    if (podIsTerminal && !isStaticPod) return n.stopped === n.succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (n.stopped === n.succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
