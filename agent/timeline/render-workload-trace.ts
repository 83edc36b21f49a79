// agent/timeline/render-workload-trace.ts — PURE: workload model → Chrome trace format (Perfetto,
// chrome://tracing). Process 1 is the controller: thread 0 the workload's own steps, one thread per owned
// object (its steps as instants, its replica count as a counter track). Then one process per pod (pid 2…,
// in creation order) with its states as complete events and its marks as instants. Microseconds from the
// model's first instant; the wall-clock origin is in `otherData`.
import type { WorkloadModel } from './workload-model.js';

export interface WorkloadTraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X' | 'i' | 'M' | 'C';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly s?: 't';
  readonly cname?: string;
  readonly args?: Record<string, unknown>;
}

const meta = (name: string, pid: number, tid: number, args: Record<string, unknown>): WorkloadTraceEvent => ({ name, cat: '__metadata', ph: 'M', ts: 0, pid, tid, args });
const cname = (ok: boolean | undefined) => (ok === undefined ? {} : { cname: ok ? 'good' : 'bad' });

export function renderWorkloadTrace(model: WorkloadModel): { traceEvents: WorkloadTraceEvent[]; displayTimeUnit: 'ms'; otherData: Record<string, string | number> } {
  const us = (t: number) => Math.round((t - model.start) * 1000);
  const w = model.workload;
  const rootRef = `${w.kind.toLowerCase()}/${w.name}`;
  const events: WorkloadTraceEvent[] = [
    meta('process_name', 1, 0, { name: `${rootRef} (controller)` }),
    meta('process_sort_index', 1, 0, { sort_index: 0 }),
    meta('thread_name', 1, 0, { name: rootRef }),
  ];
  const tidOf = new Map<string, number>([[rootRef, 0]]);
  model.objects.forEach((o, i) => {
    const ref = `${o.kind.toLowerCase()}/${o.name}`;
    tidOf.set(ref, i + 1);
    events.push(meta('thread_name', 1, i + 1, { name: `${ref}${o.revision ? ` (revision ${o.revision})` : ''}` }), meta('thread_sort_index', 1, i + 1, { sort_index: i + 1 }));
    for (const p of o.replicas) events.push({ name: `replicas ${o.name}`, cat: 'replicas', ph: 'C', ts: us(p.time), pid: 1, tid: i + 1, args: { replicas: p.to } });
  });
  for (const s of model.steps) {
    events.push({
      name: s.message, cat: s.kind, ph: 'i', s: 't', ts: us(s.time), pid: 1, tid: tidOf.get(s.object) ?? 0, ...cname(s.ok),
      args: { object: s.object, reason: s.reason, ...(s.target ? { target: s.target } : {}), ...(s.from !== undefined ? { from: s.from } : {}), ...(s.to !== undefined ? { to: s.to } : {}), ...(s.approximate ? { approximate: true } : {}) },
    });
  }
  model.pods.forEach((p, i) => {
    const pid = i + 2;
    events.push(meta('process_name', pid, 0, { name: `pod ${p.name}` }), meta('process_sort_index', pid, 0, { sort_index: pid }),
      meta('process_labels', pid, 0, { labels: [p.owner, p.phase, `from ${p.source}`].filter(Boolean).join(', ') }), meta('thread_name', pid, 0, { name: 'lifecycle' }));
    for (const s of p.segments) {
      events.push({ name: s.state, cat: 'pod', ph: 'X', ts: us(s.start), dur: Math.max(0, us(s.end) - us(s.start)), pid, tid: 0, ...cname(s.state === 'failed' ? false : s.state === 'ready' || s.state === 'succeeded' ? true : undefined), args: s.open ? { open: true } : {} });
    }
    for (const k of p.marks) events.push({ name: k.label, cat: k.kind, ph: 'i', s: 't', ts: us(k.time), pid, tid: 0, ...cname(k.ok), args: k.approximate ? { approximate: true } : {} });
  });
  return {
    traceEvents: events, displayTimeUnit: 'ms',
    otherData: { workload: `${w.namespace}/${rootRef}`, uid: w.uid, origin: new Date(model.start || 0).toISOString(), originMs: model.start },
  };
}

export function renderWorkloadTraceJSON(model: WorkloadModel): string {
  return `${JSON.stringify(renderWorkloadTrace(model))}\n`;
}
