// test/faults/split-mode.test.ts — issue 11's faults in split mode, with real processes: agent A (control plane
// + kubelet) and agent B started as `mini-kubelet agent --kubeconfig FILE` (the kubelet alone, a client of
// A's API), on one Docker engine. kill -9 of B while A runs, then kill -9 of A under a running B: after each
// restart both converge — B's pod keeps its one sandbox and one container (nothing lost, nothing doubled), a pod
// made after the control plane came back runs on B, and a delete through the API removes it from Docker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpawnedAgent, type NodeContainer } from '../helpers/spawned-agent.js';
import { waitFor } from '../helpers/docker-rig.js';

const a = new SpawnedAgent();
const kubeconfigDir = mkdtempSync(join(tmpdir(), 'mk-split-'));
const kubeconfig = join(kubeconfigDir, 'kubeconfig.yaml');
const b = new SpawnedAgent({ args: ['--kubeconfig', kubeconfig] });
afterAll(async () => { await b.cleanup(); await a.cleanup(); rmSync(kubeconfigDir, { recursive: true, force: true }); });

const podJson = (name: string, node: string) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: {
    nodeName: node, terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.2; done"] }],
  },
});
const create = async (name: string): Promise<number> => (await fetch(`${a.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: podJson(name, b.node) })).status;
const phase = async (name: string): Promise<string | undefined> => {
  const r = await fetch(`${a.url}/api/v1/namespaces/default/pods/${name}`).catch(() => undefined);
  return r?.ok ? ((await r.json()) as { status?: { phase?: string } }).status?.phase : undefined;
};
const runningOnB = (name: string) => waitFor(async () => ((await phase(name)) === 'Running' ? true : undefined), { timeoutMs: 60_000, intervalMs: 200, message: () => `${name} not Running on B; B's log: ${b.log.slice(-1500)}` });
const ids = (cs: NodeContainer[], pod: string): string[] => cs.filter((c) => c.pod === pod).map((c) => `${c.container}:${c.id}:${c.state}`).sort();

describe('split mode: a kubelet alone (--kubeconfig) beside the control plane', () => {
  it('kill -9 of the kubelet, then of the control plane under it: both converge, pods neither lost nor doubled', async () => {
    await a.start();
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: a, cluster: {server: "${a.url}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: a, context: {cluster: a, user: u}}]\ncurrent-context: a\n`);
    await b.start();
    await waitFor(async () => {
      const r = await fetch(`${a.url}/api/v1/nodes/${b.node}`);
      return r.ok && ((await r.json()) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, message: () => `node ${b.node} not Ready; log: ${b.log.slice(-1500)}` });

    expect(await create('survivor')).toBe(201);
    await runningOnB('survivor');
    const before = ids(await b.containers(), 'survivor');
    expect(before.map((s) => s.split(':')[0])).toEqual(['POD', 'main']);

    // The kubelet dies; the pod goes on in Docker; a new kubelet process adopts it.
    await b.kill9();
    await b.start();
    await runningOnB('survivor');
    expect(ids(await b.containers(), 'survivor')).toEqual(before);
    expect((await a.containers()).filter((c) => c.pod === 'survivor')).toEqual([]);

    // The control plane dies under the running kubelet and comes back on the same port and root dir.
    await a.kill9();
    await a.start();
    expect(await create('after-restart')).toBe(201);
    await runningOnB('after-restart');
    expect(await phase('survivor')).toBe('Running');
    expect(ids(await b.containers(), 'survivor')).toEqual(before);

    // A delete through the restarted API reaches the kubelet: the object goes once its containers have.
    expect((await fetch(`${a.url}/api/v1/namespaces/default/pods/survivor`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(async () => ((await fetch(`${a.url}/api/v1/namespaces/default/pods/survivor`)).status === 404 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200, message: 'survivor not deleted' });
    expect((await b.containers()).filter((c) => c.pod === 'survivor' && c.state === 'running')).toEqual([]);
  });
});
