// test/unit/timeline/fixtures.ts — hand-built lifecycle records and pod statuses for the timeline tests:
// the loap experiment (init, main with postStart, probe ticks, preStop, SIGTERM, exit), a crash loop with
// back-off gaps, and a liveness restart that ends in SIGKILL.
import type { LifecycleEntry } from '../../../agent/timeline/lifecycle-record.js';
import type { Pod } from '../../../agent/api/v1.js';

export const T = 1_700_000_000_000; // a whole second, as status times are
const UID = 'uid-1';
export const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const at = (dt: number, kind: string, rest: Record<string, unknown> = {}): LifecycleEntry => ({ time: T + dt, podUID: UID, kind, ...rest });
const c = (name: string) => ({ container: name });

export const INIT_ID = 'a'.repeat(64);
export const MAIN_ID = 'b'.repeat(64);

export function loap(): { pod: Pod; entries: LifecycleEntry[] } {
  const entries: LifecycleEntry[] = [
    at(400, 'sandbox', { sandboxId: 's1', attempt: 0, ip: '10.88.0.5', startedAt: T }),
    at(450, 'pull', { ...c('init'), phase: 'start', image: 'busybox' }),
    at(900, 'pull', { ...c('init'), phase: 'end', image: 'busybox', result: 'pulled' }),
    at(950, 'create', { ...c('init'), containerId: INIT_ID, restartCount: 0 }),
    at(1000, 'start', { ...c('init'), containerId: INIT_ID, restartCount: 0 }),
    at(1500, 'pull', { ...c('main'), phase: 'start', image: 'busybox' }),
    at(2000, 'pull', { ...c('main'), phase: 'end', image: 'busybox', result: 'pulled' }),
    at(2050, 'create', { ...c('main'), containerId: MAIN_ID, restartCount: 0 }),
    at(2100, 'start', { ...c('main'), containerId: MAIN_ID, restartCount: 0 }),
    at(2110, 'hook', { ...c('main'), hook: 'postStart', handler: 'exec', phase: 'start', containerId: MAIN_ID }),
    at(2300, 'hook', { ...c('main'), hook: 'postStart', handler: 'exec', phase: 'end', result: 'success', durationMs: 190, containerId: MAIN_ID }),
  ];
  // Probe ticks every 10 s from 2.4 s; the first readiness success is published (Ready).
  for (let k = 0; k < 3; k++) {
    entries.push(at(2400 + k * 10_000, 'probe', { ...c('main'), probeType: 'Liveness', result: 'success', output: '', durationMs: 20, containerId: `docker://${MAIN_ID}`, published: 'success' }));
    // As the agent records them: the runtime id with its docker:// prefix, and `published` on every attempt
    // at the threshold (only the first is a flip).
    entries.push(at(2410 + k * 10_000, 'probe', { ...c('main'), probeType: 'Readiness', result: 'success', output: '', durationMs: 20, containerId: `docker://${MAIN_ID}`, published: 'success' }));
  }
  entries.push(
    at(30_500, 'kill', { ...c('main'), containerId: MAIN_ID, message: 'Stopping container main', gracePeriodSeconds: 30 }),
    at(30_510, 'hook', { ...c('main'), hook: 'preStop', handler: 'exec', phase: 'start', containerId: MAIN_ID }),
    at(30_700, 'hook', { ...c('main'), hook: 'preStop', handler: 'exec', phase: 'end', result: 'success', durationMs: 190, containerId: MAIN_ID }),
    at(30_710, 'signal', { ...c('main'), containerId: MAIN_ID, signal: 'SIGTERM', gracePeriodSeconds: 30 }),
  );
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'loap', namespace: 'default', uid: UID, deletionTimestamp: iso(T + 60_500), deletionGracePeriodSeconds: 30 },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'main', image: 'busybox' }],
    },
    status: {
      phase: 'Running', podIP: '10.88.0.5',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: iso(T + 1200) },
        { type: 'Ready', status: 'True', lastTransitionTime: iso(T + 2500) },
      ],
      initContainerStatuses: [{
        name: 'init', image: 'busybox:latest', imageID: '', ready: false, restartCount: 0, containerID: `docker://${INIT_ID}`,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(T + 1000), finishedAt: iso(T + 1100), containerID: `docker://${INIT_ID}` } },
      }],
      containerStatuses: [{
        name: 'main', image: 'busybox:latest', imageID: '', ready: false, restartCount: 0, containerID: `docker://${MAIN_ID}`,
        state: { terminated: { exitCode: 143, reason: 'Error', startedAt: iso(T + 2100), finishedAt: iso(T + 31_200), containerID: `docker://${MAIN_ID}` } },
      }],
    },
  };
  return { pod, entries };
}

export function crashLoop(): { pod: Pod; entries: LifecycleEntry[] } {
  const id = (n: number) => `${n}`.repeat(64);
  const entries: LifecycleEntry[] = [
    at(300, 'sandbox', { sandboxId: 's1', attempt: 0, ip: '10.88.0.6', startedAt: T }),
    at(900, 'create', { ...c('crash'), containerId: id(1), restartCount: 0 }),
    at(1000, 'start', { ...c('crash'), containerId: id(1), restartCount: 0 }),
    // The first restart has no back-off; the exit is only bounded by the next create.
    at(2050, 'create', { ...c('crash'), containerId: id(2), restartCount: 1 }),
    at(2100, 'start', { ...c('crash'), containerId: id(2), restartCount: 1 }),
    at(3150, 'error', { ...c('crash'), reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' }),
    at(3150, 'backoff', { ...c('crash'), delayMs: 10_000, until: T + 13_100 }),
    at(5000, 'backoff', { ...c('crash'), delayMs: 10_000, until: T + 13_100 }),
    at(13_120, 'create', { ...c('crash'), containerId: id(3), restartCount: 2 }),
    at(13_150, 'start', { ...c('crash'), containerId: id(3), restartCount: 2 }),
    at(14_200, 'backoff', { ...c('crash'), delayMs: 20_000, until: T + 34_150 }),
  ];
  const pod: Pod = {
    metadata: { name: 'crasher', namespace: 'default', uid: UID },
    spec: { containers: [{ name: 'crash', image: 'busybox' }] },
    status: {
      phase: 'Running', podIP: '10.88.0.6',
      containerStatuses: [{
        name: 'crash', image: 'busybox:latest', imageID: '', ready: false, restartCount: 2, containerID: `docker://${id(3)}`,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(T + 13_150), finishedAt: iso(T + 14_150), containerID: `docker://${id(3)}` } },
      }],
    },
  };
  return { pod, entries };
}

export function livenessRestart(): { pod: Pod; entries: LifecycleEntry[] } {
  const old = 'c'.repeat(64), now = 'd'.repeat(64);
  const probe = (dt: number, result: string, published?: string) =>
    at(dt, 'probe', { ...c('web'), probeType: 'Liveness', result, output: 'HTTP probe failed with statuscode: 500', durationMs: 5, containerId: old, ...(published ? { published } : {}) });
  const entries: LifecycleEntry[] = [
    at(200, 'sandbox', { sandboxId: 's1', attempt: 0, ip: '10.88.0.7', startedAt: T }),
    at(900, 'create', { ...c('web'), containerId: old, restartCount: 0 }),
    at(1000, 'start', { ...c('web'), containerId: old, restartCount: 0 }),
    probe(10_000, 'failure'), probe(20_000, 'failure'), probe(30_000, 'failure', 'failure'),
    at(30_100, 'kill', { ...c('web'), containerId: old, message: 'Container web failed liveness probe, will be restarted', gracePeriodSeconds: 30 }),
    at(30_110, 'signal', { ...c('web'), containerId: old, signal: 'SIGTERM', gracePeriodSeconds: 30 }),
    at(60_110, 'signal', { ...c('web'), containerId: old, signal: 'SIGKILL', afterMs: 30_000 }),
    at(60_300, 'create', { ...c('web'), containerId: now, restartCount: 1 }),
    at(60_400, 'start', { ...c('web'), containerId: now, restartCount: 1 }),
  ];
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: UID },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
    status: {
      phase: 'Running', podIP: '10.88.0.7',
      containerStatuses: [{
        name: 'web', image: 'nginx:latest', imageID: '', ready: true, restartCount: 1, containerID: `docker://${now}`,
        state: { running: { startedAt: iso(T + 60_400) } },
        lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: iso(T + 1000), finishedAt: iso(T + 60_110), containerID: `docker://${old}` } },
      }],
    },
  };
  return { pod, entries };
}
