// Shared builders for the cri integration tests: sandbox and container configs with fresh UIDs, and a
// one-call "sandbox + running busybox" setup.
import { randomUUID } from 'node:crypto';
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';
import type { DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import { afterAll, beforeAll } from 'vitest';
import { BUSYBOX, cleanupTestRuntime, newTestRuntime, requireDocker, waitFor } from '../../helpers/docker-rig.js';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export function sandboxConfig(name: string, over: Mutable<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: randomUUID(), attempt: 0 },
    hostname: name,
    namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
    labels: { app: name },
    annotations: {},
    ...over,
  } as PodSandboxConfig;
}

export function containerConfig(name: string, command: string[] | undefined, over: Mutable<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: BUSYBOX,
    ...(command ? { command } : {}),
    labels: {},
    annotations: {},
    ...over,
  } as ContainerConfig;
}

/** Creates and starts one container in the sandbox; returns its id. */
export async function runContainer(rt: DockerRuntime, sandboxId: string, sb: PodSandboxConfig, cfg: ContainerConfig): Promise<string> {
  const id = await rt.createContainer(sandboxId, cfg, sb);
  await rt.startContainer(id);
  return id;
}

/** Waits until the container has exited; returns its status. */
export async function waitExited(rt: DockerRuntime, id: string, timeoutMs = 20_000) {
  return waitFor(async () => {
    const s = await rt.containerStatus(id);
    return s.state === 'CONTAINER_EXITED' ? s : undefined;
  }, { timeoutMs, intervalMs: 50, message: `container ${id.slice(0, 12)} did not exit` });
}

export interface TestPod {
  readonly rt: DockerRuntime;
  readonly sb: PodSandboxConfig;
  readonly sandboxId: string;
}

/** Registers beforeAll/afterAll for a test runtime of this file; `rt` is set in beforeAll. */
export function useRuntime(): { readonly rt: DockerRuntime } {
  const holder = {} as { rt: DockerRuntime };
  beforeAll(async () => {
    await requireDocker();
    holder.rt = newTestRuntime();
  });
  afterAll(async () => { if (holder.rt) await cleanupTestRuntime(holder.rt); });
  return holder;
}

/** useRuntime plus one ready sandbox; the fields are set in beforeAll. */
export function usePod(name: string): TestPod {
  const holder = useRuntime();
  const pod = {} as { rt: DockerRuntime; sb: PodSandboxConfig; sandboxId: string };
  beforeAll(async () => {
    pod.rt = holder.rt;
    pod.sb = sandboxConfig(name);
    pod.sandboxId = await pod.rt.runPodSandbox(pod.sb);
  });
  return pod;
}
