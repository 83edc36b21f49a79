// Real Docker: the pods in examples/ reach the phases, conditions and container states a kubelet shows;
// removing a manifest leaves nothing behind; hostile manifests beside good ones disturb nothing.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { HOSTILE_DIR, hostileFixtures } from '../../helpers/hostile-fixtures.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

const example = (f: string) => readFileSync(join(import.meta.dirname, '../../../examples', f), 'utf8');

describe.concurrent('examples', () => {
  it('myapp-pod runs: Running, Ready, all conditions True, a docker:// containerID and a pod IP', async ({ expect }) => {
    rig.write('myapp-pod.yaml', example('myapp-pod.yaml'));
    const p = await rig.waitForPod('myapp-pod', (x) => condition(x, 'Ready')?.status === 'True', 30_000, 'Ready');
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    const c = containerStatus(p, 'myapp-container')!;
    expect(c).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'busybox' });
    expect(c.state?.running?.startedAt).toBeTruthy();
    expect(c.containerID).toMatch(/^docker:\/\//);
    expect(p.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(p.status?.qosClass).toBe('BestEffort');
    expect(p.status?.startTime).toBeTruthy();
  });

  it('init-demo: the init container completes, then the main container serves what it wrote', async ({ expect }) => {
    rig.write('init-emptydir.yaml', example('init-emptydir.yaml'));
    const p = await rig.waitForPod('init-demo', (x) => condition(x, 'Ready')?.status === 'True', 40_000, 'Ready');
    expect(containerStatus(p, 'install')!.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const res = await fetch(`http://${p.status!.podIP}/`);
    expect(await res.text()).toContain('prepared by the init container');
  });

  it('removing a manifest stops the pod gracefully and leaves no container, sandbox or volume behind', async ({ expect }) => {
    rig.write('gone.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: gone
spec:
  terminationGracePeriodSeconds: 3
  containers:
  - name: stubborn
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'trap "echo ignoring TERM" TERM; while true; do sleep 0.2; done']
  volumes:
  - name: scratch
    emptyDir: {}
`);
    const p = await rig.waitForPod('gone', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    const uid = p.metadata!.uid!;
    const t0 = Date.now();
    rig.remove('gone.yaml');
    await rig.waitForPod('gone', (x) => !!x.metadata?.deletionTimestamp, 5_000, 'deletionTimestamp');
    await rig.waitForGone('gone', 30_000);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(3000); // SIGKILL only when the grace period ends
    expect(rig.dockerContainers().filter((n) => n.includes('_gone_'))).toEqual([]);
    expect(existsSync(join(rig.rootDir, 'pods', uid))).toBe(false);
  });

  it('hostile manifests beside good ones: each reported by file and field, the good pod runs', async ({ expect }) => {
    // Twenty of them (all are in test/hostile/); not the duplicate pair, whose first file is valid.
    const files = hostileFixtures().filter((f) => !f.startsWith('dup-across-')).slice(0, 20);
    for (const f of files) rig.write(`hostile-${f}`, readFileSync(join(HOSTILE_DIR, f)));
    rig.write('good-neighbour.yaml', example('myapp-pod.yaml').replace('name: myapp-pod', 'name: good-neighbour'));
    await rig.waitForPod('good-neighbour', (x) => x.status?.phase === 'Running', 30_000, 'Running');
    const res = await fetch(`${rig.url}/manifest-errors`);
    expect(res.status).toBe(200);
    const errs = (await res.json()) as { errors: string[] };
    expect(files.filter((f) => !errs.errors.some((e) => e.startsWith(`hostile-${f}`))), 'files without an error line').toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
});
