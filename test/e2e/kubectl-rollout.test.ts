// test/e2e/kubectl-rollout.test.ts — a Deployment's rolling update through the real kubectl on a real agent and
// Docker (issue 12): `kubectl apply` of 3 replicas, `kubectl set image`, `kubectl rollout status` waits for it; at every sample of the rollout at least 3 pods are Ready (maxUnavailable 25% of 3 rounds down to
// 0) and at most 4 exist (maxSurge rounds up to 1); `kubectl rollout undo` goes back to the first template.
// Then `rollout pause` holds a template change (no new ReplicaSet, Progressing DeploymentPaused), `rollout resume`
// rolls it out, `rollout restart` rolls the same template again, and `kubectl scale` resizes it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-rollout-'));
const deployment = JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'busybox', image: 'busybox', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }] },
    },
  },
});
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

interface PodList { items: { metadata: { deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }[] }

/** Pods of the Deployment now: how many exist (not being deleted) and how many of those are Ready. */
async function sample(): Promise<{ live: number; ready: number }> {
  const r = await fetch(`${rig.url}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`);
  const items = ((await r.json()) as PodList).items.filter((p) => !p.metadata.deletionTimestamp);
  return { live: items.length, ready: items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length };
}

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('a Deployment rolling update', () => {
  it('set image rolls out within maxSurge/maxUnavailable; rollout status waits for it; undo goes back', async () => {
    writeFileSync(join(files, 'web.json'), deployment);
    const created = await k('apply', '-f', join(files, 'web.json'));
    expect(created.stdout, created.stderr).toBe('deployment.apps/web created\n');
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=120s')).stdout).toContain('successfully rolled out');

    const samples: { live: number; ready: number }[] = [];
    let sampling = true;
    const sampler = (async () => { while (sampling) { samples.push(await sample()); await new Promise((r) => setTimeout(r, 100)); } })();
    expect((await k('set', 'image', 'deployment/web', 'busybox=busybox:latest')).stdout).toBe('deployment.apps/web image updated\n');
    const status = await k('rollout', 'status', 'deployment/web', '--timeout=120s');
    sampling = false;
    await sampler;
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect({ minReady: Math.min(...samples.map((s) => s.ready)), maxLive: Math.max(...samples.map((s) => s.live)) }).toEqual({ minReady: 3, maxLive: 4 });
    expect((await k('get', 'rs', '-l', 'app=web', '--no-headers')).stdout.split('\n').filter(Boolean)).toHaveLength(2);

    expect((await k('rollout', 'undo', 'deployment/web')).stdout).toBe('deployment.apps/web rolled back\n');
    await waitFor(async () => ((await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).stdout === 'busybox' ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 300, message: 'image not rolled back' });
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=120s')).stdout).toContain('successfully rolled out');
    expect((await k('rollout', 'history', 'deployment/web')).stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it('pause holds a change, resume rolls it out, restart rolls again, scale resizes', async () => {
    const rsCount = async () => (await k('get', 'rs', '-l', 'app=web', '--no-headers')).stdout.split('\n').filter(Boolean).length;
    const before = await rsCount();
    expect((await k('rollout', 'pause', 'deployment/web')).stdout).toBe('deployment.apps/web paused\n');
    expect((await k('set', 'env', 'deployment/web', 'ROUND=2')).stdout).toBe('deployment.apps/web env updated\n');
    await waitFor(async () => ((await k('get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}')).stdout === 'DeploymentPaused' ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 300, message: 'Progressing is not DeploymentPaused' });
    expect(await rsCount()).toBe(before);
    expect((await k('rollout', 'resume', 'deployment/web')).stdout).toBe('deployment.apps/web resumed\n');
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=120s')).stdout).toContain('successfully rolled out');
    expect(await rsCount()).toBe(before + 1);

    expect((await k('rollout', 'restart', 'deployment/web')).stdout).toBe('deployment.apps/web restarted\n');
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=120s')).stdout).toContain('successfully rolled out');
    const restartedAt = (await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}')).stdout;
    expect({ restartedAt: restartedAt.length > 0, replicaSets: await rsCount() }).toEqual({ restartedAt: true, replicaSets: before + 2 });

    expect((await k('scale', 'deployment/web', '--replicas=1')).stdout).toBe('deployment.apps/web scaled\n');
    await waitFor(async () => ((await sample()).live === 1 ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'not scaled to 1' });
    expect((await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('1');
  });
});
