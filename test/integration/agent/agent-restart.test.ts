// Real Docker: kill -9 of the agent process with pods running, then a restart adopts the same containers
// (no duplicates, restart counts kept); a manifest removed while the agent was down is stopped on restart.
import { mkdtempSync, writeFileSync, unlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { requireDocker, waitFor } from '../../helpers/docker-rig.js';
import { NODE_LABEL } from '../../../agent/kuberuntime/labels.js';

const bin = join(import.meta.dirname, '../../../bin/mini-kubelet');
const dir = mkdtempSync(join(tmpdir(), 'mk-restart-'));
const rootDir = mkdtempSync(join(tmpdir(), 'mk-restart-root-'));
const node = `mk-restart-${randomBytes(4).toString('hex')}`;
const port = 20000 + Math.floor(Math.random() * 20000);
let child: ChildProcess | undefined;

function startAgent(): ChildProcess {
  const c = spawn(process.execPath, [bin, 'agent', '--pod-manifest-path', dir, '--root-dir', rootDir,
    '--hostname-override', node, '--read-only-port', String(port), '--file-check-frequency', '1s'], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MK_EXTRA_LABELS: `io.mini-kubelet.test-run=${process.env.MK_TEST_RUN}` },
  });
  c.stderr!.on('data', () => undefined);
  return c;
}

async function pods(): Promise<Pod[]> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/pods`);
    return ((await res.json()) as { items: Pod[] }).items;
  } catch { return []; }
}

function containers(): string[] {
  return execFileSync('docker', ['ps', '-a', '--filter', `label=${NODE_LABEL}=${node}`, '--format', '{{.ID}} {{.Names}} {{.Status}}'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

afterAll(() => {
  child?.kill('SIGKILL');
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
  rmSync(rootDir, { recursive: true, force: true });
});

const manifest = (name: string, cmd: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', '${cmd}']
`;

describe('agent restart', () => {
  it('kill -9, restart: same containers, no duplicates, restart counts kept, vanished manifests stopped', async () => {
    await requireDocker();
    writeFileSync(join(dir, 'steady.yaml'), manifest('steady', 'sleep 3600'));
    writeFileSync(join(dir, 'flappy.yaml'), manifest('flappy', 'sleep 1; exit 1'));
    writeFileSync(join(dir, 'doomed.yaml'), manifest('doomed', 'sleep 3600'));
    child = startAgent();
    await waitFor(async () => {
      const ps = await pods();
      const f = ps.find((p) => p.metadata?.name === 'flappy');
      return ps.filter((p) => p.status?.phase === 'Running').length === 3 && (f?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    }, { timeoutMs: 60_000, intervalMs: 200, message: 'three pods running, flappy restarted' });
    const before = await pods();
    const steadyId = before.find((p) => p.metadata?.name === 'steady')!.status!.containerStatuses![0]!.containerID;
    const flappyRestarts = before.find((p) => p.metadata?.name === 'flappy')!.status!.containerStatuses![0]!.restartCount;
    const steadyStart = Date.parse(before.find((p) => p.metadata?.name === 'steady')!.status!.startTime!);

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    unlinkSync(join(dir, 'doomed.yaml'));
    child = startAgent();

    await waitFor(async () => {
      const ps = await pods();
      return ps.length === 2 && ps.every((p) => p.status?.phase === 'Running') ? ps : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200, message: 'two pods after restart' });
    const after = await pods();
    expect(after.find((p) => p.metadata?.name === 'steady')!.status!.containerStatuses![0]!.containerID).toBe(steadyId);
    expect(after.find((p) => p.metadata?.name === 'flappy')!.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(flappyRestarts);
    // startTime survives the restart (from the pod's first sandbox), so activeDeadlineSeconds keeps counting.
    const steadyStartAfter = Date.parse(after.find((p) => p.metadata?.name === 'steady')!.status!.startTime!);
    expect(Math.abs(steadyStartAfter - steadyStart)).toBeLessThanOrEqual(2000);
    await waitFor(async () => !containers().some((c) => c.includes('_doomed_')), { timeoutMs: 30_000, intervalMs: 200, message: 'doomed pod removed' });
    const running = containers().filter((c) => c.includes(' Up '));
    const steadyRunning = running.filter((c) => c.includes('k8s_main_steady_'));
    expect(steadyRunning).toHaveLength(1);
    expect(running.filter((c) => c.includes('k8s_POD_steady_'))).toHaveLength(1);
  });
});
