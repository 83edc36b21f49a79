// agent/timeline/workload-pods.ts — PURE: one pod of a workload compressed to a lane: created → scheduled
// → running → ready → terminating → gone (or succeeded/failed), with restarts and exits. The facts come from
// the best source there is, in order: the agent's lifecycle record (through the per-pod model of model.ts,
// millisecond times), the pod object's status (whole seconds), and the Events about it (Scheduled, Started,
// Killing; the controller's "Created pod"/"Deleted pod").
import type { Pod } from '../api/v1.js';
import type { LifecycleEntry } from './lifecycle-record.js';
import { buildModel, type TimelineModel } from './model.js';
import { ms, type TimedEvent } from './workload-events.js';

export type PodState = 'pending' | 'starting' | 'ready' | 'unready' | 'terminating' | 'succeeded' | 'failed';
export type PodMarkKind = 'created' | 'scheduled' | 'started' | 'ready' | 'unready' | 'restart' | 'exit' | 'deletion' | 'gone' | 'warning';

export interface PodSegment { readonly state: PodState; readonly start: number; readonly end: number; readonly open: boolean }
export interface PodMark {
  readonly kind: PodMarkKind;
  readonly time: number;
  readonly label: string;
  readonly ok?: boolean;
  readonly approximate?: boolean;
}

export interface PodLane {
  readonly name: string;
  readonly uid?: string;
  /** The object that made it (its controller ownerReference, or who posted "Created pod: <name>"). */
  owner?: string;
  /** Where the times came from: the agent's record, the pod object, or only Events. */
  readonly source: 'record' | 'pod' | 'events';
  readonly phase?: string;
  readonly restarts: number;
  readonly created?: number;
  readonly gone?: number;
  readonly segments: PodSegment[];
  readonly marks: PodMark[];
}

/** What the agent's GET /lifecycle/<ns>/<name> answered. */
export interface PodRecord { readonly pod: Pod; readonly entries: readonly LifecycleEntry[]; readonly deleted?: boolean }

type Fact = { time: number; approximate?: boolean } | undefined;
interface Facts {
  created: Fact; scheduled: Fact; running: Fact; deletion: Fact; gone: Fact;
  /** The kubelet's first stop (kill or signal) at or after the deletion's second: the deletion came before it. */
  stopping?: Fact;
  terminal?: { time: number; phase: 'Succeeded' | 'Failed'; approximate?: boolean };
  readyFlips: { time: number; ready: boolean; approximate?: boolean }[];
  restarts: PodMark[]; exits: PodMark[]; warnings: PodMark[];
}

const first = (...fs: Fact[]): Fact => fs.find((f) => f !== undefined);
const earliest = (...fs: Fact[]): Fact => fs.reduce<Fact>((e, f) => (f !== undefined && (e === undefined || f.time < e.time) ? f : e), undefined);
const at = (t: number | undefined, approximate = false): Fact => (t === undefined ? undefined : { time: t, ...(approximate ? { approximate } : {}) });
const min = (xs: number[]): number | undefined => (xs.length ? Math.min(...xs) : undefined);

/** Facts from the per-pod model (the agent's record + the pod's last status). */
function fromRecord(m: TimelineModel): Partial<Facts> {
  const podLane = m.lanes[0]!;
  const regular = m.lanes.filter((l) => l.kind === 'container');
  const runs = regular.flatMap((l) => l.spans.filter((s) => s.kind === 'run'));
  const sandbox = podLane.spans.find((s) => s.kind === 'sandbox');
  const scheduledCond = podLane.marks.find((k) => k.kind === 'condition' && k.label.startsWith('PodScheduled=True'));
  // Ready: every regular container up, after its readiness probe's first success when it has one.
  let readyAt: number | undefined;
  const perContainer = regular.map((l) => {
    const flip = l.marks.find((k) => k.kind === 'ready' && k.ready);
    if (flip) return flip.time;
    if (l.marks.some((k) => k.probeType === 'Readiness')) return undefined;
    const run = l.spans.find((s) => s.kind === 'run');
    const hook = l.spans.find((s) => s.kind === 'postStart');
    return run ? Math.max(run.start, hook?.end ?? 0) : undefined;
  });
  if (regular.length && perContainer.every((t) => t !== undefined)) readyAt = Math.max(...(perContainer as number[]));
  const readyFlips: Facts['readyFlips'] = readyAt !== undefined ? [{ time: readyAt, ready: true }] : [];
  for (const l of regular) for (const k of l.marks) if (k.kind === 'ready' && !k.ready && readyAt !== undefined && k.time > readyAt) readyFlips.push({ time: k.time, ready: false });
  const terminalMark = podLane.marks.find((k) => k.kind === 'phase' && /phase (Succeeded|Failed)/.test(k.label));
  const requested = podLane.marks.find((k) => k.kind === 'deletion')?.time;   // deletionTimestamp − grace, a whole second
  return {
    scheduled: at(sandbox?.start) ?? at(scheduledCond?.time, true),
    running: at(min(runs.map((s) => s.start))),
    deletion: at(requested, true),
    stopping: at(requested === undefined ? undefined : min(m.lanes.flatMap((l) => l.marks.filter((k) => (k.kind === 'kill' || k.kind === 'signal') && k.time >= requested).map((k) => k.time)))),
    gone: at(podLane.marks.find((k) => k.kind === 'delete')?.time),
    ...(terminalMark ? { terminal: { time: terminalMark.time, phase: terminalMark.label.includes('Succeeded') ? 'Succeeded' as const : 'Failed' as const } } : {}),
    readyFlips: readyFlips.sort((a, b) => a.time - b.time),
    restarts: regular.flatMap((l) => l.marks.filter((k) => k.kind === 'restart').map((k) => ({ kind: 'restart' as const, time: k.time, label: `${l.id} ${k.label}` }))),
    exits: m.lanes.filter((l) => l.kind !== 'pod').flatMap((l) => l.marks.filter((k) => k.kind === 'exit').map((k) => ({
      kind: 'exit' as const, time: k.time, label: `${l.id} ${k.label}`, ...(k.ok !== undefined ? { ok: k.ok } : {}), ...(k.approximate ? { approximate: true } : {}),
    }))),
  };
}

/** Facts from the pod object alone (whole seconds). */
function fromPod(pod: Pod): Partial<Facts> {
  const cond = (type: string) => pod.status?.conditions?.find((c) => c.type === type);
  const statuses = pod.status?.containerStatuses ?? [];
  const started = statuses.flatMap((s) => [s.state?.running?.startedAt, s.state?.terminated?.startedAt, s.lastState?.terminated?.startedAt]).map((t) => ms(t)).filter((t): t is number => t !== undefined);
  const ready = cond('Ready');
  const delTs = ms(pod.metadata?.deletionTimestamp);
  const phase = pod.status?.phase;
  const finished = statuses.map((s) => ms(s.state?.terminated?.finishedAt)).filter((t): t is number => t !== undefined);
  return {
    scheduled: at(ms(cond('PodScheduled')?.status === 'True' ? cond('PodScheduled')?.lastTransitionTime : undefined), true),
    running: at(min(started), true),
    readyFlips: ready?.status === 'True' && ms(ready.lastTransitionTime) !== undefined ? [{ time: ms(ready.lastTransitionTime)!, ready: true, approximate: true }] : [],
    deletion: at(delTs === undefined ? undefined : delTs - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000, true),
    ...((phase === 'Succeeded' || phase === 'Failed') && finished.length ? { terminal: { time: Math.max(...finished), phase, approximate: true } } : {}),
  };
}

/** Facts from the Events about the pod and the controller's create/delete steps for it. */
function fromEvents(events: readonly TimedEvent[], createdBy?: TimedEvent, deletedBy?: TimedEvent): Partial<Facts> {
  const ev = (reason: string) => events.find((e) => e.reason === reason);
  const fact = (e: TimedEvent | undefined): Fact => (e ? at(e.time, e.approximate) : undefined);
  return {
    created: fact(createdBy),
    scheduled: fact(ev('Scheduled')),
    running: fact(ev('Started')),
    deletion: fact(deletedBy) ?? fact(ev('Killing')),
    warnings: events.filter((e) => e.type === 'Warning').map((e) => ({ kind: 'warning' as const, time: e.time, label: `${e.reason}: ${e.message}`, ok: false, ...(e.approximate ? { approximate: true } : {}) })),
  };
}

export interface PodInput {
  readonly name: string;
  readonly uid?: string;
  readonly pod?: Pod;
  readonly record?: PodRecord;
  readonly events: readonly TimedEvent[];
  readonly createdBy?: TimedEvent;
  readonly deletedBy?: TimedEvent;
  readonly owner?: string;
}

export function buildPodLane(p: PodInput, now: number | undefined): PodLane {
  const pod = p.record?.pod ?? p.pod;
  const rec = p.record ? fromRecord(buildModel(p.record.entries, p.record.pod, {})) : {};
  const obj = pod ? fromPod(pod) : {};
  const evs = fromEvents(p.events, p.createdBy, p.deletedBy);
  const f: Facts = {
    // The controller's event is the exact instant of the create call; creationTimestamp is its second.
    created: first(evs.created, at(ms(pod?.metadata?.creationTimestamp), true)),
    scheduled: first(evs.scheduled, rec.scheduled, obj.scheduled),
    running: first(rec.running, evs.running, obj.running),
    // The controller's event is stamped once its delete call returned: on a loaded machine the kubelet may already
    // have stopped the pod (its record), and the deletion came no later than that stop.
    deletion: evs.deletion && !evs.deletion.approximate ? earliest(evs.deletion, rec.stopping) : first(rec.deletion, obj.deletion, evs.deletion),
    gone: rec.gone,
    // A phase read off the status is a whole second: with a record, not before the last exit it recorded.
    terminal: rec.terminal ?? (obj.terminal && rec.exits?.length ? { ...obj.terminal, time: Math.max(obj.terminal.time, ...rec.exits.map((x) => x.time)) } : obj.terminal),
    readyFlips: rec.readyFlips?.length ? rec.readyFlips : obj.readyFlips ?? [],
    restarts: rec.restarts ?? [], exits: rec.exits ?? [], warnings: evs.warnings ?? [],
  };
  // A whole-second time is never before the exact creation (a Scheduled event of the same second).
  const after = (x: Fact): Fact => (x?.approximate && f.created && x.time < f.created.time ? { ...x, time: f.created.time } : x);
  f.scheduled = after(f.scheduled);
  f.running = after(f.running);
  // A pod that is gone but whose removal nobody saw ends at its last known instant.
  const live = !p.record?.deleted && !!p.pod;
  const marks: PodMark[] = [];
  const mark = (kind: PodMarkKind, x: Fact, label: string, ok?: boolean) => {
    if (x) marks.push({ kind, time: x.time, label, ...(ok !== undefined ? { ok } : {}), ...(x.approximate ? { approximate: true } : {}) });
  };
  mark('created', f.created, 'created');
  mark('scheduled', f.scheduled, 'scheduled');
  mark('started', f.running, 'containers running');
  for (const r of f.readyFlips) mark(r.ready ? 'ready' : 'unready', r, r.ready ? 'Ready' : 'not Ready', r.ready);
  marks.push(...f.restarts, ...f.exits, ...f.warnings);
  if (f.terminal) mark('exit', f.terminal, `phase ${f.terminal.phase}`, f.terminal.phase === 'Succeeded');
  mark('deletion', f.deletion, 'deletion requested');
  mark('gone', f.gone, 'gone');
  marks.sort((a, b) => a.time - b.time);

  const times = marks.map((k) => k.time);
  const last = times.length ? Math.max(...times) : undefined;
  const end = f.gone?.time ?? (live ? Math.max(now ?? last ?? 0, last ?? 0) : last);
  const segments: PodSegment[] = [];
  const cuts: { time: number; state: PodState }[] = [];
  if (f.created) cuts.push({ time: f.created.time, state: 'pending' });
  if (f.running) cuts.push({ time: f.running.time, state: 'starting' });
  for (const r of f.readyFlips) cuts.push({ time: r.time, state: r.ready ? 'ready' : 'unready' });
  if (f.terminal) cuts.push({ time: f.terminal.time, state: f.terminal.phase === 'Succeeded' ? 'succeeded' : 'failed' });
  if (f.deletion) cuts.push({ time: f.deletion.time, state: 'terminating' });
  cuts.sort((a, b) => a.time - b.time);
  // Once terminating it stays so until gone: a late Ready flip read off a status, or the Succeeded phase a
  // deleted pod whose containers exited 0 ends in, is not another state (the phase stays a mark).
  const fromDeletion = cuts.findIndex((c) => c.state === 'terminating');
  const ordered = fromDeletion >= 0 ? cuts.slice(0, fromDeletion + 1) : cuts;
  ordered.forEach((c, i) => {
    const next = ordered[i + 1]?.time ?? end;
    if (next === undefined) return;
    const open = i === ordered.length - 1 && f.gone === undefined && live;
    segments.push({ state: c.state, start: c.time, end: Math.max(c.time, next), open });
  });
  return {
    name: p.name, ...(p.uid ?? pod?.metadata?.uid ? { uid: p.uid ?? pod?.metadata?.uid } : {}), ...(p.owner ? { owner: p.owner } : {}),
    source: p.record ? 'record' : p.pod ? 'pod' : 'events',
    ...(pod?.status?.phase && !p.record?.deleted ? { phase: pod.status.phase } : p.record?.deleted || (!p.pod && f.deletion) ? { phase: 'Deleted' } : {}),
    restarts: f.restarts.length,
    ...(f.created ? { created: f.created.time } : {}), ...(f.gone ? { gone: f.gone.time } : {}),
    segments, marks,
  };
}
