// Table tests of kubectl's pod columns (printPod) as the API server prints them (control-plane/registry/kinds/
// pod-printer.ts) and its duration format (HumanDuration), over hand-written v1 pods with statuses.
import { describe, expect, it } from 'vitest';
import type { Container, Pod, PodStatus, V1ContainerState, V1ContainerStatus } from '../../../agent/api/v1.js';
import { podStatusColumns } from '../../helpers/pod-columns.js';
import { humanDuration } from '../../../control-plane/registry/table.js';
import { at, makePod, NOW } from '../status/fixtures.js';

const st = (name: string, state: V1ContainerState, o: Partial<V1ContainerStatus> = {}): V1ContainerStatus => ({ name, state, lastState: {}, ready: false, restartCount: 0, image: 'b', imageID: '', ...o });
const runningReady = (name: string, o: Partial<V1ContainerStatus> = {}) => st(name, { running: { startedAt: at(-60_000) } }, { ready: true, started: true, ...o });
const crashed = (finishedOffset: number): Pick<V1ContainerStatus, 'lastState'> => ({ lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(finishedOffset) } } });
const readyCond = (status: string) => ({ type: 'Ready', status });

interface Case {
  name: string;
  containers?: string[];
  inits?: Container[];
  status: PodStatus;
  meta?: Partial<NonNullable<Pod['metadata']>>;
  want: Partial<{ ready: string; status: string; restarts: string; age: string }>;
}

const c = (name: string): Container => ({ name, image: 'b' });
const side = (name: string): Container => ({ name, image: 'b', restartPolicy: 'Always' });

const cases: Case[] = [
  { name: 'running and ready → Running 1/1, no restarts, age', status: { phase: 'Running', containerStatuses: [runningReady('web')] }, want: { ready: '1/1', status: 'Running', restarts: '0', age: '60s' } },
  { name: 'running not ready → Running 0/1', status: { phase: 'Running', containerStatuses: [st('web', { running: {} })] }, want: { ready: '0/1', status: 'Running' } },
  { name: 'Pending with ContainerCreating', status: { phase: 'Pending', containerStatuses: [st('web', { waiting: { reason: 'ContainerCreating' } })] }, want: { status: 'ContainerCreating', ready: '0/1' } },
  { name: 'CrashLoopBackOff with restarts `N (age ago)`', status: { phase: 'Running', containerStatuses: [st('web', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, ...crashed(-150_000) })] }, want: { status: 'CrashLoopBackOff', restarts: '3 (2m30s ago)' } },
  { name: 'restarts without a finishedAt → plain count', status: { phase: 'Running', containerStatuses: [runningReady('web', { restartCount: 2, lastState: { terminated: { exitCode: 137, finishedAt: null as unknown as string } } })] }, want: { restarts: '2' } },
  { name: 'terminated with reason → that reason', status: { phase: 'Failed', containerStatuses: [st('web', { terminated: { exitCode: 137, reason: 'OOMKilled' } })] }, want: { status: 'OOMKilled' } },
  { name: 'terminated without reason, signal → Signal:9', status: { phase: 'Failed', containerStatuses: [st('web', { terminated: { exitCode: 137, signal: 9 } })] }, want: { status: 'Signal:9' } },
  { name: 'terminated without reason → ExitCode:3', status: { phase: 'Failed', containerStatuses: [st('web', { terminated: { exitCode: 3 } })] }, want: { status: 'ExitCode:3' } },
  { name: 'Completed but another running and Ready True → Running', containers: ['a', 'b'], status: { phase: 'Running', conditions: [readyCond('True')], containerStatuses: [st('a', { terminated: { exitCode: 0, reason: 'Completed' } }), runningReady('b')] }, want: { status: 'Running', ready: '1/2' } },
  { name: 'Completed but another running and Ready False → NotReady', containers: ['a', 'b'], status: { phase: 'Running', conditions: [readyCond('False')], containerStatuses: [st('a', { terminated: { exitCode: 0, reason: 'Completed' } }), runningReady('b')] }, want: { status: 'NotReady' } },
  { name: 'first status in the list wins (walked last to first)', containers: ['a', 'b'], status: { phase: 'Pending', containerStatuses: [st('a', { waiting: { reason: 'ErrImagePull' } }), st('b', { waiting: { reason: 'CrashLoopBackOff' } })] }, want: { status: 'ErrImagePull' } },
  { name: 'pod reason overrides the phase (Evicted)', status: { phase: 'Failed', reason: 'Evicted', containerStatuses: [st('web', { waiting: {} })] }, want: { status: 'Evicted' } },
  { name: 'SchedulingGated condition', status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, want: { status: 'SchedulingGated', ready: '0/1' } },
  { name: 'init 0/2 running', inits: [c('i1'), c('i2')], status: { phase: 'Pending', initContainerStatuses: [st('i1', { running: {} }), st('i2', { waiting: { reason: 'PodInitializing' } })], containerStatuses: [st('web', { waiting: { reason: 'PodInitializing' } })] }, want: { status: 'Init:0/2' } },
  { name: 'init 1/2 after the first completed', inits: [c('i1'), c('i2')], status: { phase: 'Pending', initContainerStatuses: [st('i1', { terminated: { exitCode: 0, reason: 'Completed' } }), st('i2', { running: {} })] }, want: { status: 'Init:1/2' } },
  { name: 'init waiting with a reason → Init:CrashLoopBackOff, init restarts counted', inits: [c('i1')], status: { phase: 'Pending', initContainerStatuses: [st('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 4, ...crashed(-30_000) })], containerStatuses: [st('web', { waiting: { reason: 'PodInitializing' } })] }, want: { status: 'Init:CrashLoopBackOff', restarts: '4 (30s ago)' } },
  { name: 'init terminated with reason → Init:Error', inits: [c('i1')], status: { phase: 'Failed', initContainerStatuses: [st('i1', { terminated: { exitCode: 1, reason: 'Error' } })] }, want: { status: 'Init:Error' } },
  { name: 'init terminated without reason → Init:ExitCode:2', inits: [c('i1')], status: { phase: 'Failed', initContainerStatuses: [st('i1', { terminated: { exitCode: 2 } })] }, want: { status: 'Init:ExitCode:2' } },
  { name: 'init terminated by signal → Init:Signal:15', inits: [c('i1')], status: { phase: 'Failed', initContainerStatuses: [st('i1', { terminated: { exitCode: 143, signal: 15 } })] }, want: { status: 'Init:Signal:15' } },
  { name: 'init waiting with reason but Initialized True → reason kept, regular restarts counted', inits: [c('i1')], status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [st('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 5 })], containerStatuses: [runningReady('web', { restartCount: 1 })] }, want: { status: 'Init:CrashLoopBackOff', restarts: '1', ready: '1/1' } },
  { name: 'sidecar started and ready counts in READY, its restarts count after init', inits: [side('s')], status: { phase: 'Running', initContainerStatuses: [runningReady('s', { restartCount: 2, ...crashed(-400_000) })], containerStatuses: [runningReady('web', { restartCount: 1, ...crashed(-700_000) })] }, want: { ready: '2/2', status: 'Running', restarts: '3 (6m40s ago)' } },
  { name: 'sidecar not started → Init:0/1', inits: [side('s')], status: { phase: 'Pending', initContainerStatuses: [st('s', { running: {} }, { started: false })], containerStatuses: [st('web', { waiting: { reason: 'PodInitializing' } })] }, want: { ready: '0/2', status: 'Init:0/1' } },
  { name: 'deletionTimestamp on a running pod → Terminating', meta: { deletionTimestamp: at(-1_000) }, status: { phase: 'Running', containerStatuses: [runningReady('web')] }, want: { status: 'Terminating', ready: '1/1' } },
  { name: 'deletionTimestamp on a Succeeded pod → Completed (not Terminating)', meta: { deletionTimestamp: at(-1_000) }, status: { phase: 'Succeeded', containerStatuses: [st('web', { terminated: { exitCode: 0, reason: 'Completed' } })] }, want: { status: 'Completed' } },
  { name: 'deletionTimestamp with NodeLost → Unknown', meta: { deletionTimestamp: at(-1_000) }, status: { phase: 'Running', reason: 'NodeLost' }, want: { status: 'Unknown' } },
  { name: 'no creationTimestamp → <unknown> age', meta: { creationTimestamp: undefined }, status: { phase: 'Pending' }, want: { age: '<unknown>' } },
];

describe('podStatusColumns', () => {
  it.each(cases)('$name', (t) => {
    const pod = { ...makePod({ containers: (t.containers ?? ['web']).map(c), initContainers: t.inits }, t.meta), status: t.status };
    expect(podStatusColumns(pod, NOW)).toMatchObject(t.want);
  });
});

describe('humanDuration (kubectl)', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h, y = 365 * d;
  it.each([
    [-3 * s, '<invalid>'], [-1500, '0s'], [-999, '0s'], [0, '0s'], [5 * s, '5s'], [119 * s + 999, '119s'],
    [2 * m, '2m'], [3 * m + 20 * s, '3m20s'], [9 * m + 59 * s, '9m59s'], [10 * m + 30 * s, '10m'], [179 * m, '179m'],
    [3 * h, '3h'], [4 * h + 5 * m, '4h5m'], [7 * h + 59 * m, '7h59m'], [8 * h + 30 * m, '8h'], [47 * h, '47h'],
    [2 * d, '2d'], [2 * d + 3 * h, '2d3h'], [7 * d + 23 * h, '7d23h'], [8 * d + 5 * h, '8d'], [729 * d, '729d'],
    [2 * y, '2y'], [2 * y + 10 * d, '2y10d'], [8 * y + 100 * d, '8y'],
  ] as const)('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});
