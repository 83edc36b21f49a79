// Unit tests of agent/kuberuntime/kill.ts on the fake runtime and the fake clock: the Killing event, where the
// grace comes from, the preStop budget and the 2 s floor, a grace that shrinks during the preStop or the stop
// wait, and killPod's order (regular containers in parallel, sidecars in reverse spec order, sandboxes last).
// Every assertion is on the recorded runtime calls and the fake time they were made at.
import { afterEach, describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../agent/api/v1.js';
import { GracePeriod } from '../../../agent/kuberuntime/grace.js';
import { killContainer, killPod, type KillOptions, type KillTarget } from '../../../agent/kuberuntime/kill.js';
import { callLine, makeHarness, pod, type Harness, type HookScript } from './harness.js';
import { callsSince, containerOf, eventsWith, idOf, runPod, tracked } from './executor-helpers.js';

let h: Harness;
afterEach(() => h?.dispose());

const hang: HookScript = () => new Promise<void>(() => undefined);
const takes = (ms: number): HookScript => (_hc, clock) => clock.sleep(ms);
const withPreStop = (c: Container): Container => ({ ...c, lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } } });
const box = (name: string, o: Partial<Container> = {}): Container => ({ name, image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', ...o });

const stopsSince = (t0: number) => callsSince(h, t0);

/** A one-container pod `web` (grace 10, a preStop) running on a new harness, and a kill of `main` started. */
async function killMain(o: { grace?: number; preStop?: HookScript; noPreStop?: boolean; ignoreSigterm?: boolean; opts?: KillOptions } = {}) {
  h = makeHarness();
  if (o.preStop) h.hooks.scripts.set('preStop/main', o.preStop);
  const main = o.noPreStop ? box('main') : withPreStop(box('main'));
  const { pod: p, status } = await runPod(h, pod('web', { terminationGracePeriodSeconds: o.grace ?? 10, containers: [main] }));
  if (o.ignoreSigterm) h.rt.scriptSignal(idOf(h, 'main'), 'SIGTERM', 'ignore');
  const t0 = h.clock.now();
  const kill = tracked(h, killContainer(h.ctx, p, containerOf(status, 'main'), o.opts));
  return { p, t0, kill };
}

describe('killContainer: event and grace', () => {
  it('sends a Killing event on the container, with the default or the given message', async () => {
    h = makeHarness();
    const { pod: p, status } = await runPod(h, pod('web', { containers: [box('a'), box('b')] }));
    await killContainer(h.ctx, p, containerOf(status, 'a'));
    await killContainer(h.ctx, p, containerOf(status, 'b'), { message: 'Container b failed liveness probe, will be restarted' });
    expect(eventsWith(h, 'Killing').map((e) => [e.type, e.involvedObject.fieldPath, e.message])).toEqual([
      ['Normal', 'spec.containers{a}', 'Stopping container a'],
      ['Normal', 'spec.containers{b}', 'Container b failed liveness probe, will be restarted'],
    ]);
    expect(callLine(h)).toEqual(['stopContainer(a,30)', 'stopContainer(b,30)']);
  });

  // The container was created by a pod whose grace was 20: that is the grace recorded on its label.
  const cases: [string, (p: Pod) => Pod, KillOptions, Partial<KillTarget>, number][] = [
    ['the override (force/second delete) first', (p) => ({ ...p, metadata: { ...p.metadata, deletionGracePeriodSeconds: 7 } }), { grace: new GracePeriod(3), probeGrace: 5 }, {}, 3],
    ['then the deletion grace', (p) => ({ ...p, metadata: { ...p.metadata, deletionGracePeriodSeconds: 7 } }), { probeGrace: 5 }, {}, 7],
    ['then the probe-level grace', (p) => p, { probeGrace: 5 }, {}, 5],
    ['then the pod grace', (p) => p, {}, {}, 10],
    ['then the grace on the label', (p) => ({ ...p, spec: { ...p.spec!, terminationGracePeriodSeconds: undefined } }), {}, {}, 20],
    ['else 2 s', (p) => ({ ...p, spec: { ...p.spec!, terminationGracePeriodSeconds: undefined } }), {}, { terminationGracePeriod: undefined }, 2],
    ['and never below 2 s (deletion grace 0)', (p) => ({ ...p, metadata: { ...p.metadata, deletionGracePeriodSeconds: 0 } }), {}, {}, 2],
  ];
  it.each(cases)('takes the grace from %s', async (_what, mutate, opts, target, expected) => {
    h = makeHarness();
    const { pod: created, status } = await runPod(h, pod('web', { terminationGracePeriodSeconds: 20 }));
    const p = mutate({ ...created, spec: { ...created.spec!, terminationGracePeriodSeconds: 10 } });
    await killContainer(h.ctx, p, { ...containerOf(status, 'main'), ...target }, opts);
    expect(callLine(h)).toEqual([`stopContainer(main,${expected})`]);
  });
});

describe('killContainer: preStop budget', () => {
  it('a preStop taking 4 s of a 10 s grace leaves 6 s to the stop', async () => {
    const { t0, kill } = await killMain({ preStop: takes(4000) });
    expect(h.hooks.calls.map((c) => [c.kind, c.container, c.at - t0])).toEqual([['preStop', 'main', 0]]);
    await h.clock.advance(3999);
    expect(h.calls).toEqual([]);
    await h.clock.advance(1);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,6)@4000']);
    expect(kill).toMatchObject({ done: true, at: t0 + 4000 });
  });

  it('a preStop taking 9.5 s of 10 still gives the container the 2 s floor', async () => {
    const { t0, kill } = await killMain({ preStop: takes(9500) });
    await h.clock.advance(9500);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,2)@9500']);
    expect(kill).toMatchObject({ done: true, at: t0 + 9500 });
  });

  it('an overrunning preStop is cut at the end of the grace (its signal aborts), then the stop gets 2 s', async () => {
    const { t0, kill } = await killMain({ preStop: hang });
    await h.clock.advance(9999);
    expect([h.calls.length, h.hooks.calls[0]!.aborted()]).toEqual([0, false]);
    await h.clock.advance(1);
    expect(h.hooks.calls[0]!.aborted()).toBe(true);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,2)@10000']);
    expect(kill).toMatchObject({ done: true, at: t0 + 10000 });
  });

  it('runs no preStop when the grace is 0 (force delete): the stop gets 2 s at once', async () => {
    const { t0, kill } = await killMain({ preStop: hang, opts: { grace: new GracePeriod(0) } });
    await h.clock.advance(0);
    expect(h.hooks.calls).toEqual([]);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,2)@0']);
    expect(kill.done).toBe(true);
  });

  it('a failing preStop gives a FailedPreStopHook event, and the stop gets what is left', async () => {
    const { t0, kill } = await killMain({ preStop: async (_hc, clock) => { await clock.sleep(1000); throw new Error('command terminated with exit code 1'); } });
    await h.clock.advance(1000);
    expect(eventsWith(h, 'FailedPreStopHook').map((e) => [e.type, e.involvedObject.fieldPath, e.message])).toEqual([
      ['Warning', 'spec.containers{main}', 'PreStopHook failed'],
    ]);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,9)@1000']);
    expect(kill.done).toBe(true);
  });
});

describe('killContainer: a grace that shrinks meanwhile', () => {
  it('a shorter grace during the preStop moves the cut earlier; the stop then gets 2 s', async () => {
    const grace = new GracePeriod();
    const { t0, kill } = await killMain({ grace: 30, preStop: hang, opts: { grace } });
    await h.clock.advance(5000);
    grace.shrink(10);
    await h.clock.advance(9999);
    expect([h.calls.length, h.hooks.calls[0]!.aborted()]).toEqual([0, false]);
    await h.clock.advance(1);
    expect(h.hooks.calls[0]!.aborted()).toBe(true);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,2)@15000']);
    expect(kill).toMatchObject({ done: true, at: t0 + 15000 });
  });

  it('a longer grace during the preStop changes nothing', async () => {
    const grace = new GracePeriod();
    const { t0, kill } = await killMain({ grace: 10, preStop: hang, opts: { grace } });
    await h.clock.advance(2000);
    grace.shrink(20); // from "the pod's own": accepted by GracePeriod, but it would end later than the kill's
    await h.clock.advance(8000);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,2)@10000']);
    expect(kill.done).toBe(true);
  });

  it('a shorter grace during the stop wait re-sends the stop with the shorter timeout', async () => {
    const grace = new GracePeriod();
    const { t0, kill } = await killMain({ grace: 30, opts: { grace }, noPreStop: true, ignoreSigterm: true });
    await h.clock.advance(5000);
    expect(kill.done).toBe(false);
    grace.shrink(4);
    await h.clock.advance(0);
    expect(h.rt.stopRequests.map((r) => [r.timeoutSec, r.signal])).toEqual([[30, 'SIGTERM'], [4, 'SIGTERM']]);
    await h.clock.advance(3999);
    expect(kill.done).toBe(false);
    await h.clock.advance(1);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,30)@0', 'stopContainer(main,4)@5000']);
    expect(kill).toMatchObject({ done: true, at: t0 + 9000 });
    expect(h.rt.snapshot().containers.map((c) => [c.exitCode, c.finishedAt - t0])).toEqual([[137, 9000]]);
  });

  it('a longer grace during the stop wait sends nothing more', async () => {
    const grace = new GracePeriod();
    const { t0, kill } = await killMain({ grace: 30, opts: { grace }, noPreStop: true, ignoreSigterm: true });
    await h.clock.advance(5000);
    grace.shrink(40);
    expect(grace.shrink(50)).toBe(false);
    await h.clock.advance(25_000);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,30)@0']);
    expect(kill).toMatchObject({ done: true, at: t0 + 30_000 });
  });
});

describe('killPod', () => {
  /** Sidecars s1, s2 and regular containers a, b, grace 10, every container with a preStop. */
  async function sidecarPod(preStops: Record<string, number>) {
    h = makeHarness();
    for (const [name, ms] of Object.entries(preStops)) h.hooks.scripts.set(`preStop/${name}`, takes(ms));
    const spec = {
      terminationGracePeriodSeconds: 10,
      initContainers: [withPreStop(box('s1', { restartPolicy: 'Always' })), withPreStop(box('s2', { restartPolicy: 'Always' }))],
      containers: [withPreStop(box('a')), withPreStop(box('b'))],
    };
    return runPod(h, pod('web', spec));
  }

  it('stops regular containers in parallel, then sidecars last-defined first, each after the later one exited; preStops all at once; sandbox last', async () => {
    const { pod: p, status } = await sidecarPod({ a: 1000, b: 3000, s1: 500, s2: 2000 });
    // s2 ignores SIGTERM and exits by itself 6 s from now: s1 must wait for that.
    h.rt.scriptSignal(idOf(h, 's2'), 'SIGTERM', 'ignore');
    h.rt.scriptExit(idOf(h, 's2'), { afterMs: 6000, exitCode: 0 });
    const t0 = h.clock.now();
    const kill = tracked(h, killPod(h.ctx, p, status));
    await h.clock.advance(0);
    expect(h.hooks.calls.map((c) => `${c.container}@${c.at - t0}`)).toEqual(['a@0', 'b@0', 's2@0', 's1@0']);
    await h.clock.advance(10_000);
    expect(stopsSince(t0)).toEqual([
      'stopContainer(a,9)@1000', 'stopContainer(b,7)@3000', 'stopContainer(s2,7)@3000', 'stopContainer(s1,4)@6000', 'stopPodSandbox()@6000',
    ]);
    expect(kill).toMatchObject({ done: true, at: t0 + 6000 });
    expect(eventsWith(h, 'Killing').map((e) => e.involvedObject.fieldPath)).toEqual([
      'spec.containers{a}', 'spec.containers{b}', 'spec.initContainers{s2}', 'spec.initContainers{s1}',
    ]);
  });

  it('a sidecar waits for its turn at most until its grace ends (the kubelet\'s waitForTurn)', async () => {
    const { pod: p, status } = await sidecarPod({});
    for (const n of ['a', 'b', 's1', 's2']) h.rt.scriptSignal(idOf(h, n), 'SIGTERM', 'ignore');
    const t0 = h.clock.now();
    const kill = tracked(h, killPod(h.ctx, { ...p, spec: { ...p.spec!, terminationGracePeriodSeconds: 4 } }, status));
    await h.clock.advance(10_000);
    // a and b take the whole grace; s2's and s1's turns are cut at the grace end, so both get the 2 s floor then.
    expect(stopsSince(t0)).toEqual([
      'stopContainer(a,4)@0', 'stopContainer(b,4)@0', 'stopContainer(s2,2)@4000', 'stopContainer(s1,2)@4000', 'stopPodSandbox()@6000',
    ]);
    expect(kill).toMatchObject({ done: true, at: t0 + 6000 });
  });

  it('a force delete releases the sidecars waiting for their turn', async () => {
    const { pod: p, status } = await sidecarPod({});
    for (const n of ['a', 's1', 's2']) h.rt.scriptSignal(idOf(h, n), 'SIGTERM', 'ignore');
    const grace = new GracePeriod();
    const t0 = h.clock.now();
    const kill = tracked(h, killPod(h.ctx, p, status, grace));
    await h.clock.advance(3000);
    grace.shrink(0);
    await h.clock.advance(10_000);
    expect(stopsSince(t0)).toEqual([
      'stopContainer(a,10)@0', 'stopContainer(b,10)@0', 'stopContainer(a,2)@3000', 'stopContainer(s2,2)@3000', 'stopContainer(s1,2)@3000', 'stopPodSandbox()@5000',
    ]);
    expect(kill).toMatchObject({ done: true, at: t0 + 5000 });
  });

  it('stops only the sandboxes that are ready, after every container', async () => {
    h = makeHarness();
    const { pod: p, status } = await runPod(h, pod('web', {}));
    const old = { ...status.sandboxes[0]!, id: 'gone', state: 'SANDBOX_NOTREADY' as const };
    await killPod(h.ctx, p, { ...status, sandboxes: [...status.sandboxes, old] });
    expect(callLine(h)).toEqual(['stopContainer(main,30)', 'stopPodSandbox()']);
    expect(h.calls[1]!.args[0]).toBe(status.sandboxes[0]!.id);
  });

  it('kills an orphan (no spec) with the grace and the preStop recorded on its container', async () => {
    h = makeHarness();
    const { status } = await runPod(h, pod('web', { terminationGracePeriodSeconds: 10, containers: [withPreStop(box('main'))] }));
    h.hooks.scripts.set('preStop/main', takes(4000));
    const t0 = h.clock.now();
    const kill = tracked(h, killPod(h.ctx, undefined, status));
    await h.clock.advance(4000);
    expect(h.hooks.calls.map((c) => [c.kind, c.container, c.at - t0])).toEqual([['preStop', 'main', 0]]);
    expect(stopsSince(t0)).toEqual(['stopContainer(main,6)@4000', 'stopPodSandbox()@4000']);
    expect(kill.done).toBe(true);
    expect(eventsWith(h, 'Killing').map((e) => [e.involvedObject.name, e.involvedObject.uid, e.message])).toEqual([['web', 'uid-web', 'Stopping container main']]);
  });
});
