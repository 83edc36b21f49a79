// Real Docker, a real agent: issue 10's termination defects as a user meets them.
// 1. a manifest moved out and back within the grace period: the pod is started again after it terminated;
// 3. a second delete with a shorter grace cuts a kill under way;
// 4. a pod deleted while its image is pulled never gets its container created or started;
// 6. when the regular container of a restartPolicy Never pod exits, its sidecars stop in reverse order, each
//    after the one defined after it has exited, each with its preStop.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { startAgentRig, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';
import { LocalRegistry } from '../../helpers/local-registry.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig({ crashLoopBackOff: { initialDelayMs: 1000, maxDelayMs: 4000 } }); });
afterAll(async () => { await rig?.stop({ reset: true }); });

const cstatus = (p: Pod | undefined, name: string, init = false) =>
  (init ? p?.status?.initContainerStatuses : p?.status?.containerStatuses)?.find((c) => c.name === name);

describe('termination defects (real Docker)', () => {
  it('a manifest moved out and back while the pod terminates: the pod runs again once termination ends', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata:
  name: comeback
spec:
  terminationGracePeriodSeconds: 8
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done']
    lifecycle:
      preStop:
        sleep:
          seconds: 3
`;
    rig.write('comeback.yaml', yaml);
    const first = await rig.waitForPod('comeback', (p) => !!cstatus(p, 'main')?.state?.running, 60_000, 'running');
    const firstId = cstatus(first, 'main')!.containerID;
    rig.remove('comeback.yaml');
    await rig.waitForPod('comeback', (p) => !!p.metadata?.deletionTimestamp, 10_000, 'terminating');
    rig.write('comeback.yaml', yaml); // same content: same UID, within the 3 s preStop
    const again = await rig.waitForPod('comeback', (p) => !!cstatus(p, 'main')?.state?.running && cstatus(p, 'main')!.containerID !== firstId, 60_000, 'running again');
    expect(again.metadata?.uid).toBe(first.metadata?.uid);
    expect(again.metadata?.deletionTimestamp).toBeUndefined();
    // The first instance went through its preStop and was removed.
    expect(rig.dockerContainers().filter((n) => n.includes('comeback') && n.includes('main'))).toHaveLength(1);
    rig.remove('comeback.yaml');
    await rig.waitForGone('comeback');
  });

  it('a second delete with a shorter grace period cuts the kill under way', async () => {
    const name = 'shrink';
    const body: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 60,
        containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'] }],
      },
    } as Pod;
    const created = await fetch(`${rig.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const running = await rig.waitForPod(name, (p) => !!cstatus(p, 'main')?.state?.running, 60_000, 'running');
    const id = cstatus(running, 'main')!.containerID!;
    const del = (grace?: number) => fetch(`${rig.url}/api/v1/namespaces/default/pods/${name}`, {
      method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify(grace === undefined ? {} : { gracePeriodSeconds: grace }),
    });
    const deletedAt = Date.now();
    expect((await del()).status).toBe(200);
    // The stop signal is out (the container ignores it) before the shorter grace arrives.
    await waitFor(async () => ((await fetch(`${rig.url}/lifecycle/default/${name}`).then((r) => r.json())) as { entries: { kind: string }[] }).entries.some((e) => e.kind === 'signal') || undefined,
      { timeoutMs: 10_000, intervalMs: 100, message: 'the stop signal' });
    expect((await del(1)).status).toBe(200);
    await rig.waitForGone(name, 30_000);
    // The record of the removed pod: one exit of that container, by SIGKILL at the shorter deadline (the 2 s
    // minimum applies), far from the 60 s one; the stop signal was sent twice (60 s, then the 2 s minimum).
    const { entries } = (await fetch(`${rig.url}/lifecycle/default/${name}`).then((r) => r.json())) as { entries: { kind: string; containerId?: string; exitCode?: number; finishedAt?: number; gracePeriodSeconds?: number; signal?: string }[] };
    const exit = entries.find((e) => e.kind === 'exit' && e.containerId === id.replace(/^docker:\/\//, ''));
    expect(exit?.exitCode).toBe(137);
    expect(exit!.finishedAt! - deletedAt).toBeLessThan(20_000);
    expect(entries.filter((e) => e.kind === 'signal' && e.signal === 'SIGTERM').map((e) => e.gracePeriodSeconds)).toEqual([60, 2]);
  });

  it('a pod deleted while its image is pulled never gets its container created', async () => {
    const reg = new LocalRegistry();
    await reg.start();
    reg.slowBlobMs = 15_000;
    const image = reg.ref('mk-test/busybox', `cancel-${randomBytes(4).toString('hex')}`);
    try {
      rig.write('pulling.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: pulling
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'sleep 3600']
`);
      await waitFor(async () => reg.hits.blobs >= 2 || undefined, { timeoutMs: 30_000, intervalMs: 50, message: 'the engine fetching the layer' });
      rig.remove('pulling.yaml');
      await rig.waitForGone('pulling', 30_000);
      expect(rig.dockerContainers().filter((n) => n.includes('pulling'))).toEqual([]);
      const events = await fetch(`${rig.url}/api/v1/namespaces/default/events`).then((r) => r.json()) as { items: { reason: string; involvedObject: { name: string } }[] };
      expect(events.items.filter((e) => e.involvedObject.name === 'pulling').map((e) => e.reason)).not.toContain('Created');
    } finally {
      await reg.stop();
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    }
  });

  it('sidecars of a completed Never pod stop in reverse order, each after the later one exited, each with its preStop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sidecars-'));
    try {
      const side = (n: string) => `  - name: side-${n}
    image: busybox:latest
    imagePullPolicy: IfNotPresent
    restartPolicy: Always
    command: ['sh', '-c', 'trap "echo TERM-${n} >> /out/log; sleep 1; echo EXIT-${n} >> /out/log; exit 0" TERM; while true; do sleep 0.1; done']
    lifecycle:
      preStop:
        exec:
          command: ['sh', '-c', 'echo PRE-${n} >> /out/log']
    volumeMounts: [{ name: out, mountPath: /out }]
`;
      rig.write('sidecars.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: sidecars
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 20
  volumes: [{ name: out, hostPath: { path: ${dir} } }]
  initContainers:
${side('a')}${side('b')}${side('c')}  containers:
  - name: job
    image: busybox:latest
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'sleep 1']
`);
      await rig.waitForPod('sidecars', (p) => p.status?.phase === 'Succeeded', 90_000, 'Succeeded');
      const lines = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
      const at = (l: string) => lines.indexOf(l);
      expect([...lines].sort()).toEqual(['EXIT-a', 'EXIT-b', 'EXIT-c', 'PRE-a', 'PRE-b', 'PRE-c', 'TERM-a', 'TERM-b', 'TERM-c']);
      expect(at('TERM-c')).toBeLessThan(at('EXIT-c'));
      expect(at('EXIT-c')).toBeLessThan(at('TERM-b'));
      expect(at('EXIT-b')).toBeLessThan(at('TERM-a'));
      expect(at('PRE-c')).toBeLessThan(at('TERM-c'));
      rig.remove('sidecars.yaml');
      await rig.waitForGone('sidecars');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
