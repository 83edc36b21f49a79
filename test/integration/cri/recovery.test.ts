// Real Docker: state lives in Docker, not in the process. A child process creates a sandbox and a container
// through DockerRuntime and is SIGKILLed; a fresh DockerRuntime rebuilds the same picture (names, uid,
// attempt, labels, annotations, sandbox link) from the labels alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';
import { DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import { cleanupTestRuntime, newTestRuntime, PAUSE, RIG_LABEL, requireDocker, testRuntimeInfo, waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, sandboxConfig } from './fixtures.js';

const VITE_NODE = join(import.meta.dirname, '../../../node_modules/vite-node/vite-node.mjs');
const CHILD = join(import.meta.dirname, 'crash-child.ts');

let rt: DockerRuntime;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await requireDocker();
  rt = newTestRuntime();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  if (rt) await cleanupTestRuntime(rt);
});

describe('recovery from labels', () => {
  it('a fresh runtime lists what a SIGKILLed process created, with the same metadata', async () => {
    const info = testRuntimeInfo(rt);
    const sb: PodSandboxConfig = sandboxConfig('survivor', {
      metadata: { name: 'survivor', namespace: 'team-a', uid: `uid-${info.rigId}`, attempt: 2 },
      labels: { app: 'survivor', 'example.com/tier': 'backend' },
      annotations: { 'kubernetes.io/config.source': 'file', 'io.kubernetes.pod.terminationGracePeriod': '7' },
    });
    const ctr: ContainerConfig = containerConfig('worker', ['sleep', '600'], {
      metadata: { name: 'worker', attempt: 4 },
      labels: { role: 'worker' },
      annotations: { 'io.kubernetes.container.restartCount': '4', 'io.kubernetes.container.hash': 'cafe0123', 'io.kubernetes.container.preStopHandler': '{"exec":{"command":["sh","-c","echo bye"]}}' },
    });

    child = spawn(process.execPath, [VITE_NODE, CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MK_CHILD: JSON.stringify({ rootDir: info.rootDir, networkName: info.networkName, labels: info.labels, sandbox: sb, container: ctr }) },
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    const ready = await waitFor(async () => /READY (\w+) (\w+)/.exec(out) ?? undefined, {
      timeoutMs: 60_000, intervalMs: 50, message: () => `child never got ready; stdout: ${out} stderr: ${err.slice(-2000)}`,
    });
    const [, sandboxId, containerId] = ready;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const fresh = new DockerRuntime({ rootDir: info.rootDir, networkName: info.networkName, podInfraContainerImage: PAUSE });
    const selector = { [RIG_LABEL]: info.rigId };
    const sandboxes = await fresh.listPodSandbox({ labelSelector: selector });
    expect(sandboxes).toHaveLength(1);
    expect(sandboxes[0]).toMatchObject({ id: sandboxId, state: 'SANDBOX_READY', metadata: sb.metadata });
    expect(sandboxes[0]!.labels).toMatchObject(sb.labels);
    expect(sandboxes[0]!.annotations).toEqual(sb.annotations);

    const containers = await fresh.listContainers({ labelSelector: { ...selector, 'io.kubernetes.pod.uid': sb.metadata.uid } });
    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatchObject({ id: containerId, podSandboxId: sandboxId, state: 'CONTAINER_RUNNING', metadata: ctr.metadata });
    expect(containers[0]!.labels).toMatchObject({
      ...ctr.labels,
      'io.kubernetes.pod.name': 'survivor', 'io.kubernetes.pod.namespace': 'team-a', 'io.kubernetes.pod.uid': sb.metadata.uid, 'io.kubernetes.container.name': 'worker',
    });
    expect(containers[0]!.annotations).toEqual(ctr.annotations);

    const status = await fresh.containerStatus(containerId!);
    expect(status).toMatchObject({ metadata: ctr.metadata, podSandboxId: sandboxId, annotations: ctr.annotations, state: 'CONTAINER_RUNNING' });
    const sbStatus = await fresh.podSandboxStatus(sandboxId!);
    expect(sbStatus).toMatchObject({ metadata: sb.metadata, hostname: 'survivor', annotations: sb.annotations });
    expect(sbStatus.network.ip).not.toBe('');

    // Docker names follow the kubelet's scheme.
    const d = await requireDocker();
    expect((await d.getContainer(sandboxId!).inspect()).Name).toBe(`/k8s_POD_survivor_team-a_${sb.metadata.uid}_2`);
    expect((await d.getContainer(containerId!).inspect()).Name).toBe(`/k8s_worker_survivor_team-a_${sb.metadata.uid}_4`);

    // And the fresh runtime can act on them.
    await fresh.stopPodSandbox(sandboxId!);
    await fresh.removePodSandbox(sandboxId!);
    expect(await fresh.listContainers({ labelSelector: selector })).toEqual([]);
  });
});
