// agent/timeline/model.ts — PURE: a pod's lifecycle entries + its v1 status → the timeline model the
// renderers draw: one lane per container (plus a pod lane), spans (pulls, runs, hooks, back-off, grace) and
// instant marks (probe attempts, Ready flips, signals, exits, restarts). All times are ms since the epoch.
//
// Exits are not (yet) recorded as entries, so they come from the status (state/lastState.terminated), from
// back-off entries (`until - delayMs` is the exit), from a SIGKILL, or, approximately, from what the
// container did next. An `exit` entry (exitCode, reason, containerId) is used when the agent records it.
import type { LifecycleEntry } from './lifecycle-record.js';
import type { Pod, V1ContainerStatus } from '../api/v1.js';

export type LaneKind = 'pod' | 'init' | 'sidecar' | 'container' | 'ephemeral' | 'other';
export type SpanKind = 'sandbox' | 'terminating' | 'pull' | 'run' | 'postStart' | 'preStop' | 'backoff' | 'grace';
export type MarkKind =
  | 'sandbox' | 'phase' | 'condition' | 'deletion' | 'delete' | 'pull' | 'create' | 'start' | 'restart'
  | 'probe' | 'ready' | 'verdict' | 'kill' | 'signal' | 'exit' | 'error';
export type Detail = Readonly<Record<string, string | number | boolean>>;

export interface Span {
  readonly kind: SpanKind;
  readonly start: number;
  readonly end: number;
  /** Still going when the model was built: `end` is the model's end. */
  readonly open: boolean;
  readonly label: string;
  /** Pull/hook succeeded, run exited 0, grace ended before SIGKILL; undefined when not known (yet). */
  readonly ok?: boolean;
  /** The end was inferred from what happened next, not observed. */
  readonly approximate?: boolean;
  readonly detail?: Detail;
}

export interface Mark {
  readonly kind: MarkKind;
  readonly time: number;
  readonly label: string;
  /** Probe pass/fail, exit code 0, condition True, verdict success. */
  readonly ok?: boolean;
  readonly probeType?: string;
  readonly exitCode?: number;
  readonly signal?: string;
  /** `ready` marks and the pod's Ready condition: the new value. */
  readonly ready?: boolean;
  readonly approximate?: boolean;
  readonly detail?: Detail;
}

export interface Lane {
  /** `pod` or the container name. */
  readonly id: string;
  readonly kind: LaneKind;
  readonly spans: Span[];
  readonly marks: Mark[];
  /** From the status: restarts, readiness and the waiting/terminated reason (e.g. CrashLoopBackOff). */
  restartCount?: number;
  ready?: boolean;
  state?: string;
}

export interface TimelineModel {
  /** `deleting`: has a deletionTimestamp; `removed`: the agent recorded its removal (nothing is open then). */
  readonly pod: { namespace: string; name: string; uid: string; phase?: string; podIP?: string; deleting: boolean; removed: boolean };
  /** The first and last instant drawn (ms since the epoch). */
  readonly start: number;
  readonly end: number;
  readonly lanes: Lane[];
}

export interface ModelOptions {
  /** The current time: open spans (running containers, pulls, grace) extend to it. Default: the last time seen. */
  readonly now?: number;
}

interface Run {
  start: number; containerId: string; restartCount: number; synthesized?: boolean;
  end?: number; approximate?: boolean; exitCode?: number; reason?: string;
  sigterm?: { time: number; signal: string; grace?: number }; sigkill?: number;
}

const str = (e: LifecycleEntry, k: string): string | undefined => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
const num = (e: LifecycleEntry, k: string): number | undefined => (typeof e[k] === 'number' && Number.isFinite(e[k]) ? (e[k] as number) : undefined);
/** RFC3339 → ms; null, empty and the zero time (1970) → undefined. */
const ms = (t: string | null | undefined): number | undefined => {
  const v = t ? Date.parse(t) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};
const bareId = (id: string | undefined): string => (id && id.includes('://') ? id.slice(id.indexOf('://') + 3) : id ?? '');
const sameId = (a: string | undefined, b: string | undefined): boolean => {
  const x = bareId(a), y = bareId(b);
  return !!x && !!y && (x.startsWith(y) || y.startsWith(x));
};
const short = (id: string): string => bareId(id).slice(0, 12);
const PASS = new Set(['success', 'warning']);

export function buildModel(entries: readonly LifecycleEntry[], pod: Pod | undefined, opts: ModelOptions = {}): TimelineModel {
  const sorted = [...entries].sort((a, b) => a.time - b.time);
  const spec = pod?.spec;
  const st = pod?.status;
  const lanes: Lane[] = [{ id: 'pod', kind: 'pod', spans: [], marks: [] }];
  const lane = (id: string, kind: LaneKind = 'other'): Lane => {
    let l = lanes.find((x) => x.id === id && x.kind !== 'pod');
    if (!l) lanes.push((l = { id, kind, spans: [], marks: [] }));
    return l;
  };
  for (const c of spec?.initContainers ?? []) lane(c.name, c.restartPolicy === 'Always' ? 'sidecar' : 'init');
  for (const c of spec?.containers ?? []) lane(c.name, 'container');
  for (const c of spec?.ephemeralContainers ?? []) lane(c.name, 'ephemeral');
  const statuses = [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])];
  for (const e of sorted) if (e.container) lane(e.container);
  for (const s of statuses) lane(s.name);

  const podLane = lanes[0]!;
  const deletedAt = sorted.find((e) => e.kind === 'delete' && !e.container)?.time;
  const terminalAt = sorted.find((e) => e.kind === 'phase' && (e.phase === 'Succeeded' || e.phase === 'Failed'))?.time;
  const podEntries = sorted.filter((e) => !e.container);
  const pending: Array<{ span: Omit<Span, 'end' | 'open'>; lane: Lane }> = []; // spans open at the end

  for (const e of podEntries) {
    if (e.kind === 'sandbox') {
      const start = num(e, 'startedAt') ?? e.time;
      const ip = str(e, 'ip') ?? '';
      const detail: Detail = { sandboxId: str(e, 'sandboxId') ?? '', attempt: num(e, 'attempt') ?? 0, ip };
      podLane.spans.push({ kind: 'sandbox', start, end: e.time, open: false, label: `sandbox${ip ? ` ${ip}` : ''}`, ok: true, detail });
      podLane.marks.push({ kind: 'sandbox', time: e.time, label: `sandbox ready${ip ? ` (IP ${ip})` : ''}`, ok: true, detail });
    } else if (e.kind === 'phase') {
      const phase = str(e, 'phase') ?? '?', reason = str(e, 'reason');
      podLane.marks.push({ kind: 'phase', time: e.time, label: `phase ${phase}${reason ? ` (${reason})` : ''}`, ok: phase !== 'Failed' });
    } else if (e.kind === 'delete') podLane.marks.push({ kind: 'delete', time: e.time, label: 'pod removed from the node' });
    else podLane.marks.push({ kind: e.kind === 'error' ? 'error' : 'phase', time: e.time, label: str(e, 'message') ?? str(e, 'reason') ?? e.kind, ok: e.kind !== 'error' });
  }
  for (const c of st?.conditions ?? []) {
    const t = ms(c.lastTransitionTime), ok = c.status === 'True';
    if (t !== undefined) podLane.marks.push({ kind: 'condition', time: t, label: `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`, ok, approximate: true, ...(c.type === 'Ready' ? { ready: ok } : {}) });
  }
  const delTs = ms(pod?.metadata?.deletionTimestamp);
  if (delTs !== undefined) {
    const grace = pod?.metadata?.deletionGracePeriodSeconds ?? 0;
    const requested = delTs - grace * 1000;
    podLane.marks.push({ kind: 'deletion', time: requested, label: `deletion requested (grace ${grace}s)`, approximate: true });
    const span = { kind: 'terminating' as const, start: requested, label: 'terminating', approximate: true, detail: { gracePeriodSeconds: grace } };
    if (deletedAt !== undefined) podLane.spans.push({ ...span, end: Math.max(requested, deletedAt), open: false });
    else pending.push({ span, lane: podLane });
  }

  for (const l of lanes.slice(1)) {
    const mine = sorted.filter((e) => e.container === l.id);
    const runs: Run[] = [];
    const pulls = new Map<string, LifecycleEntry>();
    const hooks = new Map<string, LifecycleEntry>();
    const backoffs = new Set<number>();
    const results = new Map<string, string>(); // probe type → last published value
    const runFor = (id: string | undefined): Run | undefined => (id ? runs.find((r) => sameId(r.containerId, id)) : undefined) ?? runs[runs.length - 1];
    // What the container did next bounds when the previous instance ended.
    const nextAfter = (t: number) => mine.find((e) => e.time > t && ['pull', 'create', 'start', 'backoff'].includes(e.kind))?.time;
    for (const e of mine) {
      const id = str(e, 'containerId');
      switch (e.kind) {
        case 'pull': {
          const image = str(e, 'image') ?? '';
          if (e.phase === 'start') { pulls.set(image, e); break; }
          const began = pulls.get(image), result = str(e, 'result') ?? 'pulled', ok = result !== 'failed';
          pulls.delete(image);
          l.spans.push({ kind: 'pull', start: began?.time ?? e.time, end: e.time, open: false, label: `pull ${image} (${result})`, ok, detail: { image, result, ...(str(e, 'message') ? { message: str(e, 'message')! } : {}) } });
          l.marks.push({ kind: 'pull', time: e.time, label: `image ${image} ${result}`, ok });
          break;
        }
        case 'create': l.marks.push({ kind: 'create', time: e.time, label: `created ${short(id ?? '')}`.trim(), detail: { containerId: id ?? '' } }); break;
        case 'start': {
          results.clear();
          runs.push({ start: e.time, containerId: id ?? '', restartCount: num(e, 'restartCount') ?? runs.length });
          break;
        }
        case 'hook': {
          const hook = str(e, 'hook') ?? 'postStart';
          if (e.phase === 'start') { hooks.set(hook, e); break; }
          const began = hooks.get(hook), result = str(e, 'result') ?? 'success';
          const start = began?.time ?? e.time - (num(e, 'durationMs') ?? 0);
          hooks.delete(hook);
          const detail: Detail = { handler: str(e, 'handler') ?? '', result, durationMs: e.time - start, ...(str(e, 'message') ? { message: str(e, 'message')! } : {}) };
          l.spans.push({ kind: hook === 'preStop' ? 'preStop' : 'postStart', start, end: e.time, open: false, label: `${hook} ${result}`, ok: result === 'success', detail });
          break;
        }
        case 'probe': {
          const type = str(e, 'probeType') ?? 'Probe', result = str(e, 'result') ?? 'unknown', published = str(e, 'published');
          const detail: Detail = { result, durationMs: num(e, 'durationMs') ?? 0, output: (str(e, 'output') ?? '').trim(), ...(published ? { published } : {}), ...(str(e, 'message') ? { message: str(e, 'message')! } : {}) };
          l.marks.push({ kind: 'probe', time: e.time, label: `${type} ${result}`, ok: PASS.has(result), probeType: type, detail });
          // Every attempt at the threshold publishes; only a change of the published value is a flip.
          // A new instance starts not Ready, not started, and live.
          if (!published || published === (results.get(type) ?? (type === 'Liveness' ? 'success' : 'failure'))) break;
          results.set(type, published);
          const verdictAt = e.time + (num(e, 'durationMs') ?? 0);
          if (type === 'Readiness') l.marks.push({ kind: 'ready', time: verdictAt, label: published === 'success' ? 'Ready' : 'not Ready', ready: published === 'success', ok: published === 'success', probeType: type });
          else l.marks.push({ kind: 'verdict', time: verdictAt, label: `${type} ${published === 'success' ? (type === 'Startup' ? 'started' : 'healthy') : 'failed'}`, ok: published === 'success', probeType: type });
          break;
        }
        case 'ready': { // not recorded yet: `ready: boolean`
          const ready = e.ready === true || e.value === true || e.value === 'success';
          l.marks.push({ kind: 'ready', time: e.time, label: ready ? 'Ready' : 'not Ready', ready, ok: ready }); break;
        }
        case 'kill': l.marks.push({ kind: 'kill', time: e.time, label: str(e, 'message') ?? 'kill', detail: { gracePeriodSeconds: num(e, 'gracePeriodSeconds') ?? 0 } }); break;
        case 'signal': {
          const signal = str(e, 'signal') ?? 'SIGTERM';
          const r = runFor(id);
          if (r && signal === 'SIGKILL') r.sigkill ??= e.time;
          else if (r && !r.sigterm) r.sigterm = { time: e.time, signal, grace: num(e, 'gracePeriodSeconds') };
          const after = num(e, 'afterMs');
          l.marks.push({ kind: 'signal', time: e.time, label: `${signal}${after !== undefined ? ` after ${(after / 1000).toFixed(1)}s` : ''}`, signal, ok: signal !== 'SIGKILL' });
          break;
        }
        case 'exit': { // not recorded yet: containerId, exitCode, reason, optional finishedAt
          const r = runFor(id);
          if (r) Object.assign(r, { end: num(e, 'finishedAt') ?? e.time, approximate: false, exitCode: num(e, 'exitCode') ?? r.exitCode, reason: str(e, 'reason') ?? r.reason }); break;
        }
        case 'backoff': {
          const until = num(e, 'until'), delay = num(e, 'delayMs') ?? 0;
          if (until === undefined || backoffs.has(until)) break;
          backoffs.add(until);
          const exitedAt = until - delay;
          const r = [...runs].reverse().find((x) => x.start <= exitedAt + 1000);
          if (r && r.end === undefined) r.end = Math.max(r.start, exitedAt);
          l.spans.push({ kind: 'backoff', start: exitedAt, end: until, open: false, label: `back-off ${Math.round(delay / 1000)}s`, detail: { delayMs: delay } });
          break;
        }
        case 'error': l.marks.push({ kind: 'error', time: e.time, label: `${str(e, 'reason') ?? 'Error'}${str(e, 'message') ? `: ${str(e, 'message')}` : ''}`, ok: false }); break;
        default: l.marks.push({ kind: 'phase', time: e.time, label: str(e, 'message') ?? e.kind });
      }
    }
    for (const [hook, e] of hooks) pending.push({ lane: l, span: { kind: hook === 'preStop' ? 'preStop' : 'postStart', start: e.time, label: `${hook} running`, detail: { handler: str(e, 'handler') ?? '' } } });
    for (const [image, e] of pulls) pending.push({ lane: l, span: { kind: 'pull', start: e.time, label: `pull ${image}`, detail: { image } } });

    // The status: exit codes and times, instances the record no longer holds, the current state.
    const s: V1ContainerStatus | undefined = statuses.find((x) => x.name === l.id);
    let runningId: string | undefined;
    if (s) {
      Object.assign(l, { restartCount: s.restartCount, ready: s.ready, state: s.state?.waiting?.reason ?? s.state?.terminated?.reason ?? (s.state?.running ? 'Running' : undefined) });
      if (s.state?.running) {
        runningId = s.containerID ?? '';
        const started = ms(s.state.running.startedAt);
        if (!runs.some((r) => sameId(r.containerId, runningId)) && started !== undefined && !runs.some((r) => r.end === undefined && Math.abs(r.start - started) < 1500)) {
          runs.push({ start: started, containerId: runningId, restartCount: s.restartCount, synthesized: true });
        }
      }
      for (const t of [s.lastState?.terminated, s.state?.terminated]) {
        if (!t) continue;
        const startedAt = ms(t.startedAt), finishedAt = ms(t.finishedAt);
        let r = runs.find((x) => sameId(x.containerId, t.containerID ?? s.containerID));
        if (!r && startedAt !== undefined && finishedAt !== undefined) {
          r = runs.find((x) => Math.abs(x.start - startedAt) < 1500) ?? { start: startedAt, containerId: t.containerID ?? '', restartCount: -1, synthesized: true };
          if (!runs.includes(r)) runs.push(r);
        }
        if (!r) continue;
        Object.assign(r, { exitCode: t.exitCode, reason: t.reason });
        // Status times are whole seconds: keep an exact end, else never before the start or the signal.
        if (finishedAt !== undefined && (r.end === undefined || r.approximate)) {
          r.end = Math.max(finishedAt, Math.min(Math.max(r.start, r.sigkill ?? r.sigterm?.time ?? 0), finishedAt + 999));
          r.approximate = false;
        }
      }
    }
    runs.sort((a, b) => a.start - b.start);
    runs.forEach((r, i) => {
      if (r.end !== undefined) return;
      if (r.sigkill !== undefined) { r.end = r.sigkill; return; }
      if (runningId !== undefined && sameId(r.containerId, runningId)) return;
      const bound = i < runs.length - 1 ? nextAfter(r.sigterm?.time ?? r.start) ?? runs[i + 1]!.start : terminalAt ?? deletedAt;
      if (bound !== undefined) { r.end = Math.max(r.start, bound); r.approximate = true; }
    });

    for (const r of runs) {
      const n = r.restartCount >= 0 ? r.restartCount : undefined;
      const detail: Detail = { containerId: r.containerId, ...(n !== undefined ? { restartCount: n } : {}), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.reason ? { reason: r.reason } : {}) };
      const ok = r.exitCode === undefined ? undefined : r.exitCode === 0;
      const span = { kind: 'run' as const, start: r.start, label: `run ${short(r.containerId)}`.trim(), ...(r.synthesized ? { approximate: true } : {}), detail };
      l.marks.push(n ? { kind: 'restart', time: r.start, label: `restarted (restart #${n})`, detail } : { kind: 'start', time: r.start, label: 'started', detail });
      if (r.sigterm) {
        const g = { kind: 'grace' as const, start: r.sigterm.time, label: `grace ${r.sigterm.grace ?? '?'}s after ${r.sigterm.signal}`, detail: { gracePeriodSeconds: r.sigterm.grace ?? -1 } };
        const gEnd = r.sigkill ?? r.end;
        if (gEnd === undefined) pending.push({ lane: l, span: g });
        else l.spans.push({ ...g, end: Math.max(g.start, gEnd), open: false, ok: r.sigkill === undefined });
      }
      if (r.end === undefined) { pending.push({ lane: l, span }); continue; }
      l.spans.push({ ...span, end: r.end, open: false, ...(ok !== undefined ? { ok } : {}), ...(r.approximate ? { approximate: true } : {}) });
      const code = r.exitCode !== undefined ? `exit ${r.exitCode}${r.reason ? ` (${r.reason})` : ''}` : 'exited';
      l.marks.push({ kind: 'exit', time: r.end, label: code, ...(ok !== undefined ? { ok } : {}), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.approximate ? { approximate: true } : {}), detail });
      const lastReady = l.marks.reduce<Mark | undefined>((b, m) => (m.kind === 'ready' && m.time <= r.end! && (!b || m.time >= b.time) ? m : b), undefined);
      if (lastReady?.ready) l.marks.push({ kind: 'ready', time: r.end, label: 'not Ready (exited)', ready: false, ok: false });
    }
  }

  const times = [...sorted.map((e) => e.time), ...pending.map((p) => p.span.start),
    ...lanes.flatMap((l) => [...l.spans.flatMap((sp) => [sp.start, sp.end]), ...l.marks.map((m) => m.time)])];
  const start = times.length ? times.reduce((a, b) => Math.min(a, b)) : (opts.now ?? 0);
  let end = times.length ? times.reduce((a, b) => Math.max(a, b)) : start;
  if (pending.length && opts.now !== undefined && deletedAt === undefined) end = Math.max(end, opts.now);
  const open = deletedAt === undefined;
  for (const p of pending) p.lane.spans.push({ ...p.span, end: Math.max(end, p.span.start), open, ...(open ? {} : { approximate: true }) });
  for (const l of lanes) { l.spans.sort((a, b) => a.start - b.start || a.end - b.end); l.marks.sort((a, b) => a.time - b.time); }
  const md = pod?.metadata;
  return {
    pod: { namespace: md?.namespace ?? 'default', name: md?.name ?? '', uid: md?.uid ?? sorted[0]?.podUID ?? '', phase: st?.phase, podIP: st?.podIP, deleting: !!md?.deletionTimestamp, removed: deletedAt !== undefined },
    start, end, lanes,
  };
}
