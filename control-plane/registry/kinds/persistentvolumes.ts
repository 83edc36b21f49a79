// control-plane/registry/kinds/persistentvolumes.ts — PersistentVolume (core/v1, `pv`, cluster-scoped, status
// subresource): a piece of storage (hostPath or local on one node here). Defaults as SetDefaults_PersistentVolume
// (reclaim policy Retain, volumeMode Filesystem), a new PV is Pending and carries the `kubernetes.io/pv-protection`
// finalizer (the StorageObjectInUseProtection admission); validated with the upstream texts (access modes,
// capacity with only `storage`, exactly one volume source, a local volume needs node affinity, the source
// immutable); printed NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS
// REASON AGE (+ VOLUMEMODE). Also the helpers the claim kind shares: access modes, quantities.
import { deepEqual, isObj, listOf, type Obj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject, Mutable } from '../types.js';
import { forbidden, invalidValue, notSupported, required } from '../validation.js';
import { quantityOf } from '../../controllers/storage/quantity.js';

export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
const VOLUME_MODES = ['Block', 'Filesystem'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
/** The volume sources this node can serve; any other source key still counts as "a volume type". */
const SOURCES = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'cinder', 'glusterfs', 'flexVolume', 'azureFile', 'azureDisk',
  'awsElasticBlockStore', 'gcePersistentDisk', 'vsphereVolume', 'quobyte', 'portworxVolume', 'scaleIO', 'storageos', 'photonPersistentDisk', 'flocker'];

/** A resource.Quantity's value (bytes for storage); NaN when it does not parse. */
export const quantityValue = quantityOf;

const SHORT_MODES: Readonly<Record<string, string>> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, each once. */
export function accessModesString(modes: unknown): string {
  const set = new Set(listOf<string>(modes));
  return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].filter((m) => set.has(m)).map((m) => SHORT_MODES[m]).join(',');
}

export const specOf = (o: unknown): Obj => (isObj((o as Obj)['spec']) ? ((o as Obj)['spec'] as Obj) : {});
export const statusOf = (o: unknown): Obj => (isObj((o as Obj)['status']) ? ((o as Obj)['status'] as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Access modes: at least one, each known (shared with claims). */
export function accessModeErrors(spec: Obj, field: string): FieldError[] {
  const modes = listOf<string>(spec['accessModes']);
  if (modes.length === 0) return [required(`${field}.accessModes`, '')];
  const errs = modes.filter((m) => !(ACCESS_MODES as readonly string[]).includes(m)).map((m) => notSupported(`${field}.accessModes`, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(forbidden(`${field}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export const volumeModeErrors = (spec: Obj, field: string): FieldError[] =>
  (spec['volumeMode'] === undefined || VOLUME_MODES.includes(str(spec['volumeMode'])) ? [] : [notSupported(`${field}.volumeMode`, spec['volumeMode'], VOLUME_MODES)]);

function sourceErrors(spec: Obj): FieldError[] {
  const present = SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (present.length === 0) return [required('spec', 'must specify a volume type')];
  if (present.length > 1) return [forbidden(`spec.${present[1]}`, 'may not specify more than 1 volume type')];
  const errs: FieldError[] = [];
  const src = isObj(spec[present[0]!]) ? (spec[present[0]!] as Obj) : {};
  if ((present[0] === 'hostPath' || present[0] === 'local') && !str(src['path'])) errs.push(required(`spec.${present[0]}.path`, ''));
  if (present[0] === 'hostPath' && str(src['path']).split('/').includes('..')) errs.push(invalidValue('spec.hostPath.path', src['path'], "must not contain '..'"));
  if (present[0] === 'local' && !isObj(spec['nodeAffinity'])) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errs;
}

function capacityErrors(spec: Obj): FieldError[] {
  const cap = isObj(spec['capacity']) ? spec['capacity'] : {};
  const keys = Object.keys(cap);
  if (keys.length === 0) return [required('spec.capacity', '')];
  const errs = keys.filter((k) => k !== 'storage').map((k) => notSupported('spec.capacity', k, ['storage']));
  if (cap['storage'] !== undefined) {
    const v = quantityValue(cap['storage']);
    if (Number.isNaN(v)) errs.push(invalidValue('spec.capacity[storage]', cap['storage'], 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''));
    else if (v <= 0) errs.push(invalidValue('spec.capacity[storage]', cap['storage'], 'must be greater than zero'));
  }
  return errs;
}

function validatePV(o: Mutable): FieldError[] {
  const spec = specOf(o);
  const errs = [...accessModeErrors(spec, 'spec'), ...capacityErrors(spec), ...sourceErrors(spec), ...volumeModeErrors(spec, 'spec')];
  const policy = spec['persistentVolumeReclaimPolicy'];
  if (policy !== undefined && !RECLAIM_POLICIES.includes(str(policy))) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  if (spec['storageClassName'] && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(str(spec['storageClassName']))) {
    errs.push(invalidValue('spec.storageClassName', spec['storageClassName'], 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character'));
  }
  return errs;
}

function validatePVUpdate(o: Mutable, old: Readonly<Mutable>): FieldError[] {
  const [spec, was] = [specOf(o), specOf(old)];
  const errs: FieldError[] = [];
  if (SOURCES.some((s) => !deepEqual(spec[s], was[s]))) errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is forbidden.'));
  if (was['nodeAffinity'] !== undefined && !deepEqual(spec['nodeAffinity'], was['nodeAffinity'])) errs.push(invalidValue('spec.nodeAffinity', spec['nodeAffinity'] ?? '', 'field is immutable'));
  if (!deepEqual(spec['volumeMode'], was['volumeMode'])) errs.push(invalidValue('spec.volumeMode', spec['volumeMode'] ?? '', 'field is immutable'));
  return errs;
}

/** `ns/name` of the claim a PV is bound to ('' when none). */
export function claimOf(pv: KubeObject): string {
  const ref = specOf(pv)['claimRef'];
  return isObj(ref) ? `${str(ref['namespace'])}/${str(ref['name'])}` : '';
}

/** The phase column: Terminating while deletion is under way. */
export const phaseCell = (o: KubeObject): string => (o.metadata?.deletionTimestamp ? 'Terminating' : str(statusOf(o)['phase']));
export const unsetOr = (v: unknown): string => (typeof v === 'string' ? v : '<unset>');

export const persistentVolumes: KindDef = {
  group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', singular: 'persistentvolume', namespaced: false, shortNames: ['pv'],
  description: 'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes',
  fields: {
    spec: 'spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator.',
    status: 'status represents the current information/status for the persistent volume. Populated by the system. Read-only.',
  },
  statusSubresource: true,
  defaults(o) {
    if (!isObj(o['spec'])) o['spec'] = {};
    const spec = o['spec'] as Obj;
    spec['persistentVolumeReclaimPolicy'] ??= 'Retain';
    spec['volumeMode'] ??= 'Filesystem';
  },
  prepareForCreate(o) {
    o['status'] = { phase: 'Pending' };
    const f = o.metadata.finalizers ?? [];
    if (!f.includes(PV_PROTECTION)) o.metadata.finalizers = [...f, PV_PROTECTION];
  },
  validate: validatePV,
  validateUpdate: validatePVUpdate,
  table: {
    columns: [
      NAME_COLUMN,
      col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
      col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
      col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
      col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
      col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
      col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
      col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs.'),
      col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
      AGE_COLUMN,
      col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', { priority: 1 }),
    ],
    cells(o, now) {
      const spec = specOf(o);
      const cap = isObj(spec['capacity']) ? spec['capacity'] : {};
      return [nameOf(o), str(cap['storage']), accessModesString(spec['accessModes']), str(spec['persistentVolumeReclaimPolicy']), phaseCell(o), claimOf(o),
        str(spec['storageClassName']), unsetOr(spec['volumeAttributesClassName']), str(statusOf(o)['reason']), ageOf(o, now), unsetOr(spec['volumeMode'])];
    },
  },
};
