// Real Docker: application containers — create/start/stop/remove/list/status, command/args rules, the
// cri-dockerd status mapping, one network namespace per pod, the stop protocol, OOM kills.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { PodSandboxConfig } from '../../../cri/api.js';
import { hasCode, isAlreadyExists, isNotFound } from '../../../cri/errors.js';
import { readAll, requireDocker, waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, runContainer, sandboxConfig, usePod, waitExited } from './fixtures.js';

const pod = usePod('ctrs');

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2000 }, (res) => { readAll(res).then(resolve, reject); });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('container lifecycle', () => {
  it('create → CREATED, start → RUNNING with pid, exit 0 → Completed; list and remove', async () => {
    const cfg = containerConfig('life', ['sh', '-c', 'sleep 0.5; exit 0'], {
      metadata: { name: 'life', attempt: 3 },
      labels: { tier: 'x' },
      annotations: { 'io.kubernetes.container.hash': 'abcd', 'json': '{"a":[1,2]}' },
    });
    const id = await pod.rt.createContainer(pod.sandboxId, cfg, pod.sb);
    let st = await pod.rt.containerStatus(id);
    expect(st.state).toBe('CONTAINER_CREATED');
    expect(st.metadata).toEqual({ name: 'life', attempt: 3 });
    expect(st.podSandboxId).toBe(pod.sandboxId);
    expect(st.labels.tier).toBe('x');
    expect(st.labels['io.kubernetes.container.name']).toBe('life');
    expect(st.annotations).toEqual({ 'io.kubernetes.container.hash': 'abcd', json: '{"a":[1,2]}' });
    expect(st.startedAt).toBe(0);
    expect((await (await requireDocker()).getContainer(id).inspect()).Name).toBe(`/k8s_life_ctrs_default_${pod.sb.metadata.uid}_3`);
    await expect(pod.rt.createContainer(pod.sandboxId, cfg, pod.sb)).rejects.toSatisfy(isAlreadyExists);

    await pod.rt.startContainer(id);
    st = await pod.rt.containerStatus(id);
    expect(st.state).toBe('CONTAINER_RUNNING');
    expect(st.pid).toBeGreaterThan(0);
    expect(st.startedAt).toBeGreaterThan(0);
    expect((await pod.rt.listContainers({ podSandboxId: pod.sandboxId, state: 'CONTAINER_RUNNING' })).map((c) => c.id)).toContain(id);

    st = await waitExited(pod.rt, id);
    expect(st).toMatchObject({ exitCode: 0, reason: 'Completed', oomKilled: false, pid: 0 });
    expect(st.finishedAt).toBeGreaterThanOrEqual(st.startedAt);
    const listed = await pod.rt.listContainers({ labelSelector: { 'io.kubernetes.pod.uid': pod.sb.metadata.uid, 'io.kubernetes.container.name': 'life' } });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, state: 'CONTAINER_EXITED', metadata: { name: 'life', attempt: 3 }, podSandboxId: pod.sandboxId });
    expect(listed[0]!.annotations.json).toBe('{"a":[1,2]}');

    await pod.rt.removeContainer(id);
    await pod.rt.removeContainer(id); // idempotent
    await expect(pod.rt.containerStatus(id)).rejects.toSatisfy(isNotFound);
  });

  it('exit ≠ 0 → Error; an unstartable command → ContainerCannotRun (list agrees); state.Error is the message', async () => {
    const failing = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('fails', ['sh', '-c', 'exit 3']));
    expect(await waitExited(pod.rt, failing)).toMatchObject({ exitCode: 3, reason: 'Error' });

    const id = await pod.rt.createContainer(pod.sandboxId, containerConfig('nope', ['/no/such/binary']), pod.sb);
    await expect(pod.rt.startContainer(id)).rejects.toSatisfy((e: unknown) => hasCode(e, 'RunContainerError'));
    const st = await pod.rt.containerStatus(id);
    expect(st.state).toBe('CONTAINER_EXITED');
    expect(st.reason).toBe('ContainerCannotRun');
    expect(st.exitCode).not.toBe(0);
    expect(st.message).toMatch(/no such file|not found/i);
    expect(st.startedAt).toBe(st.createdAt);
    expect(st.finishedAt).toBe(st.createdAt);
    expect((await pod.rt.listContainers({ id }))[0]!.state).toBe('CONTAINER_EXITED');
  });

  it('command/args follow Kubernetes rules; env and workingDir apply', async () => {
    const out = async (name: string, over: Parameters<typeof containerConfig>[2], command?: string[]) => {
      const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig(name, command, over));
      await waitExited(pod.rt, id);
      return readAll(await pod.rt.containerLogs(id, {}));
    };
    // args only: the image entrypoint (none for busybox) + args replace CMD.
    expect(await out('args', { args: ['echo', 'from-args'] })).toBe('from-args\n');
    // command + args.
    expect(await out('cmdargs', { args: ['-c', 'echo "$GREETING from $(pwd)"'], envs: [{ key: 'GREETING', value: 'hi there' }], workingDir: '/tmp' }, ['sh']))
      .toBe('hi there from /tmp\n');
    // command only: the image CMD is dropped.
    expect(await out('cmdonly', {}, ['echo'])).toBe('\n');
  });
});

describe('one network namespace per pod', () => {
  it('two containers share localhost; the host reaches the server at the sandbox IP', async () => {
    const server = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('server', ['sh', '-c', 'mkdir -p /www && echo shared-netns > /www/index.html && exec httpd -f -p 8080 -h /www']));
    const client = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('client', ['sleep', '120']));
    const body = await waitFor(async () => {
      const r = await pod.rt.execSync(client, ['wget', '-qO-', 'http://127.0.0.1:8080/'], 3000);
      return r.exitCode === 0 ? r.stdout : undefined;
    }, { timeoutMs: 10_000, intervalMs: 100, message: 'httpd in the pod did not answer on localhost' });
    expect(body).toBe('shared-netns\n');
    const ip = (await pod.rt.podSandboxStatus(pod.sandboxId)).network.ip;
    expect(await waitFor(() => httpGet(`http://${ip}:8080/`), { timeoutMs: 10_000, message: `no answer at ${ip}:8080` })).toBe('shared-netns\n');
    await Promise.all([pod.rt.removeContainer(server), pod.rt.removeContainer(client)]);
  });
});

describe('StopContainer', () => {
  it('sends the stop signal, then SIGKILL when the timeout ends (137 after ≥ 2 s)', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('trapper', ['sh', '-c', 'trap "echo got TERM" TERM; echo ready; while true; do sleep 0.1; done']));
    await waitFor(async () => (await readAll(await pod.rt.containerLogs(id, {}))).includes('ready'), { timeoutMs: 10_000, message: 'trapper not ready' });
    const started = Date.now();
    await pod.rt.stopContainer(id, 2);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(20_000);
    const st = await pod.rt.containerStatus(id);
    expect(st).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' });
    expect(await readAll(await pod.rt.containerLogs(id, {}))).toContain('got TERM');
    await pod.rt.stopContainer(id, 2); // idempotent on a stopped container
  });

  it('a process that dies on TERM exits 143 quickly (pid namespace shared with the pause process)', async () => {
    const shared: PodSandboxConfig = sandboxConfig('pidpod', { namespaceOptions: { network: 'POD', pid: 'POD', ipc: 'POD' } });
    const sid = await pod.rt.runPodSandbox(shared);
    const id = await runContainer(pod.rt, sid, shared, containerConfig('sleeper', ['sleep', '600']));
    // The pause process is PID 1 of the pod: the container sees it.
    const ps = await pod.rt.execSync(id, ['ps'], 5000);
    expect(ps.stdout).toMatch(/catatonit|pause/);
    const started = Date.now();
    await pod.rt.stopContainer(id, 10);
    expect(Date.now() - started).toBeLessThan(9000);
    expect(await pod.rt.containerStatus(id)).toMatchObject({ exitCode: 143, reason: 'Error' });
    await pod.rt.removePodSandbox(sid);
  });

  it('an explicit signal is sent instead of the default one; SIGKILL follows the timeout', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('usr1', ['sh', '-c', 'trap "echo got USR1; exit 7" USR1; trap "echo got TERM" TERM; while true; do sleep 0.1; done']));
    await waitFor(async () => (await pod.rt.containerStatus(id)).state === 'CONTAINER_RUNNING', { timeoutMs: 5000, message: 'usr1 not running' });
    await new Promise((r) => setTimeout(r, 300)); // let sh install its traps
    await pod.rt.stopContainer(id, 5, 'SIGUSR1');
    expect(await pod.rt.containerStatus(id)).toMatchObject({ exitCode: 7 });
    expect(await readAll(await pod.rt.containerLogs(id, {}))).toBe('got USR1\n');
  });

  it('a stop signal in the config is used by the default stop', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('stopsig', ['sh', '-c', 'trap "exit 9" USR2; while true; do sleep 0.1; done'], { stopSignal: 'SIGUSR2' }));
    await new Promise((r) => setTimeout(r, 300));
    await pod.rt.stopContainer(id, 5);
    expect((await pod.rt.containerStatus(id)).exitCode).toBe(9);
  });

  it('a missing container is NotFound', async () => {
    await expect(pod.rt.stopContainer('0'.repeat(64), 1)).rejects.toSatisfy(isNotFound);
  });
});

describe('resources and security', () => {
  it('a container over its memory limit is OOM-killed: oomKilled, reason OOMKilled, 137', async () => {
    // The hog waits until the container is fully started: killed during start-up (the kernel can be that fast
    // under an 8 MiB limit), Docker 20.10 records no `oom` event at all and neither flag nor event log tells.
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('hog', ['sh', '-c', 'sleep 0.5; x=a; while true; do x=$x$x; done'], {
      linux: { resources: { memoryLimitInBytes: 8 * 1024 * 1024 } },
    }));
    const st = await waitExited(pod.rt, id, 30_000);
    expect({ oomKilled: st.oomKilled, reason: st.reason, exitCode: st.exitCode }, JSON.stringify(st)).toEqual({ oomKilled: true, reason: 'OOMKilled', exitCode: 137 });
  });

  it('user, groups, read-only rootfs, capabilities and cpu/memory settings reach Docker', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('secure', ['sleep', '60'], {
      linux: {
        resources: { cpuPeriod: 100_000, cpuQuota: 50_000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024, oomScoreAdj: 500 },
        securityContext: { runAsUser: 1234, runAsGroup: 4321, supplementalGroups: [55], readonlyRootfs: true, noNewPrivs: true, capabilities: { dropCapabilities: ['NET_RAW'] } },
      },
      mounts: [{ containerPath: '/scratch', hostPath: '/mk-test/memory-volume', tmpfs: { sizeBytes: 1024 * 1024 } }],
    }));
    expect((await pod.rt.execSync(id, ['id'], 5000)).stdout.trim()).toMatch(/^uid=1234 gid=4321 groups=(.*,)?55(,.*)?$/);
    expect((await pod.rt.execSync(id, ['touch', '/x'], 5000)).exitCode).not.toBe(0);
    const hc = (await (await requireDocker()).getContainer(id).inspect()).HostConfig;
    expect(hc).toMatchObject({ CpuPeriod: 100_000, CpuQuota: 50_000, CpuShares: 512, Memory: 64 * 1024 * 1024, OomScoreAdj: 500, ReadonlyRootfs: true, CapDrop: ['NET_RAW'], SecurityOpt: ['no-new-privileges'] });
    const st = await pod.rt.containerStatus(id);
    expect((await pod.rt.execSync(id, ['sh', '-c', 'grep " /scratch " /proc/mounts'], 5000)).stdout).toMatch(/^tmpfs \/scratch tmpfs /);
    expect(st.mounts.some((m) => m.containerPath === '/etc/hosts' && m.hostPath.endsWith('/etc-hosts'))).toBe(true);
    await pod.rt.removeContainer(id);
  });
});
