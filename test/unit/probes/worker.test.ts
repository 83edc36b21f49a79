// Probe worker rules (the kubelet's prober/worker_test.go cases) on a fake clock with a fake execSync.
import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { ProberManager } from '../../../probes/prober-manager.js';
import { Prober } from '../../../probes/prober.js';
import type { CheckOutcome } from '../../../probes/types.js';
import { CriError } from '../../../cri/errors.js';
import { FakeClock, FakeStatuses, UID, exec, fakeRuntime, makePod, running, sinks } from './helpers.js';

const S = 1000;

function setup(opts: { agentAgeMs?: number; random?: number; prober?: ConstructorParameters<typeof ProberManager>[0]['prober'] } = {}) {
  const clock = new FakeClock();
  const runtime = fakeRuntime(clock);
  const statuses = new FakeStatuses();
  const s = sinks();
  const pm = new ProberManager({
    runtime,
    statusProvider: statuses,
    events: s.eventSink,
    lifecycle: s.lifecycle,
    clock,
    random: () => opts.random ?? 0.5,
    agentStartTime: clock.now() - (opts.agentAgeMs ?? 3_600_000),
    prober: opts.prober,
  });
  const failing = new Set<string>();
  runtime.impl = (cmd) => (failing.has(cmd[2]!) ? { exitCode: 1, stdout: `${cmd[2]} says no`, stderr: '' } : { exitCode: 0, stdout: 'fine', stderr: '' });
  const callsOf = (c: string) => runtime.calls.filter((x) => x.cmd[2] === c);
  return { clock, runtime, statuses, pm, failing, callsOf, ...s };
}

function container(name: string, probes: Partial<Container>): Container {
  return { name, image: 'busybox', ...probes };
}

describe('probe worker', () => {
  it('stores the initial result for each new container ID: readiness failure, liveness success, startup unknown', async () => {
    const t = setup();
    t.statuses.set([running('c', 'docker://a', t.clock.now())]);
    const delay = { initialDelaySeconds: 100 };
    t.pm.addPod(makePod([container('c', { readinessProbe: exec('r', delay), livenessProbe: exec('l', delay), startupProbe: exec('s', delay) })]));
    await t.clock.advance(0);
    expect(t.pm.getResult('Readiness', 'docker://a')).toBe('failure');
    expect(t.pm.getResult('Liveness', 'docker://a')).toBe('success');
    expect(t.pm.getResult('Liveness', 'a')).toBe('success'); // v1 and runtime ids are the same key
    expect(t.pm.getResult('Startup', 'docker://a')).toBe('unknown');
    expect(t.runtime.calls).toHaveLength(0);
  });

  it('waits while the pod has no status or the container has no ID yet', async () => {
    const t = setup();
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1 }) })]));
    await t.clock.advance(3 * S);
    t.statuses.set([{ name: 'c', state: 'waiting' }]);
    await t.clock.advance(3 * S);
    expect(t.runtime.calls).toHaveLength(0);
    expect(t.pm.hasWorker(UID, 'c', 'Liveness')).toBe(true);
    t.statuses.set([running('c', 'a', t.clock.now())]);
    await t.clock.advance(1 * S);
    expect(t.callsOf('l')).toHaveLength(1);
  });

  it('TestInitialDelay: no probe until initialDelaySeconds have passed since the container started', async () => {
    const t = setup();
    const started = t.clock.now();
    t.statuses.set([running('c', 'a', started)]);
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { initialDelaySeconds: 10, periodSeconds: 1 }) })]));
    await t.clock.advance(9 * S);
    expect(t.callsOf('l')).toHaveLength(0);
    await t.clock.advance(1 * S);
    expect(t.callsOf('l')).toHaveLength(1);
    expect(t.callsOf('l')[0]!.at - started).toBe(10 * S);
  });

  it('FailureThreshold: failures below the threshold change nothing; the threshold-th publishes Failure', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.failing.add('r');
    t.pm.addPod(makePod([container('c', { readinessProbe: exec('r', { periodSeconds: 1, failureThreshold: 3 }) })]));
    await t.clock.advance(0);
    t.failing.delete('r');
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('success');
    t.failing.add('r');
    await t.clock.advance(1 * S);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('success');
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('failure');
    // Every failed attempt is an Unhealthy event with the probe's output.
    const unhealthy = t.events.filter((e) => e.reason === 'Unhealthy');
    expect(unhealthy).toHaveLength(4);
    expect(unhealthy[0]).toEqual({ podUID: UID, type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: r says no', fieldPath: 'spec.containers{c}' });
  });

  it('SuccessThreshold: readiness needs successThreshold consecutive successes', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.pm.addPod(makePod([container('c', { readinessProbe: exec('r', { periodSeconds: 1, successThreshold: 3 }) })]));
    await t.clock.advance(0);
    await t.clock.advance(1 * S);
    expect(t.callsOf('r')).toHaveLength(2);
    expect(t.pm.getResult('Readiness', 'a')).toBe('failure');
    t.failing.add('r'); // a failure in between restarts the count
    await t.clock.advance(1 * S);
    t.failing.delete('r');
    await t.clock.advance(2 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('failure');
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('success');
  });

  it('OnHold: after liveness publishes Failure, no probe runs until a new container ID appears', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.failing.add('l');
    const failures: unknown[][] = [];
    t.pm.onLivenessOrStartupFailure((...args) => failures.push(args));
    const pod = makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1, failureThreshold: 2, terminationGracePeriodSeconds: 7 }) })]);
    t.pm.addPod(pod);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Liveness', 'a')).toBe('failure');
    expect(t.pm.failedProbe('a')).toBe('Liveness');
    expect(failures).toEqual([[UID, 'c', 'Liveness', pod.spec!.containers[0]!.livenessProbe, 'a']]);
    await t.clock.advance(10 * S);
    expect(t.callsOf('l')).toHaveLength(2);
    // The restarted instance starts from Success, probing resumes and the run count starts over.
    t.statuses.set([running('c', 'b', t.clock.now())]);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Liveness', 'a')).toBeUndefined();
    expect(t.pm.getResult('Liveness', 'b')).toBe('success');
    expect(t.callsOf('l')).toHaveLength(3);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Liveness', 'b')).toBe('failure');
    expect(t.callsOf('l')).toHaveLength(4);
  });

  it('startup gating: liveness and readiness wait for the startup probe; the startup worker then stays quiet', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.failing.add('s');
    const every = { periodSeconds: 1 };
    t.pm.addPod(makePod([container('c', { startupProbe: exec('s', { ...every, failureThreshold: 100 }), livenessProbe: exec('l', every), readinessProbe: exec('r', every) })]));
    await t.clock.advance(5 * S);
    expect(t.callsOf('s')).toHaveLength(6);
    expect(t.callsOf('l')).toHaveLength(0);
    expect(t.callsOf('r')).toHaveLength(0);
    expect(t.pm.updatePodStatus(UID, [{ name: 'c', containerID: 'a', running: true }]).get('c')).toEqual({ started: false, ready: false });
    t.failing.delete('s');
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Startup', 'a')).toBe('success');
    await t.clock.advance(3 * S);
    expect(t.callsOf('s')).toHaveLength(7);
    expect(t.callsOf('l').length).toBeGreaterThanOrEqual(3);
    expect(t.callsOf('r').length).toBeGreaterThanOrEqual(3);
  });

  it('a failing startup probe publishes Failure once and holds: no liveness attempt ever ran', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.failing.add('s');
    const failures: string[] = [];
    t.pm.onLivenessOrStartupFailure((_u, name, type) => failures.push(`${name}/${type}`));
    t.pm.addPod(makePod([container('c', { startupProbe: exec('s', { periodSeconds: 1, failureThreshold: 3 }), livenessProbe: exec('l', { periodSeconds: 1 }) })]));
    await t.clock.advance(10 * S);
    expect(t.callsOf('s')).toHaveLength(3);
    expect(t.callsOf('l')).toHaveLength(0);
    expect(failures).toEqual(['c/Startup']);
    expect(t.pm.failedProbe('a')).toBe('Startup');
  });

  it('jitter: within one period of the agent start, the first probe waits random × period', async () => {
    const t = setup({ agentAgeMs: 2 * S, random: 0.25 });
    const t0 = t.clock.now();
    t.statuses.set([running('c', 'a', t0 - 60 * S)]);
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 10 }) })]));
    await t.clock.advance(2499);
    expect(t.callsOf('l')).toHaveLength(0);
    await t.clock.advance(1);
    expect(t.callsOf('l').map((c) => c.at - t0)).toEqual([2500]);
    await t.clock.advance(10 * S);
    expect(t.callsOf('l').map((c) => c.at - t0)).toEqual([2500, 12500]);
  });

  it('no jitter when the agent started more than a period ago: first probe at once, then every period', async () => {
    const t = setup({ agentAgeMs: 11 * S, random: 0.99 });
    const t0 = t.clock.now();
    t.statuses.set([running('c', 'a', t0 - 60 * S)]);
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 10 }) })]));
    await t.clock.advance(30 * S);
    expect(t.callsOf('l').map((c) => c.at - t0)).toEqual([0, 10 * S, 20 * S, 30 * S]);
  });

  it('a probe slower than its period is followed at once by the missed tick, then stays on the grid', async () => {
    const t = setup();
    const t0 = t.clock.now();
    t.statuses.set([running('c', 'a', t0 - 60 * S)]);
    let slow = true;
    const inner = t.runtime.impl;
    t.runtime.impl = async (cmd, id, ms) => {
      if (slow) { slow = false; await new Promise<void>((r) => t.clock.setTimeout(r, 2500)); }
      return inner(cmd, id, ms);
    };
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1, timeoutSeconds: 5 }) })]));
    await t.clock.advance(5 * S);
    expect(t.callsOf('l').map((c) => c.at - t0)).toEqual([0, 2500, 3000, 4000, 5000]);
  });

  it('the manual trigger (updatePodStatus without readiness success) runs readiness now and restarts its period', async () => {
    const t = setup();
    const t0 = t.clock.now();
    t.statuses.set([running('c', 'a', t0 - 60 * S)]);
    t.failing.add('r');
    t.pm.addPod(makePod([container('c', { readinessProbe: exec('r', { periodSeconds: 10 }) })]));
    await t.clock.advance(3 * S);
    expect(t.pm.updatePodStatus(UID, [{ name: 'c', containerID: 'a', running: true }]).get('c')).toEqual({ started: true, ready: false });
    await t.clock.advance(0);
    expect(t.callsOf('r').map((c) => c.at - t0)).toEqual([0, 3000]);
    await t.clock.advance(10 * S);
    expect(t.callsOf('r').map((c) => c.at - t0)).toEqual([0, 3000, 13000]);
  });

  it('deletion: liveness and startup report success and exit; readiness keeps probing', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.failing.add('l');
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1, failureThreshold: 5 }), readinessProbe: exec('r', { periodSeconds: 1 }) })]));
    await t.clock.advance(2 * S);
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)], { deleting: true });
    const livenessBefore = t.callsOf('l').length;
    await t.clock.advance(5 * S);
    expect(t.pm.hasWorker(UID, 'c', 'Liveness')).toBe(false);
    expect(t.callsOf('l')).toHaveLength(livenessBefore);
    expect(t.pm.getResult('Liveness', 'a')).toBeUndefined(); // removed when the worker exited
    expect(t.pm.hasWorker(UID, 'c', 'Readiness')).toBe(true);
    expect(t.callsOf('r').length).toBeGreaterThanOrEqual(8);
  });

  it('exits when the pod is Succeeded/Failed, or its container terminated under restartPolicy Never', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S), running('d', 'b', t.clock.now() - 60 * S)]);
    t.pm.addPod(makePod([container('c', { readinessProbe: exec('r', { periodSeconds: 1 }) }), container('d', { livenessProbe: exec('l', { periodSeconds: 1 }) })]));
    await t.clock.advance(1 * S);
    t.statuses.set([
      { name: 'c', containerID: 'a', state: 'terminated', restartPolicyNever: false },
      { name: 'd', containerID: 'b', state: 'terminated', restartPolicyNever: true },
    ]);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('failure');
    expect(t.pm.hasWorker(UID, 'c', 'Readiness')).toBe(true);
    expect(t.pm.hasWorker(UID, 'd', 'Liveness')).toBe(false);
    t.statuses.set([], { phase: 'Succeeded' });
    await t.clock.advance(1 * S);
    expect(t.pm.workerCount).toBe(0);
  });

  it('a Failure set because the container stopped running does not condemn it', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    const failures: string[] = [];
    t.pm.onLivenessOrStartupFailure((_u, name, type) => failures.push(`${name}/${type}`));
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1 }) })]));
    await t.clock.advance(1 * S);
    t.statuses.set([{ name: 'c', containerID: 'a', state: 'terminated' }]);
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Liveness', 'a')).toBe('failure');
    expect(failures).toEqual([]);
  });

  it('errors are retried 3 times, then discarded with an Unhealthy "errored" event and no counting', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.runtime.impl = () => { throw new CriError('Unknown', 'rpc error: container is restarting'); };
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1, failureThreshold: 1 }) })]));
    await t.clock.advance(1 * S);
    expect(t.runtime.calls).toHaveLength(6);
    expect(t.pm.getResult('Liveness', 'a')).toBe('success');
    expect(t.events.map((e) => e.message)).toEqual([
      'Liveness probe errored and resulted in unknown state: rpc error: container is restarting',
      'Liveness probe errored and resulted in unknown state: rpc error: container is restarting',
    ]);
    expect(await t.pm.metricsText()).not.toMatch(/prober_probe_total\{/);
    expect(t.records.filter((r) => r.kind === 'probe').map((r) => [r.result, r.attempts])).toEqual([['error', 3], ['error', 3]]);
  });

  it('warning counts as success with a ProbeWarning event; unknown counts as failure without an event', async () => {
    let next: CheckOutcome = { result: 'warning', output: 'Probe terminated redirects, Response body: moved' };
    class Scripted extends Prober {
      override async runOnce(): Promise<CheckOutcome> { return next; }
    }
    const holder: { events?: ReturnType<typeof sinks> } = {};
    const s = sinks();
    holder.events = s;
    const t = setup({ prober: new Scripted({ runtime: { execSync: async () => ({ exitCode: 0, stdout: '', stderr: '' }) }, events: s.eventSink }) });
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    t.pm.addPod(makePod([container('c', { readinessProbe: { httpGet: { port: 80 }, periodSeconds: 1, failureThreshold: 1 } })]));
    await t.clock.advance(0);
    expect(t.pm.getResult('Readiness', 'a')).toBe('success');
    expect(s.events).toEqual([{ podUID: UID, type: 'Warning', reason: 'ProbeWarning', message: 'Readiness probe warning: Probe terminated redirects, Response body: moved', fieldPath: 'spec.containers{c}' }]);
    next = { result: 'unknown', output: '' };
    await t.clock.advance(1 * S);
    expect(t.pm.getResult('Readiness', 'a')).toBe('failure');
    expect(s.events).toHaveLength(1);
  });

  it('records every attempt with its time, result, output and duration, and counts prober_probe_total', async () => {
    const t = setup();
    const t0 = t.clock.now();
    t.statuses.set([running('c', 'a', t0 - 60 * S)]);
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1 }) })]));
    await t.clock.advance(0);
    t.failing.add('l');
    await t.clock.advance(1 * S);
    const probes = t.records.filter((r) => r.kind === 'probe');
    expect(probes).toEqual([
      { time: t0, podUID: UID, container: 'c', kind: 'probe', probeType: 'Liveness', result: 'success', output: 'fine', durationMs: 0, containerId: 'a', attempts: 1, published: 'success' },
      { time: t0 + S, podUID: UID, container: 'c', kind: 'probe', probeType: 'Liveness', result: 'failure', output: 'l says no', durationMs: 0, containerId: 'a', attempts: 1 },
    ]);
    const labels = { probeType: 'Liveness', container: 'c', pod: 'web', namespace: 'default', podUID: UID };
    expect(await t.pm.metrics.get(labels, 'successful')).toBe(1);
    expect(await t.pm.metrics.get(labels, 'failed')).toBe(1);
    expect(await t.pm.metricsText()).toContain('prober_probe_total{container="c",namespace="default",pod="web",pod_uid="uid-1",probe_type="Liveness",result="failed"} 1');
    t.pm.removePod(UID);
    expect(await t.pm.metrics.get(labels, 'successful')).toBe(0);
  });

  it('a worker stopped while its probe runs drops the result and exits', async () => {
    const t = setup();
    t.statuses.set([running('c', 'a', t.clock.now() - 60 * S)]);
    let release!: () => void;
    t.runtime.impl = () => new Promise((r) => { release = () => r({ exitCode: 1, stdout: 'x', stderr: '' }); });
    t.pm.addPod(makePod([container('c', { livenessProbe: exec('l', { periodSeconds: 1, failureThreshold: 1 }) })]));
    await t.clock.advance(0);
    t.pm.removePod(UID);
    expect(t.pm.hasWorker(UID, 'c', 'Liveness')).toBe(true);
    release();
    await t.clock.advance(0);
    expect(t.pm.hasWorker(UID, 'c', 'Liveness')).toBe(false);
    expect(t.pm.getResult('Liveness', 'a')).toBeUndefined();
    expect(t.records.filter((r) => r.kind === 'probe')).toHaveLength(0);
  });
});
