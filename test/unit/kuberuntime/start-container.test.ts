// Unit tests of agent/kuberuntime/start-container.ts and sync-pod.ts on the fake runtime and the fake clock:
// the order of pulls, creates and starts, init containers one per step, a blocking postStart and a failing
// one, the CrashLoopBackOff wiring, image pull policies and pull back-off, a missing ConfigMap key, and a pod
// deleted (signal aborted) while its container is on the way.
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { generatePodSandboxConfig } from '../../../agent/kuberuntime/sandbox-config.js';
import { startContainer } from '../../../agent/kuberuntime/start-container.js';
import { callLine, makeHarness, pod, type Harness } from './harness.js';
import { callsSince, eventsWith, runPod, sync, tracked } from './executor-helpers.js';

let h: Harness;
afterEach(() => h?.dispose());

const box = (name: string, o: Partial<Container> = {}): Container => ({ name, image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', ...o });
const withPostStart = (c: Container): Container => ({ ...c, lifecycle: { postStart: { exec: { command: ['true'] } } } });
const byName = (name: string) => (cfg: { metadata: { name: string } }) => cfg.metadata.name === name;

const linesSince = (t0: number) => callsSince(h, t0);

describe('syncPod: order of the runtime calls', () => {
  it('creates the sandbox, then per container in spec order: pull, create, start; every start in spec order', async () => {
    h = makeHarness();
    h.rt.allowPull('busybox:latest');
    const p = applyPodDefaults(pod('web', { containers: [box('a', { imagePullPolicy: 'Always' }), box('b', { imagePullPolicy: 'Always' }), box('c', { imagePullPolicy: 'Always' })] }));
    const r = await sync(h, p);
    expect(r.errors).toEqual([]);
    const lines = callLine(h);
    expect(lines[0]).toBe('runPodSandbox()');
    expect(lines.filter((l) => l.startsWith('startContainer'))).toEqual(['startContainer(a)', 'startContainer(b)', 'startContainer(c)']);
    for (const n of ['a', 'b', 'c']) {
      const own = lines.filter((l) => l === `createContainer(${n})` || l === `startContainer(${n})`);
      expect(own).toEqual([`createContainer(${n})`, `startContainer(${n})`]);
    }
    // One pull per container, each before that container's create.
    const pulls = lines.map((l, i) => [l, i] as const).filter(([l]) => l === 'pullImage(busybox:latest)').map(([, i]) => i);
    const creates = ['a', 'b', 'c'].map((n) => lines.indexOf(`createContainer(${n})`));
    expect(pulls.length).toBe(3);
    expect(pulls.every((at, i) => at < creates[i]!)).toBe(true);
  });

  it('runs init containers one per step, each only after the one before exited, then the regular containers', async () => {
    h = makeHarness();
    h.rt.scriptExit((cfg) => cfg.metadata.name.startsWith('init-'), { afterMs: 1000, exitCode: 0 });
    const p = applyPodDefaults(pod('web', { initContainers: [box('init-1'), box('init-2')], containers: [box('main')] }));
    const t0 = h.clock.now();
    await sync(h, p);
    expect(linesSince(t0)).toEqual(['runPodSandbox()@0', 'createContainer(init-1)@0', 'startContainer(init-1)@0']);
    const again = await sync(h, p); // init-1 still running: nothing to do
    expect([again.changed, h.calls.length]).toEqual([false, 3]);
    await h.clock.advance(1000);
    await sync(h, p);
    await h.clock.advance(1000);
    await sync(h, p);
    expect(linesSince(t0).slice(3)).toEqual(['createContainer(init-2)@1000', 'startContainer(init-2)@1000', 'createContainer(main)@2000', 'startContainer(main)@2000']);
  });

  it('a postStart blocks the next start until it returns (the next container is created meanwhile)', async () => {
    h = makeHarness();
    h.hooks.scripts.set('postStart/a', (_hc, clock) => clock.sleep(3000));
    const p = applyPodDefaults(pod('web', { containers: [withPostStart(box('a')), box('b')] }));
    const t0 = h.clock.now();
    const step = tracked(h, sync(h, p));
    await h.clock.advance(2999);
    expect([step.done, linesSince(t0)]).toEqual([false, ['runPodSandbox()@0', 'createContainer(a)@0', 'startContainer(a)@0', 'createContainer(b)@0']]);
    await h.clock.advance(1);
    expect(h.hooks.calls.map((c) => [c.kind, c.container, c.at - t0])).toEqual([['postStart', 'a', 0]]);
    expect(linesSince(t0).slice(4)).toEqual(['startContainer(b)@3000']);
    expect(step).toMatchObject({ done: true, at: t0 + 3000 });
  });

  it('a failing postStart kills the container (FailedPostStartHook) and records PostStartHookError; the next container still starts', async () => {
    h = makeHarness();
    h.hooks.scripts.set('postStart/a', async (_hc, clock) => { await clock.sleep(500); throw new Error('command \'false\' exited with 1: '); });
    const p = applyPodDefaults(pod('web', { containers: [withPostStart(box('a')), box('b')] }));
    const t0 = h.clock.now();
    const step = tracked(h, sync(h, p));
    await h.clock.advance(500);
    expect(step.done).toBe(true);
    expect(linesSince(t0)).toEqual([
      'runPodSandbox()@0', 'createContainer(a)@0', 'startContainer(a)@0', 'createContainer(b)@0', 'stopContainer(a,30)@500', 'startContainer(b)@500',
    ]);
    expect(eventsWith(h, 'FailedPostStartHook').map((e) => [e.type, e.involvedObject.fieldPath, e.message])).toEqual([['Warning', 'spec.containers{a}', 'PostStartHook failed']]);
    expect(eventsWith(h, 'Killing').map((e) => [e.involvedObject.fieldPath, e.message])).toEqual([['spec.containers{a}', 'FailedPostStartHook']]);
    expect(h.ctx.reasons.get('uid-web', 'a')).toEqual({ reason: 'PostStartHookError', message: 'command \'false\' exited with 1: ' });
    expect(h.ctx.reasons.get('uid-web', 'b')).toBeUndefined();
  });
});

describe('CrashLoopBackOff', () => {
  /** finishedAt of the newest instance of main. */
  const lastExit = () => Math.max(...h.rt.snapshot().containers.map((c) => c.finishedAt));
  const starts = () => h.calls.filter((c) => c.method === 'startContainer').length;
  const crashLoop = () => h.ctx.reasons.get('uid-web', 'main');

  it('restarts the first crash at once, then waits 10 s, 20 s …; retryAt is the exit plus the delay; BackOff event and reason', async () => {
    h = makeHarness();
    h.rt.scriptExit(byName('main'), { afterMs: 1000, exitCode: 1 });
    const p = applyPodDefaults(pod('web', {}));
    await sync(h, p);
    await h.clock.advance(1000);
    expect((await sync(h, p)).retryAt).toBeUndefined(); // first crash: restarted at once
    expect(starts()).toBe(2);
    await h.clock.advance(1000);
    const f1 = lastExit();
    const r1 = await sync(h, p);
    expect([r1.retryAt, starts()]).toEqual([f1 + 10_000, 2]);
    expect(crashLoop()).toEqual({ reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=main pod=web_default(uid-web)' });
    expect(eventsWith(h, 'BackOff').map((e) => [e.type, e.involvedObject.fieldPath, e.message])).toEqual([
      ['Warning', 'spec.containers{main}', 'Back-off restarting failed container main in pod web_default(uid-web)'],
    ]);
    await h.clock.advance(9999);
    expect([(await sync(h, p)).retryAt, starts()]).toEqual([f1 + 10_000, 2]);
    await h.clock.advance(1);
    await sync(h, p);
    expect(starts()).toBe(3);
    expect(h.calls.at(-1)!.at).toBe(f1 + 10_000);
    await h.clock.advance(1000);
    const f2 = lastExit();
    expect([(await sync(h, p)).retryAt, crashLoop()?.message]).toEqual([f2 + 20_000, 'back-off 20s restarting failed container=main pod=web_default(uid-web)']);
    expect(eventsWith(h, 'BackOff')[0]!.count).toBe(3);
  });

  it('forgets the back-off once the container ran well for more than 600 s', async () => {
    h = makeHarness();
    // Scripts: the latest with starts left wins. Starts 1–3 crash after 1 s, the 4th runs 700 s, then 1 s again.
    h.rt.scriptExit(byName('main'), { afterMs: 1000, exitCode: 1 });
    h.rt.scriptExit(byName('main'), { afterMs: 700_000, exitCode: 1, times: 1 });
    h.rt.scriptExit(byName('main'), { afterMs: 1000, exitCode: 1, times: 3 });
    const p = applyPodDefaults(pod('web', {}));
    await sync(h, p); // start 1
    await h.clock.advance(1000);
    await sync(h, p); // start 2 (first crash: at once)
    await h.clock.advance(1000);
    await h.clock.advance((await sync(h, p)).retryAt! - h.clock.now()); // 10 s
    await sync(h, p); // start 3
    await h.clock.advance(1000);
    await h.clock.advance((await sync(h, p)).retryAt! - h.clock.now()); // 20 s
    await sync(h, p); // start 4: runs 700 s
    expect(starts()).toBe(4);
    await h.clock.advance(700_000);
    expect((await sync(h, p)).retryAt).toBeUndefined(); // restarted at once
    expect(starts()).toBe(5);
    await h.clock.advance(1000);
    expect([(await sync(h, p)).retryAt, crashLoop()?.message]).toEqual([lastExit() + 10_000, 'back-off 10s restarting failed container=main pod=web_default(uid-web)']);
  });
});

describe('images (ctx.images)', () => {
  const reason = (name = 'main') => h.ctx.reasons.get('uid-web', name);
  const imageEvents = () => h.events.forObject('uid-web').filter((e) => ['Pulling', 'Pulled', 'Failed', 'BackOff', 'ErrImageNeverPull'].includes(e.reason!)).map((e) => `${e.reason}: ${e.message}`);

  it('IfNotPresent with the image present: no pull', async () => {
    h = makeHarness();
    await sync(h, applyPodDefaults(pod('web', {})));
    expect(callLine(h)).toEqual(['runPodSandbox()', 'createContainer(main)', 'startContainer(main)']);
    expect(imageEvents()).toEqual(['Pulled: Container image "busybox:latest" already present on machine']);
  });

  it('Always (and the default for :latest) pulls before the create', async () => {
    h = makeHarness();
    h.rt.allowPull('busybox:latest');
    await sync(h, applyPodDefaults(pod('web', { containers: [{ name: 'main', image: 'busybox' }] })));
    expect(callLine(h)).toEqual(['runPodSandbox()', 'pullImage(busybox:latest)', 'createContainer(main)', 'startContainer(main)']);
    expect(imageEvents()[0]).toBe('Pulling: Pulling image "busybox"');
    expect(imageEvents()[1]).toMatch(/^Pulled: Successfully pulled image "busybox" in /);
  });

  it('Never with the image absent: ErrImageNeverPull, nothing created', async () => {
    h = makeHarness();
    await sync(h, applyPodDefaults(pod('web', { containers: [box('main', { image: 'absent:1', imagePullPolicy: 'Never' })] })));
    expect(callLine(h)).toEqual(['runPodSandbox()']);
    expect(reason()).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "absent:1" is not present with pull policy of Never' });
  });

  it('a failing pull gives ErrImagePull, then ImagePullBackOff without pulling until the back-off ends (10 s, then 20 s)', async () => {
    h = makeHarness();
    const p = applyPodDefaults(pod('web', { containers: [box('main', { image: 'nosuch:1' })] }));
    const t0 = h.clock.now();
    const r1 = await sync(h, p);
    expect([r1.retryAt, reason()?.reason]).toEqual([t0 + 10_000, 'ErrImagePull']);
    expect(imageEvents()).toEqual([
      'Pulling: Pulling image "nosuch:1"',
      `Failed: Failed to pull image "nosuch:1": ${reason()!.message}`,
      'Failed: Error: ErrImagePull',
    ]);
    await h.clock.advance(5000);
    await sync(h, p);
    expect(reason()).toEqual({ reason: 'ImagePullBackOff', message: expect.stringMatching(/^Back-off pulling image "nosuch:1"/) });
    expect(imageEvents().at(-1)).toBe('BackOff: Back-off pulling image "nosuch:1"');
    await h.clock.advance(5000);
    const r3 = await sync(h, p);
    expect([r3.retryAt, reason()?.reason]).toEqual([t0 + 30_000, 'ErrImagePull']);
    h.rt.allowPull('nosuch:1');
    await h.clock.advance(19_999);
    await sync(h, p);
    await h.clock.advance(1);
    await sync(h, p);
    expect(linesSince(t0)).toEqual([
      'runPodSandbox()@0', 'pullImage(nosuch:1)@0', 'pullImage(nosuch:1)@10000', 'pullImage(nosuch:1)@30000', 'createContainer(main)@30000', 'startContainer(main)@30000',
    ]);
    expect(reason()).toBeUndefined();
  });
});

describe('container config', () => {
  it('a missing ConfigMap key gives CreateContainerConfigError and no create; it starts once the key exists', async () => {
    const data: Record<string, string> = { other: 'x' };
    h = makeHarness({ configStore: { getConfigMap: (ns, name) => (ns === 'default' && name === 'cfg' ? { metadata: { name, namespace: ns }, data } : undefined), getSecret: () => undefined } });
    const env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }];
    const p = applyPodDefaults(pod('web', { containers: [box('main', { env })] }));
    const t0 = h.clock.now();
    const r = await sync(h, p);
    expect([r.retryAt, callLine(h)]).toEqual([t0 + 2000, ['runPodSandbox()']]);
    expect(h.ctx.reasons.get('uid-web', 'main')).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key mode in ConfigMap default/cfg" });
    expect(eventsWith(h, 'Failed').map((e) => [e.type, e.involvedObject.fieldPath, e.message])).toEqual([['Warning', 'spec.containers{main}', "Error: couldn't find key mode in ConfigMap default/cfg"]]);
    data.mode = 'fast';
    await h.clock.advance(2000);
    await sync(h, p);
    expect(callLine(h)).toEqual(['runPodSandbox()', 'createContainer(main)', 'startContainer(main)']);
    expect((h.calls[1]!.args[1] as { envs: { key: string; value: string }[] }).envs).toContainEqual({ key: 'MODE', value: 'fast' });
  });
});

describe('cancellation (the pod is being deleted)', () => {
  it('an aborted signal creates and starts nothing', async () => {
    h = makeHarness();
    const { pod: p, status } = await runPod(h, pod('web', {}));
    const aborted = AbortSignal.abort();
    const r = await startContainer(h.ctx, p, box('extra'), 'container', status, status.sandboxes[0]!.id, generatePodSandboxConfig(p, 0, h.ctx.hostResolv), status.sandboxes[0]!.ip, aborted);
    expect([r.ok, h.calls]).toEqual([false, []]);
    const s = await sync(h, applyPodDefaults(pod('other', {})), aborted);
    expect([s.errors, h.calls]).toEqual([[], []]);
  });

  it('an abort during the pull ends the pull: no create, no start, no failure and no pull back-off', async () => {
    h = makeHarness();
    h.rt.allowPull('busybox:latest');
    h.rt.pullDelayMs = 5000;
    const ac = new AbortController();
    const p = applyPodDefaults(pod('web', { containers: [box('main', { imagePullPolicy: 'Always' })] }));
    const t0 = h.clock.now();
    const step = tracked(h, sync(h, p, ac.signal));
    await h.clock.advance(1000);
    ac.abort();
    await h.clock.advance(0);
    expect(step).toMatchObject({ done: true, at: t0 + 1000 });
    expect(linesSince(t0)).toEqual(['runPodSandbox()@0', 'pullImage(busybox:latest)@0']);
    expect(eventsWith(h, 'Failed')).toEqual([]);
    expect(h.ctx.images.backoffEnd(p, 'busybox:latest')).toBe(0);
  });

  it('an abort while the container is created leaves it created, never started', async () => {
    h = makeHarness();
    const ac = new AbortController();
    h.events.subscribe((e) => { if (e.reason === 'Created') ac.abort(); });
    const p = applyPodDefaults(pod('web', { containers: [box('a'), box('b')] }));
    await sync(h, p, ac.signal);
    expect(callLine(h)).toEqual(['runPodSandbox()', 'createContainer(a)']);
    expect(h.rt.snapshot().containers.map((c) => [c.metadata.name, c.state])).toEqual([['a', 'CONTAINER_CREATED']]);
    expect(eventsWith(h, 'Started')).toEqual([]);
  });

  it('an abort during the postStart is no hook failure: no kill, no PostStartHookError', async () => {
    h = makeHarness();
    const ac = new AbortController();
    h.hooks.scripts.set('postStart/a', (hc) => new Promise<void>((_, reject) => hc.signal.addEventListener('abort', () => reject(new Error('hook cancelled')))));
    const p = applyPodDefaults(pod('web', { containers: [withPostStart(box('a')), box('b')] }));
    const step = tracked(h, sync(h, p, ac.signal));
    await h.clock.advance(1000);
    ac.abort();
    await h.clock.advance(0);
    expect(step.done).toBe(true);
    // b was created while a's postStart ran, before the deletion; it is never started.
    expect(callLine(h)).toEqual(['runPodSandbox()', 'createContainer(a)', 'startContainer(a)', 'createContainer(b)']);
    expect(h.rt.snapshot().containers.map((c) => [c.metadata.name, c.state])).toEqual([['a', 'CONTAINER_RUNNING'], ['b', 'CONTAINER_CREATED']]);
    expect([eventsWith(h, 'FailedPostStartHook'), h.ctx.reasons.get('uid-web', 'a')]).toEqual([[], undefined]);
  });
});
