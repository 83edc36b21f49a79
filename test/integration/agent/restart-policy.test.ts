// Real Docker: restart policies, phases, container states and CrashLoopBackOff, read from /pods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, condition, type AgentRig } from '../../helpers/agent-rig.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

const pod = (name: string, policy: string, cmd: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: ${policy}
  terminationGracePeriodSeconds: 2
${extra}  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', '${cmd}']
`;

describe.concurrent('restart policy and phase', () => {
  it('exit 3 under Never → Failed, terminated reason Error, exitCode 3', async ({ expect }) => {
    rig.write('never-fail.yaml', pod('never-fail', 'Never', 'exit 3'));
    const p = await rig.waitForPod('never-fail', (x) => x.status?.phase === 'Failed', 30_000, 'phase Failed');
    const c = containerStatus(p, 'main')!;
    expect(c.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(c.restartCount).toBe(0);
    expect(c.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });

  it('exit 0 under OnFailure → Succeeded, Completed', async ({ expect }) => {
    rig.write('onfailure-ok.yaml', pod('onfailure-ok', 'OnFailure', 'echo done'));
    const p = await rig.waitForPod('onfailure-ok', (x) => x.status?.phase === 'Succeeded', 30_000, 'phase Succeeded');
    expect(containerStatus(p, 'main')!.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(condition(p, 'Initialized')?.status).toBe('True');
  });

  it('a crasher under Always shows CrashLoopBackOff, growing restartCount and lastState; phase stays Running', async ({ expect }) => {
    rig.write('crasher.yaml', pod('crasher', 'Always', 'echo boom; exit 1'));
    const p = await rig.waitForPod('crasher', (x) => {
      const c = containerStatus(x, 'main');
      return (c?.restartCount ?? 0) >= 2 && c?.state?.waiting?.reason === 'CrashLoopBackOff';
    }, 60_000, 'CrashLoopBackOff with 2 restarts');
    const c = containerStatus(p, 'main')!;
    expect(p.status?.phase).toBe('Running');
    expect(c.state?.waiting?.message).toMatch(/^back-off \d+s restarting failed container=main pod=crasher_default\(/);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(c.ready).toBe(false);
  });

  it('a failing init container under Never fails the pod and never starts the main container', async ({ expect }) => {
    rig.write('init-fail.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: init-fail
spec:
  restartPolicy: Never
  initContainers:
  - name: init
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'exit 7']
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3600']
`);
    const p = await rig.waitForPod('init-fail', (x) => x.status?.phase === 'Failed', 30_000, 'phase Failed');
    expect(containerStatus(p, 'init')!.state?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    const main = containerStatus(p, 'main')!;
    expect(main.state?.waiting?.reason).toBe('PodInitializing');
    expect(rig.dockerContainers().some((n) => n.startsWith('k8s_main_init-fail_'))).toBe(false);
  });

  it('OnFailure job that fails once then succeeds → Succeeded with restartCount 1', async ({ expect }) => {
    rig.write('job-once.yaml', pod('job-once', 'OnFailure', 'if [ -f /s/t ]; then exit 0; fi; touch /s/t; exit 2', '') .replace('  containers:', `  volumes:\n  - name: s\n    emptyDir: {}\n  containers:`) + '    volumeMounts:\n    - name: s\n      mountPath: /s\n');
    const p = await rig.waitForPod('job-once', (x) => x.status?.phase === 'Succeeded', 40_000, 'phase Succeeded');
    const c = containerStatus(p, 'main')!;
    expect(c.restartCount).toBe(1);
    expect(c.lastState?.terminated?.exitCode).toBe(2);
  });
});
