// generateAPIPodStatus across calls (the status manager's carry-over: lastTransitionTime, startTime, terminal
// stickiness, reason/message, illegal transitions) and the final status with podIsTerminal (TerminatePod).
import { describe, expect, it } from 'vitest';
import type { PodStatus, V1ContainerStatus } from '../../../agent/api/v1.js';
import { podStatusColumns } from '../../helpers/pod-columns.js';
import { at, cond, cs, gen, inst, makePod, NOW, NOW_S, rt, sandbox } from './fixtures.js';

const running = (restartCount = 0): V1ContainerStatus => ({ name: 'web', state: { running: { startedAt: at(-60_000) } }, lastState: {}, ready: true, restartCount, image: 'busybox', imageID: '', started: true });

describe('generateAPIPodStatus across calls (status manager carry-over)', () => {
  it('lastTransitionTime kept when status unchanged, moved when it changes; startTime set once', () => {
    const pod = makePod();
    const runtime = rt([inst('web', 'CONTAINER_RUNNING', { started: -55_000 })]);
    // The first status is published before anything runs (no sandbox yet): startTime is that moment.
    const initial = gen({ pod, runtime: rt([], []), now: NOW - 50_000 });
    expect(initial.startTime).toBe(at(-50_000));
    const first = gen({ pod, runtime, previous: initial, now: NOW - 50_000 });
    expect(first.startTime).toBe(at(-50_000));
    const same = gen({ pod, runtime, previous: first });
    expect(same).toEqual(first);
    const unready = gen({ pod, runtime, previous: first, probe: () => ({ started: true, ready: false }) });
    expect(cond(unready, 'Ready')?.lastTransitionTime).toBe(NOW_S);
    expect(cond(unready, 'ContainersReady')?.lastTransitionTime).toBe(NOW_S);
    expect(cond(unready, 'Initialized')?.lastTransitionTime).toBe(at(-50_000));
    expect(cond(unready, 'PodScheduled')?.lastTransitionTime).toBe(at(-50_000));
    expect(unready.startTime).toBe(at(-50_000));
  });

  it('no status kept (agent restarted, pod adopted): startTime is when the first sandbox was made, not now', () => {
    const runtime = rt([inst('web', 'CONTAINER_RUNNING', { started: -55_000 })], [sandbox({ id: 'new', attempt: 1, createdAt: NOW - 20_000 }), sandbox({ id: 'old', createdAt: NOW - 90_000 })]);
    const s = gen({ pod: makePod(), runtime });
    expect(s.startTime).toBe(at(-90_000));
    // Once kept, it stays, whatever the runtime shows later.
    expect(gen({ pod: makePod(), runtime: rt([], [sandbox({ createdAt: NOW - 5_000 })]), previous: s }).startTime).toBe(at(-90_000));
  });

  it('terminal stickiness: phase never leaves Failed once previous is terminal', () => {
    const previous: PodStatus = { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline', containerStatuses: [running()] };
    const s = gen({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_RUNNING')]), previous });
    expect(s.phase).toBe('Failed');
    expect([s.reason, s.message]).toEqual([previous.reason, previous.message]);
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });

  it('terminal stickiness: Succeeded stays Succeeded', () => {
    const s = gen({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_RUNNING')]), previous: { phase: 'Succeeded' } });
    expect(s.phase).toBe('Succeeded');
  });

  it('DeadlineExceeded eviction → Failed with reason and message, kept on later calls', () => {
    const pod = makePod();
    const msg = 'Pod was active on the node longer than the specified deadline';
    const first = gen({ pod, runtime: rt([inst('web', 'CONTAINER_RUNNING')]), previous: { phase: 'Running' }, evict: { reason: 'DeadlineExceeded', message: msg } });
    expect([first.phase, first.reason, first.message]).toEqual(['Failed', 'DeadlineExceeded', msg]);
    expect(podStatusColumns({ ...pod, status: first }, NOW).status).toBe('DeadlineExceeded');
    const later = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 143 })]), previous: first });
    expect([later.phase, later.reason, later.message]).toEqual(['Failed', 'DeadlineExceeded', msg]);
  });

  it('reason/message dropped when the phase changes', () => {
    const s = gen({ pod: makePod(), runtime: rt([inst('web', 'CONTAINER_RUNNING')]), previous: { phase: 'Pending', reason: 'X', message: 'y' } });
    expect([s.phase, s.reason, s.message]).toEqual(['Running', undefined, undefined]);
  });

  it('started carried from the previous status while running (sidecar phase gating sees it)', () => {
    const pod = makePod({ initContainers: [{ name: 'side', image: 'b', restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }] });
    const runtime = rt([inst('side', 'CONTAINER_RUNNING', { type: 'init' })]);
    const probe = () => ({ started: true, ready: true });
    const first = gen({ pod, runtime, probe });
    expect(first.phase).toBe('Pending'); // getPhase ran before the prober's started=true was placed
    expect(cs(first, 'side').started).toBe(true);
    expect(cond(first, 'Initialized')?.status).toBe('True');
    const second = gen({ pod, runtime, probe, previous: first });
    expect(second.phase).toBe('Pending'); // the regular container still waits (PodInitializing)
    expect(cs(second, 'web').state?.waiting?.reason).toBe('PodInitializing');
  });

  it('illegal transition (Never, terminated → waiting) keeps the previous status', () => {
    const pod = makePod({ restartPolicy: 'Never' });
    const done = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })]) });
    const again = gen({ pod, runtime: rt([inst('web', 'CONTAINER_CREATED', { started: 0 })]), previous: done, now: NOW + 5_000 });
    expect(again).toBe(done);
  });

  it('terminated container carried over when the runtime lost it', () => {
    const pod = makePod({ restartPolicy: 'Never' });
    const done = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })]) });
    const later = gen({ pod, runtime: rt([], []), previous: done });
    expect(cs(later, 'web')).toEqual(cs(done, 'web'));
    expect(later.phase).toBe('Succeeded');
  });

  it('qosClass already recorded is kept', () => {
    const s = gen({ pod: makePod(), previous: { qosClass: 'Burstable' } });
    expect(s.qosClass).toBe('Burstable');
  });
});

describe('generateAPIPodStatus with podIsTerminal (final status, TerminatePod)', () => {
  it('deleted Always pod whose container was killed (143) → Failed', () => {
    const pod = makePod({}, { deletionTimestamp: at(-3_000) });
    const s = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 143 })], [sandbox({ state: 'SANDBOX_NOTREADY' })]), podIsTerminal: true, previous: { phase: 'Running', containerStatuses: [running()] } });
    expect(s.phase).toBe('Failed');
    expect(podStatusColumns({ ...pod, status: s }, NOW).status).toBe('Error');
  });

  it('deleted Always pod whose container exited 0 → Succeeded', () => {
    const pod = makePod({}, { deletionTimestamp: at(-3_000) });
    const s = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 0 })]), podIsTerminal: true });
    expect(s.phase).toBe('Succeeded');
  });

  it('static pod skips the terminal shortcut → Running (Always) and is not forced to Failed', () => {
    const pod = makePod({}, { deletionTimestamp: at(-3_000) });
    const s = gen({ pod, runtime: rt([inst('web', 'CONTAINER_EXITED', { exitCode: 143 })]), podIsTerminal: true, isStaticPod: true });
    expect(s.phase).toBe('Running');
    expect(podStatusColumns({ ...pod, status: s }, NOW).status).toBe('Terminating');
  });

  it('container that never started (ErrImagePull) → ContainerStatusUnknown 137 and Failed', () => {
    const pod = makePod({}, { deletionTimestamp: at(-3_000) });
    const s = gen({ pod, runtime: rt([], []), podIsTerminal: true, reasons: { web: { reason: 'ErrImagePull', message: 'x' } } });
    expect(s.phase).toBe('Failed');
    expect(cs(s, 'web').state?.terminated).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(podStatusColumns({ ...pod, status: s }, NOW).status).toBe('ContainerStatusUnknown');
  });

  it('init container failed under Never: regular containers stay waiting, Init:Error', () => {
    const pod = makePod({ restartPolicy: 'Never', initContainers: [{ name: 'i1', image: 'b' }, { name: 'i2', image: 'b' }] });
    const s = gen({ pod, runtime: rt([inst('i1', 'CONTAINER_EXITED', { type: 'init', exitCode: 1 })]), podIsTerminal: true });
    expect(s.phase).toBe('Failed');
    expect(cs(s, 'i2').state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(cs(s, 'web').state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(podStatusColumns({ ...pod, status: s }, NOW).status).toBe('Init:Error');
  });
});
