// Real Docker: the seed's "loap" lifecycle experiment as a Pod. The hostPath file shows INIT first, then
// START and POST-START, then probe lines, and exactly one PRE-HOOK after deletion; the main container
// receives SIGTERM after PRE-HOOK.
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';

let rig: AgentRig;
const hostDir = mkdtempSync(join(tmpdir(), 'mk-loap-'));
chmodSync(hostDir, 0o777);
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); rmSync(hostDir, { recursive: true, force: true }); });

// As the seed writes it, with millisecond stamps, 1 s probe periods, and a main container that records the
// SIGTERM it receives instead of ending after 10 s.
const loap = `apiVersion: v1
kind: Pod
metadata:
  name: loap
spec:
  terminationGracePeriodSeconds: 5
  initContainers:
  - name: init
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'echo $(date +%s): INIT >> /loap/timing']
    volumeMounts:
    - {mountPath: /loap, name: timing}
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'echo $(date +%s): START >> /loap/timing; trap "echo \\$(date +%s): SIGTERM >> /loap/timing; exit 0" TERM; while true; do sleep 0.1; done']
    volumeMounts:
    - {mountPath: /loap, name: timing}
    livenessProbe:
      periodSeconds: 1
      exec:
        command: ['sh', '-c', 'echo $(date +%s): LIVENESS >> /loap/timing']
    readinessProbe:
      periodSeconds: 1
      exec:
        command: ['sh', '-c', 'echo $(date +%s): READINESS >> /loap/timing']
    lifecycle:
      postStart:
        exec:
          command: ['sh', '-c', 'echo $(date +%s): POST-START >> /loap/timing']
      preStop:
        exec:
          command: ['sh', '-c', 'echo $(date +%s): PRE-HOOK >> /loap/timing']
  volumes:
  - name: timing
    hostPath:
      path: ${hostDir}
`;

describe('loap', () => {
  it('records INIT, START, POST-START, probes, then one PRE-HOOK before SIGTERM', async () => {
    rig.write('loap.yaml', loap);
    const file = join(hostDir, 'timing');
    const read = () => { try { return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(': ')[1]!); } catch { return []; } };
    await waitFor(async () => read().filter((l) => l === 'LIVENESS').length >= 2 && read().includes('READINESS'), { timeoutMs: 40_000, intervalMs: 200, message: () => `probe lines: ${read().join(',')}` });
    await rig.waitForPod('loap', (p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 20_000, 'Ready');
    rig.remove('loap.yaml');
    await rig.waitForGone('loap', 30_000);
    const lines = read();
    expect(lines[0]).toBe('INIT');
    const firstProbe = lines.findIndex((l) => l === 'LIVENESS' || l === 'READINESS');
    expect(lines.slice(1, 3).sort()).toEqual(['POST-START', 'START']);
    expect(firstProbe).toBeGreaterThan(2);
    expect(lines.filter((l) => l === 'PRE-HOOK')).toHaveLength(1);
    expect(lines.indexOf('SIGTERM')).toBeGreaterThan(lines.indexOf('PRE-HOOK'));
  });
});
