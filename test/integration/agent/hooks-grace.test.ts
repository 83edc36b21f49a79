// Real Docker: grace periods, SIGKILL timing, preStop overrun and postStart failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

interface Entry { time: number; kind: string; container?: string; signal?: string; hook?: string; phase?: string }
async function lifecycle(name: string): Promise<Entry[]> {
  const res = await fetch(`${rig.url}/lifecycle/default/${name}`);
  return ((await res.json()) as { entries: Entry[] }).entries;
}

describe.concurrent('grace periods and hooks', () => {
  it('a container that ignores SIGTERM with a 4 s grace dies at 4 s, not before', async ({ expect }) => {
    rig.write('stubborn.yaml', `apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 4
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']
`);
    await rig.waitForPod('stubborn', (p) => p.status?.phase === 'Running', 60_000, 'Running');
    const t0 = Date.now();
    rig.remove('stubborn.yaml');
    await rig.waitForGone('stubborn', 60_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4000);
    // SIGTERM first, SIGKILL only once the 4 s grace has run out (how much later is the benchmark's business).
    const entries = await lifecycle('stubborn');
    const sigs = entries.filter((e) => e.kind === 'signal') as (Entry & { afterMs?: number })[];
    expect(sigs.map((e) => e.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(sigs[1]!.afterMs).toBeGreaterThanOrEqual(4000);
  });

  it('a preStop that sleeps past the grace gets the 2-second extension, then SIGKILL', async ({ expect }) => {
    rig.write('slow-prestop.yaml', `apiVersion: v1
kind: Pod
metadata: {name: slow-prestop}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']
    lifecycle:
      preStop:
        exec: {command: ['sleep', '10']}
`);
    await rig.waitForPod('slow-prestop', (p) => p.status?.phase === 'Running', 60_000, 'Running');
    const t0 = Date.now();
    rig.remove('slow-prestop.yaml');
    let entries: Entry[] = [];
    const poll = setInterval(() => { void lifecycle('slow-prestop').then((e) => { entries = e; }).catch(() => undefined); }, 200);
    await rig.waitForGone('slow-prestop', 60_000);
    clearInterval(poll);
    entries = await lifecycle('slow-prestop');
    // grace 2 s consumed by the preStop, then max(0, 2) = 2 s after the stop signal: about 4 s in all.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4000);
    const sigs = entries.filter((e) => e.kind === 'signal').map((e) => e.signal);
    expect(sigs).toContain('SIGTERM');
    expect(sigs).toContain('SIGKILL');
  });

  it('a failing postStart kills and restarts the container (PostStartHookError, FailedPostStartHook)', async ({ expect }) => {
    rig.write('bad-poststart.yaml', `apiVersion: v1
kind: Pod
metadata: {name: bad-poststart}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3600']
    lifecycle:
      postStart:
        exec: {command: ['sh', '-c', 'echo nope; exit 1']}
`);
    const p = await rig.waitForPod('bad-poststart', (x) => (containerStatus(x, 'app')?.restartCount ?? 0) >= 1, 90_000, 'restarted');
    const c = containerStatus(p, 'app')!;
    expect(c.state?.running).toBeUndefined();
    const res = await fetch(`${rig.url}/api/v1/namespaces/default/events`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { reason: string; message: string; involvedObject: { name: string } }[] };
    expect(items.some((e) => e.involvedObject.name === 'bad-poststart' && e.reason === 'FailedPostStartHook' && e.message === 'PostStartHook failed')).toBe(true);
  });

  it('a hanging postStart keeps the container out of Running', async ({ expect }) => {
    rig.write('hang-poststart.yaml', `apiVersion: v1
kind: Pod
metadata: {name: hang-poststart}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3600']
    lifecycle:
      postStart:
        exec: {command: ['sleep', '3600']}
`);
    await new Promise((r) => setTimeout(r, 5000));
    const p = (await rig.pod('hang-poststart'))!;
    const c = containerStatus(p, 'app');
    expect(c?.state?.running).toBeUndefined();
    expect(c?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(p.status?.phase).toBe('Pending');
    rig.remove('hang-poststart.yaml');
    await rig.waitForGone('hang-poststart', 60_000);
  });
});
