// control-plane/registry/kinds/workload-common.ts — what ReplicaSet and Deployment (and later the other
// workload kinds) share in the API server: the LabelSelector (its string form as `kubectl get -o wide` and
// Scale.status.selector show it, matching against labels, ValidateLabelSelector), the pod template
// (defaulted as pods are; validated as ValidatePodTemplateSpecForReplicaSet: selector matches the template
// labels, restartPolicy Always, no activeDeadlineSeconds), the selector/replicas checks of a spec, the
// immutable selector of apps/v1 (mutable through the old versions that allowed it), the wide CONTAINERS
// IMAGES SELECTOR cells, and the defaulting old API versions did (selector and labels from the template labels).
//
// PURE, over plain apps/v1 JSON.
import { deepEqual, isObj, listOf, mapOf, type Obj } from '../common.js';
import { col } from '../table.js';
import type { Cell, Column, FieldError, KubeObject, Mutable, RequestVersion, ServedVersion } from '../types.js';
import { invalidValue, labelValueProblems, notSupported, qualifiedNameProblems, required } from '../validation.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

export interface SelectorRequirement { key?: string; operator?: string; values?: string[] }
export interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: SelectorRequirement[] }

export const specOf = (o: KubeObject | Obj): Obj => { const s = (o as { spec?: unknown }).spec; return isObj(s) ? s : {}; };
export const statusOf = (o: KubeObject | Obj): Obj => { const s = (o as { status?: unknown }).status; return isObj(s) ? s : {}; };
export const intOf = (v: unknown): number => (typeof v === 'number' ? v : 0);
const templateOf = (spec: Obj): Obj => (isObj(spec['template']) ? spec['template'] : {});
const templateLabels = (spec: Obj): Record<string, string> => mapOf(templateOf(spec)['metadata'] !== undefined ? (templateOf(spec)['metadata'] as Obj)['labels'] : undefined);

const sortedKeys = <T>(m: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

// ---- LabelSelector ----

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, `<none>`-less ('' when empty). */
export function selectorString(sel: unknown): string {
  if (!isObj(sel)) return '';
  const reqs: Array<[string, string]> = Object.entries(mapOf(sel['matchLabels'])).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of listOf<SelectorRequirement>(sel['matchExpressions'])) {
    const k = e.key ?? '';
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') reqs.push([k, `${k} in (${values})`]);
    else if (e.operator === 'NotIn') reqs.push([k, `${k} notin (${values})`]);
    else if (e.operator === 'Exists') reqs.push([k, k]);
    else if (e.operator === 'DoesNotExist') reqs.push([k, `!${k}`]);
  }
  return reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s).join(',');
}

/** Whether `labels` match the selector (an empty selector matches everything). */
export function selectorMatches(sel: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObj(sel)) return false;
  for (const [k, v] of Object.entries(mapOf(sel['matchLabels']))) if (labels[k] !== v) return false;
  for (const e of listOf<SelectorRequirement>(sel['matchExpressions'])) {
    const k = e.key ?? '';
    const has = Object.prototype.hasOwnProperty.call(labels, k);
    const vs = e.values ?? [];
    const ok = e.operator === 'In' ? has && vs.includes(labels[k]!)
      : e.operator === 'NotIn' ? !has || !vs.includes(labels[k]!)
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** ValidateLabelSelector at `path`. */
export function validateLabelSelector(sel: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(mapOf(sel['matchLabels']))) {
    errs.push(...qualifiedNameProblems(k).map((p) => invalidValue(`${path}.matchLabels`, k, p)));
    errs.push(...labelValueProblems(String(v)).map((p) => invalidValue(`${path}.matchLabels`, v, p)));
  }
  for (const [i, e] of listOf<SelectorRequirement>(sel['matchExpressions']).entries()) {
    const at = `${path}.matchExpressions[${i}]`;
    const op = e.operator ?? '';
    const n = (e.values ?? []).length;
    if (!OPERATORS.includes(op)) errs.push(invalidValue(`${at}.operator`, op, 'not a valid selector operator'));
    else if ((op === 'In' || op === 'NotIn') && n === 0) errs.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    else if ((op === 'Exists' || op === 'DoesNotExist') && n > 0) errs.push({ type: 'FieldValueForbidden', field: `${at}.values`, detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
    errs.push(...qualifiedNameProblems(e.key ?? '').map((p) => invalidValue(`${at}.key`, e.key ?? '', p)));
  }
  return errs;
}

// ---- the spec of a ReplicaSet / Deployment ----

const nonNegative = (path: string, v: unknown): FieldError[] =>
  (typeof v === 'number' && v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : []);

/** The pod template defaulted as a pod's spec is; replicas 1. */
export function defaultWorkloadSpec(spec: Obj): void {
  if (spec['replicas'] === undefined || spec['replicas'] === null) spec['replicas'] = 1;
  const t = templateOf(spec);
  if (isObj(t['spec'])) defaultPodSpec(t['spec']);
}

/** ValidatePodTemplateSpecForReplicaSet at spec.template. */
function validateTemplate(spec: Obj, selectorValid: boolean): FieldError[] {
  if (!isObj(spec['template'])) return [required('spec.template')];
  const errs: FieldError[] = [];
  const sel = spec['selector'];
  const labels = templateLabels(spec);
  const selEmpty = !isObj(sel) || (Object.keys(mapOf(sel['matchLabels'])).length === 0 && listOf(sel['matchExpressions']).length === 0);
  if (selectorValid && !selEmpty && !selectorMatches(sel, labels)) {
    errs.push(invalidValue('spec.template.metadata.labels', sortedKeys(labels), '`selector` does not match template `labels`'));
  }
  const podSpec = templateOf(spec)['spec'];
  errs.push(...validatePodSpec(podSpec).map((e) => ({ ...e, field: `spec.template.${e.field}` })));
  const ps = isObj(podSpec) ? podSpec : {};
  if (ps['restartPolicy'] !== undefined && ps['restartPolicy'] !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', ps['restartPolicy'], ['Always']));
  if (ps['activeDeadlineSeconds'] !== undefined) errs.push(invalidValue('spec.template.spec.activeDeadlineSeconds', ps['activeDeadlineSeconds'], 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return errs;
}

/** ValidateReplicaSetSpec / the shared half of ValidateDeploymentSpec: replicas, minReadySeconds, selector, template. */
export function validateWorkloadSpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const errs: FieldError[] = [...nonNegative('spec.replicas', spec['replicas']), ...nonNegative('spec.minReadySeconds', spec['minReadySeconds'])];
  const sel = spec['selector'];
  let selectorValid = true;
  if (sel === undefined || sel === null) errs.push(required('spec.selector'));
  else if (!isObj(sel)) { errs.push(invalidValue('spec.selector', sel, 'invalid label selector')); selectorValid = false; } else {
    const selErrs = validateLabelSelector(sel, 'spec.selector');
    selectorValid = selErrs.length === 0;
    errs.push(...selErrs);
    if (Object.keys(mapOf(sel['matchLabels'])).length + listOf(sel['matchExpressions']).length === 0) {
      errs.push(invalidValue('spec.selector', sel, 'empty selector is invalid for deployment'));
    }
  }
  return [...errs, ...validateTemplate(spec, selectorValid)];
}

/** apps/v1: spec.selector may not change. */
export function validateSelectorUnchanged(o: Readonly<Mutable>, old: Readonly<Mutable>): FieldError[] {
  const sel = specOf(o)['selector'];
  return deepEqual(sel, specOf(old)['selector']) ? [] : [invalidValue('spec.selector', sel ?? null, 'field is immutable')];
}

/**
 * validateUpdate of a kind whose selector is immutable except through the old group versions named
 * ("extensions/v1beta1"), as upstream's strategies decide from the request's group version.
 */
export const selectorImmutableExceptIn = (...mutableIn: readonly string[]) =>
  (o: Readonly<Mutable>, old: Readonly<Mutable>, at: RequestVersion): FieldError[] =>
    (mutableIn.includes(`${at.group}/${at.version}`) ? [] : validateSelectorUnchanged(o, old));

/** extensions/v1beta1 and apps/v1beta1: no selector → the template's labels; no labels → the same. */
export function defaultSelectorFromTemplate(o: Obj): void {
  const spec = specOf(o);
  const labels = isObj(templateOf(spec)['metadata']) ? (templateOf(spec)['metadata'] as Obj)['labels'] : undefined;
  if (!isObj(labels)) return;
  if (spec['selector'] === undefined || spec['selector'] === null) spec['selector'] = { matchLabels: structuredClone(labels) };
  o['spec'] = spec;
  const md = isObj(o['metadata']) ? o['metadata'] : (o['metadata'] = {});
  if (Object.keys(mapOf(md['labels'])).length === 0) md['labels'] = structuredClone(labels);
}

/** The object in another apiVersion of the same kind (shapes that match: conversion is the identity). */
export const withApiVersion = (o: KubeObject, apiVersion: string): KubeObject => ({ ...o, apiVersion });

/**
 * An old version removed in 1.16 (deprecated since `since`), stored as apps/v1: the identity, or `convert`
 * applied to a copy on the way in (the defaults that version had); its scale subresource is its own Scale.
 */
export function deprecatedAppsVersion(group: string, version: string, since: string, convert?: (o: Obj) => void): ServedVersion {
  return {
    group, version, deprecated: { since, removedIn: '1.16' }, ownScale: true,
    toStorage(o) {
      if (!convert) return withApiVersion(o, 'apps/v1');
      const out = structuredClone(withApiVersion(o, 'apps/v1')) as Obj;
      convert(out);
      return out as KubeObject;
    },
    fromStorage: (o) => withApiVersion(o, `${group}/${version}`),
  };
}

// ---- printing ----

export const WIDE_COLUMNS = (selectorDoc: string): Column[] => [
  col('Containers', 'Names of each container in the template.', { priority: 1 }),
  col('Images', 'Images referenced by each container in the template.', { priority: 1 }),
  col('Selector', selectorDoc, { priority: 1 }),
];

/** CONTAINERS IMAGES SELECTOR of a workload's template. */
export function wideCells(o: KubeObject): Cell[] {
  const spec = specOf(o);
  const podSpec = templateOf(spec)['spec'];
  const cs = listOf(isObj(podSpec) ? podSpec['containers'] : undefined);
  return [cs.map((c) => String(c['name'] ?? '')).join(','), cs.map((c) => String(c['image'] ?? '')).join(','), selectorString(spec['selector']) || '<none>'];
}
