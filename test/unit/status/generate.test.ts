// Table tests of generateAPIPodStatus, named by behaviour (kubelet-style): phase, init containers, sidecars,
// conditions with exact reasons/messages, and the kubectl columns they lead to.
import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../../../agent/api/v1.js';
import { podStatusColumns } from '../../helpers/pod-columns.js';
import { at, cond, cs, gen, HOST_IP, inst, makePod, NOW, NOW_S, POD_IP, rt, type GenArgs } from './fixtures.js';

interface Case {
  name: string;
  args: () => GenArgs;
  check: (s: PodStatus, a: GenArgs) => void;
}

const crashMsg = 'back-off 20s restarting failed container=web pod=web_default(uid-1)';

const cases: Case[] = [
  {
    name: 'nothing created yet → Pending, ContainerCreating, PodReadyToStartContainers False',
    args: () => ({ pod: makePod(), runtime: rt([], []) }),
    check: (s) => {
      expect(s.phase).toBe('Pending');
      expect(cs(s, 'web')).toEqual({ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'busybox', imageID: '', started: false });
      expect(s.conditions!.map((c) => [c.type, c.status])).toEqual([
        ['PodReadyToStartContainers', 'False'], ['Initialized', 'True'], ['Ready', 'False'], ['ContainersReady', 'False'], ['PodScheduled', 'True'],
      ]);
      expect(cond(s, 'Ready')).toMatchObject({ reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
      expect(s.podIP).toBeUndefined();
      expect(s.startTime).toBe(NOW_S);
      expect(s.qosClass).toBe('BestEffort');
      expect(s.initContainerStatuses).toBeUndefined();
    },
  },
  {
    name: 'running, no probes → Running, started and ready, Ready True, pod IP from the sandbox',
    args: () => ({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_RUNNING', { id: 'a'.repeat(64), started: -5_000 })]) }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'web')).toEqual({
        name: 'web', state: { running: { startedAt: at(-5_000) } }, lastState: {}, ready: true, restartCount: 0,
        image: 'docker.io/library/busybox:latest', imageID: 'docker-pullable://busybox@sha256:abc', containerID: `docker://${'a'.repeat(64)}`, started: true,
      });
      expect(s.conditions!.every((c) => c.status === 'True')).toBe(true);
      expect(s.conditions![0]).toEqual({ type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: NOW_S });
      expect([s.podIP, s.podIPs, s.hostIP, s.hostIPs]).toEqual([POD_IP, [{ ip: POD_IP }], HOST_IP, [{ ip: HOST_IP }]]);
    },
  },
  {
    name: 'restartPolicy Always, all exited 0 → Running (restarting), terminated Completed',
    args: () => ({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })]) }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'web').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', startedAt: at(-30_000), finishedAt: at(-10_000) });
      expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    },
  },
  {
    name: 'CrashLoopBackOff under Always → Running with waiting CrashLoopBackOff and lastState',
    args: () => ({
      pod: makePod(),
      runtime: rt([
        inst('web', 'CONTAINER_EXITED', { exitCode: 1, restartCount: 2, started: -20_000, finished: -19_000 }),
        inst('web', 'CONTAINER_EXITED', { exitCode: 1, restartCount: 1, started: -40_000, finished: -39_000 }),
      ]),
      reasons: { web: { reason: 'CrashLoopBackOff', message: crashMsg } },
    }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      const c = cs(s, 'web');
      expect(c.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: crashMsg } });
      expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', finishedAt: at(-19_000) });
      expect(c.restartCount).toBe(2);
      expect([c.ready, c.started]).toEqual([false, false]);
      expect(podStatusColumns({ ...makePod(), status: s }, NOW)).toMatchObject({ status: 'CrashLoopBackOff', ready: '0/1', restarts: '2 (19s ago)' });
    },
  },
  {
    name: 'two instances without a cached reason → newest terminated, previous one in lastState',
    args: () => ({
      pod: makePod(),
      runtime: rt([
        inst('web', 'CONTAINER_RUNNING', { restartCount: 1, started: -5_000 }),
        inst('web', 'CONTAINER_EXITED', { exitCode: 137, reason: 'OOMKilled', started: -40_000, finished: -6_000 }),
      ]),
    }),
    check: (s) => {
      const c = cs(s, 'web');
      expect(c.state?.running).toBeDefined();
      expect(c.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', finishedAt: at(-6_000) });
      expect(c.restartCount).toBe(1);
    },
  },
  {
    name: 'OnFailure all 0 → Succeeded, PodCompleted conditions',
    args: () => ({ pod: makePod({ restartPolicy: 'OnFailure' }), runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })]) }),
    check: (s) => {
      expect(s.phase).toBe('Succeeded');
      expect(cond(s, 'Initialized')).toMatchObject({ status: 'True', reason: 'PodCompleted' });
      expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      expect(podStatusColumns({ ...makePod(), status: s }, NOW).status).toBe('Completed');
    },
  },
  {
    name: 'OnFailure with a failure → Running while it restarts',
    args: () => ({ pod: makePod({ restartPolicy: 'OnFailure' }), runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 2 })]) }),
    check: (s) => expect(s.phase).toBe('Running'),
  },
  {
    name: 'Never exit 3 → Failed, Error, exitCode 3, PodFailed conditions',
    args: () => ({ pod: makePod({ restartPolicy: 'Never' }), runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 3 })]) }),
    check: (s) => {
      expect(s.phase).toBe('Failed');
      expect(cs(s, 'web').state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
      expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
      expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodFailed' });
      expect(cond(s, 'Initialized')).toMatchObject({ status: 'True' });
      expect(podStatusColumns({ ...makePod(), status: s }, NOW).status).toBe('Error');
    },
  },
  {
    name: 'failing init under Never → Failed, Init:Error, regular container PodInitializing',
    args: () => ({
      pod: makePod({ restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox' }] }),
      runtime: rt([inst('init', 'CONTAINER_EXITED', { type: 'init', exitCode: 1 })]),
    }),
    check: (s) => {
      expect(s.phase).toBe('Failed');
      expect(cs(s, 'init').state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
      expect(cs(s, 'web').state).toEqual({ waiting: { reason: 'PodInitializing' } });
      expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' });
      expect(podStatusColumns({ ...makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }), status: s }, NOW).status).toBe('Init:Error');
    },
  },
  {
    name: 'failing init under Always with back-off → Pending, Init:CrashLoopBackOff',
    args: () => ({
      pod: makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }),
      runtime: rt([inst('init', 'CONTAINER_EXITED', { type: 'init', exitCode: 1, restartCount: 1 })]),
      reasons: { init: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=init pod=web_default(uid-1)' } },
    }),
    check: (s) => {
      expect(s.phase).toBe('Pending');
      expect(cs(s, 'init').state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(cs(s, 'init').lastState?.terminated?.exitCode).toBe(1);
      expect(podStatusColumns({ ...makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }), status: s }, NOW)).toMatchObject({ status: 'Init:CrashLoopBackOff', restarts: '1 (10s ago)' });
    },
  },
  {
    name: 'init running → Pending Init:0/1, regular waiting PodInitializing',
    args: () => ({ pod: makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }), runtime: rt([inst('init', 'CONTAINER_RUNNING', { type: 'init' })]) }),
    check: (s) => {
      expect(s.phase).toBe('Pending');
      expect(cs(s, 'init')).toMatchObject({ started: true, ready: false });
      expect(cs(s, 'web').state).toEqual({ waiting: { reason: 'PodInitializing' } });
      expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [init]' });
      expect(podStatusColumns({ ...makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }), status: s }, NOW)).toMatchObject({ status: 'Init:0/1', ready: '0/1' });
    },
  },
  {
    name: 'no runtime at all with init containers → init statuses PodInitializing too',
    args: () => ({ pod: makePod({ initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] }), runtime: undefined }),
    check: (s) => {
      expect(s.initContainerStatuses!.map((c) => [c.name, c.state?.waiting?.reason])).toEqual([['i1', 'PodInitializing'], ['i2', 'PodInitializing']]);
      expect(s.phase).toBe('Pending');
      expect(podStatusColumns({ ...makePod({ initContainers: [{ name: 'i1', image: 'b' }, { name: 'i2', image: 'b' }] }), status: s }, NOW).status).toBe('Init:0/2');
    },
  },
  {
    name: 'init done (exit 0) and regular running → Running, init ready, stale cached reason ignored',
    args: () => ({
      pod: makePod({ initContainers: [{ name: 'init', image: 'busybox' }] }),
      runtime: rt([inst('init', 'CONTAINER_EXITED', { type: 'init', exitCode: 0, started: -40_000 }), inst('web', 'CONTAINER_RUNNING', { started: -5_000 })]),
      reasons: { init: { reason: 'RunContainerError', message: 'stale' } },
    }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'init')).toMatchObject({ ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
      expect(cond(s, 'Initialized')?.status).toBe('True');
    },
  },
  {
    name: 'sidecar started gates: running but startup probe pending → Pending, Initialized False',
    args: () => ({
      pod: makePod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }] }),
      runtime: rt([inst('side', 'CONTAINER_RUNNING', { type: 'init' })]),
    }),
    check: (s) => {
      expect(s.phase).toBe('Pending');
      expect(cs(s, 'side')).toMatchObject({ started: false, ready: false });
      expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [side]' });
      expect(cond(s, 'ContainersReady')?.message).toBe('containers with unready status: [side web]');
      const pod = makePod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] });
      expect(podStatusColumns({ ...pod, status: s }, NOW)).toMatchObject({ status: 'Init:0/1', ready: '0/2' });
    },
  },
  {
    name: 'sidecar started and ready, regular running → Running, READY 2/2',
    args: () => ({
      pod: makePod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] }),
      runtime: rt([inst('side', 'CONTAINER_RUNNING', { type: 'init', started: -20_000 }), inst('web', 'CONTAINER_RUNNING', { started: -5_000 })]),
    }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'side')).toMatchObject({ started: true, ready: true });
      expect(cond(s, 'Ready')?.status).toBe('True');
      const pod = makePod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] });
      expect(podStatusColumns({ ...pod, status: s }, NOW)).toMatchObject({ status: 'Running', ready: '2/2' });
    },
  },
  {
    name: 'sidecar restarting after the pod initialized → stays Running, Initialized True',
    args: () => ({
      pod: makePod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] }),
      runtime: rt([inst('side', 'CONTAINER_EXITED', { type: 'init', exitCode: 1 }), inst('web', 'CONTAINER_RUNNING', { started: -5_000 })]),
      reasons: { side: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=side pod=web_default(uid-1)' } },
    }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'side').state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(cond(s, 'Initialized')?.status).toBe('True');
      expect(cond(s, 'ContainersReady')?.message).toBe('containers with unready status: [side]');
    },
  },
  {
    name: 'readiness false → Ready False ContainersNotReady `containers with unready status: [web]`',
    args: () => ({
      pod: makePod({ containers: [{ name: 'web', image: 'busybox', readinessProbe: { httpGet: { port: 80 } } }] }),
      runtime: rt([inst('web', 'CONTAINER_RUNNING')]),
      probe: () => ({ started: true, ready: false }),
    }),
    check: (s) => {
      expect(s.phase).toBe('Running');
      expect(cs(s, 'web')).toMatchObject({ started: true, ready: false });
      expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
      expect(podStatusColumns({ ...makePod(), status: s }, NOW)).toMatchObject({ status: 'Running', ready: '0/1' });
    },
  },
  {
    name: 'readiness probe with no verdict yet → not ready (derived)',
    args: () => ({ pod: makePod({ containers: [{ name: 'web', image: 'busybox', readinessProbe: { tcpSocket: { port: 80 } } }] }), runtime: rt([inst('web', 'CONTAINER_RUNNING')]) }),
    check: (s) => expect(cs(s, 'web')).toMatchObject({ started: true, ready: false }),
  },
  {
    name: 'startup probe pending → started false, ready false',
    args: () => ({ pod: makePod({ containers: [{ name: 'web', image: 'busybox', startupProbe: { tcpSocket: { port: 80 } } }] }), runtime: rt([inst('web', 'CONTAINER_RUNNING')]) }),
    check: (s) => expect(cs(s, 'web')).toMatchObject({ started: false, ready: false }),
  },
  {
    name: 'readiness gate missing → Ready False ReadinessGatesNotReady, ContainersReady True',
    args: () => ({ pod: makePod({ readinessGates: [{ conditionType: 'example.com/lb' }] }), runtime: rt([inst('web', 'CONTAINER_RUNNING')]) }),
    check: (s) => {
      expect(cond(s, 'ContainersReady')?.status).toBe('True');
      expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
    },
  },
  {
    name: 'readiness gate False on the pod → message quotes the status, foreign condition kept first',
    args: () => {
      const pod = { ...makePod({ readinessGates: [{ conditionType: 'example.com/lb' }] }), status: { conditions: [{ type: 'example.com/lb', status: 'False', lastTransitionTime: at(-100_000) }] } };
      return { pod, runtime: rt([inst('web', 'CONTAINER_RUNNING')]) };
    },
    check: (s) => {
      expect(s.conditions![0]).toEqual({ type: 'example.com/lb', status: 'False', lastTransitionTime: at(-100_000) });
      expect(cond(s, 'Ready')?.message).toBe('the status of pod readiness gate "example.com/lb" is not "True", but False');
    },
  },
];

describe('generateAPIPodStatus: phase, init containers, sidecars, conditions', () => {
  it.each(cases)('$name', (c) => {
    const a = c.args();
    c.check(gen(a), a);
  });
});

