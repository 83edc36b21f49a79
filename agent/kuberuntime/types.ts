// agent/kuberuntime/types.ts — the agent's view of what the runtime holds for one pod.
//
// Written by PLEG (agent/pleg) from cri/ list+status calls and the kubelet-owned labels
// (agent/kuberuntime/labels.ts); read by computePodActions, the status generator and the pod workers.
// Like the kubelet's kubecontainer.PodStatus: facts from the runtime only, no decisions.
import type { ContainerState, PodSandboxState } from '../../cri/api.js';

export type ContainerType = 'init' | 'container';

/** One runtime instance of one container of the pod (there may be several per name: restarts). */
export interface RuntimeContainerStatus {
  /** Runtime id (64 hex). */
  readonly id: string;
  /** The container's name in the pod spec. */
  readonly name: string;
  readonly type: ContainerType;
  readonly state: ContainerState;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  /** `Completed` | `Error` | `OOMKilled` | `ContainerCannotRun` | '' (cri-dockerd's mapping). */
  readonly reason: string;
  /** Runtime message, with the termination message appended (`<runtime msg>: <termination msg>`). */
  readonly message: string;
  /** The image as written in the spec (e.g. `busybox`, normalised as the kubelet shows it). */
  readonly image: string;
  /** `docker-pullable://…@sha256:…` or `docker://sha256:…` as the kubelet reports imageID. */
  readonly imageRef: string;
  /** From the instance's annotation io.kubernetes.container.restartCount. */
  readonly restartCount: number;
  /** From the instance's annotation io.kubernetes.container.hash. */
  readonly hash: string;
  readonly podSandboxId: string;
  /** Grace period and preStop recorded at creation, to kill correctly after an agent restart. */
  readonly terminationGracePeriod?: number;
  /** JSON of lifecycle.preStop as recorded at creation. */
  readonly preStopHandler?: string;
}

export interface RuntimeSandboxStatus {
  readonly id: string;
  readonly attempt: number;
  readonly state: PodSandboxState;
  readonly createdAt: number;
  readonly ip: string;
  readonly hostNetwork: boolean;
}

/** Everything the runtime holds for one pod UID, as of `timestamp`. */
export interface RuntimePodStatus {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** Newest first. */
  readonly sandboxes: readonly RuntimeSandboxStatus[];
  /** All instances of all containers, newest first (by createdAt). */
  readonly containers: readonly RuntimeContainerStatus[];
  /** When this view was read (ms since the epoch). */
  readonly timestamp: number;
}

/** Newest instance of a container by name, or undefined. */
export function findContainer(status: RuntimePodStatus, name: string, type?: ContainerType): RuntimeContainerStatus | undefined {
  return status.containers.find((c) => c.name === name && (type === undefined || c.type === type));
}

/** All instances of a container by name, newest first. */
export function findContainers(status: RuntimePodStatus, name: string, type?: ContainerType): RuntimeContainerStatus[] {
  return status.containers.filter((c) => c.name === name && (type === undefined || c.type === type));
}
