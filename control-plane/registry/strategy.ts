// control-plane/registry/strategy.ts — the generic half of every kind's strategy, around the KindDef hooks:
// create = defaults → PrepareForCreate → ValidateObjectMeta + Validate; update = status/spec separation for
// kinds with a status subresource (a main write keeps the stored status, a status write keeps everything
// but status and metadata) → PrepareForUpdate → generation (+1 when spec changed) → validation; every
// failure one 422 Invalid naming the qualified kind. Update validation is told the version the request was
// made in (the Resource's group/version: upstream's RequestInfo). The update half runs inside the store's
// read-modify-write (a WriteStrategy), so it sees the object it replaces.
import { invalid, type WriteStrategy } from '../store/index.js';
import { deepEqual, keep } from './common.js';
import type { Resource } from './registry.js';
import type { AdmissionReader, FieldError, Mutable } from './types.js';
import { validateObjectMeta } from './validation.js';

/** '' = the object itself; 'status' = its status subresource. */
export type Subresource = '' | 'status';

/** Called after the generic and kind preparation of a write, with the stored object for updates (managedFields). */
export type AfterPrepare = (obj: Mutable, old: Readonly<Mutable> | undefined) => void;

const qualifiedKind = (r: Resource): string => (r.group ? `${r.kind}.${r.group}` : r.kind);

function throwIfInvalid(r: Resource, obj: Mutable, errs: FieldError[]): void {
  if (errs.length > 0) throw invalid(qualifiedKind(r), obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}

const metaErrors = (r: Resource, obj: Mutable): FieldError[] => validateObjectMeta(obj, r.namespaced, r.def.nameRule ?? 'subdomain');

/** Defaults, then PrepareForCreate, then admission (given a reader), then validation (throws 422). Before the store stamps the object. */
export function prepareCreate(r: Resource, obj: Mutable, read?: AdmissionReader): void {
  r.def.defaults?.(obj);
  r.def.prepareForCreate?.(obj);
  if (read) r.def.admit?.(obj, read);
  throwIfInvalid(r, obj, [...metaErrors(r, obj), ...r.def.validate(obj)]);
}

/** API defaulting of a body about to replace an object (PUT, patch results). */
export function defaultUpdate(r: Resource, obj: Mutable): void { r.def.defaults?.(obj); }

const SYSTEM_TOP = new Set(['apiVersion', 'kind', 'metadata', 'status']);

function separate(r: Resource, obj: Mutable, old: Readonly<Mutable>, sub: Subresource): void {
  if (!r.def.statusSubresource) return;
  if (sub === '') { keep(obj, old, 'status'); return; }
  for (const k of new Set([...Object.keys(obj), ...Object.keys(old)])) if (!SYSTEM_TOP.has(k)) keep(obj, old, k);
  if (old.metadata.ownerReferences === undefined) delete obj.metadata.ownerReferences;
  else obj.metadata.ownerReferences = structuredClone(old.metadata.ownerReferences);
}

/** The store-side strategy of a create: generation 1, then `after`. */
export function createStrategy(r: Resource, after?: AfterPrepare): WriteStrategy {
  return {
    prepareForCreate(obj) {
      if (r.def.generation) obj.metadata.generation = 1;
      if (r.def.prepareWithUid) {
        r.def.prepareWithUid(obj);
        throwIfInvalid(r, obj, r.def.validate(obj));
      }
      after?.(obj, undefined);
    },
  };
}

// Annotations count on main-resource writes only: upstream's status strategies never bump generation (the
// Deployment controller writes its revision annotation through /status).
const generationChanged = (r: Resource, obj: Mutable, old: Readonly<Mutable>, sub: Subresource): boolean =>
  !deepEqual(obj['spec'], old['spec']) || (sub === '' && r.def.generationOnAnnotations === true && !deepEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {}));

/** The store-side strategy of an update of the object or of its status (PUT, PATCH, apply). */
export function updateStrategy(r: Resource, sub: Subresource, after?: AfterPrepare): WriteStrategy {
  return {
    // PUT of a missing object, for kinds that allow it: a create in every respect.
    prepareForCreate(obj) {
      prepareCreate(r, obj);
      createStrategy(r, after).prepareForCreate!(obj);
    },
    prepareForUpdate(obj, old) {
      separate(r, obj, old, sub);
      if (sub === '') r.def.prepareForUpdate?.(obj, old);
      if (r.def.generation) obj.metadata.generation = (old.metadata.generation ?? 0) + (generationChanged(r, obj, old, sub) ? 1 : 0);
      const errs = [...metaErrors(r, obj), ...(sub === '' ? r.def.validateUpdate?.(obj, old, r) ?? [] : []), ...r.def.validate(obj)];
      throwIfInvalid(r, obj, errs);
      after?.(obj, old);
    },
  };
}
