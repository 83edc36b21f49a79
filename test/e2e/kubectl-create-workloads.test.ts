// test/e2e/kubectl-create-workloads.test.ts — issue 12 through the real kubectl on a real agent and Docker:
// (1) kubectl's typed `create deployment` and `create job` post protobuf bodies (registry/proto/ layouts):
// the Deployment is stored with the spec kubectl built and its pod runs; the Job is stored with its
// command. (2) A ReplicationController: apply 2 replicas of busybox sleep → 2 pods Running named
// `<rc>-<5 chars>`, `kubectl get rc` (+ -o wide), `kubectl scale rc` to 3, a deleted pod is replaced,
// `kubectl delete rc` removes its pods (cascade).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-create-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

interface PodItem { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }

/** Pods of a label selector (not being deleted) and how many of them run. */
async function podsOf(selector: string): Promise<{ names: string[]; running: number }> {
  const r = await fetch(`${rig.url}/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`);
  const items = ((await r.json()) as { items: PodItem[] }).items.filter((p) => !p.metadata.deletionTimestamp);
  return { names: items.map((p) => p.metadata.name).sort(), running: items.filter((p) => p.status?.phase === 'Running').length };
}
async function runningExactly(selector: string, n: number, timeoutMs = 90_000): Promise<string[]> {
  let last = {};
  return waitFor(async () => { const p = await podsOf(selector); last = p; return p.names.length === n && p.running === n ? p.names : undefined; },
    { timeoutMs, intervalMs: 300, message: () => `want ${n} Running pods of ${selector}: ${JSON.stringify(last)}` });
}

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop({ reset: true }); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('typed kubectl create (protobuf bodies)', () => {
  it('create deployment web --image=busybox:latest -- sleep 3600: stored as sent, its pod runs', async () => {
    const made = await k('create', 'deployment', 'web', '--image=busybox:latest', '--', 'sleep', '3600');
    expect({ out: made.stdout, err: made.stderr, code: made.exitCode }).toEqual({ out: 'deployment.apps/web created\n', err: '', code: 0 });
    const d = JSON.parse((await k('get', 'deployment', 'web', '-o', 'json')).stdout);
    expect({ labels: d.metadata.labels, replicas: d.spec.replicas, selector: d.spec.selector, strategy: d.spec.strategy, templateLabels: d.spec.template.metadata.labels }).toEqual({
      labels: { app: 'web' }, replicas: 1, selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, templateLabels: { app: 'web' },
    });
    expect(d.spec.template.spec.containers).toEqual([{
      name: 'busybox', image: 'busybox:latest', command: ['sleep', '3600'], resources: {},
      imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    }]);
    const [name] = await runningExactly('app=web', 1);
    expect(name).toMatch(/^web-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
    expect((await k('get', 'deployment', 'web', '--no-headers')).stdout).toMatch(/^web\s+1\/1\s+1\s+1\s+/);
  });

  it('create job: the body decodes to the Job kubectl built', async () => {
    const made = await k('create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi');
    expect({ out: made.stdout, err: made.stderr }).toEqual({ out: 'job.batch/once created\n', err: '' });
    const j = JSON.parse((await k('get', 'job', 'once', '-o', 'json')).stdout);
    expect({ restartPolicy: j.spec.template.spec.restartPolicy, container: { name: j.spec.template.spec.containers[0].name, command: j.spec.template.spec.containers[0].command } })
      .toEqual({ restartPolicy: 'Never', container: { name: 'once', command: ['echo', 'hi'] } });
  });
});

const rc = JSON.stringify({
  apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'sleeper' },
  spec: {
    replicas: 2,
    template: {
      metadata: { labels: { app: 'sleeper' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'busybox', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    },
  },
});

describe('a ReplicationController', () => {
  it('apply 2 replicas → 2 Running; get rc; scale to 3; a deleted pod is replaced; delete rc removes its pods', async () => {
    writeFileSync(join(files, 'rc.json'), rc);
    const applied = await k('apply', '-f', join(files, 'rc.json'));
    expect(applied.stdout, applied.stderr).toBe('replicationcontroller/sleeper created\n');
    const two = await runningExactly('app=sleeper', 2);
    for (const n of two) expect(n).toMatch(/^sleeper-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await waitFor(async () => ((await k('get', 'rc', 'sleeper', '--no-headers')).stdout.match(/^sleeper\s+2\s+2\s+2\s+/) ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 300, message: 'get rc never showed 2 2 2' });
    const wide = (await k('get', 'rc', '-o', 'wide')).stdout.split('\n');
    expect(wide[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
    expect(wide[1]).toMatch(/^sleeper\s+2\s+2\s+2\s+\S+\s+busybox\s+busybox:latest\s+app=sleeper$/);

    expect((await k('scale', 'rc', 'sleeper', '--replicas=3')).stdout).toBe('replicationcontroller/sleeper scaled\n');
    const three = await runningExactly('app=sleeper', 3);
    expect(three).toEqual(expect.arrayContaining(two));

    expect((await k('delete', 'pod', two[0]!, '--wait=false')).stdout).toBe(`pod "${two[0]}" deleted\n`);
    const replaced = await runningExactly('app=sleeper', 3);
    expect(replaced).not.toContain(two[0]);

    expect((await k('delete', 'rc', 'sleeper')).stdout).toBe('replicationcontroller "sleeper" deleted\n');
    await waitFor(async () => ((await podsOf('app=sleeper')).names.length === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 300, message: 'the RC\'s pods are still there' });
    expect((await k('get', 'rc', '--no-headers')).stderr).toBe('No resources found in default namespace.\n');
  });
});
