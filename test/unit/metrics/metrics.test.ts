// Unit tests for agent/metrics (one prom-client registry) and agent/kuberuntime/instrumented-runtime.ts on
// cri/fake: every metric the README's Endpoints section names is registered; runtime calls, pod starts, worker
// steps and the gauges write what they should.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { KubeletMetrics } from '../../../agent/metrics/metrics.js';
import { InstrumentedRuntime } from '../../../agent/kuberuntime/instrumented-runtime.js';
import { A_TYPE } from '../../../agent/kuberuntime/labels.js';
import type { PodStatus } from '../../../agent/api/v1.js';

/** The value of one sample line (`name{labels} value`); undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Asserts several sample lines at once: series → value (undefined = absent). */
async function expectSamples(m: KubeletMetrics, expected: Record<string, number | undefined>): Promise<void> {
  const text = await m.render();
  expect(Object.fromEntries(Object.keys(expected).map((k) => [k, sample(text, k)]))).toEqual(expected);
}

/** The metric names the README's "Endpoints" section promises. */
function readmeMetricNames(): string[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## Endpoints\n')[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((n) => /^(kubelet|prober|process|nodejs)_/.test(n));
}

const sb: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 },
  hostname: 'web',
  namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
  labels: {},
  annotations: {},
};
const container = (name: string, type: 'init' | 'container'): ContainerConfig =>
  ({ metadata: { name, attempt: 0 }, image: 'busybox:latest', labels: {}, annotations: { [A_TYPE]: type } });

const running = (names: string[]): PodStatus =>
  ({ phase: 'Running', containerStatuses: names.map((name) => ({ name, ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: {} } })) });

describe('KubeletMetrics', () => {
  it('registers every metric the README names (and process_* from prom-client)', async () => {
    const names = readmeMetricNames();
    expect(names.length).toBeGreaterThanOrEqual(14);
    const text = await new KubeletMetrics().render();
    const missing = names.filter((n) => !text.includes(`# TYPE ${n} `));
    expect(missing).toEqual([]);
  });

  it('the instrumented runtime counts and times each call by operation type, and its errors', async () => {
    const m = new KubeletMetrics({ defaultMetrics: false });
    const fake = new FakeRuntime();
    const rt = new InstrumentedRuntime(fake, m);
    const sandbox = await rt.runPodSandbox(sb);
    const init = await rt.createContainer(sandbox, container('init', 'init'), sb);
    await rt.startContainer(init);
    const app = await rt.createContainer(sandbox, container('app', 'container'), sb);
    await rt.startContainer(app);
    await rt.listContainers();
    fake.injectError('imageStatus', new CriError('RuntimeUnavailable', 'engine down'));
    await expect(rt.imageStatus('busybox:latest')).rejects.toThrow('engine down');
    fake.injectError('createContainer', new CriError('Unknown', 'no space left'));
    await expect(rt.createContainer(sandbox, container('other', 'container'), sb)).rejects.toThrow('no space left');

    await expectSamples(m, {
      'kubelet_runtime_operations_total{operation_type="run_podsandbox"}': 1,
      'kubelet_runtime_operations_total{operation_type="create_container"}': 3,
      'kubelet_runtime_operations_total{operation_type="start_container"}': 2,
      'kubelet_runtime_operations_total{operation_type="list_containers"}': 1,
      'kubelet_runtime_operations_errors_total{operation_type="image_status"}': 1,
      'kubelet_runtime_operations_errors_total{operation_type="create_container"}': 1,
      'kubelet_runtime_operations_errors_total{operation_type="start_container"}': undefined,
      'kubelet_runtime_operations_duration_seconds_count{operation_type="start_container"}': 2,
      'kubelet_started_pods_total': 1,
      'kubelet_started_pods_errors_total': 0,
      'kubelet_started_containers_total{container_type="init_container"}': 1,
      'kubelet_started_containers_total{container_type="container"}': 2,
      'kubelet_started_containers_errors_total{container_type="container",code="CreateContainerError"}': 1,
    });
  });

  it('a start that fails counts RunContainerError; a failed sandbox counts a pod start error', async () => {
    const m = new KubeletMetrics({ defaultMetrics: false });
    const fake = new FakeRuntime();
    const rt = new InstrumentedRuntime(fake, m);
    const sandbox = await rt.runPodSandbox(sb);
    const app = await rt.createContainer(sandbox, container('app', 'container'), sb);
    fake.injectError('startContainer', new CriError('RunContainerError', 'exec: "nope": executable file not found in $PATH'));
    await expect(rt.startContainer(app)).rejects.toThrow('executable file not found');
    fake.injectError('runPodSandbox', new CriError('CreatePodSandboxError', 'network gone'));
    await expect(rt.runPodSandbox({ ...sb, metadata: { ...sb.metadata, attempt: 1 } })).rejects.toThrow('network gone');
    await expectSamples(m, {
      'kubelet_started_containers_errors_total{container_type="container",code="RunContainerError"}': 1,
      'kubelet_started_pods_total': 2,
      'kubelet_started_pods_errors_total': 1,
    });
  });

  it('pod worker steps are timed with the kubelet\'s operation types', async () => {
    const m = new KubeletMetrics({ defaultMetrics: false });
    m.podSynced('create', 120, 'u');
    m.podSynced('sync', 5, 'u');
    m.podSynced('update', 7, 'u');
    m.podSynced('terminating', 2100, 'u');
    m.podSynced('terminated', 30, 'u');
    const text = await m.render();
    for (const op of ['create', 'sync', 'update', 'kill', 'terminated']) {
      expect(sample(text, `kubelet_pod_worker_duration_seconds_count{operation_type="${op}"}`)).toBe(1);
    }
    expect(sample(text, 'kubelet_pod_worker_duration_seconds_sum{operation_type="kill"}')).toBe(2.1);
  });

  it('pod start: first seen → all containers running, once per UID, in either order of arrival', async () => {
    let t = 10_000;
    const m = new KubeletMetrics({ defaultMetrics: false, now: () => t });
    // Pod a: the create sync ran 200 ms; its containers run 1.3 s after it started.
    t = 10_200;
    m.podSynced('create', 200, 'a');
    m.podStatusChanged('a', { phase: 'Pending', containerStatuses: [{ name: 'x', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] });
    t = 11_300;
    m.podStatusChanged('a', running(['x']));
    t = 15_000;
    m.podStatusChanged('a', running(['x', 'y'])); // later statuses (a restart, readiness) are not a new start
    // Pod b: the status with everything running is published inside the create sync, before it returns.
    t = 20_500;
    m.podStatusChanged('b', running(['x']));
    t = 20_600;
    m.podSynced('create', 600, 'b');
    await expectSamples(m, {
      'kubelet_pod_start_duration_seconds_count': 2,
      'kubelet_pod_start_duration_seconds_bucket{le="1"}': 1,
    });
    m.podSynced('terminated', 10, 'a');
    m.podSynced('terminated', 10, 'b');
    expect(m.trackedPods).toBe(0);
  });

  it('gauges read the pod manager and the cache at scrape time', async () => {
    const m = new KubeletMetrics({ defaultMetrics: false });
    const pods = [{ source: 'file' }, { source: 'http' }, { source: 'api' }];
    const cache = [
      { sandboxes: [{ state: 'SANDBOX_READY' }], containers: [{ state: 'CONTAINER_RUNNING' }, { state: 'CONTAINER_EXITED' }] },
      { sandboxes: [{ state: 'SANDBOX_NOTREADY' }], containers: [{ state: 'CONTAINER_EXITED' }] },
    ];
    m.watch({ pods: { all: () => pods }, cache: { all: () => cache } });
    await expectSamples(m, {
      'kubelet_running_pods': 1,
      'kubelet_running_containers{container_state="running"}': 1,
      'kubelet_running_containers{container_state="exited"}': 2,
      'kubelet_running_containers{container_state="created"}': 0,
      'kubelet_desired_pods{static="true"}': 2,
      'kubelet_desired_pods{static=""}': 1,
    });
  });

  it('probe series live in the same registry and render alone for /metrics/probes', async () => {
    const m = new KubeletMetrics({ defaultMetrics: false });
    m.probes.inc({ probeType: 'Readiness', container: 'c', pod: 'web', namespace: 'default', podUID: 'u' }, 'successful');
    const all = await m.render();
    const probes = await m.probes.render();
    const series = 'prober_probe_total{container="c",namespace="default",pod="web",pod_uid="u",probe_type="Readiness",result="successful"}';
    expect([sample(all, series), sample(probes, series)]).toEqual([1, 1]);
    expect(probes).not.toContain('kubelet_');
  });
});
