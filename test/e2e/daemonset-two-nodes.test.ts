// test/e2e/daemonset-two-nodes.test.ts — a DaemonSet on two nodes (issue 12's acceptance), real kubectl and
// real Docker: the single node (control plane + kubelet A) and a second kubelet B joined as a client of A's API
// (split mode, as test/e2e/two-nodes.test.ts). `kubectl apply` of a DaemonSet → one pod Running on each node
// (their containers on that node only); `kubectl get ds` columns; a nodeSelector matching one node → one pod,
// `kubectl label node` of the other → a pod there too; `kubectl set image ds/x` → rolling update one node at a
// time (never both nodes without a Ready pod, never two live pods on a node), `kubectl rollout status` completes,
// `kubectl rollout history` lists revisions 1 and 2, `kubectl rollout undo` brings the first image back,
// `kubectl rollout restart` makes both pods again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../client/http.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-daemonset-'));
let a: AgentRig;
let b: AgentRig;
let client: HttpKubeClient;
const k = (...args: string[]) => kubectl.run(a.url, ...args);

const daemonSet = (name: string, nodeSelector?: Record<string, string>) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        ...(nodeSelector ? { nodeSelector } : {}), terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }],
      },
    },
  },
});

interface PodItem { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } }
async function podsOf(app: string): Promise<PodItem[]> {
  const r = await fetch(`${a.url}/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`);
  return ((await r.json()) as { items: PodItem[] }).items;
}
const ready = (p: PodItem): boolean => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
/** `node=phase` of the live pods, sorted. */
const placement = async (app: string): Promise<string> =>
  (await podsOf(app)).filter((p) => !p.metadata.deletionTimestamp).map((p) => `${p.spec.nodeName ?? ''}=${p.status?.phase ?? ''}`).sort().join(',');
const apply = async (name: string, body: string): Promise<string> => {
  writeFileSync(join(files, `${name}.json`), body);
  const r = await k('apply', '-f', join(files, `${name}.json`));
  return r.stdout || r.stderr;
};

beforeAll(async () => {
  a = await startAgentRig();
  client = new HttpKubeClient({ server: a.url });
  b = await startAgentRig({}, { client });
  await waitFor(async () => {
    const r = await k('get', 'nodes', '--no-headers');
    return (r.stdout.match(/ Ready /g) ?? []).length === 2 ? true : undefined;
  }, { timeoutMs: 30_000, intervalMs: 300, message: 'both nodes Ready' });
});
afterAll(async () => {
  await k('delete', 'ds', '--all', '--wait=false').catch(() => undefined);
  await b?.stop();
  await client?.close();
  await a?.stop();
  kubectl.dispose();
  rmSync(files, { recursive: true, force: true });
});

describe('a DaemonSet on two nodes', () => {
  it('one pod on each node; kubectl get ds shows 2 desired, current, ready, up-to-date, available', async () => {
    expect(await apply('agent', daemonSet('agent'))).toBe('daemonset.apps/agent created\n');
    const want = [`${a.nodeName}=Running`, `${b.nodeName}=Running`].sort().join(',');
    await waitFor(async () => ((await placement('agent')) === want ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'a Running pod on each node' });
    const mine = (rig: AgentRig) => rig.dockerContainers().filter((n) => n.includes('_agent-') && !n.startsWith('k8s_POD'));
    expect([mine(a).length, mine(b).length]).toEqual([1, 1]);
    await waitFor(async () => ((await k('get', 'ds', 'agent', '-o', 'jsonpath={.status.numberAvailable}')).stdout === '2' ? true : undefined), { timeoutMs: 30_000, intervalMs: 300, message: 'status numberAvailable 2' });
    const row = (await k('get', 'ds', 'agent', '--no-headers')).stdout.trim().split(/\s+/);
    expect(row.slice(0, 7)).toEqual(['agent', '2', '2', '2', '2', '2', '<none>']);
    const wide = (await k('get', 'ds', 'agent', '-o', 'wide')).stdout.split('\n');
    expect(wide[0]!.split(/\s{2,}/)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide[1]!.split(/\s+/).slice(-3)).toEqual(['main', 'busybox', 'app=agent']);
  });

  it('a nodeSelector matching one node runs one pod; labelling the other node adds a pod there', async () => {
    expect((await k('label', 'node', a.nodeName, 'mk-test-role=edge')).exitCode).toBe(0);
    expect(await apply('edge', daemonSet('edge', { 'mk-test-role': 'edge' }))).toBe('daemonset.apps/edge created\n');
    await waitFor(async () => ((await placement('edge')) === `${a.nodeName}=Running` ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'one pod on the labelled node' });
    expect((await k('get', 'ds', 'edge', '--no-headers')).stdout.trim().split(/\s+/).slice(0, 7)).toEqual(['edge', '1', '1', '1', '1', '1', 'mk-test-role=edge']);
    expect((await k('label', 'node', b.nodeName, 'mk-test-role=edge')).exitCode).toBe(0);
    const want = [`${a.nodeName}=Running`, `${b.nodeName}=Running`].sort().join(',');
    await waitFor(async () => ((await placement('edge')) === want ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'a pod on the newly labelled node' });
  });

  it('set image rolls one node at a time; rollout status completes; history lists 2 revisions; undo goes back; restart', async () => {
    const samples: { ready: number; perNodeMax: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const live = (await podsOf('agent')).filter((p) => !p.metadata.deletionTimestamp);
        const perNode = new Map<string, number>();
        for (const p of live) perNode.set(p.spec.nodeName ?? '', (perNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
        samples.push({ ready: live.filter(ready).length, perNodeMax: Math.max(0, ...perNode.values()) });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    expect((await k('set', 'image', 'ds/agent', 'main=busybox:latest')).stdout).toBe('daemonset.apps/agent image updated\n');
    const status = await k('rollout', 'status', 'ds/agent', '--timeout=120s');
    sampling = false;
    await sampler;
    expect(status.stdout, status.stderr).toContain('daemon set "agent" successfully rolled out');
    expect({ minReady: Math.min(...samples.map((s) => s.ready)), perNodeMax: Math.max(...samples.map((s) => s.perNodeMax)) }).toEqual({ minReady: 1, perNodeMax: 1 });
    const images = async (): Promise<string> => (await k('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).stdout;
    expect(await images()).toBe('busybox:latest busybox:latest');

    const history = await k('rollout', 'history', 'ds/agent');
    expect(history.stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2']);
    expect((await k('get', 'controllerrevisions', '-l', 'app=agent', '--no-headers')).stdout).toMatch(/^agent-[4-9bcdf]+\s+daemonset\.apps\/agent\s+[12]\s/m);

    expect((await k('rollout', 'undo', 'ds/agent')).stdout).toBe('daemonset.apps/agent rolled back\n');
    expect((await k('rollout', 'status', 'ds/agent', '--timeout=120s')).stdout).toContain('successfully rolled out');
    await waitFor(async () => ((await images()) === 'busybox busybox' ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'the first image back on both nodes' });

    expect((await k('rollout', 'restart', 'ds/agent')).stdout).toBe('daemonset.apps/agent restarted\n');
    expect((await k('rollout', 'status', 'ds/agent', '--timeout=120s')).stdout).toContain('successfully rolled out');
    await waitFor(async () => ((await k('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}')).stdout.split(' ').filter(Boolean).length === 2 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 300, message: 'both pods made again by rollout restart' });
  });
});
