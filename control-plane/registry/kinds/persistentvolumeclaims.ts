// control-plane/registry/kinds/persistentvolumeclaims.ts — PersistentVolumeClaim (core/v1, `pvc`, namespaced,
// status subresource): a user's request for storage. volumeMode defaults to Filesystem; a claim that names no
// class gets the default StorageClass (the DefaultStorageClass admission); a new claim is Pending and carries the `kubernetes.io/pvc-protection` finalizer (the StorageObjectInUseProtection admission);
// validated with the upstream texts (at least one access mode, a storage request above zero) and the update rule
// of ValidatePersistentVolumeClaimUpdate (spec immutable except: volumeName set once, a storage class given to a
// claim that named none, resources.requests of a bound claim, never below status.capacity); printed NAME STATUS
// VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE (+ VOLUMEMODE), as kube-apiserver 1.33.
import { deepEqual, isObj, type Obj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, Mutable } from '../types.js';
import { forbidden, invalidValue, required } from '../validation.js';
import { defaultClass } from '../../controllers/storage/decide.js';
import type { StorageClass } from '../../controllers/storage/types.js';
import { accessModeErrors, accessModesString, phaseCell, quantityValue, specOf, statusOf, unsetOr, volumeModeErrors } from './persistentvolumes.js';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const requestsOf = (spec: Obj): Obj => {
  const res = isObj(spec['resources']) ? spec['resources'] : {};
  return isObj(res['requests']) ? res['requests'] : {};
};

function validatePVC(o: Mutable): FieldError[] {
  const spec = specOf(o);
  const errs: FieldError[] = [];
  if (!Array.isArray(spec['accessModes']) || spec['accessModes'].length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  else errs.push(...accessModeErrors(spec, 'spec'));
  const storage = requestsOf(spec)['storage'];
  if (storage === undefined) errs.push(required('spec.resources[storage]', ''));
  else {
    const v = quantityValue(storage);
    if (Number.isNaN(v)) errs.push(invalidValue('spec.resources.requests[storage]', storage, 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''));
    else if (v <= 0) errs.push(invalidValue('spec.resources[storage]', storage, 'must be greater than zero'));
  }
  errs.push(...volumeModeErrors(spec, 'spec'));
  return errs;
}

function validatePVCUpdate(o: Mutable, old: Readonly<Mutable>): FieldError[] {
  const spec = structuredClone(specOf(o));
  const was = structuredClone(specOf(old));
  // volumeName may be set once; a claim that named no class may be given one (the retroactive default class).
  if (!was['volumeName']) { delete spec['volumeName']; delete was['volumeName']; }
  if (was['storageClassName'] === undefined && !was['volumeName']) delete spec['storageClassName'];
  const bound = statusOf(old)['phase'] === 'Bound';
  if (bound) { spec['resources'] = was['resources']; delete spec['volumeAttributesClassName']; delete was['volumeAttributesClassName']; }
  if (!deepEqual(spec, was)) return [forbidden('spec', IMMUTABLE)];
  if (!bound) return [];
  const capacity = quantityValue((isObj(statusOf(old)['capacity']) ? (statusOf(old)['capacity'] as Obj) : {})['storage']);
  const asked = quantityValue(requestsOf(specOf(o))['storage']);
  return asked < capacity ? [forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity')] : [];
}

export const persistentVolumeClaims: KindDef = {
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'],
  description: 'PersistentVolumeClaim is a user\'s request for and claim to a persistent volume',
  fields: {
    spec: 'spec defines the desired characteristics of a volume requested by a pod author. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims',
    status: 'status represents the current information/status of a persistent volume claim. Read-only. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims',
  },
  statusSubresource: true,
  defaults(o) {
    if (!isObj(o['spec'])) o['spec'] = {};
    (o['spec'] as Obj)['volumeMode'] ??= 'Filesystem';
  },
  prepareForCreate(o) {
    o['status'] = { phase: 'Pending' };
    const f = o.metadata.finalizers ?? [];
    if (!f.includes(PVC_PROTECTION)) o.metadata.finalizers = [...f, PVC_PROTECTION];
  },
  // The DefaultStorageClass admission: a claim that names no class (unset, not "") gets the default one.
  admit(o, read) {
    const spec = o['spec'] as Obj;
    if (spec['storageClassName'] !== undefined) return;
    const d = defaultClass(read.list('storageclasses.storage.k8s.io') as StorageClass[]);
    if (d?.metadata?.name) spec['storageClassName'] = d.metadata.name;
  },
  validate: validatePVC,
  validateUpdate: validatePVCUpdate,
  table: {
    columns: [
      NAME_COLUMN,
      col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
      col('StorageClass', 'storageClassName is the name of the StorageClass required by the claim.'),
      col('VolumeAttributesClass', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
      AGE_COLUMN,
      col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
    ],
    cells(o, now) {
      const spec = specOf(o);
      const status = statusOf(o);
      const volume = str(spec['volumeName']);
      const capacity = isObj(status['capacity']) ? str(status['capacity']['storage']) : '';
      return [nameOf(o), phaseCell(o), volume, volume ? capacity : '', volume ? accessModesString(status['accessModes']) : '',
        str(spec['storageClassName']), unsetOr(spec['volumeAttributesClassName']), ageOf(o, now), unsetOr(spec['volumeMode'])];
    },
  },
};
