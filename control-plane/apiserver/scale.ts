// control-plane/apiserver/scale.ts — the scale subresource of any kind with a ScaleDef (deployments/scale,
// replicasets/scale): the autoscaling/v1 Scale view of a stored object (spec.replicas, status.replicas,
// status.selector as a string), and a write of a Scale (PUT, or a JSON / merge / strategic patch of the
// Scale, which `kubectl scale` sends) as an update of the object's desired replicas — through the kind's
// strategy, so defaults, validation, generation and managedFields are the ones of any spec write. A Scale
// naming a resourceVersion is a precondition (409 when stale).
import { badRequest, invalid, type KubeObject, type Mutable } from '../store/index.js';
import type { Resource, ScaleDef } from '../registry/index.js';
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

/** The autoscaling/v1 Scale of a stored object (replicas 0 is omitted from spec, as upstream's omitempty). */
export function scaleOf(def: ScaleDef, o: KubeObject): Obj {
  const m = o.metadata ?? {};
  const replicas = count(readPath(o, def.specReplicasPath));
  const selector = def.selector(o);
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: replicas ? { replicas } : {},
    status: { replicas: count(readPath(o, def.statusReplicasPath)), ...(selector ? { selector } : {}) },
  };
}

/** The Scale a patch makes of the current one (server-side apply of a Scale is not served). */
export function patchScale(current: Obj, type: PatchType, patch: unknown): unknown {
  if (type === 'json') return jsonPatch(current, patch);
  if (type === 'apply') throw badRequest('apply patches are not supported on the scale subresource');
  return jsonMergePatch(current, patch); // a Scale has no lists: strategic merge = merge
}

function desiredReplicas(scale: unknown, name: string): number {
  if (!isObj(scale)) throw badRequest('the body of the request must be an object');
  if (scale['kind'] !== undefined && scale['kind'] !== 'Scale') throw badRequest(`the kind of the object (${String(scale['kind'])}) does not match the subresource (Scale)`);
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
  const asked = change(scaleOf(def, current));
  const replicas = desiredReplicas(asked, name);
  const obj = structuredClone(current) as Mutable;
  writePath(obj as Obj, def.specReplicasPath, replicas);
  const rv = isObj(asked) && isObj(asked['metadata']) ? asked['metadata']['resourceVersion'] : undefined;
  if (typeof rv === 'string' && rv) obj.metadata.resourceVersion = rv;
  const { object } = await rest.update(r, ns, name, r.fromStorage(obj), { ...o, subresource: '' });
  return scaleOf(def, object);
}
