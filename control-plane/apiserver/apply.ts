// control-plane/apiserver/apply.ts — server-side apply (PATCH application/apply-patch+yaml, `kubectl apply
// --server-side`): the applied configuration is merged into the live object (maps by key, lists with a merge
// key by item, set-like lists as sets, everything else replaced), fields the manager applied before and
// dropped now are removed unless another manager owns them, and a field whose value another manager owns
// is a 409 conflict unless `force`. The manager's Apply entry in managedFields then holds exactly the
// applied fields. A missing object is created from the applied configuration.
//
// PURE: decides the object and its managedFields; rest.ts writes them.
import { StatusError, type KubeObject, type Mutable } from '../store/index.js';
import { rfc3339 } from '../store/index.js';
import type { AfterPrepare, Resource, Subresource } from '../registry/index.js';
import { decodeFields, encodeFields, entriesOf, leavesOf, sameEntry, SEP, withoutPaths, type ManagedEntry } from './managed-fields.js';
import { mergeSchemaOf, type MergeSchema } from './patch.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ApplyPlan { obj: Mutable; exists: boolean; after: AfterPrepare }

interface Conflict { manager: string; apiVersion: string; path: string }

/** A leaf path as the conflict messages print it: `.spec.containers[name="main"].image`. */
export function showPath(path: string): string {
  return path.split(SEP).map((seg) => {
    if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
    if (seg.startsWith('k:')) return `[${Object.entries(JSON.parse(seg.slice(2)) as Obj).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    if (seg.startsWith('v:')) return `[=${seg.slice(2)}]`;
    return '';
  }).join('');
}

function conflictError(cs: Conflict[]): StatusError {
  const who = (c: Conflict) => `"${c.manager}"${c.apiVersion ? ` using ${c.apiVersion}` : ''}`;
  let body: string;
  if (cs.length === 1) body = `conflict with ${who(cs[0]!)}: ${showPath(cs[0]!.path)}`;
  else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of cs) byManager.set(who(c), [...(byManager.get(who(c)) ?? []), c]);
    body = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((c) => `- ${showPath(c.path)}`)]).join('\n');
  }
  return new StatusError(409, 'Conflict', `Apply failed with ${cs.length} conflict${cs.length === 1 ? '' : 's'}: ${body}`, {
    causes: cs.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${who(c)}`, field: showPath(c.path) })),
  });
}

function mergeValue(live: unknown, applied: unknown, field: string, schema: MergeSchema): unknown {
  if (isObj(applied)) {
    const out: Obj = isObj(live) ? live : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k]; else out[k] = mergeValue(out[k], v, k, schema);
    }
    return out;
  }
  if (!Array.isArray(applied) || !Array.isArray(live)) return applied;
  const key = schema.keys[field];
  if (key) {
    const out = [...live];
    for (const item of applied) {
      const at = isObj(item) ? out.findIndex((x) => isObj(x) && x[key] === item[key]) : -1;
      if (at >= 0) out[at] = mergeValue(out[at], item, '', schema); else out.push(item);
    }
    return out;
  }
  return schema.sets.has(field) ? [...new Set([...live, ...applied])] : applied;
}

/** Removes one leaf path (FieldsV1 segments) from `at`. */
function removeAt(at: unknown, segs: string[]): void {
  const [seg, ...rest] = segs;
  if (seg === undefined) return;
  if (seg.startsWith('f:') && isObj(at)) {
    if (rest.length === 0) delete at[seg.slice(2)]; else removeAt(at[seg.slice(2)], rest);
  } else if (seg.startsWith('k:') && Array.isArray(at)) {
    const key = JSON.parse(seg.slice(2)) as Obj;
    const i = at.findIndex((x) => isObj(x) && Object.entries(key).every(([k, v]) => x[k] === v));
    if (i < 0) return;
    if (rest.length === 1 && rest[0] === '.') at.splice(i, 1); else removeAt(at[i], rest);
  } else if (seg.startsWith('v:') && Array.isArray(at)) {
    const v = JSON.parse(seg.slice(2)) as unknown;
    const i = at.indexOf(v);
    if (i >= 0) at.splice(i, 1);
  }
}

export interface ApplyOptions { fieldManager: string; force?: boolean; subresource?: Subresource }

export function planApply(r: Resource, current: KubeObject | undefined, applied: Mutable, o: ApplyOptions, now: () => number): ApplyPlan {
  const sub = o.subresource ?? '';
  const rv = applied.metadata.resourceVersion;
  delete applied.metadata.managedFields;
  delete applied.metadata.resourceVersion;
  const appliedLeaves = leavesOf(r, sub, applied as Obj);
  const entry = (): ManagedEntry => ({
    manager: o.fieldManager, operation: 'Apply', apiVersion: r.groupVersion, time: rfc3339(now()), fieldsType: 'FieldsV1',
    fieldsV1: encodeFields(appliedLeaves.keys()), ...(sub ? { subresource: sub } : {}),
  });
  if (!current) return { obj: applied, exists: false, after: (obj) => { obj.metadata.managedFields = [entry()]; } };

  const entries = entriesOf(current);
  const mine = entries.find((e) => sameEntry(e, o.fieldManager, 'Apply', sub));
  const others = entries.filter((e) => e !== mine).map((e) => ({ e, fields: decodeFields(e.fieldsV1) }));
  const live = leavesOf(r, sub, current as Obj);
  const conflicts: Conflict[] = [];
  for (const [p, v] of appliedLeaves) {
    if (!live.has(p) || live.get(p) === v) continue;
    for (const x of others) if (x.fields.has(p)) conflicts.push({ manager: x.e.manager, apiVersion: x.e.apiVersion, path: p });
  }
  if (conflicts.length > 0 && !o.force) throw conflictError(conflicts);

  const schema = mergeSchemaOf(r);
  const merged = structuredClone(current) as Mutable;
  const prev = mine ? decodeFields(mine.fieldsV1) : new Set<string>();
  for (const p of prev) {
    if (!appliedLeaves.has(p) && !others.some((x) => x.fields.has(p))) removeAt(merged, p.split(SEP));
  }
  mergeValue(merged, applied, '', schema);
  merged.metadata.resourceVersion = rv ?? current.metadata?.resourceVersion;
  const unchanged = mine !== undefined && prev.size === appliedLeaves.size && [...appliedLeaves.keys()].every((p) => prev.has(p));
  const after: AfterPrepare = (obj) => {
    const taken = new Set(conflicts.map((c) => c.path));
    const list = withoutPaths(entries.filter((e) => e !== mine), taken);
    const fresh = unchanged ? mine! : entry();
    list.splice(mine ? Math.min(entries.indexOf(mine), list.length) : list.length, 0, fresh);
    obj.metadata.managedFields = list;
  };
  return { obj: merged, exists: true, after };
}
