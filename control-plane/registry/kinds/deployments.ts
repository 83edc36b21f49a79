// control-plane/registry/kinds/deployments.ts — Deployment (apps/v1, `deploy`, category `all`, status and
// scale subresources, generation +1 on spec or annotation changes): defaults as SetDefaults_Deployment
// (replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, the template as
// pods), validation (workload-common.ts's selector/template rules, strategy, maxSurge/maxUnavailable,
// progressDeadlineSeconds > minReadySeconds, selector immutable but through apps/v1beta1 and
// extensions/v1beta1), printed NAME READY UP-TO-DATE AVAILABLE AGE (+ CONTAINERS IMAGES SELECTOR). Also
// served as the deprecated apps/v1beta1, apps/v1beta2 and extensions/v1beta1, each with the defaults it had
// and its own Scale, stored as apps/v1.
import { isObj, type Obj } from '../common.js';
import { DEPLOYMENT } from '../proto/index.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject, ServedVersion } from '../types.js';
import { forbidden, invalidValue, notSupported, required } from '../validation.js';
import {
  defaultSelectorFromTemplate, defaultWorkloadSpec, intOf, selectorImmutableExceptIn, selectorString, specOf, statusOf,
  validateWorkloadSpec, WIDE_COLUMNS, wideCells, withApiVersion,
} from './workload-common.js';

const STORAGE = 'apps/v1';
const MAX_INT32 = 2147483647;

interface VersionDefaults { surge: number | string; unavailable: number | string; revisionHistoryLimit: number; progressDeadlineSeconds: number }
const V1_DEFAULTS: VersionDefaults = { surge: '25%', unavailable: '25%', revisionHistoryLimit: 10, progressDeadlineSeconds: 600 };

const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (o[k] === undefined || o[k] === null) o[k] = v; };

/** SetDefaults_Deployment of one version, over the spec (the template's pod spec included). */
function defaultSpec(spec: Obj, d: VersionDefaults): void {
  defaultWorkloadSpec(spec);
  const strategy = isObj(spec['strategy']) ? spec['strategy'] : (spec['strategy'] = {});
  setIfMissing(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = isObj(strategy['rollingUpdate']) ? strategy['rollingUpdate'] : (strategy['rollingUpdate'] = {});
    setIfMissing(ru, 'maxUnavailable', d.unavailable);
    setIfMissing(ru, 'maxSurge', d.surge);
  }
  setIfMissing(spec, 'revisionHistoryLimit', d.revisionHistoryLimit);
  setIfMissing(spec, 'progressDeadlineSeconds', d.progressDeadlineSeconds);
}

/** An old version: its own defaults (selector from the template where it had that), then apps/v1. */
function oldVersion(group: string, version: string, since: string, d: VersionDefaults | undefined): ServedVersion {
  const apiVersion = `${group}/${version}`;
  return {
    group, version, deprecated: { since, removedIn: '1.16' }, ownScale: true,
    toStorage(o) {
      const out = structuredClone(withApiVersion(o, STORAGE)) as Obj;
      if (d) {
        defaultSelectorFromTemplate(out);
        const spec = specOf(out);
        delete spec['rollbackTo'];
        defaultSpec(spec, d);
        out['spec'] = spec;
      }
      return out as KubeObject;
    },
    fromStorage: (o) => withApiVersion(o, apiVersion),
  };
}

// ---- validation ----

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent, then the value (a percent's number), NaN when invalid. */
export function intOrPercent(v: unknown, path: string, errs: FieldError[]): number {
  if (typeof v === 'string') {
    if (PERCENT_RE.test(v)) return Number.parseInt(v, 10);
    errs.push(invalidValue(path, v, PERCENT_MSG));
    return Number.NaN;
  }
  if (typeof v === 'number' && v < 0) errs.push(invalidValue(path, v, 'must be greater than or equal to 0'));
  return typeof v === 'number' ? v : Number.NaN;
}

function validateRollingUpdate(ru: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.strategy.rollingUpdate';
  const unavailable = intOrPercent(ru['maxUnavailable'], `${path}.maxUnavailable`, errs);
  const surge = intOrPercent(ru['maxSurge'], `${path}.maxSurge`, errs);
  if (unavailable === 0 && surge === 0) errs.push(invalidValue(`${path}.maxUnavailable`, ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  if (typeof ru['maxUnavailable'] === 'string' && unavailable > 100) errs.push(invalidValue(`${path}.maxUnavailable`, ru['maxUnavailable'], 'must not be greater than 100%'));
  return errs;
}

function validateStrategy(spec: Obj): FieldError[] {
  const s = isObj(spec['strategy']) ? spec['strategy'] : {};
  const type = s['type'];
  if (type === 'Recreate') return s['rollingUpdate'] !== undefined && s['rollingUpdate'] !== null ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
  if (type !== 'RollingUpdate') return [notSupported('spec.strategy.type', type ?? '', ['Recreate', 'RollingUpdate'])];
  return isObj(s['rollingUpdate']) ? validateRollingUpdate(s['rollingUpdate']) : [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
}

function validateDeployment(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const errs = [...validateWorkloadSpec(o), ...validateStrategy(spec)];
  const rhl = spec['revisionHistoryLimit'];
  if (typeof rhl === 'number' && rhl < 0) errs.push(invalidValue('spec.revisionHistoryLimit', rhl, 'must be greater than or equal to 0'));
  const pds = spec['progressDeadlineSeconds'];
  if (typeof pds === 'number') {
    if (pds < 0) errs.push(invalidValue('spec.progressDeadlineSeconds', pds, 'must be greater than or equal to 0'));
    if (pds <= intOf(spec['minReadySeconds'])) errs.push(invalidValue('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

// ---- printing ----

function cells(o: KubeObject, now: number): Array<string | number> {
  const st = statusOf(o);
  return [nameOf(o), `${intOf(st['readyReplicas'])}/${intOf(specOf(o)['replicas'])}`, intOf(st['updatedReplicas']), intOf(st['availableReplicas']), ageOf(o, now), ...wideCells(o) as string[]];
}

export const deployments: KindDef = {
  group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', namespaced: true,
  shortNames: ['deploy'], categories: ['all'],
  description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  fields: {
    spec: 'Specification of the desired behavior of the Deployment.',
    status: 'Most recently observed status of the Deployment.',
  },
  statusSubresource: true,
  generation: true,
  generationOnAnnotations: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selector: (o) => selectorString(specOf(o)['selector']) },
  defaults(o) {
    const spec = specOf(o);
    defaultSpec(spec, V1_DEFAULTS);
    o['spec'] = spec;
  },
  prepareForCreate(o) { o['status'] = {}; },
  validate: validateDeployment,
  // Upstream let an update change the selector through the versions older than apps/v1beta2.
  validateUpdate: selectorImmutableExceptIn('apps/v1beta1', 'extensions/v1beta1'),
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Ready', 'Number of the pod with ready state'),
      col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      AGE_COLUMN,
      ...WIDE_COLUMNS('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
    ],
    cells,
  },
  protobuf: DEPLOYMENT,
  otherVersions: [
    oldVersion('apps', 'v1beta1', '1.8', { surge: '25%', unavailable: '25%', revisionHistoryLimit: 2, progressDeadlineSeconds: 600 }),
    oldVersion('apps', 'v1beta2', '1.9', undefined),
    oldVersion('extensions', 'v1beta1', '1.8', { surge: 1, unavailable: 1, revisionHistoryLimit: MAX_INT32, progressDeadlineSeconds: MAX_INT32 }),
  ],
};
