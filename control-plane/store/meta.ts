// control-plane/store/meta.ts — small pure helpers over objects and their metadata: keys, deep copy /
// freeze / equality, RFC 3339 timestamps, generateName suffixes, finalizer lists, and the generation
// strategy most kinds with a spec use.
import { randomInt } from 'node:crypto';
import type { KubeObject, Mutable, MutableMeta, ObjectKey, WriteStrategy } from './types.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export const keyString = (k: ObjectKey): string => `${k.resource}|${k.namespace}|${k.name}`;
export const nsName = (namespace: string, name: string): string => (namespace ? `${namespace}/${name}` : name);

export const metaOf = (o: KubeObject): MutableMeta => (o.metadata ?? {}) as MutableMeta;

/** A mutable deep copy (objects are plain JSON). */
export const clone = <T>(o: T): T => structuredClone(o);

export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/** Structural equality of JSON values; key order does not matter, an undefined field equals a missing one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

// apimachinery's util/rand alphabet (no vowels, no 0/1/3) and the generateName rule: base cut at 58 chars.
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return base.slice(0, 58) + suffix;
}

export const hasFinalizer = (o: KubeObject, f: string): boolean => (metaOf(o).finalizers ?? []).includes(f);

export function withoutFinalizer(list: readonly string[] | undefined, f: string): string[] {
  return (list ?? []).filter((x) => x !== f);
}

/** Sets metadata.finalizers, deleting the field when the list is empty (as the wire omits it). */
export function setFinalizers(o: Mutable, list: string[]): void {
  if (list.length > 0) o.metadata.finalizers = list;
  else delete o.metadata.finalizers;
}

export const isDeleting = (o: KubeObject): boolean => metaOf(o).deletionTimestamp !== undefined;

/** Parses a resourceVersion string; undefined for ""/missing, NaN for garbage. */
export function parseRv(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  return /^\d+$/.test(rv) ? Number(rv) : Number.NaN;
}

/**
 * The generation rule of kinds with a spec (Deployments, ReplicaSets, Jobs …): 1 on create, +1 on an update
 * that changes spec. A registry passes this (or its own) as the kind's strategy; the store never bumps
 * generation by itself except when deletion starts, as kube-apiserver does.
 */
export const specGeneration: WriteStrategy = {
  prepareForCreate(obj) { obj.metadata.generation = 1; },
  prepareForUpdate(obj, old) {
    const prev = old.metadata.generation ?? 0;
    obj.metadata.generation = deepEqual(obj['spec'], old['spec']) ? prev : prev + 1;
  },
};
