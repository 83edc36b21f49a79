// agent/kuberuntime/compute-pod-actions.ts — PURE: what must change for the runtime to match the pod spec.
//
// The kubelet's computePodActions: (pod spec, what the runtime holds, probe verdicts) → a list of actions.
// It never calls the runtime and keeps no memory; running it twice on the same inputs gives the same answer,
// and on a pod that is as it should be it answers "nothing to do". Back-off is not decided here: the
// executor (sync-pod.ts) checks it before each start, as the kubelet's doBackOff does.
import type { Container, Pod } from '../api/v1.js';
import { hashContainer } from './labels.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from './types.js';

export type KillReason = 'liveness' | 'startup' | 'definition' | 'job-done' | 'init-failed';

export interface ContainerToKill {
  readonly id: string;
  readonly name: string;
  readonly type: 'init' | 'container';
  readonly reason: KillReason;
}

export interface PodActions {
  /** Kill every container and the sandbox (sandbox changed, or pod failed for good). */
  readonly killPod: boolean;
  readonly createSandbox: boolean;
  /** Current sandbox id ('' when one must be created). */
  readonly sandboxId: string;
  /** Attempt number for a new sandbox. */
  readonly attempt: number;
  /** Index into spec.initContainers of the init container (regular or sidecar) to start next. */
  readonly initToStart: number | undefined;
  /** Indices into spec.initContainers of sidecars that must be restarted (pod already initialized). */
  readonly sidecarsToRestart: readonly number[];
  /** Indices into spec.containers to start (in spec order). */
  readonly containersToStart: readonly number[];
  readonly containersToKill: readonly ContainerToKill[];
}

export interface ProbeVerdicts {
  /** A liveness or startup probe published Failure for this container instance. */
  failed(containerName: string, containerId: string): 'Liveness' | 'Startup' | undefined;
  /** The instance is started (running and its startup probe, if any, succeeded). */
  started(containerName: string, containerId: string): boolean;
}

export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** The kubelet's ShouldContainerBeRestarted, for a container that is not running. */
export function shouldContainerBeRestarted(pod: Pod, newest: RuntimeContainerStatus | undefined): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (!newest) return true;
  if (newest.state === 'CONTAINER_RUNNING') return false;
  if (newest.state === 'CONTAINER_UNKNOWN' || newest.state === 'CONTAINER_CREATED') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && newest.exitCode === 0) return false;
  return true;
}

const NOTHING: Omit<PodActions, 'sandboxId' | 'attempt'> = {
  killPod: false,
  createSandbox: false,
  initToStart: undefined,
  sidecarsToRestart: [],
  containersToStart: [],
  containersToKill: [],
};

export function computePodActions(pod: Pod, status: RuntimePodStatus, probes: ProbeVerdicts): PodActions {
  const spec = pod.spec!;
  const inits = spec.initContainers ?? [];
  const policy = spec.restartPolicy ?? 'Always';
  const sandbox = status.sandboxes[0];
  const sandboxReady = !!sandbox && sandbox.state === 'SANDBOX_READY' && (sandbox.hostNetwork || sandbox.ip !== '');

  if (!sandboxReady) {
    const attempt = sandbox ? sandbox.attempt + 1 : 0;
    // Never: once containers ran, a dead sandbox is not re-created; the pod is done.
    if (policy === 'Never' && sandbox && status.containers.length > 0) {
      return { ...NOTHING, killPod: true, sandboxId: '', attempt };
    }
    const containersToStart: number[] = [];
    if (inits.length === 0) {
      spec.containers.forEach((c, i) => {
        const newest = status.containers.find((s) => s.name === c.name && s.type === 'container');
        if (policy === 'OnFailure' && newest && newest.state === 'CONTAINER_EXITED' && newest.exitCode === 0) return;
        containersToStart.push(i);
      });
    }
    return {
      ...NOTHING,
      killPod: !!sandbox,
      createSandbox: true,
      sandboxId: '',
      attempt,
      initToStart: inits.length > 0 ? 0 : undefined,
      containersToStart,
    };
  }

  // Only instances of the current sandbox count for decisions (a re-created sandbox re-runs init containers).
  const inSandbox = status.containers.filter((c) => c.podSandboxId === sandbox.id);
  const newestOf = (name: string, type: 'init' | 'container') => inSandbox.find((c) => c.name === name && c.type === type);
  const kill: ContainerToKill[] = [];
  const sidecarsToRestart: number[] = [];
  let initToStart: number | undefined;
  let initDone = true;

  const initialized = spec.containers.some((c) => newestOf(c.name, 'container') !== undefined);
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const s = newestOf(c.name, 'init');
    if (isSidecar(c)) {
      if (s?.state === 'CONTAINER_RUNNING') {
        const verdict = probes.failed(c.name, s.id);
        const changed = s.hash !== '' && s.hash !== hashContainer(c);
        if (verdict || changed) {
          kill.push({ id: s.id, name: c.name, type: 'init', reason: verdict === 'Startup' ? 'startup' : verdict ? 'liveness' : 'definition' });
          if (initialized) sidecarsToRestart.push(i);
          else { initToStart = i; initDone = false; break; }
          continue;
        }
        if (!initialized && !probes.started(c.name, s.id)) { initDone = false; break; }
        continue;
      }
      // Not running (or never ran): sidecars always (re)start, regardless of the pod's policy.
      if (initialized) { sidecarsToRestart.push(i); continue; }
      initToStart = i;
      initDone = false;
      break;
    }
    if (initialized) continue; // regular init containers never re-run once a main container started
    if (!s || s.state === 'CONTAINER_CREATED' || s.state === 'CONTAINER_UNKNOWN') { initToStart = i; initDone = false; break; }
    if (s.state === 'CONTAINER_RUNNING') { initDone = false; break; }
    if (s.exitCode === 0) continue;
    // A regular init container failed.
    initDone = false;
    if (policy === 'Never') {
      return { ...NOTHING, killPod: true, sandboxId: sandbox.id, attempt: sandbox.attempt, containersToKill: runningSidecars(pod, inSandbox) };
    }
    initToStart = i;
    break;
  }

  const containersToStart: number[] = [];
  if (initDone) {
    spec.containers.forEach((c, i) => {
      const s = newestOf(c.name, 'container');
      if (s?.state === 'CONTAINER_RUNNING') {
        const verdict = probes.failed(c.name, s.id);
        const changed = s.hash !== '' && s.hash !== hashContainer(c);
        if (changed) {
          kill.push({ id: s.id, name: c.name, type: 'container', reason: 'definition' });
          containersToStart.push(i);
        } else if (verdict) {
          kill.push({ id: s.id, name: c.name, type: 'container', reason: verdict === 'Startup' ? 'startup' : 'liveness' });
          if (policy !== 'Never') containersToStart.push(i);
        }
        return;
      }
      if (shouldContainerBeRestarted(pod, s)) containersToStart.push(i);
    });
    // Job-like pods: every regular container finished for good ⇒ stop the sidecars, the pod is done.
    if (policy !== 'Always' && inits.some(isSidecar) && containersToStart.length === 0) {
      const allDone = spec.containers.every((c) => {
        const s = newestOf(c.name, 'container');
        return s !== undefined && s.state === 'CONTAINER_EXITED';
      });
      if (allDone) {
        sidecarsToRestart.length = 0;
        kill.push(...runningSidecars(pod, inSandbox).map((k) => ({ ...k, reason: 'job-done' as const })));
      }
    }
  }

  return {
    killPod: false,
    createSandbox: false,
    sandboxId: sandbox.id,
    attempt: sandbox.attempt,
    initToStart,
    sidecarsToRestart,
    containersToStart,
    containersToKill: kill,
  };
}

function runningSidecars(pod: Pod, inSandbox: readonly RuntimeContainerStatus[]): ContainerToKill[] {
  const out: ContainerToKill[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = inSandbox.find((x) => x.name === c.name && x.type === 'init');
    if (s?.state === 'CONTAINER_RUNNING') out.push({ id: s.id, name: c.name, type: 'init', reason: 'init-failed' });
  }
  return out;
}

/** True when the actions change nothing (the steady state). */
export function isNoop(a: PodActions): boolean {
  return !a.killPod && !a.createSandbox && a.initToStart === undefined && a.sidecarsToRestart.length === 0
    && a.containersToStart.length === 0 && a.containersToKill.length === 0;
}
