// test/e2e/timeline-workload.test.ts — `mini-kubelet timeline deployment/NAME` on a real agent and Docker
// (issue 12, "Seen on the timeline"): a 2-replica Deployment applied and rolled with `kubectl set image`,
// then the CLI (bin/mini-kubelet, the compiled dist/) draws it: the JSON model has both ReplicaSets, the
// ScalingReplicaSet steps in the rollout's order, and a lane per pod — 2 old ones deleted and gone, 2 new
// ones running — started and stopped in the order a rolling update does it; the text chart has the lanes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';
import type { WorkloadModel } from '../../agent/timeline/workload-model.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-tl-workload-'));
const bin = join(import.meta.dirname, '../../bin/mini-kubelet');
const deployment = JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tl' },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'tl' } },
    template: {
      metadata: { labels: { app: 'tl' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }] },
    },
  },
});
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const timeline = (...args: string[]) => execa(process.execPath, [bin, 'timeline', 'deployment/tl', '--server', rig.url, ...args], { reject: false, timeout: 60_000 });

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('timeline deployment/NAME', () => {
  it('draws a rolling update: two ReplicaSets, the scaling steps in order, a lane per pod', async () => {
    writeFileSync(join(files, 'tl.json'), deployment);
    expect((await k('apply', '-f', join(files, 'tl.json'))).stdout).toBe('deployment.apps/tl created\n');
    expect((await k('rollout', 'status', 'deployment/tl', '--timeout=120s')).stdout).toContain('successfully rolled out');
    expect((await k('set', 'image', 'deployment/tl', 'app=busybox:latest')).stdout).toBe('deployment.apps/tl image updated\n');
    expect((await k('rollout', 'status', 'deployment/tl', '--timeout=120s')).stdout).toContain('successfully rolled out');
    // The old pods are gone from the node (their records are kept by the agent).
    const read = async () => JSON.parse((await timeline('-o', 'json')).stdout) as WorkloadModel;
    const m = await waitFor(async () => { const x = await read(); return x.pods.filter((p) => p.gone !== undefined).length === 2 ? x : undefined; },
      { timeoutMs: 30_000, intervalMs: 500, message: 'the old pods were not removed' });

    const [oldRs, newRs] = m.objects;
    expect(m.objects.map((o) => [o.kind, o.revision])).toEqual([['ReplicaSet', '1'], ['ReplicaSet', '2']]);
    expect(oldRs!.replicas.map((r) => r.to)).toEqual([2, 1, 0]);
    expect(newRs!.replicas.map((r) => r.to)).toEqual([1, 2]);
    // maxSurge 1, maxUnavailable 0: up new, down old, up new, down old.
    expect(m.steps.filter((s) => s.kind === 'scaled').map((s) => `${s.target === oldRs!.name ? 'old' : 'new'} ${s.from}→${s.to}`))
      .toEqual(['old 0→2', 'new 0→1', 'old 2→1', 'new 1→2', 'old 1→0']);
    expect(m.steps.filter((s) => s.kind === 'podCreated')).toHaveLength(4);
    expect(m.steps.filter((s) => s.kind === 'podDeleted')).toHaveLength(2);

    expect(m.pods).toHaveLength(4);
    expect(m.pods.map((p) => p.source)).toEqual(['record', 'record', 'record', 'record']);
    const olds = m.pods.filter((p) => p.owner === oldRs!.name), news = m.pods.filter((p) => p.owner === newRs!.name);
    expect([olds.length, news.length]).toEqual([2, 2]);
    const last = (p: (typeof m.pods)[number]) => p.segments.at(-1)!;
    for (const p of olds) expect([p.phase, p.segments.map((s) => s.state).filter((s) => s !== 'starting')]).toEqual(['Deleted', ['pending', 'ready', 'terminating']]);
    for (const p of news) expect([p.phase, last(p).state, last(p).open]).toEqual(['Running', 'ready', true]);
    // The order a rolling update keeps (maxUnavailable 0): each old pod is deleted only after a new one is
    // Ready, and is removed from the node after its deletion; the old ones started before any new one.
    const readyAt = (p: (typeof m.pods)[number]) => p.marks.find((x) => x.kind === 'ready')!.time;
    const deletedAt = (p: (typeof m.pods)[number]) => p.marks.find((x) => x.kind === 'deletion')!.time;
    const [firstNew, secondNew] = [...news].sort((a, b) => a.created! - b.created!);
    const [firstOld, secondOld] = [...olds].sort((a, b) => deletedAt(a) - deletedAt(b));
    expect(Math.max(...olds.map(readyAt))).toBeLessThan(firstNew!.created!);
    expect(readyAt(firstNew!)).toBeLessThan(deletedAt(firstOld!));
    expect(readyAt(secondNew!)).toBeLessThan(deletedAt(secondOld!));
    for (const p of olds) expect(p.gone!).toBeGreaterThan(deletedAt(p));

    const text = await timeline('--width', '120');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('deployment default/tl  ·  revision 2');
    for (const p of m.pods) expect(text.stdout).toMatch(new RegExp(`\\n  ${p.name} +[·▒█~X! ]+\\n`));
    expect(text.stdout).toContain(`  rs/${oldRs!.name} r1`);
    expect(text.stdout).toContain(`Scaled down replica set ${oldRs!.name} from 1 to 0`);
  });
});
