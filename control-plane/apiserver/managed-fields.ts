// control-plane/apiserver/managed-fields.ts — metadata.managedFields: which field manager set which fields.
// An object's fields are flattened into leaf paths in the FieldsV1 vocabulary (`f:<field>`, `k:{"name":"x"}`
// for items of lists with a merge key — with `.` for the item itself —, `v:<json>` for set-like lists);
// an ordinary write (create, PUT, patch) gives its manager the leaves it changed and takes them from every
// other manager; server-side apply (apply.ts) owns exactly the leaves of its applied configuration.
//
// PURE helpers plus `trackUpdate`, the hook the registry's strategy calls with the final object.
import { rfc3339, type Mutable } from '../store/index.js';
import type { AfterPrepare, Resource, Subresource } from '../registry/index.js';
import { mergeSchemaOf, type MergeSchema } from './patch.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf path (segments joined by \n) → the JSON of its value ("" for an item's own `.` leaf). */
export type Leaves = Map<string, string>;

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

const META_IGNORED = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

/** The top-level fields a write of `sub` owns: status only through /status, and not through the object. */
function tracked(r: Resource, sub: Subresource, field: string): boolean {
  if (field === 'apiVersion' || field === 'kind') return false;
  if (!r.def.statusSubresource) return true;
  return sub === 'status' ? field === 'status' || field === 'metadata' : field !== 'status';
}

export const SEP = '\n';

function walk(v: unknown, path: string[], field: string, schema: MergeSchema, out: Leaves): void {
  const key = schema.keys[field];
  if (Array.isArray(v) && key && v.every((x) => isObj(x) && x[key] !== undefined)) {
    for (const item of v as Obj[]) {
      const itemPath = [...path, `k:${JSON.stringify({ [key]: item[key] })}`];
      out.set([...itemPath, '.'].join(SEP), '');
      for (const [k, x] of Object.entries(item)) walk(x, [...itemPath, `f:${k}`], k, schema, out);
    }
  } else if (Array.isArray(v) && schema.sets.has(field)) {
    for (const x of v) out.set([...path, `v:${JSON.stringify(x)}`].join(SEP), '');
  } else if (isObj(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) walk(x, [...path, `f:${k}`], k, schema, out);
  } else out.set(path.join(SEP), JSON.stringify(v));
}

/** Every owned leaf of an object written through `sub`. */
export function leavesOf(r: Resource, sub: Subresource, obj: Obj): Leaves {
  const out: Leaves = new Map();
  const schema = mergeSchemaOf(r);
  for (const [k, v] of Object.entries(obj)) {
    if (!tracked(r, sub, k)) continue;
    if (k === 'metadata' && isObj(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!META_IGNORED.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk, schema, out);
    } else walk(v, [`f:${k}`], k, schema, out);
  }
  return out;
}

export function encodeFields(paths: Iterable<string>): Obj {
  const root: Obj = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p.split(SEP)) cur = (cur[seg] ??= {}) as Obj;
  }
  return root;
}

export function decodeFields(f: unknown, prefix: string[] = [], out = new Set<string>()): Set<string> {
  if (!isObj(f)) return out;
  for (const [k, v] of Object.entries(f)) {
    if (isObj(v) && Object.keys(v).length > 0) decodeFields(v, [...prefix, k], out);
    else out.add([...prefix, k].join(SEP));
  }
  return out;
}

export function entriesOf(obj: { metadata?: object } | undefined): ManagedEntry[] {
  const mf = (obj?.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(mf) ? (structuredClone(mf) as ManagedEntry[]) : [];
}

/** Removes `paths` from every entry; entries left without fields are dropped. */
export function withoutPaths(entries: ManagedEntry[], paths: ReadonlySet<string>): ManagedEntry[] {
  if (paths.size === 0) return entries;
  return entries.flatMap((e) => {
    const left = [...decodeFields(e.fieldsV1)].filter((p) => !paths.has(p));
    return left.length ? [{ ...e, fieldsV1: encodeFields(left) }] : [];
  });
}

export const sameEntry = (e: ManagedEntry, manager: string, operation: string, sub: Subresource): boolean =>
  e.manager === manager && e.operation === operation && (e.subresource ?? '') === sub;

/** The AfterPrepare hook of an ordinary write by `manager`: it gets what it changed, others lose it. */
export function trackUpdate(r: Resource, manager: string, sub: Subresource, now: () => number): AfterPrepare {
  return (obj: Mutable, old: Readonly<Mutable> | undefined) => {
    const before = old ? leavesOf(r, sub, old as Obj) : new Map<string, string>();
    const after = leavesOf(r, sub, obj as Obj);
    const changed = new Set([...after].filter(([p, v]) => before.get(p) !== v).map(([p]) => p));
    const removed = new Set([...before.keys()].filter((p) => !after.has(p)));
    const base = obj.metadata.managedFields === undefined ? entriesOf(old) : entriesOf(obj);
    if (old && changed.size === 0 && removed.size === 0 && obj.metadata.managedFields === undefined) {
      if (old.metadata.managedFields !== undefined) obj.metadata.managedFields = structuredClone(old.metadata.managedFields);
      return;
    }
    const mine = base.find((e) => sameEntry(e, manager, 'Update', sub));
    const list = withoutPaths(base.filter((e) => e !== mine), new Set([...changed, ...removed]));
    const owned = new Set([...(mine ? decodeFields(mine.fieldsV1) : [])].filter((p) => !removed.has(p)));
    for (const p of changed) owned.add(p);
    if (owned.size > 0) {
      const fresh: ManagedEntry = { manager, operation: 'Update', apiVersion: r.groupVersion, time: rfc3339(now()), fieldsType: 'FieldsV1', fieldsV1: encodeFields(owned), ...(sub ? { subresource: sub } : {}) };
      list.splice(Math.min(mine ? base.indexOf(mine) : list.length, list.length), 0, fresh);
    }
    if (list.length > 0) obj.metadata.managedFields = list; else delete obj.metadata.managedFields;
  };
}
