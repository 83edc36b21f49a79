// Real Docker: probes as the kubelet runs them, observed from /pods and Events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { waitForProbeVerdict } from '../../helpers/probe-evidence.js';
import type { Event } from '../../../agent/api/v1.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

async function events(podName: string): Promise<Event[]> {
  const res = await fetch(`${rig.url}/api/v1/namespaces/default/events`);
  if (!res.ok) return [];
  const list = (await res.json()) as { items: Event[] };
  return list.items.filter((e) => e.involvedObject.name === podName);
}

const pod = (name: string, container: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 2
  containers:
${container}`;

describe.concurrent('probes', () => {
  it('readiness that fails, then passes: Running with Ready False, then True, restartCount 0', async ({ expect }) => {
    rig.write('ready-later.yaml', pod('ready-later', `  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'sleep 3; touch /tmp/ready; sleep 3600']
    readinessProbe:
      exec: {command: ['test', '-f', '/tmp/ready']}
      periodSeconds: 1
`));
    const notReady = await rig.waitForPod('ready-later', (p) => p.status?.phase === 'Running' && condition(p, 'Ready')?.status === 'False', 20_000, 'Running, not Ready');
    expect(condition(notReady, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    const ready = await rig.waitForPod('ready-later', (p) => condition(p, 'Ready')?.status === 'True', 20_000, 'Ready');
    expect(containerStatus(ready, 'app')).toMatchObject({ ready: true, restartCount: 0 });
  });

  it('liveness that starts failing restarts the container, with restartCount and lastState', async ({ expect }) => {
    rig.write('live-fail.yaml', pod('live-fail', `  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 3600']
    livenessProbe:
      exec: {command: ['test', '-f', '/tmp/alive']}
      periodSeconds: 1
      failureThreshold: 2
`));
    const p = await rig.waitForPod('live-fail', (x) => (containerStatus(x, 'app')?.restartCount ?? 0) >= 1, 40_000, 'restarted');
    expect(containerStatus(p, 'app')!.lastState?.terminated).toBeTruthy();
    const evs = await events('live-fail');
    const seen = evs.map((e) => `${e.reason}: ${e.message}`);
    expect(seen, seen.join('\n')).toContain('Killing: Container app failed liveness probe, will be restarted');
    expect(seen.some((e) => e.startsWith('Unhealthy: Liveness probe failed')), seen.join('\n')).toBe(true);
  });

  it('httpGet against a server in the pod: 200 → ready, 404 → not ready', async ({ expect }) => {
    const web = (name: string, path: string) => pod(name, `  - name: web
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/healthz && httpd -f -p 8080 -h /www']
    ports: [{name: http, containerPort: 8080}]
    readinessProbe:
      httpGet: {path: ${path}, port: http}
      periodSeconds: 1
`);
    rig.write('http-ok.yaml', web('http-ok', '/healthz'));
    rig.write('http-404.yaml', web('http-404', '/missing'));
    await rig.waitForPod('http-ok', (p) => condition(p, 'Ready')?.status === 'True', 30_000, 'Ready');
    await rig.waitForPod('http-404', (p) => p.status?.phase === 'Running', 30_000, 'Running');
    // Not Ready once the probe has run to its failure threshold (no fixed sleep: the lifecycle record says so).
    const attempts = await waitForProbeVerdict(rig.url, 'http-404', { probeType: 'Readiness', published: 'failure' });
    expect(attempts.filter((a) => a.probeType === 'Readiness').map((a) => a.result)).not.toContain('success');
    expect(condition((await rig.pod('http-404'))!, 'Ready')?.status).toBe('False');
  });

  it('tcpSocket: open port → ready, closed port → not ready', async ({ expect }) => {
    const tcp = (name: string, port: number) => pod(name, `  - name: srv
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'while true; do nc -l -p 9000 < /dev/null; done']
    readinessProbe:
      tcpSocket: {port: ${port}}
      periodSeconds: 1
`);
    rig.write('tcp-open.yaml', tcp('tcp-open', 9000));
    rig.write('tcp-closed.yaml', tcp('tcp-closed', 9001));
    await rig.waitForPod('tcp-open', (p) => condition(p, 'Ready')?.status === 'True', 30_000, 'Ready');
    await rig.waitForPod('tcp-closed', (p) => p.status?.phase === 'Running', 30_000, 'Running');
    const attempts = await waitForProbeVerdict(rig.url, 'tcp-closed', { probeType: 'Readiness', published: 'failure' });
    expect(attempts.filter((a) => a.probeType === 'Readiness').map((a) => a.result)).not.toContain('success');
    expect(condition((await rig.pod('tcp-closed'))!, 'Ready')?.status).toBe('False');
  });

  it('a startup probe that never passes restarts the container, and no liveness attempt happens before', async ({ expect }) => {
    rig.write('never-started.yaml', pod('never-started', `  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'sleep 3600']
    startupProbe:
      exec: {command: ['false']}
      periodSeconds: 1
      failureThreshold: 2
    livenessProbe:
      exec: {command: ['sh', '-c', 'echo live >> /tmp/liveness-ran']}
      periodSeconds: 1
`));
    const p = await rig.waitForPod('never-started', (x) => (containerStatus(x, 'app')?.restartCount ?? 0) >= 1, 40_000, 'restarted');
    expect(containerStatus(p, 'app')!.started).toBe(false);
    const res = await fetch(`${rig.url}/lifecycle/default/never-started`);
    const { entries } = (await res.json()) as { entries: { kind: string; probeType?: string }[] };
    expect(entries.some((e) => e.kind === 'probe' && e.probeType === 'Startup')).toBe(true);
    expect(entries.some((e) => e.kind === 'probe' && e.probeType === 'Liveness')).toBe(false);
  });
});
