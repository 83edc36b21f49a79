// control-plane/registry/kinds/events.ts — Event (core/v1, `ev`), also served as events.k8s.io/v1 (the same
// stored object with the newer field names: regarding, note, reportingController, deprecated*). Validation
// is the legacy one (namespace matches involvedObject; "new" events with eventTime need the reporting
// fields); field selectors on involvedObject.* as `kubectl describe` and `kubectl events --for` send them;
// printed as LAST SEEN TYPE REASON OBJECT MESSAGE (+ SUBOBJECT SOURCE FIRST SEEN COUNT NAME wide).
import { isObj, type Obj } from '../common.js';
import { col, since } from '../table.js';
import type { FieldDoc, FieldError, KindDef, KubeObject, ServedVersion } from '../types.js';
import { invalidValue, nameErrors, required } from '../validation.js';

interface Ref { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string }
interface EventView {
  metadata?: { name?: string; namespace?: string };
  involvedObject?: Ref;
  reason?: string; message?: string; type?: string; count?: number; action?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string; lastTimestamp?: string; eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  reportingComponent?: string; reportingInstance?: string;
}

/** core/v1 field ↔ events.k8s.io/v1 field (the rest, metadata included, is the same). */
const RENAMES: ReadonlyArray<readonly [string, string]> = [
  ['involvedObject', 'regarding'], ['message', 'note'], ['reportingComponent', 'reportingController'], ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'], ['lastTimestamp', 'deprecatedLastTimestamp'], ['count', 'deprecatedCount'],
];

function rename(o: KubeObject, apiVersion: string, from: 0 | 1): KubeObject {
  const out: Obj = { ...(o as Obj), apiVersion, kind: 'Event' };
  for (const pair of RENAMES) {
    const [a, b] = [pair[from], pair[1 - from]!];
    if (a in out) { out[b] = out[a]; delete out[a]; }
  }
  return out as KubeObject;
}

const eventsV1: ServedVersion = {
  group: 'events.k8s.io', version: 'v1', shortNames: ['ev'],
  toStorage: (o) => rename(o, 'v1', 1),
  fromStorage: (o) => rename(o, 'events.k8s.io/v1', 0),
};

function validateEvent(e: EventView): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata?.namespace ?? '';
  const ioNs = e.involvedObject?.namespace ?? '';
  if (!e.eventTime) {
    if (ioNs ? ns !== ioNs : ns !== '' && ns !== 'default') errs.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    if (!e.reportingComponent) errs.push(required('reportingComponent'));
    if (!e.reportingInstance) errs.push(required('reportingInstance'));
    if (!e.action) errs.push(required('action'));
    if (!e.reason) errs.push(required('reason'));
  }
  if (e.eventTime && e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${e.type ?? ''}`));
  return [...errs, ...(ns ? nameErrors('namespace', ns, 'subdomain') : [])];
}

const str = (description: string): FieldDoc => ({ type: 'string', description });

const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

function eventFields(o: KubeObject): Record<string, string> {
  const e = o as EventView;
  const out: Record<string, string> = {};
  for (const f of REF_FIELDS) out[`involvedObject.${f}`] = e.involvedObject?.[f] ?? '';
  out['reason'] = e.reason ?? '';
  out['reportingComponent'] = e.reportingComponent ?? '';
  out['source'] = e.source?.component ?? '';
  out['type'] = e.type ?? '';
  return out;
}

function source(e: EventView): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function cells(o: KubeObject, now: number): Array<string | number> {
  const e = o as EventView;
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (isObj(e.series)) { last = since(e.series.lastObservedTime, now); count = e.series.count ?? 0; } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
  return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source(e), (e.message ?? '').trim(), first, count, e.metadata?.name ?? ''];
}

export const events: KindDef = {
  group: '', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', namespaced: true, shortNames: ['ev'],
  description: 'Event is a report of an event somewhere in the cluster.',
  fields: {
    involvedObject: 'The object that this event is about.',
    reason: str('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    message: str('A human-readable description of the status of this operation.'),
    type: str('Type of this event (Normal, Warning), new types could be added in the future'),
    source: 'The component reporting this event. Should be a short machine understandable string.',
    count: { type: 'integer', description: 'The number of times this event has occurred.' },
    firstTimestamp: str('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    lastTimestamp: str('The time at which the most recent occurrence of this event was recorded.'),
    eventTime: str('Time when this Event was first observed.'),
    reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
  },
  allowCreateOnUpdate: true,
  validate: (o) => validateEvent(o as EventView),
  selectableFields: { names: [...REF_FIELDS.map((f) => `involvedObject.${f}`), 'reason', 'reportingComponent', 'source', 'type'], get: eventFields },
  table: {
    columns: [
      col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'), col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
      col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      col('Object', 'The object that this event is about.'),
      col('Subobject', 'The subobject (field path) that this event is about.', { priority: 1 }),
      col('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
      col('Message', 'A human-readable description of the status of this operation.'),
      col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
      col('Count', 'The number of times this event has occurred.', { priority: 1 }),
      col('Name', 'Name must be unique within a namespace.', { priority: 1, format: 'name' }),
    ],
    cells,
  },
  otherVersions: [eventsV1],
};
