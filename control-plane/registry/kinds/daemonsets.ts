// control-plane/registry/kinds/daemonsets.ts — DaemonSet (apps/v1, `ds`, category `all`, status subresource,
// generation +1 on spec changes): defaults as SetDefaults_DaemonSet (RollingUpdate maxUnavailable 1 maxSurge 0,
// revisionHistoryLimit 10, the template as pods); the template generation kept in the annotation
// `deprecated.daemonset.template.generation` (1 on create, +1 when the template changes, as the internal
// spec.templateGeneration is converted); validation as ValidateDaemonSetSpec (selector matches the template
// labels, non-empty, immutable but through extensions/v1beta1; restartPolicy Always; update strategy); printed NAME DESIRED CURRENT READY
// UP-TO-DATE AVAILABLE NODE SELECTOR AGE (+ CONTAINERS IMAGES SELECTOR). Also served as the deprecated
// apps/v1beta2 (apps/v1's defaults) and extensions/v1beta1 (OnDelete by default, selector and labels from the
// template labels, spec.templateGeneration), stored as apps/v1.
import { deepEqual, isObj, listOf, mapOf, type Obj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject, Mutable, ServedVersion } from '../types.js';
import { forbidden, invalidValue, notSupported, required } from '../validation.js';
import { intOrPercent } from './deployments.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';
import {
  defaultSelectorFromTemplate, deprecatedAppsVersion, intOf, selectorImmutableExceptIn, selectorMatches, specOf, statusOf, validateLabelSelector,
  WIDE_COLUMNS, wideCells, withApiVersion,
} from './workload-common.js';

/** Where apps/v1 keeps the internal spec.templateGeneration (the pods' pod-template-generation label). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (o[k] === undefined || o[k] === null) o[k] = v; };
const templateOf = (spec: Obj): Obj => (isObj(spec['template']) ? spec['template'] : {});

/** SetDefaults_DaemonSet of one version (`strategy`: the default update strategy type it had). */
function defaultSpec(spec: Obj, strategy: 'RollingUpdate' | 'OnDelete'): void {
  const t = templateOf(spec);
  if (isObj(t['spec'])) defaultPodSpec(t['spec']);
  const us = isObj(spec['updateStrategy']) ? spec['updateStrategy'] : (spec['updateStrategy'] = {});
  setIfMissing(us, 'type', strategy);
  if (us['type'] === 'RollingUpdate') {
    const ru = isObj(us['rollingUpdate']) ? us['rollingUpdate'] : (us['rollingUpdate'] = {});
    setIfMissing(ru, 'maxUnavailable', 1);
    setIfMissing(ru, 'maxSurge', 0);
  }
  setIfMissing(spec, 'revisionHistoryLimit', 10);
}

const annotationsOf = (o: Obj): Record<string, string> => {
  const md = isObj(o['metadata']) ? o['metadata'] : (o['metadata'] = {});
  return isObj(md['annotations']) ? (md['annotations'] as Record<string, string>) : (md['annotations'] = {}) as Record<string, string>;
};

/** The template generation of a stored DaemonSet (0 when unknown). */
export const templateGenerationOf = (o: KubeObject): number => Number.parseInt(o.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '0', 10) || 0;

const appsV1beta2 = deprecatedAppsVersion('apps', 'v1beta2', '1.9');

/** extensions/v1beta1: OnDelete by default, selector and labels from the template; spec.templateGeneration shown. */
const extensionsV1beta1: ServedVersion = {
  ...deprecatedAppsVersion('extensions', 'v1beta1', '1.8', (out) => {
    defaultSelectorFromTemplate(out);
    const spec = specOf(out);
    delete spec['templateGeneration'];
    defaultSpec(spec, 'OnDelete');
    out['spec'] = spec;
  }),
  fromStorage(o) {
    const out = structuredClone(withApiVersion(o, 'extensions/v1beta1')) as Obj;
    out['spec'] = { ...specOf(out), templateGeneration: templateGenerationOf(o) };
    return out as KubeObject;
  },
};

// ---- validation (ValidateDaemonSetSpec) ----

function validateRollingUpdate(ru: Obj): FieldError[] {
  const path = 'spec.updateStrategy.rollingUpdate';
  const errs: FieldError[] = [];
  const unavailable = intOrPercent(ru['maxUnavailable'], `${path}.maxUnavailable`, errs);
  const surge = intOrPercent(ru['maxSurge'] ?? 0, `${path}.maxSurge`, errs);
  for (const [k, n] of [['maxUnavailable', unavailable], ['maxSurge', surge]] as const) {
    if (typeof ru[k] === 'string' && n > 100) errs.push(invalidValue(`${path}.${k}`, ru[k], 'must not be greater than 100%'));
  }
  const hasUnavailable = unavailable > 0;
  const hasSurge = surge > 0;
  if (hasUnavailable && hasSurge) errs.push(invalidValue(`${path}.maxSurge`, ru['maxSurge'], 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

function validateStrategy(spec: Obj): FieldError[] {
  const us = isObj(spec['updateStrategy']) ? spec['updateStrategy'] : {};
  if (us['type'] === 'OnDelete') return [];
  if (us['type'] !== 'RollingUpdate') return [notSupported('spec.updateStrategy', us, ['RollingUpdate', 'OnDelete'])];
  return isObj(us['rollingUpdate']) ? validateRollingUpdate(us['rollingUpdate']) : [required('spec.updateStrategy.rollingUpdate')];
}

const nonNegative = (path: string, v: unknown): FieldError[] =>
  (typeof v === 'number' && v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : []);

const sortedKeys = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

function validateDaemonSet(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const errs: FieldError[] = [];
  const sel = spec['selector'];
  const labels = mapOf(isObj(templateOf(spec)['metadata']) ? (templateOf(spec)['metadata'] as Obj)['labels'] : undefined);
  const selErrs = isObj(sel) ? validateLabelSelector(sel, 'spec.selector') : [];
  errs.push(...selErrs);
  // LabelSelectorAsSelector(nil) selects nothing: a missing selector is reported as a mismatch, as upstream does.
  if (selErrs.length === 0 && !(isObj(sel) && selectorMatches(sel, labels))) {
    errs.push(invalidValue('spec.template.metadata.labels', sortedKeys(labels), '`selector` does not match template `labels`'));
  }
  if (isObj(sel) && Object.keys(mapOf(sel['matchLabels'])).length + listOf(sel['matchExpressions']).length === 0) {
    errs.push(invalidValue('spec.selector', sel, 'empty selector is invalid for daemonset'));
  }
  if (!isObj(spec['template'])) errs.push(required('spec.template'));
  const podSpec = templateOf(spec)['spec'];
  errs.push(...validatePodSpec(podSpec).map((e) => ({ ...e, field: `spec.template.${e.field}` })));
  const ps = isObj(podSpec) ? podSpec : {};
  if (ps['restartPolicy'] !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', ps['restartPolicy'] ?? '', ['Always']));
  if (ps['activeDeadlineSeconds'] !== undefined && ps['activeDeadlineSeconds'] !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative('spec.minReadySeconds', spec['minReadySeconds']), ...validateStrategy(spec), ...nonNegative('spec.revisionHistoryLimit', spec['revisionHistoryLimit']));
  return errs;
}

// ---- printing ----

/** labels.FormatLabels of the template's nodeSelector: `k=v,…` sorted, `<none>` when empty. */
function nodeSelectorCell(o: KubeObject): string {
  const ps = templateOf(specOf(o))['spec'];
  const sel = mapOf(isObj(ps) ? ps['nodeSelector'] : undefined);
  const parts = Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`);
  return parts.length ? parts.join(',') : '<none>';
}

export const daemonSets: KindDef = {
  group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', singular: 'daemonset', namespaced: true,
  shortNames: ['ds'], categories: ['all'],
  description: 'DaemonSet represents the configuration of a daemon set.',
  fields: {
    spec: 'The desired behavior of this daemon set.',
    status: 'The current status of this daemon set. This data may be out of date by some window of time.',
  },
  statusSubresource: true,
  generation: true,
  defaults(o) {
    const spec = specOf(o);
    defaultSpec(spec, 'RollingUpdate');
    o['spec'] = spec;
  },
  prepareForCreate(o) {
    o['status'] = {};
    annotationsOf(o)[TEMPLATE_GENERATION_ANNOTATION] = '1';
  },
  prepareForUpdate(o: Mutable, old: Readonly<Mutable>) {
    const prev = templateGenerationOf(old as KubeObject);
    const changed = !deepEqual(templateOf(specOf(o)), templateOf(specOf(old as Obj)));
    annotationsOf(o)[TEMPLATE_GENERATION_ANNOTATION] = String(changed ? prev + 1 : prev);
  },
  validate: validateDaemonSet,
  validateUpdate: selectorImmutableExceptIn('extensions/v1beta1'),
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', { type: 'integer' }),
      col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
      col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
      col('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
      AGE_COLUMN,
      ...WIDE_COLUMNS('A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels.'),
    ],
    cells(o, now) {
      const st = statusOf(o);
      return [nameOf(o), intOf(st['desiredNumberScheduled']), intOf(st['currentNumberScheduled']), intOf(st['numberReady']),
        intOf(st['updatedNumberScheduled']), intOf(st['numberAvailable']), nodeSelectorCell(o), ageOf(o, now), ...wideCells(o)];
    },
  },
  otherVersions: [appsV1beta2, extensionsV1beta1],
};
