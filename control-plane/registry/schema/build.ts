// control-plane/registry/schema/build.ts — short constructors of the OpenAPI v3 schema table (registry/schema/):
// a definition (`def`) is an object with described properties and a `required` list; a property is a
// primitive (str, i32, i64, bool), a reference to another definition (ref, list of refs with its list type
// and merge key), a map, or one of the apimachinery scalars (IntOrString, Quantity, Time) by reference.
// Definition names are upstream's (io.k8s.api.core.v1.PodSpec), built by the core/apps/batch/meta helpers.
//
// PURE data.

/** One OpenAPI v3 schema object (a property or a definition). */
export type Schema = Readonly<Record<string, unknown>>;

/** A named definition of components.schemas: an object with its properties (or a scalar such as Quantity). */
export type Definitions = Readonly<Record<string, Schema>>;

export const core = (n: string): string => `io.k8s.api.core.v1.${n}`;
export const apps = (n: string): string => `io.k8s.api.apps.v1.${n}`;
export const batch = (n: string): string => `io.k8s.api.batch.v1.${n}`;
export const meta = (n: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${n}`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

const refTo = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export const str = (description: string): Schema => ({ type: 'string', description });
export const bytes = (description: string): Schema => ({ type: 'string', format: 'byte', description });
export const i32 = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
export const i64 = (description: string): Schema => ({ type: 'integer', format: 'int64', description });
export const bool = (description: string): Schema => ({ type: 'boolean', description });
/** A property holding one object of definition `name` (the upstream allOf form: a $ref beside a description). */
export const ref = (name: string, description: string): Schema => ({ allOf: [refTo(name)], description });
export const time = (description: string): Schema => ref(meta('Time'), description);
export const microTime = (description: string): Schema => ref(meta('MicroTime'), description);
export const intOrStr = (description: string): Schema => ref(INT_OR_STRING, description);
export const qty = (description: string): Schema => ref(QUANTITY, description);
export const strMap = (description: string): Schema => ({ type: 'object', additionalProperties: { type: 'string', default: '' }, description });
export const bytesMap = (description: string): Schema => ({ type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description });
export const qtyMap = (description: string): Schema => ({ type: 'object', additionalProperties: refTo(QUANTITY), description });
/** A list of strings replaced as a whole (`x-kubernetes-list-type: atomic`), or a set. */
export const strs = (description: string, listType: 'atomic' | 'set' = 'atomic'): Schema =>
  ({ type: 'array', items: { type: 'string', default: '' }, 'x-kubernetes-list-type': listType, description });
export const ints = (description: string): Schema => ({ type: 'array', items: { type: 'integer', format: 'int64' }, 'x-kubernetes-list-type': 'atomic', description });

/**
 * A list of objects of definition `name`. With `key` it is a map list merged item by item on that key
 * (strategic merge: x-kubernetes-patch-merge-key; server-side apply: list-map-keys); without it atomic.
 */
export function list(name: string, description: string, key?: string | { merge: string; mapKeys: string[] }): Schema {
  const items = { allOf: [refTo(name)], default: {} };
  if (key === undefined) return { type: 'array', items, 'x-kubernetes-list-type': 'atomic', description };
  const merge = typeof key === 'string' ? key : key.merge;
  const mapKeys = typeof key === 'string' ? [key] : key.mapKeys;
  return {
    type: 'array', items, description, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': mapKeys,
    'x-kubernetes-patch-merge-key': merge, 'x-kubernetes-patch-strategy': 'merge',
  };
}

/** An object definition: every property described; `required` names the fields a valid object must have. */
export function def(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  return required.length ? { type: 'object', description, properties, required } : { type: 'object', description, properties };
}

/** apiVersion, kind, metadata (and usually spec and status): the shape of every top-level kind. */
export function kindDef(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  return def(description, {
    apiVersion: str('The versioned schema of this object, as "group/version" ("v1" for the core group).'),
    kind: str('The kind of this object, in CamelCase (the REST resource it is stored as).'),
    metadata: ref(meta('ObjectMeta'), 'The name, namespace, labels, annotations and other metadata of the object.'),
    ...properties,
  }, required);
}

/** One condition of an object (type, status, why and since when); `extra` adds the kind's own timestamps. */
export function conditionDef(of: string, types: string, extra: Record<string, Schema> = {}): Schema {
  return def(`One condition of ${of}.`, {
    type: str(types),
    status: str('True, False or Unknown.'),
    ...extra,
    lastTransitionTime: time('When status last changed.'),
    reason: str('A CamelCase word saying why the condition has its status.'),
    message: str('A human-readable explanation.'),
  }, ['type', 'status']);
}
