// Real Docker: the kubelet's streaming endpoints (agent/kubelet-server/) over a real node:http server, on busybox
// containers made with cri/docker directly and a pod manager and PLEG cache filled by hand (the routes are not
// wired into the agent's server yet): /containerLogs (tailLines, timestamps, previous and its error, follow
// until the container ends), and /exec over the v5 channel WebSocket (output, stdin with half-close, exit 3 →
// NonZeroExitCode).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { kubeletStreamRoutes } from '../../../agent/kubelet-server/index.js';
import { toRuntimeContainerStatus } from '../../../agent/kuberuntime/labels.js';
import { PodCache } from '../../../agent/pleg/pod-cache.js';
import { PodManager } from '../../../agent/pod-manager.js';
import { readAll, waitFor } from '../../helpers/docker-rig.js';
import { call, channelSession, follow, serveRoutes, type ServedRoutes } from '../../helpers/kubelet-streams-client.js';
import { containerConfig, runContainer, usePod, waitExited } from '../cri/fixtures.js';

const tp = usePod('kstreams');
const cache = new PodCache();
let served: ServedRoutes;
let side: string;

/** PLEG's view of the pod, read from Docker now: every instance, newest first. */
async function refreshCache(ids: string[]): Promise<void> {
  const statuses = await Promise.all(ids.map(async (id) => toRuntimeContainerStatus(await tp.rt.containerStatus(id), '')));
  const m = tp.sb.metadata;
  cache.set({ uid: m.uid, name: m.name, namespace: m.namespace, sandboxes: [], containers: statuses.sort((a, b) => b.createdAt - a.createdAt), timestamp: Date.now() });
}

beforeAll(async () => {
  const old = await runContainer(tp.rt, tp.sandboxId, tp.sb, containerConfig('main', ['sh', '-c', 'echo old; exit 1']));
  await waitExited(tp.rt, old);
  const main = await runContainer(tp.rt, tp.sandboxId, tp.sb, containerConfig('main', ['sh', '-c', 'echo one; echo two; echo three; exec sleep 3600'], { metadata: { name: 'main', attempt: 1 } }));
  side = await runContainer(tp.rt, tp.sandboxId, tp.sb, containerConfig('side', ['sh', '-c', 'echo side; exec sleep 3600']));
  await waitFor(async () => (await readAll(await tp.rt.containerLogs(main, {}))).includes('three'), { timeoutMs: 10_000, message: 'main printed nothing' });
  await refreshCache([old, main, side]);
  const m = tp.sb.metadata;
  const pod: Pod = {
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
    spec: { containers: [{ name: 'main', image: 'busybox:latest' }, { name: 'side', image: 'busybox:latest' }] },
  };
  const pods = new PodManager();
  pods.set({ pod, source: 'file', origin: 'kstreams.yaml' });
  served = await serveRoutes(kubeletStreamRoutes({ pods, cache, runtime: tp.rt, log: { debug() {}, warn() {} }, now: () => Date.now(), allows: () => true }));
});

afterAll(async () => { await served?.close(); });

describe('the kubelet streaming endpoints on Docker', () => {
  const logs = (q = '') => call(`${served.base}/containerLogs/default/kstreams/main${q}`);

  it('containerLogs: the current instance, tailLines, timestamps', async () => {
    expect(await logs()).toMatchObject({ code: 200, type: 'text/plain', body: 'one\ntwo\nthree\n' });
    expect((await logs('?tailLines=1')).body).toBe('three\n');
    const stamped = (await logs('?timestamps=true&tailLines=2')).body.trimEnd().split('\n');
    expect(stamped).toHaveLength(2);
    expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z two$/);
    expect(stamped[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three$/);
  });

  it('containerLogs: previous reads the exited instance; a container with none is the kubelet\'s 400', async () => {
    expect(await logs('?previous=true')).toMatchObject({ code: 200, body: 'old\n' });
    expect(await call(`${served.base}/containerLogs/default/kstreams/side?previous=true`))
      .toMatchObject({ code: 400, body: 'previous terminated container "side" in pod "kstreams" not found' });
  });

  it('exec over v5: output, then Success', async () => {
    const s = await channelSession(`${served.base}/exec/default/kstreams/main?command=echo&command=hello&output=1&error=1`);
    expect(s).toEqual({ protocol: 'v5.channel.k8s.io', stdout: 'hello\n', stderr: '', status: { metadata: {}, status: 'Success' } });
  });

  it('exec with stdin: the bytes reach the process and the half-close ends its input', async () => {
    const s = await channelSession(`${served.base}/exec/default/kstreams/main?command=tr&command=a-z&command=A-Z&input=1&output=1`, { stdin: 'shout\n', closeStdin: true });
    expect(s).toMatchObject({ stdout: 'SHOUT\n', status: { status: 'Success' } });
  });

  it('exec exiting 3 is NonZeroExitCode with the code', async () => {
    const s = await channelSession(`${served.base}/exec/default/kstreams/main?command=sh&command=-c&command=echo%20oops%20%3E%262%3B%20exit%203&output=1&error=1`);
    expect(s.stderr).toBe('oops\n');
    expect(s.status).toEqual({
      metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('containerLogs follow: a line written later arrives, and the stream ends when the container stops', async () => {
    const f = await follow(`${served.base}/containerLogs/default/kstreams/side?follow=true`);
    expect(f.res.statusCode).toBe(200);
    await waitFor(async () => f.text() === 'side\n', { timeoutMs: 10_000, message: () => `follow saw ${JSON.stringify(f.text())}` });
    await tp.rt.execSync(side, ['sh', '-c', 'echo later > /proc/1/fd/1'], 5000);
    await waitFor(async () => f.text() === 'side\nlater\n', { timeoutMs: 10_000, message: () => `follow saw ${JSON.stringify(f.text())}` });
    await tp.rt.stopContainer(side, 0);
    await f.ended;
    expect(f.res.complete).toBe(true);
  });
});
