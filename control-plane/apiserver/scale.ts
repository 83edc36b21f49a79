// control-plane/apiserver/scale.ts — the scale subresource of any kind with a ScaleDef (deployments/scale,
// replicasets/scale): the Scale view of a stored object (spec.replicas, status.replicas, the selector) in the
// Scale the request's version serves — autoscaling/v1 (status.selector a string), or for a ServedVersion
// with `ownScale` (apps/v1beta1, apps/v1beta2, extensions/v1beta1) that group version's own Scale
// (status.selector the map of the equality requirements, status.targetSelector the string) — and a write of a
// Scale (PUT, or a JSON / merge / strategic patch of the Scale, which `kubectl scale` sends) as an update of
// the object's desired replicas — through the kind's strategy, so defaults, validation, generation and
// managedFields are the ones of any spec write. A Scale naming a resourceVersion is a precondition (409 when
// stale); one naming another apiVersion than the served Scale's is a 400, as upstream.
import { badRequest, invalid, type KubeObject, type Mutable } from '../store/index.js';
import type { Resource } from '../registry/index.js';
import { jsonMergePatch, jsonPatch } from './patch.js';
import type { PatchType, RestStorage, WriteOptions } from './rest.js';

export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function readPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

function writePath(o: Obj, path: string, v: unknown): void {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = isObj(cur[k]) ? (cur[k] as Obj) : (cur[k] = {});
  cur[keys[keys.length - 1]!] = v;
}

const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

export interface ScaleKind { readonly group: string; readonly version: string; readonly kind: 'Scale' }

/** The Scale a resource's scale subresource answers and accepts (what discovery lists for it). */
export function scaleKindOf(r: Resource): ScaleKind {
  const own = r.def.otherVersions?.find((v) => v.group === r.group && v.version === r.version)?.ownScale === true;
  return own ? { group: r.group, version: r.version, kind: 'Scale' } : SCALE_KIND;
}

const scaleApiVersion = (k: ScaleKind): string => `${k.group}/${k.version}`;

/** The selector string split at its top-level commas (`a=b,c in (d,e)` → 2 requirements). */
function requirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) { out.push(selector.slice(start, i)); start = i + 1; }
  }
  return [...out, selector.slice(start)].map((x) => x.trim()).filter((x) => x !== '');
}

const EQUALITY = /^([^\s=!(),]+)\s*==?\s*([^\s=!(),]*)$/;

/** The old Scales' status.selector: the selector's matchLabels when every requirement is an equality, else none. */
function selectorMap(selector: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const req of requirements(selector)) {
    const m = EQUALITY.exec(req);
    if (!m) return undefined;
    out[m[1]!] = m[2]!;
  }
  return Object.keys(out).length ? out : undefined;
}

function statusOf(k: ScaleKind, replicas: number, selector: string): Obj {
  if (k === SCALE_KIND) return { replicas, ...(selector ? { selector } : {}) };
  const map = selectorMap(selector);
  return { replicas, ...(map ? { selector: map } : {}), ...(selector ? { targetSelector: selector } : {}) };
}

/** The Scale of a stored object in the version `r` serves (replicas 0 is omitted from spec, as upstream's omitempty). */
export function scaleOf(r: Resource, o: KubeObject): Obj {
  const def = r.def.scale!;
  const k = scaleKindOf(r);
  const m = o.metadata ?? {};
  const replicas = count(readPath(o, def.specReplicasPath));
  return {
    kind: 'Scale', apiVersion: scaleApiVersion(k),
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: replicas ? { replicas } : {},
    status: statusOf(k, count(readPath(o, def.statusReplicasPath)), def.selector(o)),
  };
}

/** The Scale a patch makes of the current one (server-side apply of a Scale is not served). */
export function patchScale(current: Obj, type: PatchType, patch: unknown): unknown {
  if (type === 'json') return jsonPatch(current, patch);
  if (type === 'apply') throw badRequest('apply patches are not supported on the scale subresource');
  return jsonMergePatch(current, patch); // a Scale has no lists: strategic merge = merge
}

function desiredReplicas(scale: unknown, name: string, apiVersion: string): number {
  if (!isObj(scale)) throw badRequest('the body of the request must be an object');
  if (scale['kind'] !== undefined && scale['kind'] !== 'Scale') throw badRequest(`the kind of the object (${String(scale['kind'])}) does not match the subresource (Scale)`);
  if (scale['apiVersion'] !== undefined && scale['apiVersion'] !== apiVersion) {
    throw badRequest(`the API version in the data (${String(scale['apiVersion'])}) does not match the expected API version (${apiVersion})`);
  }
  const replicas = isObj(scale['spec']) ? scale['spec']['replicas'] ?? 0 : 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest(`spec.replicas: ${JSON.stringify(replicas)} is not an integer`);
  if (replicas < 0) throw invalid('Scale.autoscaling', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' }]);
  return replicas;
}

/**
 * Read-modify-write of the object through its Scale: `change` turns the current Scale into the asked one.
 * Answers the Scale of the written object.
 */
export async function writeScale(rest: RestStorage, r: Resource, ns: string, name: string, change: (current: Obj) => unknown, o: WriteOptions): Promise<Obj> {
  const def = r.def.scale!;
  const current = rest.get(r, ns, name);
  const asked = change(scaleOf(r, current));
  const replicas = desiredReplicas(asked, name, scaleApiVersion(scaleKindOf(r)));
  const obj = structuredClone(current) as Mutable;
  writePath(obj as Obj, def.specReplicasPath, replicas);
  const rv = isObj(asked) && isObj(asked['metadata']) ? asked['metadata']['resourceVersion'] : undefined;
  if (typeof rv === 'string' && rv) obj.metadata.resourceVersion = rv;
  const { object } = await rest.update(r, ns, name, r.fromStorage(obj), { ...o, subresource: '' });
  return scaleOf(r, object);
}
