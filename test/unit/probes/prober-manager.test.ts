// ProberManager: workers per pod, removal, cleanup, started/ready derivation, notifications; ResultsManager.
import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { ProberManager } from '../../../probes/prober-manager.js';
import { ResultsManager, type ResultUpdate } from '../../../probes/results.js';
import { FakeClock, FakeStatuses, UID, exec, fakeRuntime, makePod, running, sinks } from './helpers.js';

const S = 1000;

function setup() {
  const clock = new FakeClock();
  const runtime = fakeRuntime(clock);
  const statuses = new FakeStatuses();
  const s = sinks();
  const pm = new ProberManager({ runtime, statusProvider: statuses, events: s.eventSink, lifecycle: s.lifecycle, clock, random: () => 0, agentStartTime: 0 });
  return { clock, runtime, statuses, pm, ...s };
}

const c = (name: string, probes: Partial<Container> = {}): Container => ({ name, image: 'busybox', ...probes });

describe('ProberManager', () => {
  it('adds one worker per probe of each regular container and sidecar, idempotently', () => {
    const t = setup();
    const pod = makePod(
      [c('a', { livenessProbe: exec('l'), readinessProbe: exec('r') }), c('b')],
      [c('init', { readinessProbe: exec('r') }), c('side', { restartPolicy: 'Always', startupProbe: exec('s'), readinessProbe: exec('r') })],
    );
    t.pm.addPod(pod);
    t.pm.addPod(pod);
    expect(t.pm.workerCount).toBe(4);
    expect(t.pm.hasWorker(UID, 'a', 'Liveness')).toBe(true);
    expect(t.pm.hasWorker(UID, 'side', 'Startup')).toBe(true);
    expect(t.pm.hasWorker(UID, 'init', 'Readiness')).toBe(false);
  });

  it('removePod and cleanupPods stop the workers of the pods concerned', async () => {
    const t = setup();
    t.pm.addPod(makePod([c('a', { livenessProbe: exec('l') })]));
    t.pm.addPod({ ...makePod([c('a', { livenessProbe: exec('l') })]), metadata: { name: 'other', namespace: 'default', uid: 'uid-2' } });
    expect(t.pm.workerCount).toBe(2);
    t.pm.cleanupPods(['uid-2']);
    expect(t.pm.hasWorker(UID, 'a', 'Liveness')).toBe(false);
    expect(t.pm.hasWorker('uid-2', 'a', 'Liveness')).toBe(true);
    t.pm.removePod('uid-2');
    expect(t.pm.workerCount).toBe(0);
    await t.clock.advance(60 * S);
    expect(t.runtime.calls).toHaveLength(0);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('updatePodStatus derives started and ready as the kubelet does', async () => {
    const t = setup();
    t.statuses.set([running('plain', 'p', 0), running('gated', 'g', 0), running('ready', 'r', 0)]);
    t.pm.addPod(makePod([c('plain'), c('gated', { startupProbe: exec('s', { initialDelaySeconds: 3600 }) }), c('ready', { readinessProbe: exec('r', { periodSeconds: 100 }) })]));
    const before = t.pm.updatePodStatus(UID, [
      { name: 'plain', containerID: 'p', running: true },
      { name: 'gated', containerID: 'g', running: true },
      { name: 'ready', containerID: 'r', running: true },
    ]);
    expect(Object.fromEntries(before)).toEqual({
      plain: { started: true, ready: true },
      gated: { started: false, ready: false },
      ready: { started: true, ready: false },
    });
    await t.clock.advance(0);
    expect(t.pm.updatePodStatus(UID, [{ name: 'ready', containerID: 'r', running: true }]).get('ready')).toEqual({ started: true, ready: true });
    expect(t.pm.updatePodStatus(UID, [{ name: 'ready', containerID: 'r', running: false }]).get('ready')).toEqual({ started: false, ready: false });
  });

  it('notifies readiness changes and every published result, only on change', async () => {
    const t = setup();
    const changes: string[] = [];
    const all: string[] = [];
    t.pm.onReadinessChange((uid, name, id, ready) => changes.push(`${uid}/${name}/${id}=${ready}`));
    t.pm.onResultChange((u) => all.push(`${u.probeType}:${u.result}:${u.cause}`));
    t.statuses.set([running('a', 'x', 0)]);
    t.pm.addPod(makePod([c('a', { readinessProbe: exec('r', { periodSeconds: 1 }) })]));
    await t.clock.advance(5 * S);
    expect(changes).toEqual([`${UID}/a/x=false`, `${UID}/a/x=true`]);
    expect(all).toEqual(['Readiness:failure:initial', 'Readiness:success:probe']);
  });
});

describe('ResultsManager', () => {
  it('notifies subscribers only when the cached value changes', () => {
    const r = new ResultsManager('Liveness');
    const seen: ResultUpdate[] = [];
    const off = r.subscribe((u) => seen.push(u));
    r.set('id', 'success', UID, 'c');
    r.set('id', 'success', UID, 'c');
    r.set('id', 'failure', UID, 'c');
    r.remove('id');
    r.set('id', 'failure', UID, 'c');
    off();
    r.set('id', 'success', UID, 'c');
    expect(seen.map((u) => u.result)).toEqual(['success', 'failure', 'failure']);
    expect(seen[0]).toEqual({ containerID: 'id', result: 'success', podUID: UID, containerName: 'c', probeType: 'Liveness', cause: 'probe' });
    expect(r.get('id')).toBe('success');
  });
});
