// control-plane/registry/kinds/job-validation.ts — ValidateJob / ValidateJobSpecUpdate with upstream's field
// paths and texts (control-plane-semantics.md §2.1, pkg/apis/batch/validation): non-negative counts,
// completionMode, Indexed needs completions (and a pod hostname `<name>-<completions-1>` that is a DNS label),
// backoffLimitPerIndex/maxFailedIndexes need Indexed (maxFailedIndexes ≤ completions), successPolicy (Indexed only;
// rules with succeededIndexes in the interval form, succeededCount within completions and those indexes), podFailurePolicy rules (actions, operators, exit codes,
// pod-condition patterns, limits), podReplacementPolicy, restartPolicy OnFailure|Never (Never with a
// podFailurePolicy), the generated selector and labels; on update: selector, template, completions (Indexed:
// only in tandem with parallelism), completionMode, podFailurePolicy, backoffLimitPerIndex, successPolicy immutable (the
// scheduling directives of a suspended Job that never started may change).
//
// PURE, over plain batch/v1 JSON.
import { deepEqual, isObj, listOf, mapOf, type Obj } from '../common.js';
import type { FieldError, KubeObject, Mutable } from '../types.js';
import { dnsNameProblems, duplicate, invalidValue, notSupported, qualifiedNameProblems, required, tooLong } from '../validation.js';
import { validatePodSpec } from './pod-spec.js';
import { selectorMatches, specOf, validateLabelSelector } from './workload-common.js';

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const MAX_SUCCESS_RULES = 20;
const MAX_SUCCEEDED_INDEXES_BYTES = 64 * 1024;
const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

const templateOf = (spec: Obj): Obj => (isObj(spec['template']) ? spec['template'] : {});
const podSpecOf = (spec: Obj): Obj => (isObj(templateOf(spec)['spec']) ? templateOf(spec)['spec'] as Obj : {});
export const templateLabelsOf = (spec: Obj): Record<string, string> => mapOf(isObj(templateOf(spec)['metadata']) ? (templateOf(spec)['metadata'] as Obj)['labels'] : undefined);

const unsetField = (v: unknown): boolean => v === undefined || v === null;
const nonNegative = (spec: Obj, f: string): FieldError[] =>
  (typeof spec[f] === 'number' && (spec[f] as number) < 0 ? [invalidValue(`spec.${f}`, spec[f], 'must be greater than or equal to 0')] : []);
const tooMany = (field: string, n: number, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `must have at most ${max} items`, value: n });

function validateExitCodes(r: Obj, path: string, containers: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const op = r['operator'];
  if (op === undefined || op === '') errs.push(required(`${path}.operator`, `valid values: ["In" "NotIn"]`));
  else if (!OPERATORS.includes(String(op))) errs.push(notSupported(`${path}.operator`, op, OPERATORS));
  if (typeof r['containerName'] === 'string' && !containers.has(r['containerName'])) {
    errs.push(invalidValue(`${path}.containerName`, r['containerName'], 'must be one of the container or initContainer names in the pod template'));
  }
  const values = listOf<number>(r['values']);
  if (values.length === 0) errs.push(invalidValue(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODES) errs.push(tooMany(`${path}.values`, values.length, MAX_EXIT_CODES));
  const seen = new Set<number>();
  let ordered = true;
  for (const [j, v] of values.entries()) {
    if (op === 'In' && v === 0) errs.push(invalidValue(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(`${path}.values[${j}]`, v));
    seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  }
  if (!ordered) errs.push(invalidValue(`${path}.values`, values, 'must be ordered'));
  return errs;
}

function validateConditionPatterns(patterns: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = patterns.length > MAX_CONDITION_PATTERNS ? [tooMany(path, patterns.length, MAX_CONDITION_PATTERNS)] : [];
  for (const [j, p] of patterns.entries()) {
    errs.push(...qualifiedNameProblems(String(p['type'] ?? '')).map((m) => invalidValue(`${path}[${j}].type`, p['type'] ?? '', m)));
    const st = p['status'];
    if (st === undefined || st === '') errs.push(required(`${path}[${j}].status`, 'valid values: ["False" "True" "Unknown"]'));
    else if (!CONDITION_STATUSES.includes(String(st))) errs.push(notSupported(`${path}[${j}].status`, st, CONDITION_STATUSES));
  }
  return errs;
}

function validatePodFailurePolicy(spec: Obj, pfp: Obj): FieldError[] {
  const rules = listOf(pfp['rules']);
  const errs: FieldError[] = rules.length > MAX_RULES ? [tooMany('spec.podFailurePolicy.rules', rules.length, MAX_RULES)] : [];
  const ps = podSpecOf(spec);
  const containers = new Set([...listOf(ps['containers']), ...listOf(ps['initContainers'])].map((c) => String(c['name'])));
  for (const [i, rule] of rules.entries()) {
    const path = `spec.podFailurePolicy.rules[${i}]`;
    const action = rule['action'];
    if (action === undefined || action === '') errs.push(required(`${path}.action`, 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'));
    else if (action === 'FailIndex') { if (spec['backoffLimitPerIndex'] === undefined || spec['backoffLimitPerIndex'] === null) errs.push(invalidValue(`${path}.action`, action, 'requires the backoffLimitPerIndex to be set')); }
    else if (!ACTIONS.includes(String(action))) errs.push(notSupported(`${path}.action`, action, ACTIONS));
    const onExit = isObj(rule['onExitCodes']) ? rule['onExitCodes'] : undefined;
    const onConds = listOf(rule['onPodConditions']);
    if (onExit) errs.push(...validateExitCodes(onExit, `${path}.onExitCodes`, containers));
    if (onConds.length) errs.push(...validateConditionPatterns(onConds, `${path}.onPodConditions`));
    if (onExit && onConds.length) errs.push(invalidValue(path, null, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExit && !onConds.length) errs.push(invalidValue(path, null, 'specifying one of OnExitCodes and OnPodConditions is required'));
  }
  return errs;
}

/** One "x" or "x-y" piece of an index list: [x, y] or the upstream error text. */
function indexInterval(piece: string, completions: number): [number, number] | string {
  const parts = piece.split('-');
  if (parts.length > 2) return `the fragment "${piece}" violates the requirement that an index interval can have at most two parts separated by '-'`;
  const nums: number[] = [];
  for (const part of parts) {
    if (!/^[+-]?\d+$/.test(part)) return `cannot convert string to integer for index: "${part}"`;
    if (Number(part) >= completions) return `too large index: "${part}"`;
    nums.push(Number(part));
  }
  const [x, y = x] = nums as [number, number?];
  if (parts.length === 2 && x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
  return [x, y];
}

/** validateIndexesFormat: how many indexes the list names, or the error text. */
function indexesTotal(s: string, completions: number): number | string {
  if (s === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const piece of s.split(',')) {
    const r = indexInterval(piece, completions);
    if (typeof r === 'string') return r;
    if (last !== undefined && last >= r[0]) return `non-increasing order, previous: ${last}, current: ${r[0]}`;
    total += r[1] - r[0] + 1;
    last = r[1];
  }
  return total;
}

function validateSuccessRule(rule: Obj, path: string, completions: number): FieldError[] {
  const errs: FieldError[] = [];
  const indexes = rule['succeededIndexes'];
  const count = rule['succeededCount'];
  if (unsetField(indexes) && unsetField(count)) errs.push(required(path, 'at least one of succeededCount or succeededIndexes must be specified'));
  let total = 0;
  if (typeof indexes === 'string') {
    if (indexes.length > MAX_SUCCEEDED_INDEXES_BYTES) errs.push(tooLong(`${path}.succeededIndexes`, `must have at most ${MAX_SUCCEEDED_INDEXES_BYTES} bytes`));
    const r = indexesTotal(indexes, completions);
    if (typeof r === 'string') errs.push(invalidValue(`${path}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${r}`));
    else total = r;
  }
  if (typeof count === 'number') {
    if (count < 0) errs.push(invalidValue(`${path}.succeededCount`, count, 'must be greater than or equal to 0'));
    if (count > completions) errs.push(invalidValue(`${path}.succeededCount`, count, `must be less than or equal to ${completions} (the number of specified completions)`));
    if (typeof indexes === 'string' && count > total) errs.push(invalidValue(`${path}.succeededCount`, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
  }
  return errs;
}

function validateSuccessPolicy(spec: Obj): FieldError[] {
  const sp = spec['successPolicy'];
  if (!isObj(sp)) return [];
  if (spec['completionMode'] !== 'Indexed') return [invalidValue('spec.successPolicy', sp, 'requires indexed completion mode')];
  const rules = listOf(sp['rules']);
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(required('spec.successPolicy.rules', 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_RULES) errs.push(tooMany('spec.successPolicy.rules', rules.length, MAX_SUCCESS_RULES));
  const completions = typeof spec['completions'] === 'number' ? spec['completions'] : 0;
  for (const [i, rule] of rules.entries()) errs.push(...validateSuccessRule(rule, `spec.successPolicy.rules[${i}]`, completions));
  return errs;
}

function validateModes(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const mode = spec['completionMode'];
  const indexed = mode === 'Indexed';
  if (mode !== undefined && mode !== 'NonIndexed' && !indexed) errs.push(notSupported('spec.completionMode', mode, ['NonIndexed', 'Indexed']));
  if (indexed && (spec['completions'] === undefined || spec['completions'] === null)) errs.push(required('spec.completions', 'when completion mode is Indexed'));
  if (indexed && typeof spec['parallelism'] === 'number' && spec['parallelism'] > MAX_INDEXED_PARALLELISM) {
    errs.push(invalidValue('spec.parallelism', spec['parallelism'], `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`));
  }
  if (spec['maxFailedIndexes'] !== undefined && spec['backoffLimitPerIndex'] === undefined) errs.push(required('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'));
  const mfi = spec['maxFailedIndexes'];
  if (indexed && typeof mfi === 'number' && typeof spec['completions'] === 'number' && mfi > spec['completions']) errs.push(invalidValue('spec.maxFailedIndexes', mfi, 'must be less than or equal to completions'));
  if (indexed && typeof mfi === 'number' && mfi > MAX_FAILED_INDEXES) errs.push(invalidValue('spec.maxFailedIndexes', mfi, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  if (!indexed) {
    for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) if (spec[f] !== undefined && spec[f] !== null) errs.push(invalidValue(`spec.${f}`, spec[f], 'requires indexed completion mode'));
  }
  const rp = spec['podReplacementPolicy'];
  if (rp !== undefined && rp !== null) {
    const allowed = isObj(spec['podFailurePolicy']) ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(String(rp))) errs.push(notSupported('spec.podReplacementPolicy', rp, allowed));
  }
  return errs;
}

function validateRestartPolicy(spec: Obj): FieldError[] {
  const rp = podSpecOf(spec)['restartPolicy'];
  const path = 'spec.template.spec.restartPolicy';
  if (rp === undefined || rp === '' || rp === 'Always') return [required(path, 'valid values: "OnFailure", "Never"')];
  if (rp !== 'OnFailure' && rp !== 'Never') return [notSupported(path, rp, ['OnFailure', 'Never'])];
  if (isObj(spec['podFailurePolicy']) && rp !== 'Never') return [invalidValue(path, rp, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** validateGeneratedSelector: the template carries the generated labels and the selector matches them. */
function validateGenerated(o: KubeObject, spec: Obj): FieldError[] {
  const uid = o.metadata?.uid ?? '';
  const name = o.metadata?.name ?? '';
  const labels = templateLabelsOf(spec);
  const errs: FieldError[] = [];
  const want: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name, [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name };
  for (const [k, v] of Object.entries(want)) {
    if (labels[k] === undefined) errs.push(required(`spec.template.metadata.labels[${k}]`, v));
    else if (labels[k] !== v) errs.push(invalidValue(`spec.template.metadata.labels[${k}]`, labels, `must be '${v}'`));
  }
  if (isObj(spec['selector']) && !selectorMatches(spec['selector'], want)) errs.push(invalidValue('spec.selector', spec['selector'], '`selector` not auto-generated'));
  return errs;
}

/** ValidateJob (object metadata comes from the registry). Before the uid exists a generated selector is not checked yet. */
export function validateJob(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const manual = spec['manualSelector'] === true;
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) errs.push(...nonNegative(spec, f));
  errs.push(...validateModes(spec));
  if (isObj(spec['podFailurePolicy'])) errs.push(...validatePodFailurePolicy(spec, spec['podFailurePolicy']));
  errs.push(...validateSuccessPolicy(spec));
  if (!isObj(spec['template'])) errs.push(required('spec.template'));
  else errs.push(...validatePodSpec(podSpecOf(spec)).map((e) => ({ ...e, field: `spec.template.${e.field}` })), ...validateRestartPolicy(spec));
  const generatedPending = !manual && !o.metadata?.uid;
  if (!generatedPending) {
    const sel = spec['selector'];
    if (!isObj(sel)) errs.push(required('spec.selector'));
    else {
      errs.push(...validateLabelSelector(sel, 'spec.selector'));
      if (!selectorMatches(sel, templateLabelsOf(spec))) errs.push(invalidValue('spec.template.metadata.labels', templateLabelsOf(spec), '`selector` does not match template `labels`'));
    }
    if (!manual) errs.push(...validateGenerated(o, spec));
  }
  const completions = spec['completions'];
  if (spec['completionMode'] === 'Indexed' && typeof completions === 'number' && completions > 0) {
    const host = `${o.metadata?.name ?? ''}-${completions - 1}`;
    if (dnsNameProblems(host, 'label').length) errs.push(invalidValue('metadata.name', o.metadata?.name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

const immutable = (field: string, a: unknown, b: unknown): FieldError[] => (deepEqual(a, b) ? [] : [invalidValue(field, a ?? null, 'field is immutable')]);

/** The old template with the new one's scheduling directives when the Job is suspended and never started (they may change then). */
function withMutableDirectives(job: Readonly<Mutable>, t: unknown, other: unknown): unknown {
  const started = isObj((job as Obj)['status']) && ((job as Obj)['status'] as Obj)['startTime'];
  if (specOf(job)['suspend'] !== true || started || !isObj(t) || !isObj(other)) return t;
  const out = structuredClone(t);
  const om = isObj(out['metadata']) ? out['metadata'] : (out['metadata'] = {});
  const nm = isObj(other['metadata']) ? other['metadata'] : {};
  for (const f of ['labels', 'annotations']) { if (nm[f] === undefined) delete om[f]; else om[f] = nm[f]; }
  const os = isObj(out['spec']) ? out['spec'] : (out['spec'] = {});
  const ns = isObj(other['spec']) ? other['spec'] : {};
  for (const f of ['nodeSelector', 'tolerations', 'schedulingGates', 'affinity']) { if (ns[f] === undefined) delete os[f]; else os[f] = ns[f]; }
  return out;
}

/** ValidateJobSpecUpdate's immutable fields. */
export function validateJobUpdate(o: Readonly<Mutable>, old: Readonly<Mutable>): FieldError[] {
  const spec = specOf(o);
  const before = specOf(old);
  const errs = [...immutable('spec.selector', spec['selector'], before['selector'])];
  const indexed = spec['completionMode'] === 'Indexed';
  if (!indexed) errs.push(...immutable('spec.completions', spec['completions'], before['completions']));
  else if (!deepEqual(spec['completions'], before['completions']) && typeof spec['completions'] === 'number' && spec['completions'] !== spec['parallelism']) {
    errs.push(invalidValue('spec.completions', spec['completions'], 'can only be modified in tandem with spec.parallelism'));
  }
  errs.push(...immutable('spec.template', spec['template'], withMutableDirectives(old, before['template'], spec['template'])));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) errs.push(...immutable(`spec.${f}`, spec[f], before[f]));
  return errs;
}
