// test/e2e/loap-deployment.test.ts — issue 12's first acceptance point: the seed's loap Deployment as written
// (apps/v1beta1, no selector; only its hostPath moved to a temporary folder), through the real kubectl on a
// real agent and Docker: kubectl prints the deprecation warning, the Deployment makes a ReplicaSet and its pod
// runs (INIT, START, POST-START written), then `kubectl scale deployment loap --replicas=0` deletes the pod and
// its preStop hook writes PRE-HOOK after START and POST-START.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const work = mkdtempSync(join(tmpdir(), 'mk-loap-'));
const timingDir = join(work, 'loap');
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const timing = (): string[] => { try { return readFileSync(join(timingDir, 'timing'), 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\d+: /, '')); } catch { return []; } };

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe("the seed's loap Deployment", () => {
  it('runs as written; scale to 0 shows PRE-HOOK after START and POST-START', async () => {
    const manifest = readFileSync(new URL('../../examples/api/loap-deployment.yaml', import.meta.url), 'utf8').replace('path:         /tmp/loap', `path:         ${timingDir}`);
    const file = join(work, 'loap.yaml');
    writeFileSync(file, manifest);
    const applied = await k('apply', '-f', file);
    expect({ out: applied.stdout, warning: applied.stderr.includes('Warning: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment') })
      .toEqual({ out: 'deployment.apps/loap created\n', warning: true });

    await waitFor(async () => (timing().includes('POST-START') ? true : undefined), { timeoutMs: 90_000, intervalMs: 300, message: () => `no POST-START; timing: ${timing().join(', ')}` });
    const pods = (await k('get', 'pods', '-l', 'app=loap', '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ').filter(Boolean);
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatch(/^loap-[a-z0-9]{6,10}-[a-z0-9]{5}$/);

    expect((await k('scale', 'deployment', 'loap', '--replicas=0')).stdout).toBe('deployment.apps/loap scaled\n');
    await waitFor(async () => (timing().includes('PRE-HOOK') ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: () => `no PRE-HOOK; timing: ${timing().join(', ')}` });
    const steps = timing().filter((s) => ['INIT', 'START', 'POST-START', 'PRE-HOOK'].includes(s));
    expect(steps.slice(0, 2)).toEqual(['INIT', 'START']);
    expect(steps.indexOf('PRE-HOOK')).toBeGreaterThan(steps.indexOf('POST-START'));
    await waitFor(async () => ((await k('get', 'pods', '-l', 'app=loap', '-o', 'name')).stdout === '' ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'the loap pod is still there' });
  });
});
