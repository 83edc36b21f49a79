// Real Docker: requests and limits → cgroup limits read inside the container (v1 or v2), cpu.shares from the
// request, the pod's qosClass and its OOM score, and a container over its memory limit OOMKilled.
import { totalmem } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { docker, dockerExec, pod, runningContainer } from './helpers.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

/** The container's cgroup limits, from cgroup v2 files or their v1 equivalents. */
async function cgroup(id: string): Promise<{ memory: string; quota: string; period: string; shares: number }> {
  const v2 = (await dockerExec(id, ['cat', '/sys/fs/cgroup/cpu.max'])).code === 0;
  const read = async (f: string) => (await dockerExec(id, ['cat', f])).stdout.trim();
  if (v2) {
    const [quota, period] = (await read('/sys/fs/cgroup/cpu.max')).split(' ');
    const weight = Number(await read('/sys/fs/cgroup/cpu.weight'));
    // Docker/runc map shares to weight: 1 + (shares − 2)·9999/262142; invert for the comparison.
    return { memory: await read('/sys/fs/cgroup/memory.max'), quota: quota!, period: period!, shares: Math.round(((weight - 1) * 262142) / 9999 + 2) };
  }
  return {
    memory: await read('/sys/fs/cgroup/memory/memory.limit_in_bytes'),
    quota: await read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'),
    period: await read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'),
    shares: Number(await read('/sys/fs/cgroup/cpu/cpu.shares')),
  };
}

const oomScoreAdj = async (id: string) => Number((await dockerExec(id, ['cat', '/proc/1/oom_score_adj'])).stdout.trim());

describe.concurrent('resources', () => {
  it('Burstable: memory limit, CFS quota from the cpu limit, shares from the request, OOM score by the request', async ({ expect }) => {
    rig.write('burst.yaml', pod('burst', { container: 'resources:\n  requests: {cpu: 250m, memory: 32Mi}\n  limits: {cpu: 500m, memory: 64Mi}' }));
    const id = await runningContainer(rig, 'burst', 'main');
    const cg = await cgroup(id);
    expect(cg.memory).toBe(String(64 * 2 ** 20));
    expect(cg.quota).toBe('50000');
    expect(cg.period).toBe('100000');
    expect(Math.abs(cg.shares - 256)).toBeLessThanOrEqual(cg.shares === 256 ? 0 : 30); // exact on v1; v2's weight is coarse
    expect((await rig.pod('burst'))!.status!.qosClass).toBe('Burstable');
    const expected = Math.max(3, Math.min(999, 1000 - Math.trunc((1000 * 32 * 2 ** 20) / totalmem())));
    expect(await oomScoreAdj(id)).toBe(expected);
  });

  it('Guaranteed (limits only: requests default to them): OOM score −997 (0 where Docker cannot lower it)', async ({ expect }) => {
    rig.write('guar.yaml', pod('guar', { container: 'resources:\n  limits: {cpu: 100m, memory: 48Mi}' }));
    const id = await runningContainer(rig, 'guar', 'main');
    const p = (await rig.pod('guar'))!;
    expect(p.status!.qosClass).toBe('Guaranteed');
    expect(p.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '100m', memory: '48Mi' });
    const cg = await cgroup(id);
    expect(cg.memory).toBe(String(48 * 2 ** 20));
    expect(cg.quota).toBe('10000');
    // An engine without CAP_SYS_RESOURCE cannot set a negative score; the runtime raises it to 0 there.
    const canLower = await docker('run', '--rm', '--label', `io.mini-kubelet.test-run=${process.env.MK_TEST_RUN}`, '--oom-score-adj=-1', 'busybox:latest', 'true').then(() => true, () => false);
    expect(await oomScoreAdj(id)).toBe(canLower ? -997 : 0);
  });

  it('BestEffort: no limits, the minimum cpu shares, OOM score 1000', async ({ expect }) => {
    rig.write('best.yaml', pod('best', {}));
    const id = await runningContainer(rig, 'best', 'main');
    expect((await rig.pod('best'))!.status!.qosClass).toBe('BestEffort');
    const cg = await cgroup(id);
    expect(['-1', 'max']).toContain(cg.quota);
    expect(cg.shares).toBeLessThanOrEqual(2);
    expect(await oomScoreAdj(id)).toBe(1000);
  });

  it('a container over its memory limit is OOMKilled: reason OOMKilled, exit code 137', async ({ expect }) => {
    rig.write('oom.yaml', pod('oom', {
      cmd: 'sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=64M count=1', // past start-up: see the cri OOM test
      container: 'resources: {limits: {memory: 16Mi}}',
      spec: 'restartPolicy: Never',
    }));
    const p = await rig.waitForPod('oom', (x) => x.status?.phase === 'Failed', 90_000, 'Failed');
    expect(containerStatus(p, 'main')!.state!.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });
});
