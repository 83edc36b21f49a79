// agent/api-server/patch.ts — the three PATCH formats kubectl sends for pods: strategic merge patch
// (`kubectl apply`, `label`, `annotate`), JSON merge patch (`patch --type merge`) and JSON patch
// (`patch --type json`).
//
// Called by pods.ts. Pure: takes an object and a patch, returns a new object, never mutates either. The
// strategic merge knows the pod's list merge keys (containers by name, volumeMounts by mountPath, …) and the
// directives kubectl writes: `$patch: delete|replace|merge`, `$setElementOrder/<list>`, `$retainKeys`,
// `$deleteFromPrimitiveList/<list>`. A malformed patch is an ApiError 422 / 400.
import { ApiError, badRequest } from './request.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** patchMergeKey of the v1 list fields a Pod contains (by field name: unambiguous inside a Pod). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name',
  volumeMounts: 'mountPath', volumeDevices: 'devicePath', ports: 'containerPort', imagePullSecrets: 'name',
  hostAliases: 'ip', conditions: 'type', ownerReferences: 'uid', resourceClaims: 'name',
  containerStatuses: 'name', initContainerStatuses: 'name', ephemeralContainerStatuses: 'name', podIPs: 'ip',
};
/** Lists of strings that merge as sets (patchStrategy: merge without a key). */
const PRIMITIVE_MERGE = new Set(['finalizers']);

/** Removes `$…` directives from a value that is added as new (nothing to merge it with). */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch === 'delete')).map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = stripDirectives(x);
  return out;
}

function mergeList(field: string, target: unknown[], patch: unknown[]): unknown[] {
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return patch.filter((x) => !(isObj(x) && x.$patch === 'replace')).map(stripDirectives);
  const key = MERGE_KEYS[field];
  if (!key) {
    if (PRIMITIVE_MERGE.has(field)) return [...new Set([...target, ...patch])];
    return patch.map(stripDirectives);
  }
  const out = target.map(clone);
  for (const item of patch) {
    if (!isObj(item)) throw new ApiError(422, 'Invalid', `${field}: a strategic merge patch item must be an object with "${key}"`);
    const idx = out.findIndex((t) => isObj(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(stripDirectives(item));
  }
  return out;
}

function reorder(field: string, list: unknown[], order: unknown): unknown[] {
  const key = MERGE_KEYS[field];
  if (!Array.isArray(order)) return list;
  const keyOf = (x: unknown): unknown => (key && isObj(x) ? x[key] : x);
  const wanted = order.map(keyOf);
  const ranked = list.map((x, i) => ({ x, i, r: wanted.indexOf(keyOf(x)) }));
  ranked.sort((a, b) => (a.r < 0 ? Infinity : a.r) - (b.r < 0 ? Infinity : b.r) || a.i - b.i);
  return ranked.map((e) => e.x);
}

/** Applies a strategic merge patch to `target`. */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) { delete out[k]; continue; }
    const cur = out[k];
    if (Array.isArray(v)) out[k] = Array.isArray(cur) ? mergeList(k, cur, v) : stripDirectives(v);
    else if (isObj(v)) {
      const merged = strategicMerge(cur, v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    const order = /^\$setElementOrder\/(.+)$/.exec(k);
    if (order && Array.isArray(out[order[1]!])) out[order[1]!] = reorder(order[1]!, out[order[1]!] as unknown[], v);
    const del = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
    if (del && Array.isArray(out[del[1]!]) && Array.isArray(v)) out[del[1]!] = (out[del[1]!] as unknown[]).filter((x) => !v.includes(x));
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as unknown[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) throw badRequest(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path === '' ? [] : path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch: add, remove, replace, test, move, copy. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('a JSON patch must be a list of operations');
  let doc = clone(target);
  const parentOf = (path: string[]): { parent: Obj | unknown[]; key: string } => {
    let cur: unknown = doc;
    for (const seg of path.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
      if (cur === undefined) throw new ApiError(422, 'Invalid', `the JSON patch path /${path.join('/')} does not exist`);
    }
    if (!isObj(cur) && !Array.isArray(cur)) throw new ApiError(422, 'Invalid', `the JSON patch path /${path.join('/')} does not exist`);
    return { parent: cur, key: path[path.length - 1]! };
  };
  const get = (path: string[]): unknown => path.reduce<unknown>((c, s) => (Array.isArray(c) ? c[Number(s)] : isObj(c) ? c[s] : undefined), doc);
  const remove = (path: string[]): unknown => {
    const { parent, key } = parentOf(path);
    const old = get(path);
    if (old === undefined) throw new ApiError(422, 'Invalid', `the JSON patch path /${path.join('/')} does not exist`);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return old;
  };
  const add = (path: string[], value: unknown): void => {
    if (path.length === 0) { doc = clone(value); return; }
    const { parent, key } = parentOf(path);
    if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, clone(value));
    else parent[key] = clone(value);
  };
  for (const op of ops) {
    if (!isObj(op)) throw badRequest('each JSON patch operation must be an object');
    const path = pointer(op.path);
    switch (op.op) {
      case 'add': add(path, op.value); break;
      case 'remove': remove(path); break;
      case 'replace': remove(path); add(path, op.value); break;
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new ApiError(422, 'Invalid', `the JSON patch test at ${String(op.path)} failed`);
        break;
      case 'move': add(path, remove(pointer(op.from))); break;
      case 'copy': add(path, get(pointer(op.from))); break;
      default: throw badRequest(`unsupported JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return doc;
}
