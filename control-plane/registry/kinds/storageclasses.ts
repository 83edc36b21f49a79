// control-plane/registry/kinds/storageclasses.ts — StorageClass (storage.k8s.io/v1, `sc`, cluster-scoped): how
// claims of a class are provisioned. reclaimPolicy defaults to Delete and volumeBindingMode to Immediate
// (SetDefaults_StorageClass); provisioner required; provisioner, parameters, reclaimPolicy and volumeBindingMode
// cannot change (ValidateStorageClassUpdate's texts); printed NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE
// ALLOWVOLUMEEXPANSION AGE, the default class as `local-path (default)`. The `local-path` class itself is made by
// the storage controller (controllers/storage/) when missing, as k3s ships it.
import { deepEqual, isObj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject } from '../types.js';
import { forbidden, invalidValue, notSupported, qualifiedNameProblems, required } from '../validation.js';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const RECLAIM = ['Delete', 'Retain'];
const BINDING = ['Immediate', 'WaitForFirstConsumer'];

/** IsDefaultAnnotation: the GA or the beta annotation is "true". */
export const isDefaultClass = (o: KubeObject): boolean =>
  o.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' || o.metadata?.annotations?.[BETA_DEFAULT_ANNOTATION] === 'true';

export const storageClasses: KindDef = {
  group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', resource: 'storageclasses', singular: 'storageclass', namespaced: false, shortNames: ['sc'],
  description: 'StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.',
  fields: {
    provisioner: { type: 'string', description: 'provisioner indicates the type of the provisioner.' },
    parameters: { type: 'map', description: 'parameters holds the parameters for the provisioner that should create volumes of this storage class.' },
    reclaimPolicy: { type: 'string', description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.' },
    volumeBindingMode: { type: 'string', description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.' },
    allowVolumeExpansion: { type: 'boolean', description: 'allowVolumeExpansion shows whether the storage class allow volume expand.' },
  },
  defaults(o) {
    o['reclaimPolicy'] ??= 'Delete';
    o['volumeBindingMode'] ??= 'Immediate';
  },
  validate(o) {
    const errs: FieldError[] = [];
    const p = o['provisioner'];
    if (typeof p !== 'string' || p === '') errs.push(required('provisioner', ''));
    else errs.push(...qualifiedNameProblems(p.toLowerCase()).map((m) => invalidValue('provisioner', p, m)));
    if (!RECLAIM.includes(String(o['reclaimPolicy']))) errs.push(notSupported('reclaimPolicy', o['reclaimPolicy'], RECLAIM));
    if (!BINDING.includes(String(o['volumeBindingMode']))) errs.push(notSupported('volumeBindingMode', o['volumeBindingMode'], BINDING));
    if (o['parameters'] !== undefined && !isObj(o['parameters'])) errs.push(invalidValue('parameters', o['parameters'], 'must be a map'));
    return errs;
  },
  validateUpdate(o, old) {
    const errs: FieldError[] = [];
    if (!deepEqual(o['parameters'] ?? {}, old['parameters'] ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (o['provisioner'] !== old['provisioner']) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (o['reclaimPolicy'] !== old['reclaimPolicy']) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (o['volumeBindingMode'] !== old['volumeBindingMode']) errs.push(invalidValue('volumeBindingMode', o['volumeBindingMode'] ?? '', 'field is immutable'));
    return errs;
  },
  table: {
    columns: [
      NAME_COLUMN,
      col('Provisioner', 'provisioner indicates the type of the provisioner.'),
      col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
      col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.'),
      col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      AGE_COLUMN,
    ],
    cells: (o, now) => {
      const c = o as Record<string, unknown>;
      return [isDefaultClass(o) ? `${nameOf(o)} (default)` : nameOf(o), String(c['provisioner'] ?? ''), String(c['reclaimPolicy'] ?? 'Delete'),
        String(c['volumeBindingMode'] ?? 'Immediate'), String(c['allowVolumeExpansion'] === true), ageOf(o, now)];
    },
  },
};
