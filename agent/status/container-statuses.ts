// agent/status/container-statuses.ts — v1 ContainerStatus lists from the runtime's view (the kubelet's
// convertToAPIContainerStatuses) and the prober's started/ready placement (prober manager UpdatePodStatus).
//
// Owns: default waiting reasons (ContainerCreating / PodInitializing), carrying over previous values,
// newest instance → state and second newest → lastState, ContainerStatusUnknown for containers that vanished
// or turned unknown after running, the reasonCache waiting override (CrashLoopBackOff, ErrImagePull, …),
// and the list order (init containers in spec order, regular containers sorted by name as the kubelet does).
import type { Container, Pod, V1ContainerState, V1ContainerStatus } from '../api/v1.js';
import type { ContainerType, RuntimeContainerStatus, RuntimePodStatus } from '../kuberuntime/types.js';
import { rfc3339 } from './format.js';
import { isRestartableInit } from './phase.js';

export const ContainerCreating = 'ContainerCreating';
export const PodInitializing = 'PodInitializing';
export const ContainerStatusUnknown = 'ContainerStatusUnknown';
export const MSG_UNKNOWN_TERMINATED = 'The container could not be located when the pod was terminated';
export const MSG_UNKNOWN_DELETED = 'The container could not be located when the pod was deleted.  The container used to be Running';

export interface ContainerInputs {
  /** Last start error of a container (the kubelet's reasonCache). */
  readonly reasonCache: (containerName: string) => { reason: string; message: string } | undefined;
  /** Whether the pod worker would start this container again (ShouldContainerBeRestarted). */
  readonly shouldRestart: (containerName: string) => boolean;
}

export type ProbeFn = (containerName: string, containerId: string) => { started: boolean; ready: boolean } | undefined;

const clone = <T>(v: T): T => structuredClone(v);

/** `docker://<id>` as the kubelet reports containerID. */
export function containerID(id: string): string {
  return `docker://${id}`;
}

/** volumeMounts as the kubelet reports them (RecursiveReadOnlyMounts on; Docker offers no recursive RO). */
function volumeMountStatuses(c: Container): V1ContainerStatus['volumeMounts'] {
  if (!c.volumeMounts?.length) return undefined;
  return c.volumeMounts.map((m) => ({
    name: m.name,
    mountPath: m.mountPath,
    ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
}

/** One runtime instance → a status (convertContainerStatus). */
function convertInstance(cs: RuntimeContainerStatus, old: V1ContainerStatus | undefined): V1ContainerStatus {
  const cid = containerID(cs.id);
  const s: V1ContainerStatus = {
    name: cs.name, state: {}, lastState: {}, ready: false, restartCount: cs.restartCount,
    image: cs.image, imageID: cs.imageRef, containerID: cid,
  };
  switch (cs.state) {
    case 'CONTAINER_RUNNING':
      s.state = { running: { startedAt: rfc3339(cs.startedAt) } };
      break;
    case 'CONTAINER_CREATED':
      s.state = { waiting: {} };
      break;
    case 'CONTAINER_EXITED': {
      const t: NonNullable<V1ContainerState['terminated']> = { exitCode: cs.exitCode };
      if (cs.reason) t.reason = cs.reason;
      if (cs.message) t.message = cs.message;
      t.startedAt = rfc3339(cs.startedAt);
      t.finishedAt = rfc3339(cs.finishedAt);
      t.containerID = cid;
      s.state = { terminated: t };
      break;
    }
    default:
      if (old?.state?.running) {
        s.state = { terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: MSG_UNKNOWN_TERMINATED, startedAt: rfc3339(0), finishedAt: rfc3339(0) } };
        s.restartCount = (old.restartCount ?? 0) + 1;
      } else {
        s.state = { waiting: {} };
      }
  }
  return s;
}

function isDefaultWaiting(s: V1ContainerStatus, hasInit: boolean): boolean {
  return s.state?.waiting?.reason === (hasInit ? PodInitializing : ContainerCreating);
}

/**
 * The statuses of one container list (`type` picks init or regular containers of the spec).
 * `previous` = the same list from the previous status (status manager), used for carry-over.
 */
export function convertContainerStatuses(pod: Pod, runtime: RuntimePodStatus | undefined, previous: readonly V1ContainerStatus[] | undefined, type: ContainerType, inputs: ContainerInputs): V1ContainerStatus[] {
  const spec = pod.spec!;
  const containers = type === 'init' ? spec.initContainers ?? [] : spec.containers;
  const hasInit = (spec.initContainers?.length ?? 0) > 0;
  const oldByName = new Map((previous ?? []).map((s) => [s.name, s] as const));
  const instances = [...(runtime?.containers ?? [])].filter((c) => c.type === type).sort((a, b) => b.createdAt - a.createdAt);
  const statuses = new Map<string, V1ContainerStatus>();

  // 1. Defaults: waiting ContainerCreating/PodInitializing, or the previous status carried over.
  for (const c of containers) {
    const old = oldByName.get(c.name);
    let s: V1ContainerStatus = {
      name: c.name, state: { waiting: { reason: hasInit ? PodInitializing : ContainerCreating } }, lastState: {},
      ready: false, restartCount: 0, image: c.image ?? '', imageID: '',
    };
    const mounts = volumeMountStatuses(c);
    if (mounts) s.volumeMounts = mounts;
    if (old?.state?.terminated) s = clone(old);
    else if (old) {
      s.restartCount = old.restartCount ?? 0;
      s.lastState = clone(old.lastState ?? {});
    }
    statuses.set(c.name, s);
  }

  // 2. A container that ran but has vanished from the runtime: record that it stopped.
  for (const c of containers) {
    if (instances.some((i) => i.name === c.name)) continue;
    const old = oldByName.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const s = statuses.get(c.name)!;
    if (!isDefaultWaiting(s, hasInit) || s.lastState?.terminated) continue;
    s.lastState = { terminated: { exitCode: 137, reason: ContainerStatusUnknown, message: MSG_UNKNOWN_DELETED, startedAt: rfc3339(0), finishedAt: rfc3339(0) } };
    if (!pod.metadata?.deletionTimestamp) s.restartCount = (s.restartCount ?? 0) + 1;
  }

  // 3. The runtime's instances: newest → state, second newest → lastState.
  const seen = new Map<string, number>();
  for (const inst of instances) {
    if (!statuses.has(inst.name)) continue;
    const count = seen.get(inst.name) ?? 0;
    if (count >= 2) continue;
    const old = oldByName.get(inst.name);
    const s = convertInstance(inst, old);
    if (inst.state === 'CONTAINER_RUNNING' && old?.started !== undefined) s.started = old.started;
    const mounts = volumeMountStatuses(containers.find((c) => c.name === inst.name)!);
    if (mounts) s.volumeMounts = mounts;
    if (count === 0) statuses.set(inst.name, s);
    else statuses.get(inst.name)!.lastState = s.state;
    seen.set(inst.name, count + 1);
  }

  // 4. Containers that will be started again show their last start error as the waiting reason.
  for (const c of containers) {
    if (type === 'init') {
      const newest = instances.find((i) => i.name === c.name);
      if (newest?.state === 'CONTAINER_EXITED' && newest.exitCode === 0) continue;
    }
    if (!inputs.shouldRestart(c.name)) continue;
    const cached = inputs.reasonCache(c.name);
    if (!cached) continue;
    const s = statuses.get(c.name)!;
    if (s.state?.terminated) s.lastState = s.state;
    s.state = { waiting: { ...(cached.reason ? { reason: cached.reason } : {}), ...(cached.message ? { message: cached.message } : {}) } };
  }

  const list = containers.map((c) => statuses.get(c.name)!);
  if (type === 'container') list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}

/**
 * Places the prober's verdicts (prober manager UpdatePodStatus): every status gets `started`; `ready` is
 * set for started containers and sidecars, and for regular init containers that exited 0.
 */
export function applyProbeResults(pod: Pod, init: V1ContainerStatus[], regular: V1ContainerStatus[], probe: ProbeFn): void {
  const place = (s: V1ContainerStatus): boolean => {
    const running = s.state?.running !== undefined;
    const verdict = running && s.containerID ? probe(s.name, runtimeIdOf(s.containerID)) : undefined;
    const started = running && (verdict ? verdict.started : !hasProbe(pod, s.name, 'startupProbe'));
    s.started = started;
    if (started) s.ready = running && (verdict ? verdict.ready : !hasProbe(pod, s.name, 'readinessProbe'));
    return started;
  };
  for (const s of regular) place(s);
  const specInits = pod.spec?.initContainers ?? [];
  for (const s of init) {
    const c = specInits.find((x) => x.name === s.name);
    if (!isRestartableInit(c)) {
      const running = s.state?.running !== undefined;
      s.started = running;
      if (s.state?.terminated && s.state.terminated.exitCode === 0) s.ready = true;
      continue;
    }
    place(s);
  }
}

function runtimeIdOf(cid: string): string {
  const i = cid.indexOf('://');
  return i >= 0 ? cid.slice(i + 3) : cid;
}

function hasProbe(pod: Pod, name: string, kind: 'startupProbe' | 'readinessProbe'): boolean {
  const spec = pod.spec!;
  const c = spec.containers.find((x) => x.name === name) ?? spec.initContainers?.find((x) => x.name === name);
  return c?.[kind] !== undefined;
}
