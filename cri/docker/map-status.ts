// cri/docker/map-status.ts — PURE: Docker inspect/list JSON → CRI Container, ContainerStatus and states.
//
// Owns: cri-dockerd's status mapping (running / exited with OOMKilled|Completed|Error / ContainerCannotRun /
// created), Docker time parsing, and mount read-back. Called by containers.ts and sandbox.ts. Never calls
// Docker and never throws on odd input: missing fields become zero values.
import type Dockerode from 'dockerode';
import type { Container, ContainerState, ContainerStatus, Mount, PodSandboxState } from '../api.js';
import { containerMetadataOf, LABEL_SANDBOX_ID, splitLabels } from './metadata-labels.js';

/** Docker's RFC3339Nano time → ms since the epoch; Docker's zero time (0001-01-01) and garbage → 0. */
export function dockerTime(value: string | number | undefined | null): number {
  if (typeof value === 'number') return value > 0 ? value * 1000 : 0;
  if (!value) return 0;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** State of a `docker ps` entry. `created` entries may really be failed starts: callers inspect those. */
export function listState(state: string): ContainerState {
  switch (state) {
    case 'running': case 'paused': case 'restarting': return 'CONTAINER_RUNNING';
    case 'exited': case 'dead': return 'CONTAINER_EXITED';
    case 'created': return 'CONTAINER_CREATED';
    default: return 'CONTAINER_UNKNOWN';
  }
}

export function sandboxState(running: boolean): PodSandboxState {
  return running ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
}

interface StateView {
  readonly state: ContainerState;
  readonly reason: string;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** cri-dockerd's mapping of Docker's State (kubelet-semantics §3.3). */
export function mapState(info: Dockerode.ContainerInspectInfo): StateView {
  const s = info.State;
  const createdAt = dockerTime(info.Created);
  const startedAt = dockerTime(s?.StartedAt);
  const finishedAt = dockerTime(s?.FinishedAt);
  if (s?.Running) return { state: 'CONTAINER_RUNNING', reason: '', startedAt, finishedAt: 0 };
  if (finishedAt !== 0) {
    const reason = s?.OOMKilled ? 'OOMKilled' : s?.ExitCode === 0 ? 'Completed' : 'Error';
    return { state: 'CONTAINER_EXITED', reason, startedAt, finishedAt };
  }
  if ((s?.ExitCode ?? 0) !== 0) {
    return { state: 'CONTAINER_EXITED', reason: 'ContainerCannotRun', startedAt: createdAt, finishedAt: createdAt };
  }
  return { state: 'CONTAINER_CREATED', reason: '', startedAt, finishedAt };
}

export function mountsOf(info: Dockerode.ContainerInspectInfo): Mount[] {
  return (info.Mounts ?? []).map((m) => m.Type === 'tmpfs'
    ? { containerPath: m.Destination, hostPath: '', readonly: !m.RW, tmpfs: {} }
    : { containerPath: m.Destination, hostPath: m.Source, readonly: !m.RW });
}

/** Full status of an application container from its inspect JSON. */
export function containerStatusOf(info: Dockerode.ContainerInspectInfo): ContainerStatus {
  const dockerLabels = info.Config?.Labels ?? {};
  const { labels, annotations } = splitLabels(dockerLabels);
  const view = mapState(info);
  return {
    id: info.Id,
    podSandboxId: dockerLabels[LABEL_SANDBOX_ID] ?? '',
    metadata: containerMetadataOf(dockerLabels),
    image: info.Config?.Image ?? '',
    imageRef: info.Image ?? '',
    state: view.state,
    createdAt: dockerTime(info.Created),
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    exitCode: info.State?.Running ? 0 : info.State?.ExitCode ?? 0,
    reason: view.reason,
    message: info.State?.Error ?? '',
    oomKilled: info.State?.OOMKilled ?? false,
    labels,
    annotations,
    mounts: mountsOf(info),
    pid: info.State?.Running ? info.State.Pid ?? 0 : 0,
  };
}

/** The short form of a container from a `docker ps` entry; `state` may be overridden after an inspect. */
export function containerOf(entry: Dockerode.ContainerInfo, state: ContainerState = listState(entry.State)): Container {
  const { labels, annotations } = splitLabels(entry.Labels);
  return {
    id: entry.Id,
    podSandboxId: entry.Labels?.[LABEL_SANDBOX_ID] ?? '',
    metadata: containerMetadataOf(entry.Labels ?? {}),
    image: entry.Image ?? '',
    imageRef: entry.ImageID ?? '',
    state,
    createdAt: dockerTime(entry.Created),
    labels,
    annotations,
  };
}
