// Real Docker: a gRPC readiness probe against a real grpc.health.v1 server. No image can be pulled here, so
// the health server runs on this host (grpc-health-check's HealthImplementation on @grpc/grpc-js, independent
// of the probe's codec), and the pods use hostNetwork: the kubelet probes a hostNetwork pod at the host's IP.
// SERVING → Ready; NOT_SERVING → not Ready.
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../helpers/grpc-health.js';
import { startAgentRig, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { waitForProbeVerdict } from '../../helpers/probe-evidence.js';

let rig: AgentRig;
let health: HealthServer;
let port = 0;

function hostIP(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

beforeAll(async () => {
  health = await startHealthServer(hostIP(), { good: 'SERVING', sick: 'NOT_SERVING' });
  port = health.port;
  rig = await startAgentRig();
});
afterAll(async () => { await rig?.stop(); health?.close(); });

const pod = (name: string, service: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3600']
    readinessProbe:
      grpc: {port: ${port}, service: ${service}}
      periodSeconds: 1
`;

describe('grpc probe', () => {
  it('SERVING → Ready, NOT_SERVING → not Ready', async () => {
    rig.write('grpc-ok.yaml', pod('grpc-ok', 'good'));
    rig.write('grpc-sick.yaml', pod('grpc-sick', 'sick'));
    const ok = await rig.waitForPod('grpc-ok', (p) => condition(p, 'Ready')?.status === 'True', 30_000, 'Ready');
    expect(ok.status?.podIP).toBe(hostIP());
    await waitForProbeVerdict(rig.url, 'grpc-sick', { probeType: 'Readiness', published: 'failure' });
    expect(health.seen.some((s) => s.startsWith('sick|'))).toBe(true);
    expect(condition((await rig.pod('grpc-sick'))!, 'Ready')?.status).toBe('False');
    expect(health.seen.find((s) => s.startsWith('good|'))).toMatch(/\|grpc-go\/.* kube-probe\/1\.33|\|kube-probe\/1\.33/);
  });
});
