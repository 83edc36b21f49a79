// Child process for recovery.test.ts: builds a DockerRuntime from MK_CHILD (JSON), creates a sandbox and a
// running container, prints `READY <sandboxId> <containerId>`, then idles until the parent SIGKILLs it.
import { DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';

interface ChildInput {
  readonly rootDir: string;
  readonly networkName: string;
  readonly labels: Record<string, string>;
  readonly sandbox: PodSandboxConfig;
  readonly container: ContainerConfig;
}

const input = JSON.parse(process.env.MK_CHILD ?? '{}') as ChildInput;
const rt = new DockerRuntime({
  rootDir: input.rootDir, networkName: input.networkName, extraLabels: input.labels, podInfraContainerImage: 'mini-kubelet/pause:local',
});
const sandboxId = await rt.runPodSandbox(input.sandbox);
const containerId = await rt.createContainer(sandboxId, input.container, input.sandbox);
await rt.startContainer(containerId);
process.stdout.write(`READY ${sandboxId} ${containerId}\n`);
setInterval(() => undefined, 60_000);
