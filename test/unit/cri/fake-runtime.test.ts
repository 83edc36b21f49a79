// Unit tests for cri/fake/fake-runtime.ts: the in-memory Runtime that pod-worker tests drive.
import { describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import type { ContainerConfig, ContainerEvent, PodSandboxConfig } from '../../../cri/api.js';
import { CriError, hasCode, isNotFound } from '../../../cri/errors.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import { FAKE_PAUSE_IMAGE, FakeRuntime, normalizeImageRef } from '../../../cri/fake/fake-runtime.js';

const T0 = 1_000_000;

function sandboxConfig(name = 'web', uid = 'uid-1', over: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid, attempt: 0 },
    hostname: name,
    namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
    labels: { app: name },
    annotations: { note: 'sandbox' },
    ...over,
  };
}

function containerConfig(name = 'app', over: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: 'busybox',
    command: ['sh', '-c', 'sleep 3600'],
    labels: { tier: name },
    annotations: { 'io.kubernetes.container.restartCount': '0' },
    mounts: [{ containerPath: '/data', hostPath: '/tmp/data' }],
    ...over,
  };
}

function setup(opts: { extraLabels?: Record<string, string> } = {}) {
  const clock = new FakeClock(T0);
  const rt = new FakeRuntime({ clock, ...opts });
  return { clock, rt };
}

async function runPod(rt: FakeRuntime, names = ['app'], sb = sandboxConfig()) {
  const sandboxId = await rt.runPodSandbox(sb);
  const ids: string[] = [];
  for (const n of names) {
    const id = await rt.createContainer(sandboxId, containerConfig(n), sb);
    await rt.startContainer(id);
    ids.push(id);
  }
  return { sandboxId, ids };
}

async function readAll(r: Readable | null): Promise<string> {
  let s = '';
  for await (const chunk of r ?? []) s += Buffer.from(chunk as Buffer).toString('utf8');
  return s;
}

function collect(rt: FakeRuntime, signal: AbortSignal): { events: ContainerEvent[]; done: Promise<void> } {
  const events: ContainerEvent[] = [];
  const done = (async () => { for await (const e of rt.events(signal)) events.push(e); })();
  return { events, done };
}

describe('FakeRuntime: sandboxes and containers', () => {
  it('records calls in order and assertCalls compares them', async () => {
    const { rt } = setup();
    await rt.version();
    await runPod(rt);
    rt.assertCalls(['version', 'runPodSandbox', 'createContainer', 'startContainer']);
    expect(() => rt.assertCalls(['version'])).toThrow(/calls differ/);
    rt.resetCalls();
    rt.assertCalls([]);
  });

  it('keeps ids, metadata, labels, annotations, states and clock times', async () => {
    const { clock, rt } = setup({ extraLabels: { 'io.mini-kubelet.node': 'n1' } });
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    expect(sandboxId).toMatch(/^[0-9a-f]{64}$/);
    await clock.advance(100);
    const id = await rt.createContainer(sandboxId, containerConfig(), sb);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toBe(sandboxId);
    let st = await rt.containerStatus(id);
    expect(st).toMatchObject({ id, podSandboxId: sandboxId, state: 'CONTAINER_CREATED', createdAt: T0 + 100, startedAt: 0, metadata: { name: 'app', attempt: 0 }, image: 'busybox' });
    expect(st.imageRef).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(st.labels).toEqual({
      tier: 'app', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'uid-1',
      'io.kubernetes.container.name': 'app', 'io.mini-kubelet.node': 'n1', 'io.mini-kubelet.managed': 'true',
    });
    expect(st.annotations).toEqual({ 'io.kubernetes.container.restartCount': '0' });
    expect(st.mounts).toEqual([{ containerPath: '/data', hostPath: '/tmp/data' }]);
    await clock.advance(50);
    await rt.startContainer(id);
    st = await rt.containerStatus(id);
    expect(st).toMatchObject({ state: 'CONTAINER_RUNNING', startedAt: T0 + 150, finishedAt: 0, reason: '' });
    expect(st.pid).toBeGreaterThan(0);

    const sbs = await rt.podSandboxStatus(sandboxId);
    expect(sbs).toMatchObject({ id: sandboxId, state: 'SANDBOX_READY', createdAt: T0, hostname: 'web', annotations: { note: 'sandbox' }, metadata: sb.metadata });
    expect(sbs.labels).toMatchObject({ app: 'web', 'io.kubernetes.pod.uid': 'uid-1', 'io.mini-kubelet.node': 'n1' });
    expect(sbs.network.ip).toMatch(/^10\.88\.\d+\.\d+$/);
  });

  it('gives a host-network sandbox the host IP', async () => {
    const { rt } = setup();
    const id = await rt.runPodSandbox(sandboxConfig('h', 'u', { namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' } }));
    expect((await rt.podSandboxStatus(id)).network.ip).toBe(rt.hostIP);
  });

  it('refuses a second sandbox or container with the same name (AlreadyExists), but not a new attempt', async () => {
    const { rt } = setup();
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    await expect(rt.runPodSandbox(sb)).rejects.toSatisfy((e) => hasCode(e, 'AlreadyExists'));
    await rt.runPodSandbox({ ...sb, metadata: { ...sb.metadata, attempt: 1 } });
    await rt.createContainer(sandboxId, containerConfig(), sb);
    await expect(rt.createContainer(sandboxId, containerConfig(), sb)).rejects.toSatisfy((e) => hasCode(e, 'AlreadyExists'));
    await rt.createContainer(sandboxId, containerConfig('app', { metadata: { name: 'app', attempt: 1 } }), sb);
  });

  it('fails createContainer for a missing sandbox with NotFound, for a missing image with CreateContainerError (as cri/docker)', async () => {
    const { rt } = setup();
    const sb = sandboxConfig();
    await expect(rt.createContainer('nope', containerConfig(), sb)).rejects.toSatisfy(isNotFound);
    const sandboxId = await rt.runPodSandbox(sb);
    await expect(rt.createContainer(sandboxId, containerConfig('x', { image: 'nginx:1.27' }), sb)).rejects.toSatisfy((e) => hasCode(e, 'CreateContainerError'));
  });

  it('start: a running container is a no-op, an exited one runs again (as Docker), a missing one is NotFound', async () => {
    const { clock, rt } = setup();
    const { ids: [id] } = await runPod(rt);
    await rt.startContainer(id!);
    rt.exitContainer(id!, 3, { message: 'bad' });
    await clock.advance(10);
    await rt.startContainer(id!);
    expect(await rt.containerStatus(id!)).toMatchObject({ state: 'CONTAINER_RUNNING', startedAt: T0 + 10, finishedAt: 0, exitCode: 0, reason: '', message: '' });
    await expect(rt.startContainer('missing')).rejects.toSatisfy(isNotFound);
  });

  it('throws an injected error once, on the next call of that method only', async () => {
    const { rt } = setup();
    const boom = new CriError('RuntimeUnavailable', 'docker is down');
    rt.injectError('runPodSandbox', boom);
    rt.injectError('runPodSandbox', new Error('second'));
    await expect(rt.listPodSandbox()).resolves.toEqual([]);
    await expect(rt.runPodSandbox(sandboxConfig())).rejects.toBe(boom);
    await expect(rt.runPodSandbox(sandboxConfig())).rejects.toThrow('second');
    await expect(rt.runPodSandbox(sandboxConfig())).resolves.toMatch(/^[0-9a-f]{64}$/);
    rt.assertCalls(['listPodSandbox', 'runPodSandbox', 'runPodSandbox', 'runPodSandbox']);
  });

  it('fails a call whose signal already aborted with DeadlineExceeded', async () => {
    const { rt } = setup();
    const ac = new AbortController();
    ac.abort();
    await expect(rt.listContainers({}, ac.signal)).rejects.toSatisfy((e) => hasCode(e, 'DeadlineExceeded'));
  });

  it('filters listContainers by id prefix, podSandboxId, state and labelSelector', async () => {
    const { rt } = setup();
    const a = await runPod(rt, ['app', 'side'], sandboxConfig('a', 'uid-a'));
    const b = await runPod(rt, ['app'], sandboxConfig('b', 'uid-b'));
    rt.exitContainer(a.ids[1]!, 1);
    const ids = async (f: Parameters<FakeRuntime['listContainers']>[0]) => (await rt.listContainers(f)).map((c) => c.id).sort();
    expect(await ids({})).toEqual([...a.ids, ...b.ids].sort());
    expect(await ids({ id: a.ids[0]!.slice(0, 12) })).toEqual([a.ids[0]]);
    expect(await ids({ podSandboxId: a.sandboxId })).toEqual([...a.ids].sort());
    expect(await ids({ state: 'CONTAINER_EXITED' })).toEqual([a.ids[1]]);
    expect(await ids({ state: 'CONTAINER_RUNNING', podSandboxId: a.sandboxId })).toEqual([a.ids[0]]);
    expect(await ids({ labelSelector: { 'io.kubernetes.pod.uid': 'uid-b' } })).toEqual(b.ids);
    expect(await ids({ labelSelector: { tier: 'app' } })).toEqual([a.ids[0], b.ids[0]].sort());
    expect(await ids({ labelSelector: { tier: 'app', 'io.kubernetes.pod.uid': 'uid-a' } })).toEqual([a.ids[0]]);
    const [c] = await rt.listContainers({ id: b.ids[0] });
    expect(Object.keys(c!).sort()).toEqual(['annotations', 'createdAt', 'id', 'image', 'imageRef', 'labels', 'metadata', 'podSandboxId', 'state']);
  });

  it('filters listPodSandbox by id prefix, state and labelSelector', async () => {
    const { rt } = setup();
    const a = await rt.runPodSandbox(sandboxConfig('a', 'uid-a'));
    const b = await rt.runPodSandbox(sandboxConfig('b', 'uid-b'));
    await rt.stopPodSandbox(b);
    const ids = async (f: Parameters<FakeRuntime['listPodSandbox']>[0]) => (await rt.listPodSandbox(f)).map((s) => s.id).sort();
    expect(await ids(undefined)).toEqual([a, b].sort());
    expect(await ids({ id: b.slice(0, 8) })).toEqual([b]);
    expect(await ids({ state: 'SANDBOX_READY' })).toEqual([a]);
    expect(await ids({ labelSelector: { app: 'b' } })).toEqual([b]);
    expect(await ids({ labelSelector: { 'io.kubernetes.pod.uid': 'uid-a', app: 'b' } })).toEqual([]);
  });

  it('stopPodSandbox kills its running containers (137) and marks it not ready; idempotent, even when missing', async () => {
    const { clock, rt } = setup();
    const { sandboxId, ids } = await runPod(rt, ['a', 'b']);
    await clock.advance(10);
    await rt.stopPodSandbox(sandboxId);
    await rt.stopPodSandbox(sandboxId);
    for (const id of ids) expect(await rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error', finishedAt: T0 + 10, pid: 0 });
    expect(await rt.podSandboxStatus(sandboxId)).toMatchObject({ state: 'SANDBOX_NOTREADY', network: { ip: '' } });
    await rt.stopPodSandbox('missing');
  });

  it('removePodSandbox removes its containers too and is idempotent', async () => {
    const { rt } = setup();
    const a = await runPod(rt, ['x', 'y'], sandboxConfig('a', 'ua'));
    const b = await runPod(rt, ['x'], sandboxConfig('b', 'ub'));
    await rt.removePodSandbox(a.sandboxId);
    await rt.removePodSandbox(a.sandboxId);
    await expect(rt.podSandboxStatus(a.sandboxId)).rejects.toSatisfy(isNotFound);
    await expect(rt.containerStatus(a.ids[0]!)).rejects.toSatisfy(isNotFound);
    expect((await rt.listContainers()).map((c) => c.id)).toEqual(b.ids);
    // the names are free again
    await runPod(rt, ['x', 'y'], sandboxConfig('a', 'ua'));
  });

  it('removeContainer force-removes a running container and is idempotent', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    await rt.removeContainer(id!);
    expect(await rt.listContainers()).toEqual([]);
    await rt.removeContainer(id!);
    await expect(rt.containerStatus(id!)).rejects.toSatisfy(isNotFound);
    expect(rt.snapshot().containers).toEqual([]);
  });
});

describe('FakeRuntime: exits and stops', () => {
  it('scriptExit by predicate makes every matching start exit after afterMs', async () => {
    const { clock, rt } = setup();
    rt.scriptExit((cfg) => cfg.metadata.name === 'crash', { afterMs: 500, exitCode: 2, message: 'boom', log: 'panic\n' });
    const { ids: [crash, ok] } = await runPod(rt, ['crash', 'ok']);
    await clock.advance(499);
    expect((await rt.containerStatus(crash!)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    expect(await rt.containerStatus(crash!)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error', message: 'boom', finishedAt: T0 + 500 });
    expect(await readAll(await rt.containerLogs(crash!, {}))).toBe('panic\n');
    expect((await rt.containerStatus(ok!)).state).toBe('CONTAINER_RUNNING');
    // applies to the next instance too
    const sb = sandboxConfig();
    const again = await rt.createContainer((await rt.listPodSandbox())[0]!.id, containerConfig('crash', { metadata: { name: 'crash', attempt: 1 } }), sb);
    await rt.startContainer(again);
    await clock.advance(500);
    expect((await rt.containerStatus(again)).state).toBe('CONTAINER_EXITED');
  });

  it('scriptExit honours times, exits inside start when afterMs is 0, and reports OOMKilled / Completed', async () => {
    const { clock, rt } = setup();
    rt.scriptExit(() => true, { afterMs: 0, exitCode: 0, times: 1 });
    const { ids: [first, second] } = await runPod(rt, ['a', 'b']);
    expect(await rt.containerStatus(first!)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    expect((await rt.containerStatus(second!)).state).toBe('CONTAINER_RUNNING');
    rt.scriptExit(second!, { afterMs: 20, exitCode: 137, oomKilled: true });
    await clock.advance(20);
    expect(await rt.containerStatus(second!)).toMatchObject({ exitCode: 137, reason: 'OOMKilled', oomKilled: true });
  });

  it('scriptExit by id applies when that created container starts', async () => {
    const { clock, rt } = setup();
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, containerConfig(), sb);
    rt.scriptExit(id, { afterMs: 30, exitCode: 3 });
    await rt.startContainer(id);
    await clock.advance(30);
    expect((await rt.containerStatus(id)).exitCode).toBe(3);
  });

  it('exitContainer makes a running container exit now and refuses one that is not running', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.exitContainer(id!, 1, { message: 'bad' });
    expect(await rt.containerStatus(id!)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error', message: 'bad' });
    expect(() => rt.exitContainer(id!, 0)).toThrow(/not running/);
    expect(() => rt.exitContainer('missing', 0)).toThrow();
  });

  it('stopContainer exits with 128+signal: 143 for SIGTERM, the config stop signal or the given one', async () => {
    const { rt } = setup();
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    const mk = async (name: string, over: Partial<ContainerConfig> = {}) => {
      const id = await rt.createContainer(sandboxId, containerConfig(name, over), sb);
      await rt.startContainer(id);
      return id;
    };
    const term = await mk('term');
    const quit = await mk('quit', { stopSignal: 'SIGQUIT' });
    const int = await mk('int');
    await rt.stopContainer(term, 30);
    await rt.stopContainer(quit, 30);
    await rt.stopContainer(int, 30, 'SIGINT');
    expect((await rt.containerStatus(term)).exitCode).toBe(143);
    expect((await rt.containerStatus(quit)).exitCode).toBe(131);
    expect((await rt.containerStatus(int)).exitCode).toBe(130);
    expect(rt.stopRequests.map((r) => r.signal)).toEqual(['SIGTERM', 'SIGQUIT', 'SIGINT']);
    await rt.stopContainer(term, 30); // idempotent
    await expect(rt.stopContainer('missing', 1)).rejects.toSatisfy(isNotFound);
  });

  it('a container ignoring SIGTERM is killed (137) when the timeout passes on the clock', async () => {
    const { clock, rt } = setup();
    rt.ignoreSigterm((cfg) => cfg.metadata.name === 'stubborn');
    const { ids: [id] } = await runPod(rt, ['stubborn']);
    let stopped = false;
    const p = rt.stopContainer(id!, 5).then(() => { stopped = true; });
    await clock.advance(4_999);
    expect(stopped).toBe(false);
    expect((await rt.containerStatus(id!)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    await p;
    expect(stopped).toBe(true);
    expect(await rt.containerStatus(id!)).toMatchObject({ exitCode: 137, finishedAt: T0 + 5_000 });
  });

  it('a container ignoring SIGTERM dies at once with timeout 0 or SIGKILL', async () => {
    const { rt } = setup();
    const { ids } = await runPod(rt, ['a', 'b']);
    rt.ignoreSigterm(ids[0]!);
    rt.ignoreSigterm(ids[1]!);
    await rt.stopContainer(ids[0]!, 0);
    await rt.stopContainer(ids[1]!, 30, 'SIGKILL');
    for (const id of ids) expect((await rt.containerStatus(id)).exitCode).toBe(137);
  });

  it('scriptSignal: a handled signal exits with the handler code, an ignored one waits for the kill; SIGKILL always kills', async () => {
    const { clock, rt } = setup();
    const byName = (n: string) => (cfg: ContainerConfig) => cfg.metadata.name === n;
    rt.scriptSignal(byName('graceful'), 'SIGTERM', { exitCode: 0 });
    rt.scriptSignal(byName('deaf'), 'TERM', 'ignore');
    rt.scriptSignal(byName('deaf'), 'SIGKILL', 'ignore');
    const { ids: [graceful, deaf] } = await runPod(rt, ['graceful', 'deaf']);
    await rt.stopContainer(graceful!, 10);
    expect(await rt.containerStatus(graceful!)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const stop = rt.stopContainer(deaf!, 2);
    await clock.advance(1_999);
    expect((await rt.containerStatus(deaf!)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    await stop;
    expect(await rt.containerStatus(deaf!)).toMatchObject({ exitCode: 137, finishedAt: T0 + 2_000 });
  });

  it('scriptOutput writes to the log at each start; failStart leaves the container EXITED with ContainerCannotRun', async () => {
    const { clock, rt } = setup();
    rt.scriptOutput((cfg) => cfg.metadata.name === 'talker', 'ready\n');
    rt.failStart((cfg) => cfg.metadata.name === 'broken', { message: 'exec: "/x": stat /x: no such file or directory' });
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    const talker = await rt.createContainer(sandboxId, containerConfig('talker'), sb);
    await rt.startContainer(talker);
    expect(await readAll(await rt.containerLogs(talker, {}))).toBe('ready\n');
    await clock.advance(5);
    const broken = await rt.createContainer(sandboxId, containerConfig('broken'), sb);
    await clock.advance(5);
    await expect(rt.startContainer(broken)).rejects.toSatisfy((e) => hasCode(e, 'RunContainerError'));
    expect(await rt.containerStatus(broken)).toMatchObject({
      state: 'CONTAINER_EXITED', reason: 'ContainerCannotRun', exitCode: 127, startedAt: T0 + 5, finishedAt: T0 + 5, message: 'exec: "/x": stat /x: no such file or directory',
    });
    await expect(rt.startContainer(broken)).rejects.toSatisfy((e) => hasCode(e, 'RunContainerError'));
  });

  it('an aborted stopContainer wait rejects with DeadlineExceeded while the kill stays scheduled', async () => {
    const { clock, rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.ignoreSigterm(id!);
    const ac = new AbortController();
    const p = rt.stopContainer(id!, 10, undefined, ac.signal);
    ac.abort();
    await expect(p).rejects.toSatisfy((e) => hasCode(e, 'DeadlineExceeded'));
    await clock.advance(10_000);
    expect((await rt.containerStatus(id!)).exitCode).toBe(137);
  });
});

describe('FakeRuntime: events', () => {
  it('yields created/started/stopped/deleted events as they happen, for sandboxes and containers', async () => {
    const { clock, rt } = setup();
    const ac = new AbortController();
    const { events, done } = collect(rt, ac.signal);
    const { sandboxId, ids: [id] } = await runPod(rt);
    await clock.advance(5);
    await rt.stopContainer(id!, 1);
    await rt.removePodSandbox(sandboxId);
    await clock.advance(0);
    ac.abort();
    await done;
    expect(events.map((e) => [e.type, e.isSandbox, e.containerId === id ? 'c' : e.containerId === sandboxId ? 's' : '?'])).toEqual([
      ['CONTAINER_CREATED_EVENT', true, 's'], ['CONTAINER_STARTED_EVENT', true, 's'],
      ['CONTAINER_CREATED_EVENT', false, 'c'], ['CONTAINER_STARTED_EVENT', false, 'c'],
      ['CONTAINER_STOPPED_EVENT', false, 'c'], ['CONTAINER_DELETED_EVENT', false, 'c'],
      ['CONTAINER_STOPPED_EVENT', true, 's'], ['CONTAINER_DELETED_EVENT', true, 's'],
    ]);
    expect(events.every((e) => e.podUid === 'uid-1')).toBe(true);
    expect(events[4]!.createdAt).toBe(T0 + 5);
  });

  it('ends the stream when the signal aborts or the connection breaks, and throws an injected error', async () => {
    const { rt } = setup();
    const ac = new AbortController();
    ac.abort();
    expect(collect(rt, ac.signal).events).toEqual([]);
    const live = collect(rt, new AbortController().signal);
    await rt.runPodSandbox(sandboxConfig());
    rt.breakEvents();
    await live.done;
    expect(live.events).toHaveLength(2);
    rt.injectError('events', new Error('stream broke'));
    await expect(collect(rt, new AbortController().signal).done).rejects.toThrow('stream broke');
  });
});

describe('FakeRuntime: exec, attach, logs', () => {
  it('answers execSync from the onExec handler, and fails on a container that is not running', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    expect(await rt.execSync(id!, ['true'], 1_000)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const seen: string[][] = [];
    rt.onExec(async (cid, cmd) => { seen.push([cid, ...cmd]); return { exitCode: cmd[0] === 'fail' ? 1 : 0, stdout: 'out', stderr: 'err' }; });
    expect(await rt.execSync(id!, ['fail'], 0)).toEqual({ exitCode: 1, stdout: 'out', stderr: 'err' });
    expect(seen).toEqual([[id, 'fail']]);
    rt.exitContainer(id!, 0);
    await expect(rt.execSync(id!, ['true'], 0)).rejects.toBeInstanceOf(CriError);
  });

  it('execSync fails with DeadlineExceeded when the handler outlasts the timeout on the clock', async () => {
    const { clock, rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.onExec(() => new Promise(() => undefined));
    const p = rt.execSync(id!, ['sleep', '10'], 1_000);
    const check = expect(p).rejects.toSatisfy((e) => hasCode(e, 'DeadlineExceeded'));
    await clock.advance(1_000);
    await check;
  });

  it('exec returns a session whose streams carry the handler output and whose exitCode resolves', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.onExec((_id, cmd) => ({ exitCode: 7, stdout: `ran ${cmd.join(' ')}`, stderr: 'warn' }));
    const s = await rt.exec(id!, { cmd: ['ls', '/'], tty: false, stdin: true, stdout: true, stderr: true });
    expect(s.stdin).not.toBeNull();
    const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exitCode]);
    expect([out, err, code]).toEqual(['ran ls /', 'warn', 7]);
    await s.resize(80, 24);
    s.close();
    const tty = await rt.exec(id!, { cmd: ['sh'], tty: true, stdin: false, stdout: true, stderr: true });
    expect(tty.stderr).toBeNull();
    expect(await readAll(tty.stdout)).toBe('ran shwarn');
  });

  it('attach streams new log output and resolves with the exit code when the container exits', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    const s = await rt.attach(id!, { tty: false, stdin: false, stdout: true, stderr: true });
    const out = readAll(s.stdout);
    rt.appendLog(id!, 'hello\n');
    rt.exitContainer(id!, 4);
    expect(await s.exitCode).toBe(4);
    expect(await out).toBe('hello\n');
    const late = await rt.attach(id!, { tty: false, stdin: false, stdout: true, stderr: false });
    expect(await late.exitCode).toBe(4);
  });

  it('containerLogs returns the settable log with tailLines, sinceTime, timestamps and limitBytes', async () => {
    const { clock, rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.setLog(id!, 'one\ntwo\n');
    await clock.advance(1_000);
    rt.appendLog(id!, 'three\nfour');
    expect(await readAll(await rt.containerLogs(id!, {}))).toBe('one\ntwo\nthree\nfour');
    expect(await readAll(await rt.containerLogs(id!, { tailLines: 2 }))).toBe('three\nfour');
    expect(await readAll(await rt.containerLogs(id!, { tailLines: 0 }))).toBe('');
    expect(await readAll(await rt.containerLogs(id!, { sinceTime: T0 + 1 }))).toBe('three\nfour');
    expect(await readAll(await rt.containerLogs(id!, { limitBytes: 5 }))).toBe('one\nt');
    const stamp = new Date(T0).toISOString().replace('Z', '000000Z');
    expect(await readAll(await rt.containerLogs(id!, { timestamps: true, tailLines: 3 }))).toMatch(new RegExp(`^${stamp} two\\n\\S+ three\\n`));
    rt.setLog(id!, 'fresh\n');
    expect(await readAll(await rt.containerLogs(id!, {}))).toBe('fresh\n');
    await expect(rt.containerLogs('missing', {})).rejects.toSatisfy(isNotFound);
  });

  it('containerLogs with follow keeps streaming until the container exits', async () => {
    const { rt } = setup();
    const { ids: [id] } = await runPod(rt);
    rt.setLog(id!, 'a\n');
    const r = await rt.containerLogs(id!, { follow: true });
    const all = readAll(r);
    rt.appendLog(id!, 'b\n');
    rt.exitContainer(id!, 0);
    expect(await all).toBe('a\nb\n');
  });
});

describe('FakeRuntime: images', () => {
  it('is seeded with busybox:latest and the pause image', async () => {
    const { rt } = setup();
    expect(rt.images.has('busybox:latest')).toBe(true);
    expect(rt.images.has(FAKE_PAUSE_IMAGE)).toBe(true);
    expect(await rt.imageStatus('busybox')).toMatchObject({ repoTags: ['busybox:latest'], user: '' });
    expect(await rt.imageStatus('docker.io/library/busybox:latest')).not.toBeNull();
    expect(await rt.imageStatus('nginx')).toBeNull();
    await expect(rt.imageStatus('Bad Ref')).rejects.toSatisfy((e) => hasCode(e, 'InvalidImageName'));
    expect((await rt.listImages()).flatMap((i) => i.repoTags).sort()).toEqual(['busybox:latest', FAKE_PAUSE_IMAGE].sort());
  });

  it('normalizes refs like Docker and rejects invalid ones', () => {
    expect(normalizeImageRef('busybox')).toBe('busybox:latest');
    expect(normalizeImageRef('docker.io/library/nginx:1.27')).toBe('nginx:1.27');
    expect(normalizeImageRef('localhost:5000/team/app')).toBe('localhost:5000/team/app:latest');
    expect(normalizeImageRef('Upper/Case')).toBeUndefined();
    expect(normalizeImageRef('')).toBeUndefined();
  });

  it('pulls refs allowed with allowPull; others fail with ErrImagePull, RegistryUnavailable or InvalidImageName', async () => {
    const { rt } = setup();
    await expect(rt.pullImage('nginx:1.27')).rejects.toSatisfy((e) => hasCode(e, 'ErrImagePull'));
    rt.allowPull('nginx:1.27');
    const progress: string[] = [];
    const id = await rt.pullImage('docker.io/library/nginx:1.27', undefined, (p) => progress.push(p.status));
    expect(id).toMatch(/^sha256:/);
    expect(progress.length).toBeGreaterThan(0);
    expect((await rt.imageStatus('nginx:1.27'))?.id).toBe(id);
    expect((await rt.imageStatus(id))?.repoTags).toEqual(['nginx:1.27']);
    rt.registryUnavailable = true;
    await expect(rt.pullImage('nginx:1.27')).rejects.toSatisfy((e) => hasCode(e, 'RegistryUnavailable'));
    await expect(rt.pullImage('Not Valid')).rejects.toSatisfy((e) => hasCode(e, 'InvalidImageName'));
  });

  it('takes pullDelayMs on the clock and honours addImage config and removeImage', async () => {
    const { clock, rt } = setup();
    rt.pullDelayMs = 2_000;
    rt.allowPull('app:v1');
    let done = false;
    const p = rt.pullImage('app:v1').then(() => { done = true; });
    await clock.advance(1_999);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    rt.addImage('custom:1', { user: '1000', stopSignal: 'SIGUSR1' });
    expect((await rt.imageStatus('custom:1'))?.user).toBe('1000');
    await rt.removeImage('app:v1');
    await rt.removeImage('app:v1');
    expect(await rt.imageStatus('app:v1')).toBeNull();
  });

  it('uses the image stop signal when the config has none', async () => {
    const { rt } = setup();
    rt.addImage('custom:1', { stopSignal: 'SIGUSR1' });
    const sb = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, containerConfig('c', { image: 'custom:1' }), sb);
    await rt.startContainer(id);
    await rt.stopContainer(id, 1);
    expect((await rt.containerStatus(id)).exitCode).toBe(138);
  });
});
