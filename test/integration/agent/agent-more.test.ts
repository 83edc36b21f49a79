// Real Docker: termination messages, sidecars, the URL source, SIGTERM of the agent, and `mini-kubelet reset`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';
import { NODE_LABEL } from '../../../agent/kuberuntime/labels.js';
import type { Pod } from '../../../agent/api/v1.js';

let rig: AgentRig;
let server: Server;
let served = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.headers['x-lab'] !== 'yes') { res.writeHead(403); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/yaml' });
    res.end(served);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  rig = await startAgentRig({ staticPodURL: `http://127.0.0.1:${port}/pods.yaml`, staticPodURLHeader: { 'X-Lab': ['yes'] }, httpCheckFrequencyMs: 500 });
});
afterAll(async () => { await rig?.stop(); server?.close(); });

const bb = `    image: busybox
    imagePullPolicy: IfNotPresent`;

describe.concurrent('more of the agent', () => {
  it('termination messages: the file, and FallbackToLogsOnError from the log', async ({ expect }) => {
    rig.write('term.yaml', `apiVersion: v1
kind: Pod
metadata: {name: term}
spec:
  restartPolicy: Never
  containers:
  - name: file
${bb}
    command: ['sh', '-c', 'echo "bye from the file" > /dev/termination-log; exit 0']
  - name: logs
${bb}
    terminationMessagePolicy: FallbackToLogsOnError
    command: ['sh', '-c', 'echo "last words in the log"; exit 4']
`);
    const p = await rig.waitForPod('term', (x) => x.status?.phase === 'Failed', 30_000, 'Failed');
    expect(containerStatus(p, 'file')!.state?.terminated?.message).toBe('bye from the file\n');
    expect(containerStatus(p, 'logs')!.state?.terminated).toMatchObject({ exitCode: 4, message: 'last words in the log\n' });
  });

  it('termination messages: a sparse 768 MiB and a sparse 3 GiB termination-log give their last bytes', async ({ expect }) => {
    const grow = (mib: number, tail: string) =>
      `['sh', '-c', 'dd if=/dev/zero of=/dev/termination-log bs=1M seek=${mib} count=0 2>/dev/null; printf "${tail}" >> /dev/termination-log']`;
    rig.write('term-big.yaml', `apiVersion: v1
kind: Pod
metadata: {name: term-big}
spec:
  restartPolicy: Never
  containers:
  - name: big
${bb}
    command: ${grow(768, 'end of 768 MiB')}
  - name: huge
${bb}
    command: ${grow(3072, 'end of 3 GiB')}
`);
    const p = await rig.waitForPod('term-big', (x) => x.status?.phase === 'Succeeded', 30_000, 'Succeeded');
    const big = containerStatus(p, 'big')!.state!.terminated!.message!;
    const huge = containerStatus(p, 'huge')!.state!.terminated!.message!;
    // The last 4096 bytes: zeros, then what was written last (cut to 12 KiB / 2 containers by the status manager).
    expect([Buffer.byteLength(big), big.endsWith('end of 768 MiB')]).toEqual([4096, true]);
    expect([Buffer.byteLength(huge), huge.endsWith('end of 3 GiB')]).toEqual([4096, true]);
  });

  it('a sidecar starts before the main container, counts in READY, and stops after it', async ({ expect }) => {
    rig.write('sidecar.yaml', `apiVersion: v1
kind: Pod
metadata: {name: with-sidecar}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - name: helper
${bb}
    restartPolicy: Always
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']
  containers:
  - name: main
${bb}
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']
`);
    const p = await rig.waitForPod('with-sidecar', (x) => condition(x, 'Ready')?.status === 'True', 30_000, 'Ready');
    const helper = containerStatus(p, 'helper')!;
    const main = containerStatus(p, 'main')!;
    expect(helper).toMatchObject({ started: true, ready: true });
    expect(Date.parse(helper.state!.running!.startedAt!)).toBeLessThanOrEqual(Date.parse(main.state!.running!.startedAt!));
    rig.remove('sidecar.yaml');
    await rig.waitForGone('with-sidecar', 30_000);
    const res = await fetch(`${rig.url}/lifecycle/default/with-sidecar`);
    const { entries } = (await res.json()) as { entries: { kind: string; container?: string; time: number }[] };
    const sig = (n: string) => entries.find((e) => e.kind === 'signal' && e.container === n)!.time;
    expect(sig('helper')).toBeGreaterThanOrEqual(sig('main'));
  });

  it('the URL source: pods served with the configured header run; when the URL fails the pods stay', async ({ expect }) => {
    served = `apiVersion: v1
kind: Pod
metadata: {name: from-url}
spec:
  containers:
  - name: app
${bb}
    command: ['sleep', '3600']
`;
    await rig.waitForPod('from-url', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    served = 'not: [valid';
    // Once the agent has read the bad body (its error is listed), the pod it had is still there and running.
    const errors = await waitFor(async () => {
      const { errors: lines } = (await (await fetch(`${rig.url}/manifest-errors`)).json()) as { errors: string[] };
      return lines.some((l) => l.includes('/pods.yaml')) ? lines : undefined;
    }, { timeoutMs: 10_000, message: 'the bad URL body reported in /manifest-errors' });
    expect(errors.filter((l) => l.includes('/pods.yaml')).length).toBeGreaterThan(0);
    expect((await rig.pod('from-url'))?.status?.phase).toBe('Running');
    served = '';
  });
});

describe('agent process', () => {
  it('SIGTERM stops the agent within seconds and leaves pods running; reset removes everything it made', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sig-'));
    const root = mkdtempSync(join(tmpdir(), 'mk-sig-root-'));
    const node = `mk-sig-${randomBytes(3).toString('hex')}`;
    const port = 20000 + Math.floor(Math.random() * 20000);
    writeFileSync(join(dir, 'p.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: keeps-running}\nspec:\n  containers:\n  - name: app\n${bb}\n    command: ['sleep', '3600']\n`);
    const bin = join(import.meta.dirname, '../../../bin/mini-kubelet');
    const agent = spawn(process.execPath, [bin, 'agent', '--pod-manifest-path', dir, '--root-dir', root, '--hostname-override', node, '--read-only-port', String(port)], {
      stdio: 'ignore', env: { ...process.env, MK_EXTRA_LABELS: `io.mini-kubelet.test-run=${process.env.MK_TEST_RUN}` },
    });
    try {
      await waitFor(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/pods`).catch(() => undefined);
        const items = r?.ok ? ((await r.json()) as { items: Pod[] }).items : [];
        return items[0]?.status?.phase === 'Running';
      }, { timeoutMs: 30_000, intervalMs: 200, message: 'pod running' });
      const t0 = Date.now();
      agent.kill('SIGTERM');
      await new Promise((r) => agent.once('exit', r));
      expect(Date.now() - t0).toBeLessThan(10_000);
      const running = () => execFileSync('docker', ['ps', '-q', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(running().length).toBe(2); // the pause sandbox and the container
      execFileSync(process.execPath, [bin, 'reset', '--hostname-override', node, '--root-dir', root, '--grace-period', '1'], { stdio: 'ignore' });
      const all = execFileSync('docker', ['ps', '-aq', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(all).toEqual([]);
    } finally {
      agent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
