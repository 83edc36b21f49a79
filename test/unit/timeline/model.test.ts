// Timeline model: lanes, spans and marks derived from hand-built lifecycle records and pod statuses.
import { describe, expect, it } from 'vitest';
import { buildModel, type Lane, type TimelineModel } from '../../../agent/timeline/model.js';
import type { LifecycleEntry } from '../../../agent/timeline/lifecycle-record.js';
import { crashLoop, livenessRestart, loap, T } from './fixtures.js';

const laneOf = (m: TimelineModel, id: string): Lane => m.lanes.find((l) => l.id === id && l.kind !== 'pod')!;

describe('buildModel: the loap experiment', () => {
  const { pod, entries } = loap();
  const m = buildModel(entries, pod, { now: T + 65_000 });
  const main = laneOf(m, 'main');
  const init = laneOf(m, 'init');

  it('has a pod lane, then init containers, then containers, in spec order', () => {
    expect(m.lanes.map((l) => [l.kind, l.id])).toEqual([['pod', 'pod'], ['init', 'init'], ['container', 'main']]);
    expect(m.pod).toMatchObject({ namespace: 'default', name: 'loap', phase: 'Running', podIP: '10.88.0.5', deleting: true });
    expect(m.start).toBe(T);
    expect(m.end).toBe(T + 65_000); // the pod is terminating: open spans run to now
  });

  it('puts the sandbox, the Ready condition and the deletion on the pod lane', () => {
    const podLane = m.lanes[0]!;
    expect(podLane.spans.find((s) => s.kind === 'sandbox')).toMatchObject({ start: T, end: T + 400, open: false });
    expect(podLane.marks.find((x) => x.kind === 'condition' && x.ready === true)?.time).toBe(T + 2000);
    expect(podLane.marks.find((x) => x.kind === 'deletion')?.time).toBe(T + 30_000);
    expect(podLane.spans.find((s) => s.kind === 'terminating')).toMatchObject({ start: T + 30_000, open: true, end: T + 65_000 });
  });

  it('runs the init container to exit 0 before main starts', () => {
    const run = init.spans.find((s) => s.kind === 'run')!;
    expect(run).toMatchObject({ start: T + 1000, ok: true, open: false });
    expect(init.marks.find((x) => x.kind === 'exit')).toMatchObject({ exitCode: 0, ok: true });
    expect(init.spans.find((s) => s.kind === 'pull')).toMatchObject({ start: T + 450, end: T + 900, ok: true });
    expect(main.spans.find((s) => s.kind === 'run')!.start).toBeGreaterThan(run.end);
  });

  it('orders pull, start, postStart, probes, preStop, SIGTERM, grace and exit on the main lane', () => {
    const pull = main.spans.find((s) => s.kind === 'pull')!;
    const run = main.spans.find((s) => s.kind === 'run')!;
    const post = main.spans.find((s) => s.kind === 'postStart')!;
    const pre = main.spans.find((s) => s.kind === 'preStop')!;
    const grace = main.spans.find((s) => s.kind === 'grace')!;
    const sigterm = main.marks.find((x) => x.kind === 'signal')!;
    const probes = main.marks.filter((x) => x.kind === 'probe');
    expect(pull).toMatchObject({ start: T + 1500, end: T + 2000 });
    expect(post).toMatchObject({ start: T + 2110, end: T + 2300, ok: true, detail: { handler: 'exec' } });
    expect(pre).toMatchObject({ start: T + 30_510, end: T + 30_700, ok: true });
    expect(sigterm).toMatchObject({ time: T + 30_710, signal: 'SIGTERM' });
    // The status says 31 s (whole seconds): the exit is never before the signal.
    expect(run).toMatchObject({ start: T + 2100, end: T + 31_000, ok: false, open: false, detail: { exitCode: 143 } });
    expect(grace).toMatchObject({ start: T + 30_710, end: T + 31_000, ok: true });
    expect(probes).toHaveLength(6);
    expect(probes.every((p) => p.ok)).toBe(true);
    expect(probes.map((p) => p.probeType)).toEqual(['Liveness', 'Readiness', 'Liveness', 'Readiness', 'Liveness', 'Readiness']);
    const order = [pull.start, run.start, post.start, probes[0]!.time, pre.start, sigterm.time, run.end];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(main.marks.find((x) => x.kind === 'exit')).toMatchObject({ time: T + 31_000, exitCode: 143, ok: false });
  });

  it('derives Ready flips from published readiness results and the exit', () => {
    const flips = main.marks.filter((x) => x.kind === 'ready').map((x) => [x.time - T, x.ready]);
    expect(flips).toEqual([[2430, true], [31_000, false]]);
    // Every attempt at the threshold carries `published`; a value that did not change is no flip.
    expect(main.marks.filter((x) => x.kind === 'verdict')).toEqual([]);
  });

  it('without now, a live pod ends at its last instant', () => {
    const m2 = buildModel(entries, pod);
    expect(m2.end).toBe(T + 31_000);
    expect(m2.lanes[0]!.spans.find((s) => s.kind === 'terminating')).toMatchObject({ open: true, end: T + 31_000 });
  });
});

describe('buildModel: a crash loop', () => {
  const { pod, entries } = crashLoop();
  const m = buildModel(entries, pod, { now: T + 20_000 });
  const crash = laneOf(m, 'crash');
  const runs = crash.spans.filter((s) => s.kind === 'run');

  it('has one run per start, the exits taken from back-off entries and the status', () => {
    expect(runs.map((r) => [r.start - T, r.end - T])).toEqual([[1000, 2050], [2100, 3100], [13_150, 14_150]]);
    expect(runs[0]!.approximate).toBe(true); // no back-off before the first restart: bounded by the next create
    expect(runs[1]!.approximate).toBeUndefined();
    expect(runs[2]).toMatchObject({ ok: false, detail: { exitCode: 1, restartCount: 2 } });
    expect(crash).toMatchObject({ state: 'CrashLoopBackOff', restartCount: 2 });
  });

  it('draws each back-off gap once, from the exit to the end of the delay', () => {
    const gaps = crash.spans.filter((s) => s.kind === 'backoff').map((s) => [s.start - T, s.end - T]);
    expect(gaps).toEqual([[3100, 13_100], [14_150, 34_150]]);
    expect(m.end).toBe(T + 34_150);
  });

  it('marks restarts with their count, and errors', () => {
    expect(crash.marks.filter((x) => x.kind === 'restart').map((x) => x.label)).toEqual(['restarted (restart #1)', 'restarted (restart #2)']);
    expect(crash.marks.filter((x) => x.kind === 'exit').map((x) => x.exitCode)).toEqual([undefined, undefined, 1]);
    expect(crash.marks.find((x) => x.kind === 'error')?.label).toMatch(/^CrashLoopBackOff/);
  });
});

describe('buildModel: a liveness restart', () => {
  const { pod, entries } = livenessRestart();
  const m = buildModel(entries, pod, { now: T + 70_000 });
  const web = laneOf(m, 'web');

  it('fails the probe three times, publishes the failure, kills with SIGTERM then SIGKILL', () => {
    const probes = web.marks.filter((x) => x.kind === 'probe');
    expect(probes.map((p) => p.ok)).toEqual([false, false, false]);
    expect(web.marks.find((x) => x.kind === 'verdict')).toMatchObject({ probeType: 'Liveness', ok: false, time: T + 30_005 });
    expect(web.marks.filter((x) => x.kind === 'signal').map((x) => x.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(web.spans.find((s) => s.kind === 'grace')).toMatchObject({ start: T + 30_110, end: T + 60_110, ok: false });
  });

  it('ends the first run at SIGKILL with exit 137 and keeps the new one open', () => {
    const runs = web.spans.filter((s) => s.kind === 'run');
    expect(runs.map((r) => [r.start - T, r.end - T, r.open])).toEqual([[1000, 60_110, false], [60_400, 70_000, true]]);
    expect(runs[0]!.detail).toMatchObject({ exitCode: 137 });
    expect(web.marks.find((x) => x.kind === 'restart')).toMatchObject({ time: T + 60_400 });
  });
});

describe('buildModel: edge cases', () => {
  it('synthesises runs from the status when the record lost them', () => {
    const { pod } = livenessRestart();
    const m = buildModel([], pod, { now: T + 70_000 });
    const runs = laneOf(m, 'web').spans.filter((s) => s.kind === 'run');
    expect(runs.map((r) => [r.start - T, r.end - T, !!r.approximate])).toEqual([[1000, 60_000, true], [60_000, 70_000, true]]);
  });

  it('uses exit entries when the agent records them', () => {
    const e = (dt: number, kind: string, rest: Record<string, unknown> = {}): LifecycleEntry => ({ time: T + dt, podUID: 'u', container: 'c', kind, ...rest });
    const m = buildModel([e(0, 'start', { containerId: 'x1' }), e(1234, 'exit', { containerId: 'x1', exitCode: 2, reason: 'Error' })], undefined);
    const lane = laneOf(m, 'c');
    expect(lane.kind).toBe('other');
    expect(lane.spans[0]).toMatchObject({ kind: 'run', start: T, end: T + 1234, ok: false });
    expect(lane.marks.find((x) => x.kind === 'exit')).toMatchObject({ exitCode: 2, label: 'exit 2 (Error)' });
  });

  it('keeps an unfinished pull or hook open', () => {
    const e = (dt: number, kind: string, rest: Record<string, unknown>): LifecycleEntry => ({ time: T + dt, podUID: 'u', container: 'c', kind, ...rest });
    const m = buildModel([e(0, 'pull', { phase: 'start', image: 'nginx' })], undefined, { now: T + 5000 });
    expect(laneOf(m, 'c').spans[0]).toMatchObject({ kind: 'pull', open: true, start: T, end: T + 5000 });
  });

  it('closes everything at the removal of the pod, whatever the time now', () => {
    const { pod, entries } = loap();
    const m = buildModel([...entries, { time: T + 36_000, podUID: 'uid-1', kind: 'delete' }], pod, { now: T + 99_000 });
    expect(m.pod.removed).toBe(true);
    expect(m.end).toBe(T + 36_000);
    expect(m.lanes.flatMap((l) => l.spans).filter((s) => s.open)).toEqual([]);
    expect(m.lanes[0]!.marks.find((x) => x.kind === 'delete')?.time).toBe(T + 36_000);
  });

  it('flips Ready per instance: a new instance starts not Ready', () => {
    const e = (dt: number, kind: string, rest: Record<string, unknown> = {}): LifecycleEntry => ({ time: T + dt, podUID: 'u', container: 'c', kind, ...rest });
    const ready = (dt: number, id: string) => e(dt, 'probe', { probeType: 'Readiness', result: 'success', durationMs: 0, containerId: id, published: 'success' });
    const m = buildModel([
      e(0, 'start', { containerId: 'x1', restartCount: 0 }), ready(100, 'x1'), ready(200, 'x1'),
      e(1000, 'exit', { containerId: 'x1', exitCode: 1 }),
      e(1100, 'start', { containerId: 'x2', restartCount: 1 }), ready(1200, 'x2'), ready(1300, 'x2'),
      e(2000, 'exit', { containerId: 'x2', exitCode: 1 }),
    ], undefined);
    const flips = laneOf(m, 'c').marks.filter((x) => x.kind === 'ready').map((x) => [x.time - T, x.ready]);
    expect(flips).toEqual([[100, true], [1000, false], [1200, true], [2000, false]]);
  });

  it('is empty but valid with no entries and no pod', () => {
    const m = buildModel([], undefined, { now: 42 });
    expect(m).toMatchObject({ start: 42, end: 42 });
    expect(m.lanes).toHaveLength(1);
  });
});
