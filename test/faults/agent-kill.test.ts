// Real Docker, faults: kill -9 of the agent process at several points of a pod's life, then a restart. Every
// pod converges to what its manifest says: one running instance per container name, no orphan sandboxes or
// networks, restart counts kept (also when killed while the engine pulls an image from a slow local
// registry); pods whose manifest is gone are stopped (preStop and grace honoured) and
// leave nothing behind, their directory included.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { waitFor } from '../helpers/docker-rig.js';
import { LocalRegistry } from '../helpers/local-registry.js';
import { instancesByName, SpawnedAgent } from '../helpers/spawned-agent.js';
import { cstatus, expectConverged, podDirs, podYaml } from './manifests.js';

const agents: SpawnedAgent[] = [];
const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(agents.map((a) => a.cleanup()));
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

async function newAgent(): Promise<SpawnedAgent> {
  const a = new SpawnedAgent();
  agents.push(a);
  await a.start();
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FLAPPY = podYaml('flappy', { containers: [{ name: 'main', cmd: 'sleep 1; exit 1' }] });

describe.concurrent('kill -9 of the agent', () => {
  it('between init containers (init 1 done, init 2 running): no init re-run, no duplicate, restart counts kept', async ({ expect }) => {
    const a = await newAgent();
    a.write('inits.yaml', podYaml('inits', {
      inits: [{ name: 'init-1', cmd: 'echo one' }, { name: 'init-2', cmd: 'sleep 6' }],
      containers: [{ name: 'main', cmd: 'sleep 3600' }],
    }));
    a.write('flappy.yaml', FLAPPY);
    await a.waitForPod('inits', (p) => !!cstatus(p, 'init-1')?.state?.terminated && !!cstatus(p, 'init-2')?.state?.running, 30_000, 'init-2 running');
    const flappy = await a.waitForPod('flappy', (p) => (cstatus(p, 'main')?.restartCount ?? 0) >= 1, 30_000, 'a restart');
    const restarts = cstatus(flappy, 'main')!.restartCount;

    await a.kill9();
    await sleep(500);
    await a.start();

    const p = await a.waitForPod('inits', (x) => x.status?.phase === 'Running' && !!cstatus(x, 'main')?.state?.running, 40_000, 'main running');
    expect(cstatus(p, 'init-1')).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(cstatus(p, 'init-2')).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(cstatus(p, 'main')!.restartCount).toBe(0);
    const f = await a.waitForPod('flappy', (x) => !!cstatus(x, 'main')?.state?.running, 30_000, 'flappy running');
    expect(cstatus(f, 'main')!.restartCount).toBeGreaterThanOrEqual(restarts);
    const counts = instancesByName(await a.containers());
    expect(counts['inits/init-1']).toBe(1);
    expect(counts['inits/init-2']).toBe(1);
    expect(counts['inits/main']).toBe(1);
    await expectConverged(a, { inits: ['main'], flappy: [] });
  });

  it('while pulling (a slow registry on 127.0.0.1): after the restart the pull runs again, the pod starts once', async ({ expect }) => {
    const reg = new LocalRegistry();
    await reg.start();
    reg.slowBlobMs = 8000;
    const image = reg.ref('mk-test/busybox', `pull-${randomBytes(4).toString('hex')}`);
    try {
      const a = await newAgent();
      a.write('pulled.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: pulled
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'sleep 3600']
`);
      // The layer download has begun: the pod waits in ContainerCreating with a Pulling event.
      await waitFor(async () => reg.hits.blobs >= 2, { timeoutMs: 30_000, intervalMs: 50, message: 'the engine fetching the config and the layer' });
      const waiting = await a.waitForPod('pulled', (x) => cstatus(x, 'main')?.state?.waiting?.reason === 'ContainerCreating', 10_000, 'ContainerCreating');
      expect(waiting.status?.phase).toBe('Pending');

      await a.kill9();
      reg.slowBlobMs = 300;
      await sleep(500);
      await a.start();

      const p = await a.waitForPod('pulled', (x) => !!cstatus(x, 'main')?.state?.running, 60_000, 'running after the pull');
      expect(cstatus(p, 'main'), JSON.stringify([cstatus(p, 'main'), a.log.slice(-1500)])).toMatchObject({ restartCount: 0, image });
      expect(instancesByName(await a.containers())['pulled/main']).toBe(1);
      await expectConverged(a, { pulled: ['main'] });
    } finally {
      await reg.stop();
      await execa('docker', ['rmi', '-f', image], { reject: false });
    }
  });

  it('during a preStop of a deleted pod: after the restart the preStop still runs to its end, then the pod is gone', async ({ expect }) => {
    const a = await newAgent();
    const mark = mkdtempSync(join(tmpdir(), 'mk-fault-mark-'));
    scratch.push(mark);
    a.write('prestop.yaml', podYaml('prestop', {
      grace: 30,
      containers: [{
        name: 'main', cmd: 'trap "exit 0" TERM; while true; do sleep 0.2; done',
        extra: `    lifecycle:
      preStop:
        exec: {command: ['sh', '-c', 'echo start >> /mark/log; sleep 5; echo end >> /mark/log']}
    volumeMounts: [{name: mark, mountPath: /mark}]
`,
      }],
      extra: `  volumes:\n  - name: mark\n    hostPath: {path: ${mark}, type: Directory}\n`,
    }));
    a.write('keeper.yaml', podYaml('keeper', { containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
    const p = await a.waitForPod('prestop', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    await a.waitForPod('keeper', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    const uid = p.metadata!.uid!;
    const keeperId = cstatus(await a.pod('keeper'), 'main')!.containerID;
    const log = () => { try { return readFileSync(join(mark, 'log'), 'utf8'); } catch { return ''; } };

    a.remove('prestop.yaml');
    await waitFor(async () => log().includes('start'), { timeoutMs: 15_000, intervalMs: 50, message: 'preStop started' });
    await sleep(1000);
    await a.kill9();
    await a.start();

    await waitFor(async () => !(await a.containers()).some((c) => c.pod === 'prestop') && !podDirs(a.rootDir).includes(uid),
      { timeoutMs: 60_000, intervalMs: 200, message: 'prestop pod removed, its directory too' });
    // The container was not stopped before a preStop finished: the restarted agent ran it again (as the
    // kubelet does from the container's labels) and only then sent the stop signal.
    expect(log()).toMatch(/end/);
    expect(cstatus(await a.pod('keeper'), 'main')!.containerID).toBe(keeperId);
    await expectConverged(a, { keeper: ['main'] });
  });

  it('during deletion, mid-grace: the pod is killed and removed after the restart, nothing left', async ({ expect }) => {
    const a = await newAgent();
    a.write('stubborn.yaml', podYaml('stubborn', { grace: 8, containers: [{ name: 'main', cmd: 'trap "echo ignoring TERM" TERM; while true; do sleep 0.2; done' }] }));
    a.write('steady.yaml', podYaml('steady', { containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
    const p = await a.waitForPod('stubborn', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    const steady = await a.waitForPod('steady', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    const uid = p.metadata!.uid!;

    a.remove('stubborn.yaml');
    await a.waitForPod('stubborn', (x) => !!x.metadata?.deletionTimestamp, 10_000, 'deletionTimestamp');
    await sleep(2000);
    await a.kill9();
    // A directory of a pod the agent had already removed from Docker when it died (the worst moment).
    const stray = '0badc0de-0000-4000-8000-000000000001';
    mkdirSync(join(a.rootDir, 'pods', stray, 'containers', 'main'), { recursive: true });
    writeFileSync(join(a.rootDir, 'pods', stray, 'containers', 'main', 'abcd1234'), '');
    await a.start();

    await waitFor(async () => !(await a.containers()).some((c) => c.pod === 'stubborn') && !podDirs(a.rootDir).includes(uid),
      { timeoutMs: 60_000, intervalMs: 200, message: 'stubborn pod removed, its directory too' });
    await waitFor(async () => !podDirs(a.rootDir).includes(stray), { timeoutMs: 10_000, intervalMs: 100, message: 'stray pod dir removed' });
    expect(await a.pod('stubborn')).toBeUndefined();
    expect(cstatus(await a.pod('steady'), 'main')!.containerID).toBe(cstatus(steady, 'main')!.containerID);
    await expectConverged(a, { steady: ['main'] });
  });

  it('right after a create (postStart hanging): the started container is adopted, not duplicated; the next one starts', async ({ expect }) => {
    const a = await newAgent();
    a.write('poststart.yaml', podYaml('poststart', {
      containers: [
        { name: 'first', cmd: 'sleep 3600', extra: `    lifecycle:\n      postStart:\n        exec: {command: ['sh', '-c', 'sleep 3600']}\n` },
        { name: 'second', cmd: 'sleep 3600' },
      ],
    }));
    await waitFor(async () => (await a.containers()).some((c) => c.container === 'first' && c.state === 'running'), { timeoutMs: 30_000, intervalMs: 100, message: 'first created and started' });
    const p = await a.waitForPod('poststart', (x) => cstatus(x, 'first')?.state?.waiting?.reason === 'ContainerCreating', 10_000, 'ContainerCreating during postStart');
    expect(cstatus(p, 'second')?.state?.running).toBeUndefined();
    const firstId = (await a.containers()).find((c) => c.container === 'first')!.id;

    await a.kill9();
    await a.start();

    const after = await a.waitForPod('poststart', (x) => !!cstatus(x, 'first')?.state?.running && !!cstatus(x, 'second')?.state?.running, 30_000, 'both running');
    expect(cstatus(after, 'first')!.containerID).toBe(`docker://${firstId}`);
    expect(cstatus(after, 'first')!.restartCount).toBe(0);
    expect(cstatus(after, 'second')!.restartCount).toBe(0);
    const counts = instancesByName(await a.containers());
    expect(counts['poststart/first']).toBe(1);
    expect(counts['poststart/second']).toBe(1);
    await expectConverged(a, { poststart: ['first', 'second'] });
  });

  it('twice in a row with a crash-looping pod: restart counts only grow, one sandbox, one running instance', async ({ expect }) => {
    const a = await newAgent();
    a.write('flappy.yaml', FLAPPY);
    let last = 0;
    for (let round = 0; round < 2; round++) {
      const f = await a.waitForPod('flappy', (p) => (cstatus(p, 'main')?.restartCount ?? 0) >= last + 1, 40_000, `restart beyond ${last}`);
      last = cstatus(f, 'main')!.restartCount;
      await a.kill9();
      await a.start();
    }
    const f = await a.waitForPod('flappy', (p) => (cstatus(p, 'main')?.restartCount ?? 0) >= last + 1 && !!cstatus(p, 'main')?.state?.running, 40_000, 'restarted again');
    expect(cstatus(f, 'main')!.restartCount).toBeGreaterThan(last);
    // Each restart count appears on exactly one instance: no two instances were made for one restart.
    const counts = (await a.containers()).filter((c) => c.container === 'main').map((c) => c.labels['annotation.io.kubernetes.container.restartCount']);
    expect(new Set(counts).size).toBe(counts.length);
    await expectConverged(a, { flappy: [] });
  });
});
