// control-plane/registry/kinds/statefulsets.ts — StatefulSet (apps/v1, `sts`, category `all`, status and scale
// subresources, generation): defaults as SetDefaults_StatefulSet (replicas 1, podManagementPolicy OrderedReady,
// updateStrategy RollingUpdate with partition 0, revisionHistoryLimit 10, persistentVolumeClaimRetentionPolicy
// Retain/Retain, the template as pods, each volumeClaimTemplate as a PVC: volumeMode Filesystem, phase Pending),
// validation (workload-common.ts's selector/template rules with the StatefulSet texts, the policies, ordinals,
// volumeClaimTemplates named; on update only replicas, ordinals, template, updateStrategy,
// persistentVolumeClaimRetentionPolicy and minReadySeconds may change), printed NAME READY AGE (+ CONTAINERS
// IMAGES). Also served as the deprecated apps/v1beta1 (OnDelete, selector and labels from the template) and
// apps/v1beta2 (the v1 defaults), stored as apps/v1.
import { deepEqual, isObj, listOf, type Obj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject, Mutable, ServedVersion } from '../types.js';
import { forbidden, invalidValue, nameErrors, notSupported, required } from '../validation.js';
import {
  defaultSelectorFromTemplate, defaultWorkloadSpec, intOf, selectorString, specOf, statusOf, validateWorkloadSpec,
  WIDE_COLUMNS, wideCells, withApiVersion,
} from './workload-common.js';

const STORAGE = 'apps/v1';
const POLICIES = ['OrderedReady', 'Parallel'];
const RETENTION = ['Retain', 'Delete'];

const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (o[k] === undefined || o[k] === null) o[k] = v; };
const objAt = (o: Obj, k: string): Obj => (isObj(o[k]) ? o[k] : (o[k] = {}));

/** SetDefaults_PersistentVolumeClaim of a volumeClaimTemplate (the generated defaulters reach embedded PVCs). */
function defaultClaimTemplate(t: Obj): void {
  setIfMissing(t, 'apiVersion', 'v1');
  setIfMissing(t, 'kind', 'PersistentVolumeClaim');
  setIfMissing(objAt(t, 'spec'), 'volumeMode', 'Filesystem');
  setIfMissing(objAt(t, 'status'), 'phase', 'Pending');
}

/** SetDefaults_StatefulSet of one version (`updateType`: RollingUpdate in v1/v1beta2, OnDelete in v1beta1). */
function defaultSpec(spec: Obj, updateType: string): void {
  defaultWorkloadSpec(spec);
  setIfMissing(spec, 'podManagementPolicy', 'OrderedReady');
  const us = objAt(spec, 'updateStrategy');
  setIfMissing(us, 'type', updateType);
  if (us['type'] === 'RollingUpdate') setIfMissing(objAt(us, 'rollingUpdate'), 'partition', 0);
  setIfMissing(spec, 'revisionHistoryLimit', 10);
  const retention = objAt(spec, 'persistentVolumeClaimRetentionPolicy');
  setIfMissing(retention, 'whenDeleted', 'Retain');
  setIfMissing(retention, 'whenScaled', 'Retain');
  for (const t of listOf(spec['volumeClaimTemplates'])) defaultClaimTemplate(t);
}

function oldVersion(version: string, since: string, updateType: string, selectorFromTemplate: boolean): ServedVersion {
  return {
    group: 'apps', version, deprecated: { since, removedIn: '1.16' }, ownScale: true,
    toStorage(o) {
      const out = structuredClone(withApiVersion(o, STORAGE)) as Obj;
      if (selectorFromTemplate) defaultSelectorFromTemplate(out);
      const spec = specOf(out);
      defaultSpec(spec, updateType);
      out['spec'] = spec;
      return out as KubeObject;
    },
    fromStorage: (o) => withApiVersion(o, `apps/${version}`),
  };
}

// ---- validation ----

const nonNegative = (path: string, v: unknown): FieldError[] =>
  (typeof v === 'number' && v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : []);

/** The shared ReplicaSet/Deployment checks, with the texts ValidateStatefulSetSpec uses. */
const workloadErrors = (o: KubeObject): FieldError[] => validateWorkloadSpec(o).map((e) => ({
  ...e,
  detail: e.detail.replace('invalid for deployment', 'invalid for statefulset').replace('in ReplicaSet is not Supported', 'in StatefulSet is not Supported'),
}));

function validatePolicy(spec: Obj): FieldError[] {
  const p = spec['podManagementPolicy'];
  if (p === undefined || p === null || p === '') return [required('spec.podManagementPolicy', '')];
  return POLICIES.includes(String(p)) ? [] : [invalidValue('spec.podManagementPolicy', p, "must be 'OrderedReady' or 'Parallel'")];
}

function validateUpdateStrategy(spec: Obj): FieldError[] {
  const us = isObj(spec['updateStrategy']) ? spec['updateStrategy'] : {};
  const type = us['type'];
  const ru = us['rollingUpdate'];
  if (type === undefined || type === null || type === '') return [required('spec.updateStrategy', '')];
  if (type === 'OnDelete') return ru !== undefined && ru !== null ? [invalidValue('spec.updateStrategy.rollingUpdate', ru, "only allowed for updateStrategy 'RollingUpdate'")] : [];
  if (type !== 'RollingUpdate') return [invalidValue('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'")];
  return isObj(ru) ? nonNegative('spec.updateStrategy.rollingUpdate.partition', ru['partition']) : [];
}

function validateRetention(spec: Obj): FieldError[] {
  const r = isObj(spec['persistentVolumeClaimRetentionPolicy']) ? spec['persistentVolumeClaimRetentionPolicy'] : {};
  return ['whenDeleted', 'whenScaled'].flatMap((k) => (RETENTION.includes(String(r[k])) ? [] : [notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, r[k] ?? '', RETENTION)]));
}

function validateClaimTemplates(spec: Obj): FieldError[] {
  return listOf(spec['volumeClaimTemplates']).flatMap((t, i) => {
    const name = isObj(t['metadata']) ? t['metadata']['name'] : undefined;
    const at = `spec.volumeClaimTemplates[${i}].metadata.name`;
    return typeof name === 'string' && name !== '' ? nameErrors(at, name, 'subdomain') : [required(at, 'name or generateName is required')];
  });
}

function validateStatefulSet(o: Mutable): FieldError[] {
  const spec = specOf(o);
  const ordinals = isObj(spec['ordinals']) ? spec['ordinals'] : {};
  return [
    ...validatePolicy(spec), ...validateUpdateStrategy(spec), ...validateRetention(spec),
    ...nonNegative('spec.revisionHistoryLimit', spec['revisionHistoryLimit']), ...nonNegative('spec.ordinals.start', ordinals['start']),
    ...workloadErrors(o), ...validateClaimTemplates(spec),
  ];
}

const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const UPDATE_MSG = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** ValidateStatefulSetUpdate: the new spec with the mutable fields taken from the old must equal the old. */
function validateStatefulSetUpdate(o: Mutable, old: Readonly<Mutable>): FieldError[] {
  const before = specOf(old);
  const probe = structuredClone(specOf(o));
  for (const k of MUTABLE) { if (before[k] === undefined) delete probe[k]; else probe[k] = before[k]; }
  return deepEqual(probe, before) ? [] : [forbidden('spec', UPDATE_MSG)];
}

// ---- printing ----

export const statefulSets: KindDef = {
  group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets', singular: 'statefulset', namespaced: true,
  shortNames: ['sts'], categories: ['all'],
  description: 'StatefulSet represents a set of pods with consistent identities. Identities are defined as:\n  - Network: A single stable DNS and hostname.\n  - Storage: As many VolumeClaims as requested.\n\nThe StatefulSet guarantees that a given network identity will always map to the same storage identity.',
  fields: {
    spec: 'Spec defines the desired identities of pods in this set.',
    status: 'Status is the current status of Pods in this StatefulSet. This data may be out of date by some window of time.',
  },
  statusSubresource: true,
  generation: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selector: (o) => selectorString(specOf(o)['selector']) },
  defaults(o) {
    const spec = specOf(o);
    defaultSpec(spec, 'RollingUpdate');
    o['spec'] = spec;
  },
  prepareForCreate(o) { o['status'] = { replicas: 0, availableReplicas: 0 }; },
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Ready', 'Number of the pod with ready state'),
      AGE_COLUMN,
      ...WIDE_COLUMNS('').slice(0, 2),
    ],
    cells: (o, now) => [nameOf(o), `${intOf(statusOf(o)['readyReplicas'])}/${intOf(specOf(o)['replicas'])}`, ageOf(o, now), ...wideCells(o).slice(0, 2)],
  },
  otherVersions: [oldVersion('v1beta1', '1.8', 'OnDelete', true), oldVersion('v1beta2', '1.9', 'RollingUpdate', false)],
};
