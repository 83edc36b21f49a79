// The kubelet core (sync loop → pod workers → syncer → executors → fake runtime) on the one fake clock:
// regression tests for issue 10's defects 1 (re-add while terminating), 3 (a shorter grace reaching a kill
// under way), 4 (a deletion reaching the pull, the create and the start) and 6 (sidecars stopping in reverse
// order when a Never/OnFailure pod completes). Each asserts the runtime calls and their fake times.
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { makeCore, pod } from './harness.js';

type Core = ReturnType<typeof makeCore>;
let core: Core | undefined;
afterEach(async () => { await core?.dispose(); core = undefined; });

const ORIGIN = 'web.yaml';
const add = (c: Core, p: Pod) => c.loop.add('file', [{ pod: applyPodDefaults(structuredClone(p)), origin: ORIGIN }]);
const stopsOf = (c: Core, name: string) => c.calls.filter((x) => x.method === 'stopContainer' && c.names.get(String(x.args[0])) === name)
  .map((x) => ({ at: x.at, timeout: x.args[1] }));

describe('a pod added again while it terminates (defect 1)', () => {
  it('is started again once its termination has ended, with the same UID', async () => {
    core = makeCore();
    const p = pod('web', { terminationGracePeriodSeconds: 10, containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { sleep: { seconds: 3 } } } }] });
    add(core, p);
    await core.advance(500);
    expect(core.running('main')).toHaveLength(1);
    const first = core.running('main')[0]!.id;

    core.loop.remove(['uid-web']);
    await core.advance(1000); // inside the 3 s preStop
    add(core, p); // the manifest is back: same content, same UID
    await core.advance(10_000);

    expect(core.pods.get('uid-web')?.pod.metadata?.deletionTimestamp).toBeUndefined();
    const now = core.running('main');
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(first);
    // The old instance was stopped after its preStop and removed before the new sandbox was made.
    const lines = core.lines((m) => m !== 'pullImage');
    expect(lines.indexOf('removeContainer(main)')).toBeGreaterThan(lines.indexOf('stopContainer(main,7)'));
    expect(lines.lastIndexOf('runPodSandbox()')).toBeGreaterThan(lines.indexOf('removeContainer(main)'));
    expect(lines.slice(-2)).toEqual(['createContainer(main)', 'startContainer(main)']);
  });

  it('a deletion after the re-add cancels the restart', async () => {
    core = makeCore();
    const p = pod('web', { terminationGracePeriodSeconds: 10, containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { sleep: { seconds: 3 } } } }] });
    add(core, p);
    await core.advance(500);
    core.loop.remove(['uid-web']);
    await core.advance(500);
    add(core, p);
    core.loop.remove(['uid-web']);
    await core.advance(10_000);
    expect(core.pods.get('uid-web')).toBeUndefined();
    expect(core.rt.snapshot().containers).toHaveLength(0);
    expect(core.calls.filter((c) => c.method === 'runPodSandbox')).toHaveLength(1);
  });
});

describe('a shorter grace period reaches a kill under way (defect 3)', () => {
  it('cuts a preStop wait: the stop comes at the new deadline, not the old one', async () => {
    core = makeCore();
    core.rt.ignoreSigterm((cfg) => cfg.metadata.name === 'main');
    add(core, pod('web', { terminationGracePeriodSeconds: 30, containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { sleep: { seconds: 60 } } } }] }));
    await core.advance(500);
    const t0 = core.clock.now();
    core.loop.remove(['uid-web']);
    await core.advance(3000);
    core.loop.remove(['uid-web'], 5); // kubectl delete --grace-period=5 while the preStop runs
    await core.advance(20_000);
    // preStop cut at t0+3+5 s; then the stop signal with the 2 s minimum; SIGKILL at t0+10 s.
    expect(stopsOf(core, 'main')).toEqual([{ at: t0 + 8000, timeout: 2 }]);
    const exited = core.rt.snapshot().containers.find((c) => c.metadata.name === 'main');
    expect(exited === undefined || exited.state === 'CONTAINER_EXITED').toBe(true);
    expect(core.pods.get('uid-web')).toBeUndefined();
  });

  it('re-sends the stop with the shorter timeout while the runtime waits; a longer grace changes nothing', async () => {
    core = makeCore();
    core.rt.ignoreSigterm((cfg) => cfg.metadata.name === 'main');
    add(core, pod('web', { terminationGracePeriodSeconds: 30 }));
    await core.advance(500);
    const t0 = core.clock.now();
    core.loop.remove(['uid-web']);
    await core.advance(3000);
    core.loop.remove(['uid-web'], 60); // longer: ignored
    await core.advance(1000);
    core.loop.remove(['uid-web'], 0); // --force --grace-period=0
    await core.advance(5000);
    // The removal after the kill ends in real file work (the pod's directories): on a loaded machine let it finish.
    for (let i = 0; i < 200 && core.pods.get('uid-web'); i++) await core.advance(50);
    expect(stopsOf(core, 'main')).toEqual([{ at: t0, timeout: 30 }, { at: t0 + 4000, timeout: 2 }]);
    expect(core.pods.get('uid-web')).toBeUndefined();
    const life = core.lifecycle.entries('uid-web');
    const kill = life.find((e) => e.kind === 'signal' && (e as { signal?: string }).signal === 'SIGKILL') as { time: number } | undefined;
    expect(kill?.time).toBe(t0 + 6000);
  });
});

describe('a deletion reaches the pull, the create and the start (defect 4)', () => {
  it('a pod deleted while its image pulls never creates or starts the container', async () => {
    core = makeCore();
    core.rt.allowPull('busybox:1.36');
    core.rt.pullDelayMs = 30_000;
    add(core, pod('web', { containers: [{ name: 'main', image: 'busybox:1.36', imagePullPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 1 } } } }] }));
    await core.advance(2000);
    expect(core.lines((m) => m === 'pullImage')).toEqual(['pullImage(busybox:1.36)']);
    core.loop.remove(['uid-web']);
    await core.advance(60_000);
    expect(core.lines((m) => m === 'createContainer' || m === 'startContainer')).toEqual([]);
    expect(core.pods.get('uid-web')).toBeUndefined();
    expect(core.rt.snapshot().sandboxes).toHaveLength(0);
  });

  it('a pod deleted while its container is being created never starts it (and runs no preStop)', async () => {
    core = makeCore();
    const rt = core.rt;
    const clock = core.clock;
    const create = rt.createContainer.bind(rt);
    rt.createContainer = async (...a: Parameters<typeof rt.createContainer>) => { await clock.sleep(5000); return create(...a); };
    add(core, pod('web', { containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { exec: { command: ['true'] } } } }] }));
    await core.advance(1000);
    core.loop.remove(['uid-web']);
    await core.advance(30_000);
    expect(core.lines((m) => m === 'startContainer')).toEqual([]);
    expect(core.events.list().filter((e) => e.reason === 'Killing' || e.reason === 'Started')).toEqual([]);
    expect(rt.snapshot().containers).toHaveLength(0);
  });
});

describe('sidecars of a completed pod stop in reverse order (defect 6)', () => {
  it('the last-defined sidecar stops first; the next gets its signal only after it exited; every preStop runs', async () => {
    core = makeCore();
    const rt = core.rt;
    rt.scriptExit((cfg) => cfg.metadata.name === 'job', { afterMs: 1000, exitCode: 0 });
    rt.scriptSignal((cfg) => cfg.metadata.name.startsWith('side'), 'SIGTERM', { exitCode: 0 });
    const side = (name: string) => ({ name, image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' as const, restartPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 1 } } } });
    add(core, pod('batch', {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 30,
      initContainers: [side('side-a'), side('side-b'), side('side-c')],
      containers: [{ name: 'job', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }],
    }));
    await core.advance(60_000);
    // One stop each, in the order c, b, a; each sent once the sidecar defined after it had exited.
    expect(core.lines((m) => m === 'stopContainer')).toEqual(['stopContainer(side-c,29)', 'stopContainer(side-b,29)', 'stopContainer(side-a,29)']);
    const exits = core.lifecycle.entries('uid-batch').filter((e) => e.kind === 'exit') as unknown as { container: string; time: number }[];
    const exitOf = (n: string) => exits.find((e) => e.container === n)!.time;
    expect(stopsOf(core, 'side-b')[0]!.at).toBeGreaterThanOrEqual(exitOf('side-c'));
    expect(stopsOf(core, 'side-a')[0]!.at).toBeGreaterThanOrEqual(exitOf('side-b'));
    const killing = core.events.list().filter((e) => e.reason === 'Killing').map((e) => e.involvedObject.fieldPath);
    expect(killing).toEqual(['spec.initContainers{side-c}', 'spec.initContainers{side-b}', 'spec.initContainers{side-a}']);
    expect(core.statuses.get('uid-batch')?.phase).toBe('Succeeded');
  });
});
