// agent/timeline/render-trace.ts — PURE: timeline model → Chrome trace format (the JSON object form), which
// Perfetto (ui.perfetto.dev) and chrome://tracing open. The pod is the process (pid 1), each lane a thread
// (tid = lane index, 0 = the pod lane), spans are complete events (ph 'X'), marks instant events (ph 'i').
// Timestamps are microseconds from the model's first instant; the wall-clock origin is in `otherData`.
import type { Detail, Lane, TimelineModel } from './model.js';

export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X' | 'i' | 'M';
  readonly ts: number;
  dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly s?: 't';
  readonly cname?: string;
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Record<string, string | number>;
}

const PID = 1;

/** catapult's reserved colour names (Perfetto ignores them). */
const cname = (ok: boolean | undefined): string | undefined => (ok === undefined ? undefined : ok ? 'good' : 'bad');

export function renderTrace(model: TimelineModel): ChromeTrace {
  const us = (t: number) => Math.round((t - model.start) * 1000);
  const p = model.pod;
  const events: TraceEvent[] = [
    { name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid: 0, args: { name: `pod ${p.namespace}/${p.name}` } },
    { name: 'process_labels', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid: 0, args: { labels: [p.phase ?? 'unknown', p.podIP ?? ''].filter(Boolean).join(', ') } },
  ];
  model.lanes.forEach((lane, tid) => {
    events.push(
      { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid, args: { name: threadName(lane) } },
      { name: 'thread_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid: PID, tid, args: { sort_index: tid } },
    );
    const spans: TraceEvent[] = lane.spans.map((s) => {
      const c = cname(s.ok);
      return {
        name: s.label, cat: s.kind, ph: 'X', ts: us(s.start), dur: Math.max(0, us(s.end) - us(s.start)), pid: PID, tid,
        ...(c ? { cname: c } : {}),
        args: { ...plain(s.detail), ...(s.open ? { open: true } : {}), ...(s.approximate ? { approximate: true } : {}), ...(s.ok !== undefined ? { ok: s.ok } : {}) },
      };
    });
    events.push(...nest(spans));
    for (const m of lane.marks) {
      const c = cname(m.ok);
      events.push({
        name: m.label, cat: m.kind, ph: 'i', s: 't', ts: us(m.time), pid: PID, tid,
        ...(c ? { cname: c } : {}),
        args: {
          ...plain(m.detail),
          ...(m.probeType ? { probeType: m.probeType } : {}), ...(m.exitCode !== undefined ? { exitCode: m.exitCode } : {}),
          ...(m.signal ? { signal: m.signal } : {}), ...(m.ready !== undefined ? { ready: m.ready } : {}),
          ...(m.ok !== undefined ? { ok: m.ok } : {}), ...(m.approximate ? { approximate: true } : {}),
        },
      });
    }
  });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { pod: `${p.namespace}/${p.name}`, uid: p.uid, phase: p.phase ?? '', origin: new Date(model.start || 0).toISOString(), originMs: model.start },
  };
}

export function renderTraceJSON(model: TimelineModel): string {
  return `${JSON.stringify(renderTrace(model))}\n`;
}

function threadName(l: Lane): string {
  return l.kind === 'pod' ? 'pod (sandbox, phase)' : l.kind === 'container' ? l.id : `${l.id} (${l.kind})`;
}

function plain(d: Detail | undefined): Record<string, unknown> {
  return d ? { ...d } : {};
}

/**
 * Complete events on one thread must nest: a child that outlives its parent (a postStart still running when
 * the container died) is cut at the parent's end and marked `clipped`.
 */
function nest(spans: TraceEvent[]): TraceEvent[] {
  const sorted = [...spans].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: TraceEvent[] = [];
  for (const ev of sorted) {
    while (stack.length && stack[stack.length - 1]!.ts + (stack[stack.length - 1]!.dur ?? 0) <= ev.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) {
      const end = parent.ts + (parent.dur ?? 0);
      if (ev.ts + (ev.dur ?? 0) > end) { ev.dur = end - ev.ts; (ev.args as Record<string, unknown>).clipped = true; }
    }
    stack.push(ev);
  }
  return sorted;
}
