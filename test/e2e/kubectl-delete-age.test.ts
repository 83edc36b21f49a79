// test/e2e/kubectl-delete-age.test.ts — the REAL kubectl against a real agent on real Docker (test/helpers/
// agent-rig.ts), issue 10 defects 2 and 7: a second delete of a terminating API pod is accepted (a shorter
// grace shrinks the period, `--force --grace-period=0` removes the object at once), and the AGE of a folder
// pod counts from when the agent first saw it (not from the first API call, not from an agent restart).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-kubectl-files-'));
const rigs: AgentRig[] = [];
afterAll(async () => {
  for (const r of rigs.reverse()) await r.stop().catch(() => undefined);
  kubectl.dispose();
  rmSync(files, { recursive: true, force: true });
});

const manifest = (name: string, grace: number) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: ${grace}
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done']
`;
const getPod = async (url: string, name: string): Promise<Pod | undefined> => {
  const r = await kubectl.run(url, 'get', 'pod', name, '-o', 'json');
  return r.exitCode === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
};
const running = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.running !== undefined;

describe('a second delete of a terminating API pod', () => {
  it('delete, then a shorter --grace-period, then --force --grace-period=0: accepted, shrinking, gone at once', async () => {
    const rig = await startAgentRig();
    rigs.push(rig);
    const file = join(files, 'stubborn.yaml');
    writeFileSync(file, manifest('stubborn', 30));
    expect(await kubectl.run(rig.url, 'apply', '-f', file)).toMatchObject({ exitCode: 0, stdout: 'pod/stubborn created\n' });
    await rig.waitForPod('stubborn', running, 90_000, 'running');

    expect(await kubectl.run(rig.url, 'delete', 'pod', 'stubborn', '--wait=false')).toMatchObject({ exitCode: 0, stdout: 'pod "stubborn" deleted\n' });
    const first = (await getPod(rig.url, 'stubborn'))!.metadata!;
    expect(first.deletionGracePeriodSeconds).toBe(30);
    expect((await kubectl.run(rig.url, 'get', 'pods')).stdout).toMatch(/^stubborn\s+1\/1\s+Terminating\s+0\s+\S+$/m);

    expect(await kubectl.run(rig.url, 'delete', 'pod', 'stubborn', '--grace-period=20', '--wait=false')).toMatchObject({ exitCode: 0, stdout: 'pod "stubborn" deleted\n' });
    const second = (await getPod(rig.url, 'stubborn'))!.metadata!;
    expect(second.deletionGracePeriodSeconds).toBe(20);
    expect(Date.parse(second.deletionTimestamp!)).toBe(Date.parse(first.deletionTimestamp!) - 10_000);

    const force = await kubectl.run(rig.url, 'delete', 'pod', 'stubborn', '--force', '--grace-period=0');
    expect(force).toMatchObject({ exitCode: 0, stdout: 'pod "stubborn" force deleted\n' });
    const gone = await kubectl.run(rig.url, 'get', 'pod', 'stubborn');
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toContain('pods "stubborn" not found');
    expect((await kubectl.run(rig.url, 'get', 'pods')).stdout).not.toContain('stubborn');
    // The kubelet still stops the containers (ignoring SIGTERM, they are killed when the grace ends).
    await waitFor(async () => (rig.dockerContainers().some((n) => n.includes('_stubborn_')) ? undefined : true), { timeoutMs: 60_000, intervalMs: 300, message: 'containers of stubborn still there' });
  });
});

describe('AGE of a folder pod', () => {
  it('counts from when the agent first saw the pod, on the first `kubectl get pods` and after an agent restart', async () => {
    const rig = await startAgentRig();
    rigs.push(rig);
    const written = Date.now();
    rig.write('aged.yaml', manifest('aged', 1));
    // Watched through /pods (not the Kubernetes API): the API is first asked below.
    const before = await rig.waitForPod('aged', running, 90_000, 'running');
    await sleep(Math.max(0, written + 4000 - Date.now()));

    const get = await kubectl.run(rig.url, 'get', 'pods');
    const age = /^aged\s+1\/1\s+Running\s+0\s+(\d+)s$/m.exec(get.stdout);
    expect(get.stdout).toMatch(/^aged\s+1\/1\s+Running\s+0\s+\d+s$/m);
    expect(Number(age![1])).toBeGreaterThanOrEqual(4);
    const created = Date.parse((await getPod(rig.url, 'aged'))!.metadata!.creationTimestamp!);
    expect(created).toBeGreaterThanOrEqual(Math.floor(written / 1000) * 1000);
    // First sight: the folder's debounce and a loaded machine may take a second or two, far less than the 4 s below.
    expect(created).toBeLessThanOrEqual(written + 3000);

    // Restart the agent (the pod keeps running) a few seconds later: its AGE goes on from the first sight.
    await rig.kubelet.stop();
    await sleep(3000);
    const restartedAt = Date.now();
    const rig2 = await startAgentRig({ rootDir: rig.rootDir, nodeName: rig.nodeName, staticPodPath: rig.dir });
    rigs.push(rig2);
    const after = await waitFor(async () => {
      const p = await getPod(rig2.url, 'aged');
      return p && running(p) ? p : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300, message: 'aged not running after the restart' });
    // The API shows the static pod's mirror: the same pod (its hash is the static UID), kept across the restart.
    expect(after.metadata?.annotations?.['kubernetes.io/config.mirror']).toBe(before.metadata?.uid);
    const createdAfter = Date.parse(after.metadata!.creationTimestamp!);
    // From the pod's first sandbox, made right after the first sight: never the restart's time.
    expect(createdAfter).toBeGreaterThanOrEqual(created);
    expect(createdAfter).toBeLessThan(restartedAt - 2000);
  });
});
