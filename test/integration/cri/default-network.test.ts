// Real Docker: by default sandboxes join Docker's default bridge (no network is made for them), and a
// runtime's event stream carries only the containers of its own labels (another agent on the same engine is
// not ours). Start latency itself is measured by npm run bench, not here.
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../../cri/api.js';
import { DEFAULT_NETWORK_NAME, type DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import { cleanupTestRuntime, newTestRuntime, requireDocker, RIG_LABEL, testRuntimeInfo, waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, runContainer, sandboxConfig } from './fixtures.js';

const made: DockerRuntime[] = [];
const runtime = (networkName?: string): DockerRuntime => {
  const rt = newTestRuntime(networkName ? { networkName } : {});
  made.push(rt);
  return rt;
};
afterAll(async () => { for (const rt of made) await cleanupTestRuntime(rt); });

/** The IPv4 subnet of a Docker network, e.g. 172.17.0.0/16. */
async function subnetOf(network: string): Promise<string> {
  const info = await (await requireDocker()).getNetwork(network).inspect() as { IPAM?: { Config?: { Subnet?: string }[] } };
  return info.IPAM?.Config?.find((c) => c.Subnet?.includes('.'))?.Subnet ?? '';
}

function inSubnet(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

describe('the sandboxes\' network', () => {
  it('is Docker\'s default bridge unless a network is named: the pause container gets its IP there, no network is made', async () => {
    const docker = await requireDocker();
    expect(DEFAULT_NETWORK_NAME).toBe('bridge');
    const rt = runtime(DEFAULT_NETWORK_NAME);
    const sb = sandboxConfig('on-bridge');
    const id = await rt.runPodSandbox(sb);
    const st = await rt.podSandboxStatus(id);
    const subnet = await subnetOf('bridge');
    expect(subnet).toMatch(/\/\d+$/);
    expect(inSubnet(st.network.ip, subnet), `${st.network.ip} in ${subnet}`).toBe(true);
    expect((await docker.getContainer(id).inspect()).HostConfig.NetworkMode).toBe('bridge');
    expect(await docker.listNetworks({ filters: { label: [`${RIG_LABEL}=${testRuntimeInfo(rt).rigId}`] } })).toEqual([]);
    // A container of the pod shares the sandbox's network namespace, hence its address.
    const cid = await runContainer(rt, id, sb, containerConfig('ip', ['sleep', '60']));
    const ns = (await docker.getContainer(cid).inspect()).HostConfig.NetworkMode;
    expect(ns).toBe(`container:${id}`);
  });
});

describe('runtime events', () => {
  it('carry only this runtime\'s containers, not another agent\'s on the same engine', async () => {
    const mine = runtime();
    const other = runtime();
    const ac = new AbortController();
    const seen: ContainerEvent[] = [];
    const pump = (async () => { for await (const ev of mine.events(ac.signal)) seen.push(ev); })();
    const started = (id: string) => waitFor(async () => seen.some((e) => e.containerId === id && e.type === 'CONTAINER_STARTED_EVENT'), {
      timeoutMs: 15_000, intervalMs: 20, message: () => `the start event of ${id.slice(0, 12)} not seen; seen: ${seen.map((e) => e.type).join(',')}`,
    });
    await started(await mine.runPodSandbox(sandboxConfig('ours-1'))); // the stream is live
    const theirs = await other.runPodSandbox(sandboxConfig('theirs'));
    // Docker delivers events in order: once our later start has arrived, theirs would have come before it.
    await started(await mine.runPodSandbox(sandboxConfig('ours-2')));
    expect(seen.filter((e) => e.containerId === theirs)).toEqual([]);
    ac.abort();
    await pump;
  });
});
