// Chrome trace export: valid JSON object form, metadata, µs timestamps, properly nested complete events.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../agent/timeline/model.js';
import { renderTrace, renderTraceJSON, type TraceEvent } from '../../../agent/timeline/render-trace.js';
import { crashLoop, livenessRestart, loap, T } from './fixtures.js';

function validate(events: TraceEvent[]): void {
  for (const e of events) {
    expect(['X', 'i', 'M']).toContain(e.ph);
    expect(e.pid).toBe(1);
    expect(Number.isInteger(e.tid)).toBe(true);
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(e.ts).toBeGreaterThanOrEqual(0);
    expect(typeof e.name).toBe('string');
  }
  expect(events.filter((e) => e.ph === 'X' && !(e.dur! >= 0)), 'complete events with a negative duration').toEqual([]);
  expect(events.filter((e) => e.ph === 'i' && e.s !== 't'), 'instant events not thread-scoped').toEqual([]);
  // Complete events on one thread nest (no partial overlap).
  const byTid = new Map<number, TraceEvent[]>();
  for (const e of events) if (e.ph === 'X') byTid.set(e.tid, [...(byTid.get(e.tid) ?? []), e]);
  const crossing: [TraceEvent, TraceEvent][] = [];
  for (const list of byTid.values()) {
    for (const a of list) for (const b of list) {
      const [aEnd, bEnd] = [a.ts + a.dur!, b.ts + b.dur!];
      const overlap = a.ts < bEnd && b.ts < aEnd;
      const nested = (a.ts <= b.ts && bEnd <= aEnd) || (b.ts <= a.ts && aEnd <= bEnd);
      if (a !== b && overlap && !nested) crossing.push([a, b]);
    }
  }
  expect(crossing).toEqual([]);
}

describe('renderTrace', () => {
  const { pod, entries } = loap();
  const model = buildModel(entries, pod, { now: T + 65_000 });
  const trace = JSON.parse(renderTraceJSON(model)) as ReturnType<typeof renderTrace>;

  it('is the JSON object form with names for the process and each lane', () => {
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.otherData).toMatchObject({ pod: 'default/loap', originMs: T });
    const meta = trace.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.find((e) => e.name === 'process_name')?.args).toEqual({ name: 'pod default/loap' });
    expect(meta.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name])).toEqual([[0, 'pod (sandbox, phase)'], [1, 'init (init)'], [2, 'main']]);
    validate(trace.traceEvents);
  });

  it('has spans in µs from the first instant and instants for marks', () => {
    const main = trace.traceEvents.filter((e) => e.tid === 2);
    expect(main.find((e) => e.cat === 'postStart')).toMatchObject({ ph: 'X', ts: 2_110_000, dur: 190_000, cname: 'good' });
    expect(main.find((e) => e.cat === 'preStop')).toMatchObject({ ph: 'X', ts: 30_510_000, dur: 190_000 });
    expect(main.find((e) => e.cat === 'run')).toMatchObject({ ph: 'X', ts: 2_100_000, dur: 28_900_000, cname: 'bad' });
    expect(main.filter((e) => e.cat === 'probe' && e.ph === 'i')).toHaveLength(6);
    expect(main.find((e) => e.cat === 'signal')).toMatchObject({ ph: 'i', ts: 30_710_000, args: { signal: 'SIGTERM' } });
    expect(main.find((e) => e.cat === 'exit')).toMatchObject({ args: { exitCode: 143 } });
    expect(trace.traceEvents.find((e) => e.cat === 'terminating')?.args).toMatchObject({ open: true });
  });

  it('stays valid for a crash loop and a liveness restart', () => {
    for (const f of [crashLoop(), livenessRestart()]) validate(renderTrace(buildModel(f.entries, f.pod, { now: T + 70_000 })).traceEvents);
  });

  it('clips a child that outlives its parent', () => {
    const e = (dt: number, kind: string, rest: Record<string, unknown> = {}) => ({ time: T + dt, podUID: 'u', container: 'c', kind, ...rest });
    const model2 = buildModel([
      e(0, 'start', { containerId: 'x' }),
      e(10, 'hook', { hook: 'postStart', phase: 'start' }),
      e(500, 'exit', { containerId: 'x', exitCode: 1 }),
      e(900, 'hook', { hook: 'postStart', phase: 'end', result: 'failure' }),
    ], undefined);
    const events = renderTrace(model2).traceEvents;
    validate(events);
    expect(events.find((x) => x.cat === 'postStart')).toMatchObject({ ts: 10_000, dur: 490_000, args: { clipped: true } });
  });
});
