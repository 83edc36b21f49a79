// Real Docker: /metrics of a real agent moves as a pod starts, is probed and is deleted; /metrics/probes shows
// the prober series alone. Every metric the README names is checked for movement here or, for the
// error counters, on the fake runtime (test/unit/metrics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

async function scrape(path = '/metrics'): Promise<string> {
  const res = await fetch(`${rig.url}${path}`);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.text();
}

/** The value of one sample line; 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const SERIES = {
  startedPods: 'kubelet_started_pods_total',
  startedContainers: 'kubelet_started_containers_total{container_type="container"}',
  startedInits: 'kubelet_started_containers_total{container_type="init_container"}',
  podStarts: 'kubelet_pod_start_duration_seconds_count',
  workerCreate: 'kubelet_pod_worker_duration_seconds_count{operation_type="create"}',
  workerSync: 'kubelet_pod_worker_duration_seconds_count{operation_type="sync"}',
  workerKill: 'kubelet_pod_worker_duration_seconds_count{operation_type="kill"}',
  workerTerminated: 'kubelet_pod_worker_duration_seconds_count{operation_type="terminated"}',
  runSandbox: 'kubelet_runtime_operations_total{operation_type="run_podsandbox"}',
  createContainer: 'kubelet_runtime_operations_total{operation_type="create_container"}',
  startContainer: 'kubelet_runtime_operations_total{operation_type="start_container"}',
  stopContainer: 'kubelet_runtime_operations_total{operation_type="stop_container"}',
  execSync: 'kubelet_runtime_operations_total{operation_type="exec_sync"}',
  startDuration: 'kubelet_runtime_operations_duration_seconds_count{operation_type="start_container"}',
  runningPods: 'kubelet_running_pods',
  runningContainers: 'kubelet_running_containers{container_state="running"}',
  desiredPods: 'kubelet_desired_pods{static="true"}',
  probes: 'prober_probe_total{container="app",namespace="default",pod="counted",pod_uid="UID",probe_type="Readiness",result="successful"}',
  probeDuration: 'prober_probe_duration_seconds_count{container="app",namespace="default",pod="counted",probe_type="Readiness"}',
} as const;

function values(text: string, uid: string): Record<keyof typeof SERIES, number> {
  return Object.fromEntries(Object.entries(SERIES).map(([k, s]) => [k, sample(text, s.replace('UID', uid))])) as Record<keyof typeof SERIES, number>;
}

describe('metrics of a real agent', () => {
  it('a pod started, probed and deleted moves every kubelet_* series the README names', async () => {
    const before = values(await scrape(), '');
    rig.write('counted.yaml', `apiVersion: v1
kind: Pod
metadata: {name: counted}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: prep
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['true']
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']
    readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}
`);
    const pod = await rig.waitForPod('counted', (p) => condition(p, 'Ready')?.status === 'True', 30_000, 'Ready');
    const uid = pod.metadata!.uid!;
    const up = values(await scrape(), uid);
    expect(up.startedPods - before.startedPods).toBe(1);
    expect(up.startedInits - before.startedInits).toBe(1);
    expect(up.startedContainers - before.startedContainers).toBe(1);
    expect(up.podStarts - before.podStarts).toBe(1);
    expect(up.workerCreate - before.workerCreate).toBe(1);
    expect(up.workerSync).toBeGreaterThan(before.workerSync);
    expect(up.runSandbox - before.runSandbox).toBe(1);
    expect(up.createContainer - before.createContainer).toBe(2);
    expect(up.startContainer - before.startContainer).toBe(2);
    expect(up.startDuration - before.startDuration).toBe(2);
    expect(up.execSync).toBeGreaterThan(before.execSync);
    expect([up.runningPods, up.runningContainers, up.desiredPods]).toEqual([1, 1, 1]);
    expect(up.probes).toBeGreaterThanOrEqual(1);
    expect(up.probeDuration).toBeGreaterThanOrEqual(1);

    const probesOnly = await scrape('/metrics/probes');
    expect(sample(probesOnly, SERIES.probes.replace('UID', uid))).toBeGreaterThanOrEqual(1);
    expect(probesOnly).not.toContain('kubelet_');

    rig.remove('counted.yaml');
    await rig.waitForGone('counted', 30_000);
    // The worker's end (terminated) is observed right after the pod leaves the pod manager.
    const down = await waitFor(async () => {
      const v = values(await scrape(), uid);
      return v.workerTerminated > before.workerTerminated ? v : undefined;
    }, { timeoutMs: 5000, intervalMs: 50, message: 'no terminated pod-worker step was observed' });
    expect(down.workerKill - before.workerKill).toBe(1);
    expect(down.workerTerminated - before.workerTerminated).toBe(1);
    expect(down.stopContainer).toBeGreaterThan(up.stopContainer);
    expect([down.runningPods, down.desiredPods]).toEqual([0, 0]);
  });

  it('the process metrics come with prom-client', async () => {
    const text = await scrape();
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });
});
