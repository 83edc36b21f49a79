// control-plane/registry/common.ts — pieces several kinds share: the protobuf layout of ObjectMeta, the
// checks of a data map (config keys, the 1 MiB limit) and of the `immutable` flag (ConfigMap, Secret),
// generic status/spec handling for kinds with a status subresource, and small readers of plain JSON.
//
// PURE.
import { forbidden, invalidValue, tooLong, configKeyProblems } from './validation.js';
import type { FieldError, Mutable, ProtoMessage } from './types.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const mapOf = (v: unknown): Record<string, string> => (isObj(v) ? (v as Record<string, string>) : {});
export const listOf = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
/** Structural equality of JSON values (key order ignored; undefined and missing fields equal). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (!isObj(a) || !isObj(b)) return false;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!deepEqual(a[k], b[k])) return false;
  return true;
}

const OWNER_REFERENCE: ProtoMessage = {
  1: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' }, 6: { name: 'controller', type: 'bool' }, 7: { name: 'blockOwnerDeletion', type: 'bool' },
};

/** k8s.io/apimachinery meta/v1 ObjectMeta, the fields a client sets. */
export const OBJECT_META: ProtoMessage = {
  1: { name: 'name', type: 'string' }, 2: { name: 'generateName', type: 'string' }, 3: { name: 'namespace', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: 'map', values: 'string' }, 12: { name: 'annotations', type: 'map', values: 'string' },
  13: { name: 'ownerReferences', type: 'message', message: OWNER_REFERENCE, repeated: true },
  14: { name: 'finalizers', type: 'strings' },
};

/** The largest ConfigMap / Secret payload (MaxSecretSize). */
export const MAX_DATA_BYTES = 1024 * 1024;

/** Config-key errors of the keys of `obj[field]`, as `field[key]`; returns the payload size in bytes. */
export function dataKeyErrors(obj: Mutable, field: string, errs: FieldError[], joined: boolean): number {
  let size = 0;
  for (const [k, v] of Object.entries(mapOf(obj[field]))) {
    const problems = configKeyProblems(k);
    if (joined && problems.length) errs.push(invalidValue(`${field}[${k}]`, k, problems.join(';')));
    else for (const p of problems) errs.push(invalidValue(`${field}[${k}]`, k, p));
    size += String(v).length;
  }
  return size;
}

export const sizeError = (field: string): FieldError => tooLong(field, `must have at most ${MAX_DATA_BYTES} bytes`);

const IMMUTABLE = 'field is immutable when `immutable` is set';

/** ValidateConfigMapUpdate / ValidateSecretUpdate's rule for objects marked immutable. */
export function immutableErrors(obj: Mutable, old: Readonly<Mutable>, fields: readonly string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push(forbidden('immutable', IMMUTABLE));
  for (const f of fields) if (!deepEqual(obj[f], old[f])) errs.push(forbidden(f, IMMUTABLE));
  return errs;
}

/** ValidateImmutableField. */
export const unchanged = (obj: Mutable, old: Readonly<Mutable>, field: string): FieldError[] =>
  (deepEqual(obj[field], old[field]) ? [] : [invalidValue(field, obj[field] ?? '', 'field is immutable')]);

/** Sets obj[field] to old[field] (or removes it when old has none). */
export function keep(obj: Mutable, old: Readonly<Mutable>, field: string): void {
  if (old[field] === undefined) delete obj[field];
  else obj[field] = structuredClone(old[field]);
}
