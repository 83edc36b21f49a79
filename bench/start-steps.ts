// bench/start-steps.ts — one pod start taken apart step by step, for the agent and for the direct calls.
//
// The agent's marks come from what it already records: its lifecycle record (GET /lifecycle: sandbox call and
// return, each container's create and start), its debug log (`-v 2`: each `SyncPod` of the pod worker, each
// change of the pod PLEG publishes, with the containers it shows exited), and the runtime operation series of
// its instrumented runtime (/metrics: kubelet_runtime_operations_duration_seconds, read before and after the
// start, so every runtime call the start made is counted with its time). The bench adds
// the manifest's move into the folder (t0) and the time the status Running is published (seen, the API watch).
// The direct calls' steps are their own call durations (bench/raw-docker.ts).
//
// A step is the time between two marks; steps with no direct counterpart (reading the manifest, the pod
// worker, PLEG, status) are what the agent adds. Medians are taken per step over the rounds.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { LifecycleEntry } from './agent-proc.js';
import type { RawStep } from './raw-docker.js';
import { median } from './util.js';

/** The start steps, in order; `direct` names the raw calls that do the same work (summed). */
export interface StepDef { readonly name: string; readonly direct: readonly string[] }

/** Steps of a pod with the given init and main containers (by name, in spec order). */
export function stepDefs(init: readonly string[], containers: readonly string[]): StepDef[] {
  const steps: StepDef[] = [
    { name: 'manifest moved → first SyncPod (file event, read, validate, worker)', direct: [] },
    { name: 'SyncPod → sandbox call (relist, status)', direct: [] },
    { name: 'sandbox: run + IP', direct: ['create POD', 'start POD'] },
  ];
  for (const c of init) {
    steps.push(
      { name: `${c}: image check + create`, direct: [`create ${c}`] },
      { name: `${c}: start`, direct: [`start ${c}`] },
      { name: `${c}: start returned → PLEG sees the exit`, direct: [`wait ${c}`] },
      { name: `${c}: PLEG → next SyncPod`, direct: [] },
    );
  }
  containers.forEach((c, i) => {
    if (i === 0) {
      steps.push({ name: `${c}: image check + create`, direct: [`create ${c}`] }, { name: `${c}: start`, direct: [`start ${c}`] });
    } else {
      steps.push({ name: `${c}: previous start returned → ${c} started (create overlaps)`, direct: [`create ${c}`, `start ${c}`] });
    }
  });
  steps.push({ name: 'last start returned → status Running published', direct: [] });
  return steps;
}

export interface AgentMarks {
  readonly t0: number;
  readonly seen: number;
  readonly entries: readonly LifecycleEntry[];
  /** Times of the pod's `SyncPod` log lines, ascending. */
  readonly syncs: readonly number[];
  /** PLEG's `pod changed` lines of the pod: when, and which containers it showed exited; ascending. */
  readonly plegs: readonly { readonly at: number; readonly exited: readonly string[] }[];
}

const entry = (m: AgentMarks, kind: string, container?: string) => m.entries.find((e) => e.kind === kind && (container === undefined || e.container === container));

/** The agent's duration of each step (NaN where a mark is missing), same order as stepDefs. */
export function agentSteps(m: AgentMarks, init: readonly string[], containers: readonly string[]): number[] {
  const sb = entry(m, 'sandbox');
  const sbStart = typeof sb?.startedAt === 'number' ? sb.startedAt : NaN;
  const at = (kind: string, c: string) => entry(m, kind, c)?.time ?? NaN;
  const out = [(m.syncs[0] ?? NaN) - m.t0, sbStart - (m.syncs[0] ?? NaN), (sb?.time ?? NaN) - sbStart];
  let prev = sb?.time ?? NaN;
  for (const c of init) {
    const started = at('start', c);
    const pleg = m.plegs.find((p) => p.exited.includes(c))?.at ?? NaN;
    const next = m.syncs.find((t) => t >= pleg) ?? NaN;
    out.push(at('create', c) - prev, started - at('create', c), pleg - started, next - pleg);
    prev = next;
  }
  containers.forEach((c, i) => {
    if (i === 0) out.push(at('create', c) - prev, at('start', c) - at('create', c));
    else out.push(at('start', c) - at('start', containers[i - 1]!));
  });
  out.push(m.seen - at('start', containers[containers.length - 1]!));
  return out;
}

/** The direct calls' duration of each step (NaN for steps the direct calls do not have). */
export function directSteps(raw: readonly RawStep[], defs: readonly StepDef[]): number[] {
  return defs.map((d) => (d.direct.length ? d.direct.reduce((s, n) => s + (raw.find((r) => r.step === n)?.ms ?? NaN), 0) : NaN));
}

/** Per-step medians over rounds (each round one array in step order). */
export function stepMedians(rounds: readonly number[][], steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => median(rounds.map((r) => r[i]!).filter(Number.isFinite)));
}

/** Reads the agent's JSON log lines appended since the last read. */
export class AgentLog {
  #offset = 0;
  constructor(readonly file: string) {}

  /** Lines appended since the last call, parsed (non-JSON lines skipped). */
  read(): Record<string, unknown>[] {
    const size = statSync(this.file).size;
    if (size <= this.#offset) return [];
    const buf = Buffer.alloc(size - this.#offset);
    const fd = openSync(this.file, 'r');
    try { readSync(fd, buf, 0, buf.length, this.#offset); } finally { closeSync(fd); }
    this.#offset = size;
    const out: Record<string, unknown>[] = [];
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      try { out.push(JSON.parse(line) as Record<string, unknown>); } catch { /* a partial line */ }
    }
    return out;
  }
}

/** The log lines with this message for the pod UID, oldest first. */
function podLines(lines: readonly Record<string, unknown>[], uid: string, msg: string): Record<string, unknown>[] {
  return lines.filter((l) => l.msg === msg && l.podUID === uid).sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)));
}

/** Times (ms epoch) of the pod's `SyncPod` lines and its PLEG `pod changed` lines (with the exited containers). */
export function logMarks(lines: readonly Record<string, unknown>[], uid: string): Pick<AgentMarks, 'syncs' | 'plegs'> {
  return {
    syncs: podLines(lines, uid, 'SyncPod').map((l) => Date.parse(String(l.time))),
    plegs: podLines(lines, uid, 'PLEG: pod changed').map((l) => ({ at: Date.parse(String(l.time)), exited: Array.isArray(l.exited) ? l.exited.map(String) : [] })),
  };
}

/** Runtime operations by type: how many and their summed seconds (from the Prometheus text). */
export type RuntimeOps = Record<string, { count: number; seconds: number }>;

export function parseRuntimeOps(text: string): RuntimeOps {
  const out: RuntimeOps = {};
  for (const m of text.matchAll(/^kubelet_runtime_operations_duration_seconds_(sum|count)\{operation_type="([^"]+)"\} (\S+)$/gm)) {
    const op = (out[m[2]!] ??= { count: 0, seconds: 0 });
    if (m[1] === 'sum') op.seconds = Number(m[3]);
    else op.count = Number(m[3]);
  }
  return out;
}

/** What happened between two readings. */
export function opsDelta(after: RuntimeOps, before: RuntimeOps): RuntimeOps {
  const out: RuntimeOps = {};
  for (const [op, v] of Object.entries(after)) {
    const count = v.count - (before[op]?.count ?? 0);
    if (count > 0) out[op] = { count, seconds: v.seconds - (before[op]?.seconds ?? 0) };
  }
  return out;
}
