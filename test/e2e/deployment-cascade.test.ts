// test/e2e/deployment-cascade.test.ts — deleting a Deployment with the real kubectl on a real agent and Docker
// (issue 12, garbage collection through ownerReferences): background (the Deployment goes at once, its
// ReplicaSet and pods follow), foreground (the Deployment stays, marked `foregroundDeletion`, until its
// ReplicaSet and pods are gone) and orphan (the ReplicaSet is left without its owner and keeps its pods running).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-deploy-cascade-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

function deployment(name: string, grace: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas: 2, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "sleep 2; exit 0" TERM; while true; do sleep 0.2; done'] }] },
      },
    },
  });
}

/** Applies the Deployment and waits until both its pods run. */
async function running(name: string, grace = 1): Promise<void> {
  const file = join(files, `${name}.json`);
  writeFileSync(file, deployment(name, grace));
  expect((await k('apply', '-f', file)).stdout).toBe(`deployment.apps/${name} created\n`);
  expect((await k('rollout', 'status', `deployment/${name}`, '--timeout=120s')).stdout).toContain('successfully rolled out');
}

const names = async (kind: string, app: string): Promise<string[]> =>
  (await k('get', kind, '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ').filter(Boolean);

async function none(kind: string, app: string): Promise<void> {
  await waitFor(async () => ((await names(kind, app)).length === 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: `${kind} of ${app} still there` });
}

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('kubectl delete deployment', () => {
  it('background (the default): the Deployment goes at once, then its ReplicaSet and pods', async () => {
    await running('bg');
    expect((await k('delete', 'deployment', 'bg', '--wait=false')).stdout).toBe('deployment.apps "bg" deleted\n');
    expect((await k('get', 'deployment', 'bg')).stderr).toContain('NotFound');
    await none('rs', 'bg');
    await none('pods', 'bg');
  });

  it('--cascade=foreground: the Deployment stays marked until its ReplicaSet and pods are gone', async () => {
    // The pods take ~2 s of their 5 s grace to stop: meanwhile the Deployment waits for its dependents.
    await running('fg', 5);
    expect((await k('delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false')).exitCode).toBe(0);
    const finalizers = (await k('get', 'deployment', 'fg', '-o', 'jsonpath={.metadata.finalizers}')).stdout;
    expect(finalizers).toBe('["foregroundDeletion"]');
    await waitFor(async () => ((await k('get', 'deployment', 'fg')).stderr.includes('NotFound') ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 300, message: 'deployment fg still there' });
    expect({ rs: await names('rs', 'fg'), pods: await names('pods', 'fg') }).toEqual({ rs: [], pods: [] });
  });

  it('--cascade=orphan: the ReplicaSet stays without its owner and keeps its pods running', async () => {
    await running('or');
    const pods = await names('pods', 'or');
    expect((await k('delete', 'deployment', 'or', '--cascade=orphan')).exitCode).toBe(0);
    const [rs] = await names('rs', 'or');
    await waitFor(async () => ((await k('get', 'rs', rs!, '-o', 'jsonpath={.metadata.ownerReferences}')).stdout === '' ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 300, message: `owner reference still on ${rs}` });
    const phases = (await k('get', 'pods', '-l', 'app=or', '-o', 'jsonpath={.items[*].status.phase}')).stdout;
    expect({ pods: await names('pods', 'or'), phases }).toEqual({ pods, phases: 'Running Running' });
    expect((await k('delete', 'rs', rs!, '--wait=false')).exitCode).toBe(0);
    await none('pods', 'or');
  });
});
