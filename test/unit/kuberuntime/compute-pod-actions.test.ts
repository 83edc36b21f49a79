// Table tests of computePodActions, named by behaviour (the kubelet's TestComputePodActions).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { computePodActions, isNoop, type ProbeVerdicts } from '../../../agent/kuberuntime/compute-pod-actions.js';
import { hashContainer } from '../../../agent/kuberuntime/labels.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from '../../../agent/kuberuntime/types.js';

function basePod(mut?: (p: Pod) => void): Pod {
  const p: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy: 'Always', containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] },
  };
  mut?.(p);
  return p;
}

let seq = 0;
function ctr(pod: Pod, name: string, state: RuntimeContainerStatus['state'], o: Partial<RuntimeContainerStatus> = {}): RuntimeContainerStatus {
  const type = o.type ?? 'container';
  const spec = (type === 'init' ? pod.spec!.initContainers : pod.spec!.containers)!.find((c) => c.name === name)!;
  seq++;
  return {
    id: `${name}-${seq}`, name, type, state, createdAt: 1000 + seq, startedAt: 1000 + seq, finishedAt: state === 'CONTAINER_EXITED' ? 2000 + seq : 0,
    exitCode: 0, reason: '', message: '', image: 'busybox', imageRef: 'sha256:x', restartCount: 0,
    hash: hashContainer(spec), podSandboxId: 'sb1', ...o,
  };
}

function status(containers: RuntimeContainerStatus[], sandbox: 'ready' | 'notready' | 'none' = 'ready'): RuntimePodStatus {
  return {
    uid: 'u1', name: 'web', namespace: 'default', timestamp: 0,
    sandboxes: sandbox === 'none' ? [] : [{ id: 'sb1', attempt: 0, state: sandbox === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY', createdAt: 1, ip: '10.0.0.2', hostNetwork: false }],
    containers: containers.sort((x, y) => y.createdAt - x.createdAt),
  };
}

const healthy: ProbeVerdicts = { failed: () => undefined, started: () => true };

describe('computePodActions', () => {
  it('everything is good: do nothing', () => {
    const pod = basePod();
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_RUNNING'), ctr(pod, 'b', 'CONTAINER_RUNNING')]), healthy);
    expect(isNoop(a)).toBe(true);
  });

  it('no sandbox: create it and start every container', () => {
    const a = computePodActions(basePod(), status([], 'none'), healthy);
    expect(a).toMatchObject({ createSandbox: true, killPod: false, attempt: 0, containersToStart: [0, 1] });
  });

  it('no sandbox with init containers: start the first init container only', () => {
    const pod = basePod((p) => { p.spec!.initContainers = [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }]; });
    const a = computePodActions(pod, status([], 'none'), healthy);
    expect(a).toMatchObject({ createSandbox: true, initToStart: 0, containersToStart: [] });
  });

  it('sandbox died: kill the pod and re-create it with attempt+1', () => {
    const pod = basePod();
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_EXITED')], 'notready'), healthy);
    expect(a).toMatchObject({ killPod: true, createSandbox: true, attempt: 1 });
  });

  it('sandbox died under Never after containers ran: kill, no new sandbox', () => {
    const pod = basePod((p) => { p.spec!.restartPolicy = 'Never'; });
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_EXITED')], 'notready'), healthy);
    expect(a).toMatchObject({ killPod: true, createSandbox: false, containersToStart: [] });
  });

  it.each([
    ['Always', 0, true], ['Always', 1, true], ['OnFailure', 0, false], ['OnFailure', 3, true], ['Never', 0, false], ['Never', 3, false],
  ] as const)('restartPolicy %s, exit %i → restart %s', (policy, exitCode, restart) => {
    const pod = basePod((p) => { p.spec!.restartPolicy = policy; p.spec!.containers = [p.spec!.containers[0]!]; });
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_EXITED', { exitCode })]), healthy);
    expect(a.containersToStart).toEqual(restart ? [0] : []);
  });

  it('init container running: wait, start nothing', () => {
    const pod = basePod((p) => { p.spec!.initContainers = [{ name: 'i1', image: 'busybox' }]; });
    const a = computePodActions(pod, status([ctr(pod, 'i1', 'CONTAINER_RUNNING', { type: 'init' })]), healthy);
    expect(isNoop(a)).toBe(true);
  });

  it('init container done: start the next, then the main containers', () => {
    const pod = basePod((p) => { p.spec!.initContainers = [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }]; });
    expect(computePodActions(pod, status([ctr(pod, 'i1', 'CONTAINER_EXITED', { type: 'init' })]), healthy).initToStart).toBe(1);
    const both = status([ctr(pod, 'i1', 'CONTAINER_EXITED', { type: 'init' }), ctr(pod, 'i2', 'CONTAINER_EXITED', { type: 'init' })]);
    expect(computePodActions(pod, both, healthy)).toMatchObject({ initToStart: undefined, containersToStart: [0, 1] });
  });

  it('failed init container under Never: kill the pod, never start the main containers', () => {
    const pod = basePod((p) => { p.spec!.restartPolicy = 'Never'; p.spec!.initContainers = [{ name: 'i1', image: 'busybox' }]; });
    const a = computePodActions(pod, status([ctr(pod, 'i1', 'CONTAINER_EXITED', { type: 'init', exitCode: 1 })]), healthy);
    expect(a).toMatchObject({ killPod: true, createSandbox: false, containersToStart: [] });
  });

  it('failed init container under Always: restart it', () => {
    const pod = basePod((p) => { p.spec!.initContainers = [{ name: 'i1', image: 'busybox' }]; });
    const a = computePodActions(pod, status([ctr(pod, 'i1', 'CONTAINER_EXITED', { type: 'init', exitCode: 1 })]), healthy);
    expect(a).toMatchObject({ initToStart: 0, containersToStart: [] });
  });

  it('sidecar running but not started: wait before the next init container', () => {
    const pod = basePod((p) => { p.spec!.initContainers = [{ name: 's', image: 'busybox', restartPolicy: 'Always' }, { name: 'i', image: 'busybox' }]; });
    const st = status([ctr(pod, 's', 'CONTAINER_RUNNING', { type: 'init' })]);
    expect(isNoop(computePodActions(pod, st, { failed: () => undefined, started: () => false }))).toBe(true);
    expect(computePodActions(pod, st, healthy).initToStart).toBe(1);
  });

  it('liveness failure: kill and restart the container', () => {
    const pod = basePod();
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_RUNNING'), ctr(pod, 'b', 'CONTAINER_RUNNING')]),
      { failed: (n) => (n === 'a' ? 'Liveness' : undefined), started: () => true });
    expect(a.containersToKill).toMatchObject([{ name: 'a', reason: 'liveness' }]);
    expect(a.containersToStart).toEqual([0]);
  });

  it('liveness failure under Never: kill, no restart', () => {
    const pod = basePod((p) => { p.spec!.restartPolicy = 'Never'; });
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_RUNNING'), ctr(pod, 'b', 'CONTAINER_RUNNING')]),
      { failed: (n) => (n === 'a' ? 'Liveness' : undefined), started: () => true });
    expect(a.containersToKill).toHaveLength(1);
    expect(a.containersToStart).toEqual([]);
  });

  it('definition changed: kill and restart', () => {
    const pod = basePod();
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_RUNNING', { hash: 'old' }), ctr(pod, 'b', 'CONTAINER_RUNNING')]), healthy);
    expect(a.containersToKill).toMatchObject([{ name: 'a', reason: 'definition' }]);
    expect(a.containersToStart).toEqual([0]);
  });

  it('job with a sidecar: all regular containers done ⇒ stop the sidecar', () => {
    const pod = basePod((p) => { p.spec!.restartPolicy = 'Never'; p.spec!.containers = [p.spec!.containers[0]!]; p.spec!.initContainers = [{ name: 's', image: 'busybox', restartPolicy: 'Always' }]; });
    const a = computePodActions(pod, status([ctr(pod, 's', 'CONTAINER_RUNNING', { type: 'init' }), ctr(pod, 'a', 'CONTAINER_EXITED')]), healthy);
    expect(a.containersToKill).toMatchObject([{ name: 's', reason: 'job-done' }]);
  });

  it('being deleted: nothing restarts', () => {
    const pod = basePod((p) => { p.metadata = { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' }; });
    const a = computePodActions(pod, status([ctr(pod, 'a', 'CONTAINER_EXITED', { exitCode: 1 }), ctr(pod, 'b', 'CONTAINER_RUNNING')]), healthy);
    expect(a.containersToStart).toEqual([]);
  });
});

describe('container GC', () => {
  it('keeps the running instance and the newest dead one per container, removes older dead ones and dead sandboxes', async () => {
    const { gcCandidates } = await import('../../../agent/kuberuntime/gc.js');
    const pod = basePod();
    const st: RuntimePodStatus = {
      ...status([
        ctr(pod, 'a', 'CONTAINER_RUNNING', { createdAt: 50 }),
        ctr(pod, 'a', 'CONTAINER_EXITED', { id: 'a-old1', createdAt: 40 }),
        ctr(pod, 'a', 'CONTAINER_EXITED', { id: 'a-old2', createdAt: 30 }),
        ctr(pod, 'b', 'CONTAINER_EXITED', { id: 'b-1', createdAt: 20 }),
        ctr(pod, 'b', 'CONTAINER_EXITED', { id: 'b-0', createdAt: 10, podSandboxId: 'sb0' }),
      ]),
    };
    const withOld = { ...st, sandboxes: [...st.sandboxes, { id: 'sb0', attempt: 0, state: 'SANDBOX_NOTREADY' as const, createdAt: 0, ip: '', hostNetwork: false }] };
    expect(gcCandidates(withOld)).toEqual({ containers: ['a-old2', 'b-0'], sandboxes: ['sb0'] });
  });
});
