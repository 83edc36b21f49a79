// test/e2e/kubectl-persistent-volumes.test.ts — persistent volumes on one node (issue 12), with the real kubectl
// on a real agent and Docker: a PVC of the default local-path class is provisioned when its pod is scheduled
// (WaitForFirstConsumer), the pod writes a file into it; a second pod on the same claim reads it after the first
// is gone; `kubectl get pvc,pv,sc` print the 1.33 columns; a claim in use stays Terminating until its pod goes
// (pvc-protection), then its PV and directory are removed (reclaim Delete); a pod whose claim does not exist
// stays Pending and unscheduled (PodScheduled False Unschedulable, FailedScheduling in kube-scheduler's words)
// and is scheduled and starts once the claim is created.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const work = mkdtempSync(join(tmpdir(), 'mk-pv-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const apply = async (name: string, yaml: string): Promise<string> => {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, yaml);
  const r = await k('apply', '-f', file);
  expect(r.stderr).toBe('');
  return r.stdout;
};
const claim = (name: string): string => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;
const pod = (name: string, claimName: string, script: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:latest
    imagePullPolicy: Never
    command: [sh, -c, '${script}']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: ${claimName}}
`;
const jsonpath = async (what: string[], path: string): Promise<string> => (await k('get', ...what, '-o', `jsonpath=${path}`)).stdout;
const phaseOf = (name: string): Promise<string> => jsonpath(['pod', name], '{.status.phase}');
const waitRunning = (name: string): Promise<unknown> =>
  waitFor(async () => ((await jsonpath(['pod', name], '{.status.containerStatuses[0].state.running.startedAt}')) ? true : undefined), { timeoutMs: 60_000, intervalMs: 250, message: `pod ${name} never ran` });

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('persistent volumes (local-path)', () => {
  it('provisions on first use, keeps the data across pods, shows the columns, and deletes with the claim', async () => {
    const sc = await k('get', 'sc');
    expect(sc.stdout).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\n/);
    expect(sc.stdout).toMatch(/\nlocal-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\S+\n/);

    expect(await apply('data', claim('data'))).toBe('persistentvolumeclaim/data created\n');
    // WaitForFirstConsumer: no pod yet, so no volume; the default class was given to the claim.
    await waitFor(async () => ((await jsonpath(['pvc', 'data'], '{.spec.storageClassName}')) === 'local-path' ? true : undefined), { timeoutMs: 10_000, intervalMs: 100, message: 'no default class' });
    expect(await jsonpath(['pvc', 'data'], '{.status.phase}')).toBe('Pending');

    await apply('writer', pod('writer', 'data', 'echo hello > /data/f && sleep 3600'));
    await waitRunning('writer');
    const uid = await jsonpath(['pvc', 'data'], '{.metadata.uid}');
    expect(await jsonpath(['pvc', 'data'], '{.status.phase} {.spec.volumeName}')).toBe(`Bound pvc-${uid}`);
    const dir = join(rig.rootDir, 'storage', `pvc-${uid}_default_data`);
    await waitFor(async () => (existsSync(join(dir, 'f')) ? true : undefined), { timeoutMs: 10_000, intervalMs: 100, message: 'no file in the volume' });
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('hello\n');

    const both = (await k('get', 'pvc,pv')).stdout;
    expect(both).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\n/);
    expect(both).toMatch(new RegExp(`\\npersistentvolumeclaim/data\\s+Bound\\s+pvc-${uid}\\s+1Gi\\s+RWO\\s+local-path\\s+<unset>\\s+\\S+\\n`));
    expect(both).toMatch(/\n\nNAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\n/);
    expect(both).toMatch(new RegExp(`\\npersistentvolume/pvc-${uid}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+local-path\\s+<unset>\\s+\\S+\\n`));

    // Another pod on the same claim sees what the first one wrote.
    expect((await k('delete', 'pod', 'writer')).exitCode).toBe(0);
    await apply('reader', pod('reader', 'data', 'cat /data/f; sleep 3600'));
    await waitRunning('reader');
    await waitFor(async () => ((await k('logs', 'reader')).stdout === 'hello\n' ? true : undefined), { timeoutMs: 10_000, intervalMs: 200, message: 'reader did not print the file' });

    // In use: the claim waits (pvc-protection) until its pod is gone; then the volume and its directory go.
    expect((await k('delete', 'pvc', 'data', '--wait=false')).stdout).toBe('persistentvolumeclaim "data" deleted\n');
    expect((await k('get', 'pvc', 'data')).stdout).toMatch(/\ndata\s+Terminating\s+pvc-/);
    expect(await phaseOf('reader')).toBe('Running');
    expect((await k('delete', 'pod', 'reader')).exitCode).toBe(0);
    await waitFor(async () => ((await k('get', 'pvc,pv', '-o', 'name')).stdout === '' ? true : undefined), { timeoutMs: 30_000, intervalMs: 200, message: 'claim or volume still there' });
    await waitFor(async () => (existsSync(dir) ? undefined : true), { timeoutMs: 10_000, intervalMs: 100, message: `${dir} still there` });
  });

  it('a pod whose claim does not exist stays Pending unscheduled (FailedScheduling), and starts once the claim exists', async () => {
    await apply('orphan', pod('orphan', 'missing', 'sleep 3600'));
    const text = '0/1 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    await waitFor(async () => {
      const events = JSON.parse((await k('get', 'events', '-o', 'json')).stdout) as { items: { reason?: string; message?: string; involvedObject?: { name?: string } }[] };
      return events.items.some((e) => e.involvedObject?.name === 'orphan' && e.reason === 'FailedScheduling' && e.message === text) ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250, message: 'no FailedScheduling event' });
    expect(await jsonpath(['pod', 'orphan'], '{.status.phase} {.spec.nodeName}|{range .status.conditions[*]}{.type} {.status} {.reason}{end}')).toBe('Pending |PodScheduled False Unschedulable');
    expect((await k('get', 'pod', 'orphan')).stdout).toMatch(/\norphan\s+0\/1\s+Pending\s+0\s+\S+\n/);

    await apply('missing', claim('missing'));
    await waitRunning('orphan');
    expect(await jsonpath(['pvc', 'missing'], '{.status.phase}')).toBe('Bound');
    expect((await k('delete', 'pod', 'orphan')).exitCode).toBe(0);
    expect((await k('delete', 'pvc', 'missing')).exitCode).toBe(0);
  });
});
