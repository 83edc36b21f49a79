// Node registration and status (agent/node/node-status.ts) against the REAL embedded API server, on a fake
// clock: the Node as the kubelet registers it, taking over an existing Node, Ready flipping with the
// runtime's health (poke), status patched only when it changed or when the report period passed, and the
// registration back-off.
import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../client/errors.js';
import { NODES, type KubeClient } from '../../../client/types.js';
import { binaryQuantity, goArch } from '../../../agent/node/machine-info.js';
import type { NodeObject } from '../../../agent/node/node-object.js';
import { NodeStatusReporter, type NodeStatusOptions } from '../../../agent/node/node-status.js';
import { hooked, startRig, type Rig } from './node-rig.js';

let rig: Rig;
let reporter: NodeStatusReporter | undefined;
afterEach(async () => { await reporter?.stop(); reporter = undefined; await rig?.close(); });

const T0 = '2024-01-01T00:00:00Z';
let healthy = true;
let events: Array<[string, string, string]> = [];

function start(over: Partial<NodeStatusOptions> = {}): NodeStatusReporter {
  events = [];
  healthy = true;
  reporter = new NodeStatusReporter({
    client: rig.client, nodeName: 'node-a', nodeIP: '10.1.2.3', hostname: 'host-a', port: 10250, maxPods: 110, rootDir: tmpdir(),
    healthy: () => healthy, runtimeVersion: '27.5.1', log: rig.log, clock: rig.clock, random: () => 0,
    record: (...e) => { events.push(e); }, ...over,
  });
  reporter.start();
  return reporter;
}

/** A reporter whose Node is registered and first round done. */
async function startRegistered(): Promise<NodeStatusReporter> {
  rig = await startRig();
  const r = start();
  await r.registered;
  await r.idle();
  return r;
}

const getNode = () => rig.client.get<NodeObject>(NODES, undefined, 'node-a');
const condition = (n: NodeObject, type: string) => n.status!.conditions!.find((c) => c.type === type)!;

/** Advances the fake clock `times` × `stepMs`, letting each status round finish (they wait on HTTP). */
async function tick(r: NodeStatusReporter, stepMs: number, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await rig.clock.advance(stepMs);
    await r.idle();
  }
}

describe('registration', () => {
  it('creates the Node with the kubelet\'s labels, annotations, capacity, conditions, addresses and node info', async ({ expect }) => {
    const r = await startRegistered();
    const n = await getNode();
    const arch = goArch(process.arch);
    expect(n.metadata!.labels).toEqual({
      'kubernetes.io/hostname': 'host-a', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch, 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': arch,
    });
    expect(n.metadata!.annotations).toEqual({ 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
    const s = n.status!;
    expect(s.capacity).toMatchObject({ cpu: String(availableParallelism()), memory: binaryQuantity(totalmem()), pods: '110' });
    expect(s.capacity!['ephemeral-storage']).toMatch(/^\d+(Ki|Mi|Gi)?$/);
    expect(Object.keys(s.capacity!).some((k) => /^hugepages-\d+(Mi|Gi)$/.test(k))).toBe(true);
    expect(s.allocatable).toMatchObject({ cpu: s.capacity!.cpu, pods: '110', memory: binaryQuantity(totalmem() - 100 * 2 ** 20) });
    expect(s.conditions!.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', T0, T0],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', T0, T0],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', T0, T0],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', T0, T0],
    ]);
    expect(s.addresses).toEqual([{ type: 'InternalIP', address: '10.1.2.3' }, { type: 'Hostname', address: 'host-a' }]);
    expect(s.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(s.nodeInfo).toMatchObject({
      machineID: readFileSync('/etc/machine-id', 'utf8').trim(), bootID: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      containerRuntimeVersion: 'docker://27.5.1', kubeletVersion: 'v1.33.0-mini', kubeProxyVersion: '', operatingSystem: 'linux', architecture: arch,
      osImage: /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1],
    });
    expect(events).toEqual([
      ['Normal', 'NodeHasSufficientMemory', 'Node node-a status is now: NodeHasSufficientMemory'],
      ['Normal', 'NodeHasNoDiskPressure', 'Node node-a status is now: NodeHasNoDiskPressure'],
      ['Normal', 'NodeHasSufficientPID', 'Node node-a status is now: NodeHasSufficientPID'],
    ]);
  });

  it('takes over a Node that exists: its uid and other labels stay, default labels, annotation and status are made current', async ({ expect }) => {
    rig = await startRig();
    const old = await rig.client.create<NodeObject>(NODES, undefined, {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'old-host', team: 'a' } },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2023-06-01T00:00:00Z', lastTransitionTime: '2023-06-01T00:00:00Z' }],
        nodeInfo: { bootID: 'an-older-boot' } as never,
      },
    });
    const r = start();
    await r.registered;
    await r.idle();
    const n = await getNode();
    expect(n.metadata!.uid).toBe(old.metadata!.uid);
    expect(n.metadata!.labels).toMatchObject({ 'kubernetes.io/hostname': 'host-a', team: 'a', 'kubernetes.io/os': 'linux' });
    expect(n.metadata!.annotations).toMatchObject({ 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
    expect(condition(n, 'Ready')).toMatchObject({ status: 'True', lastHeartbeatTime: T0, lastTransitionTime: '2023-06-01T00:00:00Z' });
    expect(n.status!.conditions!.map((c) => c.type)).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    expect(n.status!.capacity!.pods).toBe('110');
    expect(rig.log.lines.map((l) => l.msg)).toContain('Node was previously registered');
    expect(events).toContainEqual(['Warning', 'Rebooted', `Node node-a has been rebooted, boot id: ${n.status!.nodeInfo!.bootID}`]);
  });

  it('retries a failed registration after 200 ms, then 400 ms (doubling)', async ({ expect }) => {
    rig = await startRig();
    const attempts: number[] = [];
    const client: KubeClient = hooked(rig.client, (method, ref) => {
      if (method !== 'create' || ref !== NODES) return undefined;
      attempts.push(rig.clock.now());
      return attempts.length <= 2 ? ApiError.unreachable(rig.client.server, new Error('connect ECONNREFUSED')) : undefined;
    });
    const r = start({ client });
    await vi.waitFor(() => expect(attempts).toHaveLength(1));
    await rig.clock.advance(199);
    expect(attempts).toHaveLength(1);
    await rig.clock.advance(1);
    await vi.waitFor(() => expect(attempts).toHaveLength(2));
    await rig.clock.advance(400);
    await r.registered;
    const t0 = Date.parse(T0);
    expect(attempts).toEqual([t0, t0 + 200, t0 + 600]);
    expect(rig.log.lines.filter((l) => l.msg === 'Unable to register node with API server')).toHaveLength(2);
  });
});

describe('status reports', () => {
  it('Ready turns False on an unhealthy runtime and back, at once on poke, with transition times and events', async ({ expect }) => {
    const r = await startRegistered();
    await tick(r, 10_000);
    healthy = false;
    r.poke();
    await r.idle();
    let n = await getNode();
    expect(condition(n, 'Ready')).toEqual({
      type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down: docker://27.5.1 is not answering',
      lastHeartbeatTime: '2024-01-01T00:00:10Z', lastTransitionTime: '2024-01-01T00:00:10Z',
    });
    expect(condition(n, 'MemoryPressure').lastTransitionTime).toBe(T0);
    await rig.clock.advance(5_000);
    healthy = true;
    r.poke();
    await r.idle();
    n = await getNode();
    expect(condition(n, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', lastTransitionTime: '2024-01-01T00:00:15Z' });
    expect(events.slice(3)).toEqual([
      ['Normal', 'NodeNotReady', 'Node node-a status is now: NodeNotReady'],
      ['Normal', 'NodeReady', 'Node node-a status is now: NodeReady'],
    ]);
  });

  it('an unchanged status is not written every 10 s, only once the 5-minute report period has passed', async ({ expect }) => {
    const r = await startRegistered();
    const first = await getNode();
    await tick(r, 10_000, 29);
    const quiet = await getNode();
    expect(quiet.metadata!.resourceVersion).toBe(first.metadata!.resourceVersion);
    expect(condition(quiet, 'Ready').lastHeartbeatTime).toBe(T0);
    await tick(r, 10_000);
    const reported = await getNode();
    expect(reported.metadata!.resourceVersion).not.toBe(first.metadata!.resourceVersion);
    expect(condition(reported, 'Ready')).toMatchObject({ lastHeartbeatTime: '2024-01-01T00:05:00Z', lastTransitionTime: T0 });
  });
});
