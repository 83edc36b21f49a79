// Real Docker, faults: garbage. Container GC keeps only the newest dead instance per container and removes
// dead sandboxes that are not the newest; nothing the agent made outlives its pod (containers, sandboxes,
// memory volumes, the pod directory); `mini-kubelet reset` leaves nothing labelled with the node.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_LABEL } from '../../agent/kuberuntime/labels.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { requireDocker, waitFor } from '../helpers/docker-rig.js';
import { cstatus, nodeNetworks, podDirs, podYaml } from './manifests.js';

const bin = join(import.meta.dirname, '../../bin/mini-kubelet');
let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig({}, { gcPeriodMs: 500 }); });
afterAll(async () => { await rig?.stop(); });

interface Obj { id: string; pod: string; uid: string; container: string; sandbox: boolean; state: string; sandboxId: string }
async function objects(node: string): Promise<Obj[]> {
  const d = await requireDocker();
  const list = await d.listContainers({ all: true, filters: { label: [`${NODE_LABEL}=${node}`] } });
  return list.map((c) => {
    const l = c.Labels ?? {};
    const sandbox = l['io.kubernetes.docker.type'] === 'podsandbox';
    return { id: c.Id, pod: l['io.kubernetes.pod.name'] ?? '', uid: l['io.kubernetes.pod.uid'] ?? '', container: sandbox ? 'POD' : l['io.kubernetes.container.name'] ?? '', sandbox, state: c.State, sandboxId: l['io.kubernetes.sandbox.id'] ?? '' };
  });
}

function labelled(kind: 'volume' | 'network', label: string): string[] {
  return execFileSync('docker', [kind, 'ls', '-q', '--filter', `label=${label}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

const CRASHY = podYaml('crashy', {
  inits: [{ name: 'prepare', cmd: 'echo ready > /work/ready', extra: '    volumeMounts: [{name: work, mountPath: /work}]\n' }],
  containers: [{ name: 'main', cmd: 'cat /work/ready; sleep 0.5; exit 3', extra: '    volumeMounts: [{name: work, mountPath: /work}, {name: mem, mountPath: /mem}]\n' }],
  extra: '  volumes:\n  - name: work\n    emptyDir: {}\n  - name: mem\n    emptyDir: {medium: Memory, sizeLimit: 1Mi}\n',
});

describe('garbage collection', () => {
  it('a crash-looping pod keeps one dead instance per container; a replaced sandbox goes; deletion leaves nothing', async () => {
    rig.write('crashy.yaml', CRASHY);
    const p = await rig.waitForPod('crashy', (x) => (cstatus(x, 'main')?.restartCount ?? 0) >= 2, 60_000, 'two restarts');
    const uid = p.metadata!.uid!;

    // Kill the pause container: the kubelet makes a new sandbox (attempt 1) and runs the init container again.
    const first = (await objects(rig.nodeName)).find((o) => o.pod === 'crashy' && o.sandbox)!;
    execFileSync('docker', ['kill', first.id], { stdio: 'ignore' });
    await waitFor(async () => (await objects(rig.nodeName)).some((o) => o.pod === 'crashy' && o.sandbox && o.id !== first.id && o.state === 'running'),
      { timeoutMs: 30_000, intervalMs: 200, message: 'a new sandbox' });
    const restarts = cstatus(await rig.pod('crashy'), 'main')!.restartCount;
    await rig.waitForPod('crashy', (x) => (cstatus(x, 'main')?.restartCount ?? 0) >= restarts + 2, 60_000, 'crashes in the new sandbox');

    // GC (every 500 ms here): per container at most one dead instance; the old sandbox is gone.
    let last: Obj[] = [];
    await waitFor(async () => {
      last = (await objects(rig.nodeName)).filter((o) => o.pod === 'crashy');
      const dead = (name: string) => last.filter((o) => o.container === name && o.state !== 'running').length;
      return dead('main') <= 1 && dead('prepare') <= 1 && last.filter((o) => o.sandbox).length === 1 ? true : undefined;
    }, { timeoutMs: 20_000, intervalMs: 200, message: () => `GC left ${JSON.stringify(last.map((o) => [o.container, o.state]))}` });
    expect(last.find((o) => o.sandbox)!.id).not.toBe(first.id);
    expect(last.filter((o) => o.container === 'main').length).toBeLessThanOrEqual(2);
    // The newest dead instance stays: it is lastState (and `kubectl logs --previous`).
    const now = await rig.waitForPod('crashy', (x) => !!cstatus(x, 'main')?.lastState?.terminated, 10_000, 'lastState');
    expect(cstatus(now, 'main')!.lastState!.terminated!.exitCode).toBe(3);

    rig.remove('crashy.yaml');
    await rig.waitForGone('crashy', 30_000);
    expect((await objects(rig.nodeName)).filter((o) => o.uid === uid)).toEqual([]);
    expect(existsSync(join(rig.rootDir, 'pods', uid))).toBe(false);
    expect(labelled('volume', `io.kubernetes.pod.uid=${uid}`)).toEqual([]);
  });
});

describe('mini-kubelet reset', () => {
  it('after the agent stopped with pods running, reset --hostname-override removes everything labelled with the node', async () => {
    const r = await startAgentRig();
    try {
      r.write('web.yaml', podYaml('web', { containers: [{ name: 'main', cmd: 'sleep 3600' }], extra: '  volumes:\n  - name: mem\n    emptyDir: {medium: Memory}\n' }));
      r.write('inits.yaml', podYaml('inits', { inits: [{ name: 'one', cmd: 'true' }], containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
      r.write('done.yaml', podYaml('done', { policy: 'Never', containers: [{ name: 'main', cmd: 'exit 0' }] }));
      await r.waitForPod('web', (x) => x.status?.phase === 'Running', 30_000, 'Running');
      await r.waitForPod('inits', (x) => x.status?.phase === 'Running', 30_000, 'Running');
      await r.waitForPod('done', (x) => x.status?.phase === 'Succeeded', 30_000, 'Succeeded');
      await r.stop({ reset: false }); // the kubelet's SIGTERM: pods keep running
      expect((await objects(r.nodeName)).filter((o) => o.state === 'running').length).toBeGreaterThanOrEqual(4);
      expect(podDirs(r.rootDir).length).toBe(3);

      const out = execFileSync(process.execPath, [bin, 'reset', '--hostname-override', r.nodeName, '--root-dir', r.rootDir, '--grace-period', '1'], { encoding: 'utf8', timeout: 60_000 });
      expect(out).toMatch(/removed \d+ containers, 3 pod sandboxes/);
      expect(await objects(r.nodeName)).toEqual([]);
      expect(labelled('volume', `${NODE_LABEL}=${r.nodeName}`)).toEqual([]);
      expect(nodeNetworks(r.nodeName)).toEqual([]);
      expect(podDirs(r.rootDir)).toEqual([]);
    } finally {
      await r.stop().catch(() => undefined);
    }
  });
});
