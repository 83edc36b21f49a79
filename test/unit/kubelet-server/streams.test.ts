// The kubelet's streaming endpoints (agent/kubelet-server/) on the kubelet core with the fake runtime, served by
// a real node:http server: which paths they own, /containerLogs (options, instances, the kubelet's plain-text
// errors, follow), /exec and /attach over the channel WebSocket (output, exit Status, the legacy UID path) and
// every refusal as a Status (write rule, stream options, pod, container, SPDY, port-forward, plain HTTP).
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { kubeletStreamRoutes, type KubeletStreamDeps } from '../../../agent/kubelet-server/index.js';
import { podByName } from '../../../agent/kubelet-server/lookup.js';
import { parseKubeletPath } from '../../../agent/kubelet-server/paths.js';
import { makeCore, pod } from '../kuberuntime/harness.js';
import { bodyOf, call, channelSession, follow, NOT_OURS, rawUpgrade, serveRoutes, type ServedRoutes } from '../../helpers/kubelet-streams-client.js';

type Core = ReturnType<typeof makeCore>;
let core: Core | undefined;
let served: ServedRoutes | undefined;
afterEach(async () => {
  await served?.close();
  await core?.dispose();
  served = undefined;
  core = undefined;
});

const silent = { debug() {}, warn() {} };

/** The core with `pods` running, and the routes served over HTTP. */
async function start(pods: Pod[], o: { allows?: boolean; crash?: [number, number] } = {}): Promise<{ c: Core; s: ServedRoutes; deps: KubeletStreamDeps }> {
  const c = makeCore({ crash: o.crash });
  core = c;
  c.loop.add('file', pods.map((p) => ({ pod: applyPodDefaults(structuredClone(p)), origin: 'test.yaml' })));
  await c.advance(1500);
  const deps: KubeletStreamDeps = { pods: c.pods, cache: c.cache, runtime: c.rt, log: silent, now: () => c.clock.now(), allows: () => o.allows ?? true, statuses: c.statuses };
  served = await serveRoutes(kubeletStreamRoutes(deps));
  return { c, s: served, deps };
}

const web = () => pod('web', { containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }, { name: 'side', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }] });
/** The running instance of a container of pod `pod` (default: web), from PLEG's cache. */
const idOf = (c: Core, name: string, pod = 'web') => c.cache.get(`uid-${pod}`)!.containers.find((x) => x.name === name && x.state === 'CONTAINER_RUNNING')!.id;

describe('paths', () => {
  it('parses the kubelet server paths, the legacy UID forms, and nothing else', () => {
    expect(parseKubeletPath('/containerLogs/ns/p/c')).toEqual({ kind: 'containerLogs', namespace: 'ns', pod: 'p', container: 'c' });
    expect(parseKubeletPath('/exec/ns/p/c')).toEqual({ kind: 'exec', namespace: 'ns', pod: 'p', container: 'c' });
    expect(parseKubeletPath('/attach/ns/p/u-1/c')).toEqual({ kind: 'attach', namespace: 'ns', pod: 'p', uid: 'u-1', container: 'c' });
    expect(parseKubeletPath('/portForward/ns/p')).toEqual({ kind: 'portForward', namespace: 'ns', pod: 'p' });
    expect(parseKubeletPath('/exec/ns/a%20b/c')).toMatchObject({ pod: 'a b' });
    for (const p of ['/containerLogs/ns/p', '/containerLogs/ns/p/c/d', '/exec/ns/p', '/exec//p/c', '/api/v1/namespaces/ns/pods/p/exec', '/pods', '/exec/ns/%zz/c']) {
      expect(parseKubeletPath(p), p).toBeUndefined();
    }
  });

  it('other paths are left to the next handler, on requests and upgrades', async () => {
    const { s } = await start([web()]);
    expect(await call(`${s.base}/pods`)).toMatchObject({ code: 404, body: NOT_OURS });
    expect(await call(`${s.base}/exec/default/web`)).toMatchObject({ code: 404, body: NOT_OURS });
    expect(await rawUpgrade(s.port, 'GET', '/api/v1/namespaces/default/pods/web/exec', { Upgrade: 'websocket' })).toContain(NOT_OURS);
  });

  it('a pod being deleted gives way to a live one of the same name', () => {
    const gone = { pod: pod('web', {}, { uid: 'old', deletionTimestamp: '2026-01-01T00:00:00Z' }), source: 'file', origin: 'a' };
    const live = { pod: pod('web', {}, { uid: 'new' }), source: 'file', origin: 'a' };
    const pods = { byFullName: () => [gone, live], get: () => undefined };
    expect(podByName({ pods }, 'default', 'web')?.metadata?.uid).toBe('new');
    expect(podByName({ pods: { ...pods, byFullName: () => [gone] } }, 'default', 'web')?.metadata?.uid).toBe('old');
  });
});

describe('/containerLogs', () => {
  it('streams the newest instance as text/plain with tailLines, tail, timestamps and limitBytes', async () => {
    const { c, s } = await start([web()]);
    c.rt.setLog(idOf(c, 'main'), 'one\ntwo\nthree\n');
    const url = `${s.base}/containerLogs/default/web/main`;
    expect(await call(url)).toMatchObject({ code: 200, type: 'text/plain', body: 'one\ntwo\nthree\n' });
    expect((await call(`${url}?tailLines=2`)).body).toBe('two\nthree\n');
    expect((await call(`${url}?tail=1`)).body).toBe('three\n');
    expect((await call(`${url}?tail=all`)).body).toBe('one\ntwo\nthree\n');
    expect((await call(`${url}?limitBytes=5`)).body).toBe('one\nt');
    expect((await call(`${url}?timestamps=true&tailLines=1`)).body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
  });

  it('previous reads the instance before the newest; without one, the kubelet\'s 400', async () => {
    const { c, s } = await start([web()], { crash: [100, 1000] });
    const first = idOf(c, 'main');
    c.rt.setLog(first, 'before the crash\n');
    c.rt.exitContainer(first, 1);
    await c.advance(3000);
    expect(c.running('main')[0]?.id).not.toBe(first);
    expect(await call(`${s.base}/containerLogs/default/web/main?previous=true`)).toMatchObject({ code: 200, body: 'before the crash\n' });
    expect(await call(`${s.base}/containerLogs/default/web/side?previous=1`))
      .toEqual({ code: 400, type: 'text/plain; charset=utf-8', allow: '', body: 'previous terminated container "side" in pod "web" not found' });
  });

  it('answers the kubelet\'s errors as plain text: pod, container, waiting, method, options', async () => {
    const init = pod('init-pod', { initContainers: [{ name: 'setup', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }] });
    const { s } = await start([web(), init]);
    const at = (p: string) => call(`${s.base}/containerLogs/default/${p}`);
    expect(await at('nope/main')).toMatchObject({ code: 404, type: 'text/plain; charset=utf-8', body: 'pod "nope" does not exist' });
    expect(await at('web/other')).toMatchObject({ code: 404, body: 'container "other" not found in pod "web"' });
    expect(await at('init-pod/main')).toMatchObject({ code: 400, body: 'container "main" in pod "init-pod" is waiting to start: PodInitializing' });
    expect(await call(`${s.base}/containerLogs/default/web/main`, 'POST')).toMatchObject({ code: 405, allow: 'GET', body: 'Method Not Allowed' });
    expect(await at('web/main?tailLines=x')).toMatchObject({ code: 400, body: 'invalid value for tailLines: "x" is not an integer' });
    expect(await at('web/main?tailLines=-1')).toMatchObject({ code: 422 });
    expect(await at('web/main?sinceSeconds=0')).toMatchObject({ code: 422, body: 'sinceSeconds: Invalid value: must be greater than 0' });
    expect(await at('web/main?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z')).toMatchObject({ code: 422 });
    expect(await at('web/main?sinceTime=yesterday')).toMatchObject({ code: 400 });
  });

  it('follow sends new lines as they come and ends when the container exits', async () => {
    const { c, s } = await start([web()]);
    const id = idOf(c, 'main');
    c.rt.setLog(id, 'first\n');
    const f = await follow(`${s.base}/containerLogs/default/web/main?follow=true`);
    await expect.poll(f.text).toBe('first\n');
    c.rt.appendLog(id, 'second\n');
    await expect.poll(f.text).toBe('first\nsecond\n');
    c.rt.exitContainer(id, 0);
    await f.ended;
    expect(f.text()).toBe('first\nsecond\n');
  });

  it('a client that leaves a followed log aborts the runtime\'s log stream', async () => {
    const { c, deps } = await start([web()]);
    const signals: AbortSignal[] = [];
    const routes = kubeletStreamRoutes({ ...deps, runtime: { ...deps.runtime, containerLogs: (id, o, signal) => { signals.push(signal!); return c.rt.containerLogs(id, o, signal); } } });
    const own = await serveRoutes(routes);
    try {
      c.rt.setLog(idOf(c, 'main'), 'first\n');
      const f = await follow(`${own.base}/containerLogs/default/web/main?follow=true`);
      await expect.poll(f.text).toBe('first\n');
      expect(signals.map((x) => x.aborted)).toEqual([false]);
      f.abort();
      await expect.poll(() => signals[0]!.aborted).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('close() ends a followed log', async () => {
    const { c, s } = await start([web()]);
    c.rt.setLog(idOf(c, 'main'), 'first\n');
    const f = await follow(`${s.base}/containerLogs/default/web/main?follow=1`);
    await expect.poll(f.text).toBe('first\n');
    await s.close();
    served = undefined;
    await f.ended;
    expect(f.res.complete || f.res.destroyed).toBe(true);
  });
});

describe('/exec and /attach over the channel WebSocket', () => {
  it('exec: output on channel 1 and 2, Success; a non-zero exit is NonZeroExitCode with the code', async () => {
    const { c, s } = await start([web()]);
    c.rt.onExec((_id, cmd) => (cmd[0] === 'fail' ? { exitCode: 3, stdout: '', stderr: 'bad\n' } : { exitCode: 0, stdout: `${cmd.join(' ')}\n`, stderr: 'note\n' }));
    const ok = await channelSession(`${s.base}/exec/default/web/main?command=echo&command=hello&output=1&error=1`);
    expect(ok).toEqual({ protocol: 'v5.channel.k8s.io', stdout: 'echo hello\n', stderr: 'note\n', status: { metadata: {}, status: 'Success' } });
    const failed = await channelSession(`${s.base}/exec/default/web/main?command=fail&stdout=1&stderr=1`, { protocol: 'v4.channel.k8s.io' });
    expect(failed.protocol).toBe('v4.channel.k8s.io');
    expect(failed.stderr).toBe('bad\n');
    expect(failed.status).toMatchObject({
      status: 'Failure', reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [fail], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('the legacy path with the pod UID reaches that pod; another UID finds no container', async () => {
    const { s } = await start([web()]);
    const ok = await channelSession(`${s.base}/exec/default/web/uid-web/main?command=true&output=1`);
    expect(ok.status?.status).toBe('Success');
    const refused = channelSession(`${s.base}/exec/default/web/uid-other/main?command=true&output=1`);
    await expect(refused).rejects.toThrow(/^HTTP 500: .*"message":"container not found \(\\"main\\"\)"/);
  });

  it('attach: output written after the attach arrives; the container\'s exit ends it with Success', async () => {
    const { c, s } = await start([web()]);
    const id = idOf(c, 'main');
    const session = await channelSession(`${s.base}/attach/default/web/main?output=1&error=1`, {
      onOpen: async () => {
        await new Promise((r) => setTimeout(r, 50));
        c.rt.appendLog(id, 'live line\n');
        c.rt.exitContainer(id, 0);
      },
    });
    expect(session).toMatchObject({ stdout: 'live line\n', status: { status: 'Success' } });
  });

  it('refuses with a Status: streams, pod, container, command, plain HTTP, method', async () => {
    const { c, s } = await start([web(), pod('done', { restartPolicy: 'Never' })]);
    c.rt.exitContainer(idOf(c, 'main', 'done'), 0);
    await c.advance(1500);
    const refusal = (path: string) => channelSession(`${s.base}${path}`).then(() => 'upgraded', (e: Error) => e.message);
    const status = (code: number, reason: string, message: string) => `HTTP ${code}: ${JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code })}`;
    expect(await refusal('/exec/default/web/main?command=true')).toBe(status(400, 'BadRequest', 'you must specify at least 1 of stdin, stdout, stderr'));
    expect(await refusal('/exec/default/nope/main?command=true&output=1')).toBe(status(404, 'NotFound', 'pod does not exist'));
    expect(await refusal('/exec/default/web/other?command=true&output=1')).toBe(status(500, 'InternalError', 'container not found ("other")'));
    expect(await refusal('/attach/default/done/main?output=1')).toBe(status(500, 'InternalError', 'container not found ("main")'));
    expect(await refusal('/exec/default/web/main?output=1')).toBe(status(400, 'BadRequest', 'you must specify at least one command for the container'));
    const plain = await call(`${s.base}/exec/default/web/main?command=true&output=1`, 'POST');
    expect(plain).toMatchObject({ code: 400, type: 'application/json' });
    expect(JSON.parse(plain.body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Upgrade request required', reason: 'BadRequest', code: 400 });
    expect(await call(`${s.base}/attach/default/web/main?output=1`, 'PUT')).toMatchObject({ code: 405, allow: 'GET, POST' });
  });

  it('refuses SPDY and port-forward with a Status that says so', async () => {
    const { s } = await start([web()]);
    const spdy = await rawUpgrade(s.port, 'POST', '/exec/default/web/main?command=sh&input=1&output=1&tty=1', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
    expect(spdy).toMatch(/^HTTP\/1.1 400 /);
    expect(bodyOf(spdy)).toMatchObject({ kind: 'Status', code: 400, message: expect.stringContaining('over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only, not SPDY/3.1') });
    const pf = await rawUpgrade(s.port, 'GET', '/portForward/default/web?ports=80', { Upgrade: 'SPDY/3.1' });
    expect(bodyOf(pf)).toMatchObject({ code: 400, message: expect.stringContaining('port-forward is not supported by mini-kubelet') });
    const noProtocol = channelSession(`${s.base}/exec/default/web/main?command=true&output=1`, { protocol: 'channel.k8s.io' });
    await expect(noProtocol).rejects.toThrow(/^HTTP 400: .*no supported subprotocol: offered \[channel.k8s.io\]/);
  });

  it('without the write rule\'s consent exec, attach and port-forward are 401; logs stay readable', async () => {
    const { c, s } = await start([web()], { allows: false });
    c.rt.setLog(idOf(c, 'main'), 'readable\n');
    for (const path of ['/exec/default/web/main?command=true&output=1', '/attach/default/web/main?output=1', '/portForward/default/web']) {
      const raw = await rawUpgrade(s.port, 'GET', path, { Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' });
      expect(raw, path).toMatch(/^HTTP\/1.1 401 /);
      expect(bodyOf(raw), path).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401, message: expect.stringContaining('--token-file') });
    }
    expect(await call(`${s.base}/containerLogs/default/web/main`)).toMatchObject({ code: 200, body: 'readable\n' });
  });
});
