// Table tests of getPhase and its counters over hand-written v1 container statuses (the kubelet's
// TestPodPhaseWithRestart* family, named by behaviour).
import { describe, expect, it } from 'vitest';
import type { Container, V1ContainerStatus } from '../../../agent/api/v1.js';
import { countContainers, getPhase } from '../../../agent/status/phase.js';
import { makePod } from './fixtures.js';

const running = (name: string, started?: boolean): V1ContainerStatus => ({ name, state: { running: {} }, ready: false, restartCount: 0, image: 'b', imageID: '', ...(started === undefined ? {} : { started }) });
const exited = (name: string, exitCode: number): V1ContainerStatus => ({ name, state: { terminated: { exitCode } }, ready: false, restartCount: 0, image: 'b', imageID: '' });
const waiting = (name: string, lastExit?: number): V1ContainerStatus => ({
  name, state: { waiting: { reason: 'X' } }, ready: false, restartCount: 0, image: 'b', imageID: '',
  ...(lastExit === undefined ? {} : { lastState: { terminated: { exitCode: lastExit } } }),
});
const empty = (name: string): V1ContainerStatus => ({ name, state: {}, ready: false, restartCount: 0, image: 'b', imageID: '' });

const c = (name: string): Container => ({ name, image: 'b' });
const side = (name: string): Container => ({ name, image: 'b', restartPolicy: 'Always' });

interface Case {
  name: string;
  policy?: string;
  inits?: Container[];
  containers?: Container[];
  statuses: V1ContainerStatus[];
  terminal?: boolean;
  initialized?: boolean;
  isStatic?: boolean;
  want: string;
}

const cases: Case[] = [
  { name: 'no statuses at all → Pending', statuses: [], want: 'Pending' },
  { name: 'all running → Running', containers: [c('a'), c('b')], statuses: [running('a'), running('b')], want: 'Running' },
  { name: 'one running, one unknown → Pending', containers: [c('a'), c('b')], statuses: [running('a')], want: 'Pending' },
  { name: 'one running, one waiting first time → Pending', containers: [c('a'), c('b')], statuses: [running('a'), waiting('b')], want: 'Pending' },
  { name: 'state with nothing set counts as unknown → Pending', statuses: [empty('web')], want: 'Pending' },
  { name: 'Always: all exited 0 → Running', statuses: [exited('web', 0)], want: 'Running' },
  { name: 'Always: waiting after a crash (CrashLoopBackOff) → Running', statuses: [waiting('web', 1)], want: 'Running' },
  { name: 'Always: terminal (deleted) and all exited 0 → Succeeded', statuses: [exited('web', 0)], terminal: true, want: 'Succeeded' },
  { name: 'Always: terminal with a failure → Failed', statuses: [exited('web', 137)], terminal: true, want: 'Failed' },
  { name: 'Always: terminal static pod → Running (no terminal shortcut)', statuses: [exited('web', 137)], terminal: true, isStatic: true, want: 'Running' },
  { name: 'OnFailure: all exited 0 → Succeeded', policy: 'OnFailure', statuses: [exited('web', 0)], want: 'Succeeded' },
  { name: 'OnFailure: one failed → Running (restarting)', policy: 'OnFailure', containers: [c('a'), c('b')], statuses: [exited('a', 0), exited('b', 1)], want: 'Running' },
  { name: 'OnFailure: waiting with last exit 0 is stopped but not succeeded → Running', policy: 'OnFailure', statuses: [waiting('web', 0)], want: 'Running' },
  { name: 'Never: exit 3 → Failed', policy: 'Never', statuses: [exited('web', 3)], want: 'Failed' },
  { name: 'Never: all exited 0 → Succeeded', policy: 'Never', containers: [c('a'), c('b')], statuses: [exited('a', 0), exited('b', 0)], want: 'Succeeded' },
  { name: 'Never: one still running → Running', policy: 'Never', containers: [c('a'), c('b')], statuses: [exited('a', 1), running('b')], want: 'Running' },
  { name: 'init running → Pending', inits: [c('i')], statuses: [running('i'), waiting('web')], want: 'Pending' },
  { name: 'init waiting for its first run → Pending', inits: [c('i')], statuses: [waiting('i'), waiting('web')], want: 'Pending' },
  { name: 'init failed under Never → Failed', policy: 'Never', inits: [c('i')], statuses: [exited('i', 1), waiting('web')], want: 'Failed' },
  { name: 'init waiting after failure under Never → Failed', policy: 'Never', inits: [c('i')], statuses: [waiting('i', 2), waiting('web')], want: 'Failed' },
  { name: 'init failed under Always → Pending (regular containers wait)', inits: [c('i')], statuses: [waiting('i', 1), waiting('web')], want: 'Pending' },
  { name: 'init waiting after exit 0 counts as done → regular running → Running', inits: [c('i')], statuses: [waiting('i', 0), running('web')], want: 'Running' },
  { name: 'init done, regular running → Running', inits: [c('i')], statuses: [exited('i', 0), running('web')], want: 'Running' },
  { name: 'sidecar running not started, not initialized → Pending', inits: [side('s')], statuses: [running('s', false), waiting('web')], want: 'Pending' },
  { name: 'sidecar running not started, pod initialized → Running', inits: [side('s')], statuses: [running('s', false), running('web')], initialized: true, want: 'Running' },
  { name: 'sidecar started, regular waiting → Pending', inits: [side('s')], statuses: [running('s', true), waiting('web')], want: 'Pending' },
  { name: 'sidecar crashing after init, regular running → Running', inits: [side('s')], statuses: [waiting('s', 1), running('web')], initialized: true, want: 'Running' },
  { name: 'sidecar terminated is ignored: Never job done → Succeeded', policy: 'Never', inits: [side('s')], statuses: [exited('s', 137), exited('web', 0)], want: 'Succeeded' },
  { name: 'sidecar still running, job container done (Never) → Running', policy: 'Never', inits: [side('s')], statuses: [running('s', true), exited('web', 0)], initialized: true, want: 'Running' },
  { name: 'sidecar without status → unknown → Pending', inits: [side('s')], statuses: [running('web')], initialized: true, want: 'Pending' },
];

describe('getPhase', () => {
  it.each(cases)('$name', (t) => {
    const pod = makePod({ restartPolicy: t.policy ?? 'Always', containers: t.containers ?? [c('web')], initContainers: t.inits });
    expect(getPhase(pod, t.statuses, t.terminal ?? false, t.initialized ?? false, t.isStatic ?? false)).toBe(t.want);
  });
});

describe('countContainers', () => {
  it('counts each kind as the kubelet does', () => {
    const pod = makePod({
      containers: [c('a'), c('b'), c('d'), c('e')],
      initContainers: [c('i1'), c('i2'), side('s1'), side('s2')],
    });
    const n = countContainers(pod, [
      exited('i1', 0), waiting('i2', 1), running('s1', false), waiting('s2'),
      running('a'), exited('b', 0), waiting('d', 0),
    ]);
    expect(n).toEqual({ pendingInit: 0, failedInit: 1, pendingSidecar: 2, unknown: 1, running: 2, waiting: 1, stopped: 2, succeeded: 1 });
  });
});
