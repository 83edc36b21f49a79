// agent/timeline/workload-model.ts — PURE: a workload (Deployment, ReplicaSet, Job, CronJob, StatefulSet,
// DaemonSet, ReplicationController) as one timeline: (object tree, Events, pod records) → the controller's
// steps (objects created and scaled, pods created and deleted, conditions flipping, other events) and one
// lane per pod the workload ever had, in the order they were created. Generic: the tree is whatever the
// ownerReferences say, the steps are read off Event reasons and messages, never off a kind's own rules.
import type { Event, Pod } from '../api/v1.js';
import type { KubeObject } from '../../client/types.js';
import { actionOf, ms, timeEvents, type Action, type TimedEvent } from './workload-events.js';
import { buildPodLane, type PodLane, type PodRecord } from './workload-pods.js';

export interface WorkloadInput {
  readonly root: KubeObject;
  /** Objects the root owns that own pods in turn (ReplicaSets of a Deployment, Jobs of a CronJob). */
  readonly owned: readonly KubeObject[];
  /** Pods that exist now, owned by the root or by one of `owned`. */
  readonly pods: readonly Pod[];
  /** Events of the namespace; the model keeps those about the tree. */
  readonly events: readonly Event[];
  /** The agent's lifecycle record per pod name (live pods and pods it removed not long ago). */
  readonly records: Readonly<Record<string, PodRecord>>;
}

export interface ReplicaPoint { readonly time: number; readonly from?: number; readonly to: number; readonly approximate?: boolean }
export interface OwnedObject {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
  readonly revision?: string;
  readonly created?: number;
  /** Not in the API any more (known from Events only, or deleted). */
  readonly gone: boolean;
  readonly replicas: ReplicaPoint[];
  readonly summary: string;
}

export type StepKind = 'created' | 'scaled' | 'podCreated' | 'podDeleted' | 'jobCreated' | 'jobDeleted' | 'condition' | 'event';
export interface ControllerStep {
  readonly time: number;
  readonly approximate?: boolean;
  readonly kind: StepKind;
  /** `replicaset/web-5d8f`, the object the step is about. */
  readonly object: string;
  readonly reason: string;
  readonly message: string;
  /** Warning events and conditions turning False are not ok. */
  readonly ok?: boolean;
  readonly target?: string;
  readonly from?: number;
  readonly to?: number;
}

export interface WorkloadModel {
  readonly workload: { kind: string; namespace: string; name: string; uid: string; revision?: string; summary: string; deleting: boolean };
  readonly start: number;
  readonly end: number;
  readonly objects: OwnedObject[];
  readonly steps: ControllerStep[];
  readonly pods: PodLane[];
}

const REVISION = 'deployment.kubernetes.io/revision';
const key = (kind: string, name: string) => `${kind.toLowerCase()}/${name}`;
const nameOf = (o: { metadata?: { name?: string } }) => o.metadata?.name ?? '';
type Obj = { status?: Record<string, unknown>; spec?: Record<string, unknown> };
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** One line about an object's state, from the status fields its kind has. */
export function summarize(o: KubeObject): string {
  const { spec = {}, status = {} } = o as Obj;
  const parts: string[] = [];
  if ('completions' in spec || o.kind === 'Job') {
    parts.push(`${n(status.succeeded)}/${spec.completions ?? 1} succeeded`, `${n(status.active)} active`, `${n(status.failed)} failed`);
  } else if (o.kind === 'CronJob') {
    parts.push(`schedule ${String(spec.schedule ?? '?')}`, `${Array.isArray(status.active) ? status.active.length : 0} active`);
  } else if ('desiredNumberScheduled' in status || o.kind === 'DaemonSet') {
    parts.push(`${n(status.numberReady)}/${n(status.desiredNumberScheduled)} ready`);
  } else {
    parts.push(`${n(status.readyReplicas)}/${n(spec.replicas)} ready`);
    if ('updatedReplicas' in status) parts.push(`${n(status.updatedReplicas)} up-to-date`);
  }
  const conds = (status.conditions as { type: string; status: string; reason?: string }[] | undefined) ?? [];
  for (const c of conds) parts.push(`${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`);
  return parts.join(', ');
}

/** The pod names the tree's controllers ever mentioned, with the pods that exist: whose records to fetch. */
export function podNamesOf(input: Omit<WorkloadInput, 'records'>): string[] {
  const names = new Set(input.pods.map(nameOf));
  for (const { action } of controllerEvents(input)) if (action && (action.op === 'createPod' || action.op === 'deletePod')) names.add(action.target);
  return [...names].filter(Boolean);
}

/** Events about the root and the objects it owns (found in the API, or named in its ScalingReplicaSet/job events). */
function controllerEvents(input: Omit<WorkloadInput, 'records'>): { e: TimedEvent; action?: Action }[] {
  const all = timeEvents(input.events);
  const uidOf = new Map([input.root, ...input.owned].map((o) => [key(o.kind ?? '', nameOf(o)), o.metadata?.uid]));
  const keys = new Set(uidOf.keys());
  // By kind and name; an object of the same name before this one (another uid) is not this one.
  const mine = (e: TimedEvent) => {
    const k = key(e.involved.kind, e.involved.name), uid = uidOf.get(k);
    return keys.has(k) && (!e.involved.uid || !uid || uid === e.involved.uid);
  };
  const out: { e: TimedEvent; action?: Action }[] = [];
  // Objects named by an owner's events (a ReplicaSet since deleted by the history limit) join the tree.
  for (let pass = 0; pass < 2; pass++) {
    out.length = 0;
    for (const e of all) {
      if (!mine(e)) continue;
      const action = actionOf(e);
      out.push({ e, ...(action ? { action } : {}) });
      if (action?.op === 'scale') keys.add(key('ReplicaSet', action.target));
      if (action?.op === 'createJob' || action?.op === 'deleteJob') keys.add(key('Job', action.target));
    }
  }
  return out;
}

export function buildWorkloadModel(input: WorkloadInput, opts: { now?: number } = {}): WorkloadModel {
  const root = input.root;
  const rootKey = key(root.kind ?? '', nameOf(root));
  const ctl = controllerEvents(input);
  const steps: ControllerStep[] = [];
  const created = ms(root.metadata?.creationTimestamp);
  if (created !== undefined) steps.push({ time: created, approximate: true, kind: 'created', object: rootKey, reason: 'Created', message: `${root.kind} created` });

  // Owned objects: those in the API, then those only Events name.
  const objects = new Map<string, OwnedObject>();
  for (const o of input.owned) {
    const rev = o.metadata?.annotations?.[REVISION];
    const c = ms(o.metadata?.creationTimestamp);
    objects.set(key(o.kind ?? '', nameOf(o)), { kind: o.kind ?? '', name: nameOf(o), uid: o.metadata?.uid, ...(rev ? { revision: rev } : {}), ...(c !== undefined ? { created: c } : {}), gone: false, replicas: [], summary: summarize(o) });
    if (c !== undefined) steps.push({ time: c, approximate: true, kind: 'created', object: key(o.kind ?? '', nameOf(o)), reason: 'Created', message: `${o.kind} ${nameOf(o)} created${rev ? ` (revision ${rev})` : ''}` });
  }
  const objectFor = (kind: string, name: string, seen: number): OwnedObject => {
    const k = key(kind, name);
    // Known from its owner's Events only: created when they first name it.
    if (!objects.has(k)) objects.set(k, { kind, name, created: seen, gone: true, replicas: [], summary: 'deleted' });
    return objects.get(k)!;
  };
  for (const { e, action } of ctl) {
    const object = key(e.involved.kind, e.involved.name);
    const base = { time: e.time, ...(e.approximate ? { approximate: true } : {}), object, reason: e.reason, message: e.message, ...(e.type === 'Warning' ? { ok: false } : {}) };
    if (action?.op === 'scale') {
      objectFor('ReplicaSet', action.target, e.time).replicas.push({ time: e.time, ...(action.from !== undefined ? { from: action.from } : {}), to: action.to, ...(e.approximate ? { approximate: true } : {}) });
      steps.push({ ...base, kind: 'scaled', target: action.target, ...(action.from !== undefined ? { from: action.from } : {}), to: action.to });
    } else if (action) {
      if (action.op === 'createJob' || action.op === 'deleteJob') objectFor('Job', action.target, e.time);
      steps.push({ ...base, kind: action.op === 'createPod' ? 'podCreated' : action.op === 'deletePod' ? 'podDeleted' : action.op === 'createJob' ? 'jobCreated' : 'jobDeleted', target: action.target });
    } else steps.push({ ...base, kind: 'event' });
  }
  for (const o of [root, ...input.owned]) {
    const conds = ((o as Obj).status?.conditions as { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastUpdateTime?: string }[] | undefined) ?? [];
    for (const c of conds) {
      // Only the condition as it is now is known: a Deployment's lastUpdateTime is when its reason and message
      // were set (Progressing stays True from the first rollout on, with a new reason each rollout).
      const t = ms(c.lastUpdateTime) ?? ms(c.lastTransitionTime);
      if (t === undefined) continue;
      // Progressing=True is good news; for the others (ReplicaFailure, Failed, FailureTarget…) True is bad.
      const good = ['Available', 'Progressing', 'Complete', 'SuccessCriteriaMet', 'Ready'].includes(c.type) ? c.status === 'True' : c.status !== 'True';
      steps.push({ time: t, approximate: true, kind: 'condition', object: key(o.kind ?? '', nameOf(o)), reason: c.reason ?? c.type, message: `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`, ok: good });
    }
  }
  steps.sort((a, b) => a.time - b.time);
  const pods = buildPodLanes(input, ctl);

  const times = [...steps.map((s) => s.time), ...pods.flatMap((p) => [...p.marks.map((k) => k.time), ...p.segments.flatMap((s) => [s.start, s.end])])];
  const start = times.length ? Math.min(...times) : (opts.now ?? 0);
  let end = times.length ? Math.max(...times) : start;
  if (opts.now !== undefined && pods.some((p) => p.segments.some((s) => s.open))) end = Math.max(end, opts.now);
  for (const p of pods) for (const [i, s] of p.segments.entries()) if (s.open) p.segments[i] = { ...s, end: Math.max(s.start, end) };
  const order = (o: OwnedObject) => o.created ?? o.replicas[0]?.time ?? Infinity;
  const rev = root.metadata?.annotations?.[REVISION];
  return {
    workload: { kind: root.kind ?? '', namespace: root.metadata?.namespace ?? 'default', name: nameOf(root), uid: root.metadata?.uid ?? '', ...(rev ? { revision: rev } : {}), summary: summarize(root), deleting: !!root.metadata?.deletionTimestamp },
    start, end,
    objects: [...objects.values()].sort((a, b) => order(a) - order(b)),
    steps, pods,
  };
}

interface Identity { name: string; uid?: string; pod?: Pod; record?: PodRecord; events: TimedEvent[]; createdBy?: TimedEvent; deletedBy?: TimedEvent; owner?: string }

/** One identity per pod (a StatefulSet's web-0 recreated is two), each with its events and controller steps. */
function buildPodLanes(input: WorkloadInput, ctl: { e: TimedEvent; action?: Action }[]): PodLane[] {
  const ids: Identity[] = [];
  const byUid = (uid: string | undefined) => (uid ? ids.find((i) => i.uid === uid) : undefined);
  for (const pod of input.pods) ids.push({ name: nameOf(pod), uid: pod.metadata?.uid, pod, events: [] });
  for (const [name, record] of Object.entries(input.records)) {
    const uid = record.pod.metadata?.uid;
    const id = byUid(uid) ?? ids.find((i) => i.name === name && !i.uid);
    if (id) id.record = record;
    else ids.push({ name, uid, record, events: [] });
  }
  const names = new Set([...ids.map((i) => i.name), ...ctl.flatMap(({ action }) => (action?.op === 'createPod' || action?.op === 'deletePod' ? [action.target] : []))]);
  const podEvents = timeEvents(input.events).filter((e) => e.involved.kind === 'Pod' && names.has(e.involved.name));
  for (const e of podEvents) {
    let id = byUid(e.involved.uid) ?? (e.involved.uid ? undefined : ids.find((i) => i.name === e.involved.name));
    if (!id) ids.push((id = { name: e.involved.name, uid: e.involved.uid, events: [] }));
    id.events.push(e);
  }
  const firstSeen = (i: Identity) => ms(i.pod?.metadata?.creationTimestamp ?? i.record?.pod.metadata?.creationTimestamp) ?? i.events[0]?.time;
  for (const { e, action } of ctl) {
    if (action?.op !== 'createPod' && action?.op !== 'deletePod') continue;
    const candidates = ids.filter((i) => i.name === action.target);
    let id: Identity | undefined;
    if (action.op === 'createPod') {
      id = candidates.filter((i) => !i.createdBy).sort((a, b) => Math.abs((firstSeen(a) ?? e.time) - e.time) - Math.abs((firstSeen(b) ?? e.time) - e.time))[0];
      if (!id) ids.push((id = { name: action.target, events: [] }));
      id.createdBy = e;
    } else {
      id = candidates.filter((i) => !i.deletedBy && (firstSeen(i) ?? i.createdBy?.time ?? 0) <= e.time + 1000).sort((a, b) => (firstSeen(b) ?? 0) - (firstSeen(a) ?? 0))[0];
      if (!id) ids.push((id = { name: action.target, events: [] }));
      id.deletedBy = e;
    }
    id.owner ??= e.involved.name;
  }
  const lanes = ids.map((i) => {
    const ref = (i.pod ?? i.record?.pod)?.metadata?.ownerReferences?.find((r) => r.controller);
    return buildPodLane({ ...i, owner: ref?.name ?? i.owner }, undefined);
  });
  return lanes.sort((a, b) => (a.created ?? a.marks[0]?.time ?? Infinity) - (b.created ?? b.marks[0]?.time ?? Infinity) || a.name.localeCompare(b.name));
}
