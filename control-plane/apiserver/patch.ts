// control-plane/apiserver/patch.ts — the three PATCH formats besides apply: strategic merge patch (what
// `kubectl apply`, `edit`, `patch` send for built-in kinds: lists of objects merged by the kind's merge key,
// `$patch: delete|replace|merge`, `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`,
// set-like scalar lists), JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
//
// PURE: a document and a patch in, a new document out (neither is changed). Malformed patches are 400s,
// a failing JSON patch operation a 422, with the texts kube-apiserver uses.
import { badRequest, StatusError } from '../store/index.js';
import type { Resource } from '../registry/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a strategic merge knows of a kind: list field → merge key, and the scalar lists merged as sets. */
export interface MergeSchema {
  readonly keys: Readonly<Record<string, string>>;
  readonly sets: ReadonlySet<string>;
}

const BASE_MERGE_KEYS = { ownerReferences: 'uid' };

/** A resource's merge schema: its kind's merge keys and set lists, plus metadata's (ownerReferences, finalizers). */
export const mergeSchemaOf = (r: Resource): MergeSchema =>
  ({ keys: { ...BASE_MERGE_KEYS, ...(r.def.mergeKeys ?? {}) }, sets: new Set(['finalizers', ...(r.def.setLists ?? [])]) });

const isDirective = (k: string): boolean => k.startsWith('$');

/** A value added where nothing was: directives stripped, deleted list items dropped. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x['$patch'] === 'delete')).map(plain);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!isDirective(k) && x !== null) out[k] = plain(x);
  return out;
}

function mergeList(field: string, target: unknown[], patch: unknown[], schema: MergeSchema): unknown[] {
  if (patch.some((x) => isObj(x) && x['$patch'] === 'replace')) return patch.filter((x) => !(isObj(x) && x['$patch'] === 'replace')).map(plain);
  const key = schema.keys[field];
  if (!key) return schema.sets.has(field) ? [...new Set([...target, ...patch])] : patch.map(plain);
  const out = target.map((x) => structuredClone(x));
  for (const item of patch) {
    if (!isObj(item) || item[key] === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const at = out.findIndex((t) => isObj(t) && t[key] === item[key]);
    if (item['$patch'] === 'delete') { if (at >= 0) out.splice(at, 1); continue; }
    if (at >= 0) out[at] = strategicMerge(out[at], item, schema);
    else out.push(plain(item));
  }
  return out;
}

/** Orders `list` as `order` names its elements (by merge key); the others keep their place after them. */
function reorder(field: string, list: unknown[], order: unknown, schema: MergeSchema): unknown[] {
  if (!Array.isArray(order)) return list;
  const key = schema.keys[field];
  const id = (x: unknown): unknown => (key && isObj(x) ? x[key] : x);
  const rank = new Map(order.map((x, i) => [id(x), i]));
  return list.map((x, i) => ({ x, i, r: rank.get(id(x)) ?? Number.MAX_SAFE_INTEGER })).sort((a, b) => a.r - b.r || a.i - b.i).map((e) => e.x);
}

function applyDirectives(out: Obj, patch: Obj, schema: MergeSchema): void {
  for (const [k, v] of Object.entries(patch)) {
    const order = /^\$setElementOrder\/(.+)$/.exec(k);
    if (order && Array.isArray(out[order[1]!])) out[order[1]!] = reorder(order[1]!, out[order[1]!] as unknown[], v, schema);
    const del = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
    if (del && Array.isArray(out[del[1]!]) && Array.isArray(v)) out[del[1]!] = (out[del[1]!] as unknown[]).filter((x) => !v.includes(x));
  }
  if (Array.isArray(patch['$retainKeys'])) {
    const keep = new Set(patch['$retainKeys'] as unknown[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
}

/** Applies a strategic merge patch to `target`; undefined means "delete this map" ($patch: delete). */
export function strategicMerge(target: unknown, patch: unknown, schema: MergeSchema): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') return plain(patch);
  if (patch['$patch'] === 'delete') return undefined;
  const out: Obj = isObj(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (isDirective(k)) continue;
    if (v === null) { delete out[k]; continue; }
    const cur = out[k];
    if (Array.isArray(v)) out[k] = Array.isArray(cur) ? mergeList(k, cur, v, schema) : plain(v);
    else if (isObj(v)) {
      const merged = strategicMerge(cur, v, schema);
      if (merged === undefined) delete out[k]; else out[k] = merged;
    } else out[k] = v;
  }
  applyDirectives(out, patch, schema);
  return out;
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Obj = isObj(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]; else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

// ---- RFC 6902 ----

const unprocessable = (message: string): StatusError => new StatusError(422, 'Invalid', message);

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) throw badRequest(`the JSON patch path ${JSON.stringify(path)} is not a JSON pointer`);
  return path === '' ? [] : path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

class JsonPatchDoc {
  constructor(public doc: unknown) {}

  private container(path: string[], op: string): { at: Obj | unknown[]; key: string } {
    let cur: unknown = this.doc;
    for (const seg of path.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
    if (!isObj(cur) && !Array.isArray(cur)) throw unprocessable(`the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "/${path.join('/')}"`);
    return { at: cur, key: path[path.length - 1]! };
  }

  get(path: string[]): unknown {
    return path.reduce<unknown>((c, s) => (Array.isArray(c) ? c[Number(s)] : isObj(c) ? c[s] : undefined), this.doc);
  }

  add(path: string[], value: unknown): void {
    if (path.length === 0) { this.doc = structuredClone(value); return; }
    const { at, key } = this.container(path, 'add');
    if (Array.isArray(at)) {
      const i = key === '-' ? at.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > at.length) throw unprocessable(`the server rejected our request due to an error in our request: add operation does not apply: index out of range: "/${path.join('/')}"`);
      at.splice(i, 0, structuredClone(value));
    } else at[key] = structuredClone(value);
  }

  remove(path: string[], op = 'remove'): unknown {
    const { at, key } = this.container(path, op);
    const old = this.get(path);
    if (old === undefined) throw unprocessable(`the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "/${path.join('/')}"`);
    if (Array.isArray(at)) at.splice(Number(key), 1); else delete at[key];
    return old;
  }
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('the body of a JSON patch must be a list of operations');
  const d = new JsonPatchDoc(structuredClone(target));
  for (const op of ops) {
    if (!isObj(op)) throw badRequest('each JSON patch operation must be an object');
    const path = pointer(op['path']);
    switch (op['op']) {
      case 'add': d.add(path, op['value']); break;
      case 'remove': d.remove(path); break;
      case 'replace': d.remove(path, 'replace'); d.add(path, op['value']); break;
      case 'move': d.add(path, d.remove(pointer(op['from']), 'move')); break;
      case 'copy': d.add(path, d.get(pointer(op['from']))); break;
      case 'test':
        if (JSON.stringify(d.get(path)) !== JSON.stringify(op['value'])) throw unprocessable(`the server rejected our request due to an error in our request: testing value /${path.join('/')} failed: test failed`);
        break;
      default: throw badRequest(`Unexpected kind: ${String(op['op'])}`);
    }
  }
  return d.doc;
}
