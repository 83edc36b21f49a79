// Table tests of generateAPIPodStatus, named by behaviour: container status details (waiting reasons, order,
// ContainerStatusUnknown, termination message truncation, volumeMounts) and pod IPs.
import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../../../agent/api/v1.js';
import { podStatusColumns } from '../../helpers/pod-columns.js';
import { at, cond, cs, gen, HOST_IP, inst, makePod, NOW, POD_IP, rt, sandbox, type GenArgs } from './fixtures.js';

interface Case {
  name: string;
  args: () => GenArgs;
  check: (s: PodStatus, a: GenArgs) => void;
}

const cases: Case[] = [
  {
    name: 'ErrImagePull with nothing in the runtime → Pending, waiting ErrImagePull with the message',
    args: () => ({ pod: makePod(), reasons: { web: { reason: 'ErrImagePull', message: 'pull access denied' } } }),
    check: (s) => {
      expect(s.phase).toBe('Pending');
      expect(cs(s, 'web').state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'pull access denied' } });
      expect(cond(s, 'PodReadyToStartContainers')?.status).toBe('True');
    },
  },
  {
    name: 'created but not started → waiting with no reason',
    args: () => ({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_CREATED')]) }),
    check: (s) => {
      expect(cs(s, 'web').state).toEqual({ waiting: {} });
      expect(s.phase).toBe('Pending');
      expect(podStatusColumns({ ...makePod(), status: s }, NOW).status).toBe('Pending');
    },
  },
  {
    name: 'containerStatuses sorted by name (the kubelet sorts them), init statuses in spec order',
    args: () => ({
      pod: makePod({ containers: [{ name: 'zeta', image: 'b' }, { name: 'alpha', image: 'b' }], initContainers: [{ name: 'z-init', image: 'b' }, { name: 'a-init', image: 'b' }] }),
      runtime: rt([]),
    }),
    check: (s) => {
      expect(s.containerStatuses!.map((c) => c.name)).toEqual(['alpha', 'zeta']);
      expect(s.initContainerStatuses!.map((c) => c.name)).toEqual(['z-init', 'a-init']);
    },
  },
  {
    name: 'hostNetwork → pod IP is the host IP, sandbox without IP is fine',
    args: () => ({ pod: makePod({ hostNetwork: true }), runtime: rt([inst('web', 'CONTAINER_RUNNING')], [sandbox({ ip: '', hostNetwork: true })]) }),
    check: (s) => {
      expect([s.podIP, s.podIPs]).toEqual([HOST_IP, [{ ip: HOST_IP }]]);
      expect(cond(s, 'PodReadyToStartContainers')?.status).toBe('True');
    },
  },
  {
    name: 'sandbox gone after the pod ran → last pod IP kept, PodReadyToStartContainers False',
    args: () => ({
      pod: makePod({ restartPolicy: 'Never' }),
      runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })], [sandbox({ state: 'SANDBOX_NOTREADY', ip: '' })]),
      previous: { phase: 'Running', podIP: POD_IP, podIPs: [{ ip: POD_IP }] },
    }),
    check: (s) => {
      expect(s.phase).toBe('Succeeded');
      expect(s.podIP).toBe(POD_IP);
      expect(cond(s, 'PodReadyToStartContainers')?.status).toBe('False');
    },
  },
  {
    name: 'runtime reports UNKNOWN after Running → terminated ContainerStatusUnknown 137, restartCount+1',
    args: () => ({
      pod: makePod(),
      runtime: rt([inst('web', 'CONTAINER_UNKNOWN', { restartCount: 0 })]),
      previous: { phase: 'Running', containerStatuses: [{ name: 'web', state: { running: { startedAt: at(-60_000) } }, ready: true, restartCount: 3, image: 'busybox', imageID: '' }] },
      shouldRestart: () => false,
    }),
    check: (s) => {
      expect(cs(s, 'web').state).toEqual({ terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: null, finishedAt: null } });
      expect(cs(s, 'web').restartCount).toBe(4);
    },
  },
  {
    name: 'container vanished after Running → waiting default + lastState ContainerStatusUnknown, restartCount+1',
    args: () => ({
      pod: makePod(),
      runtime: rt([]),
      previous: { phase: 'Running', containerStatuses: [{ name: 'web', state: { running: { startedAt: at(-60_000) } }, lastState: {}, ready: true, restartCount: 1, image: 'busybox', imageID: '' }] },
    }),
    check: (s) => {
      const c = cs(s, 'web');
      expect(c.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
      expect(c.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' });
      expect(c.restartCount).toBe(2);
      expect(s.phase).toBe('Running');
    },
  },
  {
    name: 'container vanished while the pod is being deleted → restartCount unchanged',
    args: () => ({
      pod: makePod({}, { deletionTimestamp: at(-1_000) }),
      runtime: rt([]),
      previous: { phase: 'Running', containerStatuses: [{ name: 'web', state: { running: {} }, lastState: {}, ready: true, restartCount: 1, image: 'busybox', imageID: '' }] },
    }),
    check: (s) => {
      expect(cs(s, 'web').restartCount).toBe(1);
      expect(cs(s, 'web').lastState?.terminated?.reason).toBe('ContainerStatusUnknown');
      expect(podStatusColumns({ ...makePod({}, { deletionTimestamp: at(-1_000) }), status: s }, NOW).status).toBe('Terminating');
    },
  },
  {
    name: 'termination message cut to 12 KiB / number of containers (3 → 4096 bytes), lastState too',
    args: () => ({
      pod: makePod({ restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }, { name: 'b', image: 'b' }, { name: 'web', image: 'b' }] }),
      runtime: rt([
        inst('web', 'CONTAINER_EXITED', { exitCode: 1, message: 'x'.repeat(5000) }),
        inst('a', 'CONTAINER_EXITED', { exitCode: 0, message: 'short' }),
        inst('b', 'CONTAINER_EXITED', { exitCode: 0, message: 'é'.repeat(3000) }),
      ]),
    }),
    check: (s) => {
      expect(cs(s, 'web').state?.terminated?.message).toBe('x'.repeat(4096));
      expect(cs(s, 'a').state?.terminated?.message).toBe('short');
      expect(cs(s, 'b').state?.terminated?.message).toBe('é'.repeat(2048));
    },
  },
  {
    name: 'volumeMounts reported from the spec (read-only ones with recursiveReadOnly Disabled)',
    args: () => ({
      pod: makePod({ containers: [{ name: 'web', image: 'b', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }] }] }),
      runtime: rt([inst('web', 'CONTAINER_RUNNING')]),
    }),
    check: (s) => expect(cs(s, 'web').volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      { name: 'cfg', mountPath: '/etc/cfg', readOnly: true, recursiveReadOnly: 'Disabled' },
    ]),
  },
];

describe('generateAPIPodStatus: container statuses, IPs, ContainerStatusUnknown, messages', () => {
  it.each(cases)('$name', (c) => {
    const a = c.args();
    c.check(gen(a), a);
  });
});

