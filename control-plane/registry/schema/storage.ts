// control-plane/registry/schema/storage.ts — OpenAPI definitions of the storage kinds: PersistentVolumeClaim
// (also a StatefulSet's volumeClaimTemplates item), PersistentVolume (the hostPath and local sources this node
// serves) and storage.k8s.io/v1 StorageClass.
//
// PURE data (descriptions are this project's own).
import {
  conditionDef, bool, core, def, kindDef, list, meta, qtyMap, ref, str, strMap, strs, time, type Definitions,
} from './build.js';

const accessModes = strs('How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.');
const volumeMode = str('Filesystem (default) or Block.');
const STORAGE_CLASS = 'io.k8s.api.storage.v1.StorageClass';

export const STORAGE_DEFINITIONS: Definitions = {
  [core('PersistentVolumeClaim')]: kindDef('A request for storage, bound to a PersistentVolume that satisfies it.', {
    spec: ref(core('PersistentVolumeClaimSpec'), 'The storage wanted.'),
    status: ref(core('PersistentVolumeClaimStatus'), 'The binding and the storage obtained.'),
  }),
  [core('PersistentVolumeClaimSpec')]: def('The storage a claim asks for.', {
    accessModes,
    selector: ref(meta('LabelSelector'), 'A label query over the volumes the claim may bind to.'),
    resources: ref(core('VolumeResourceRequirements'), 'The size wanted (requests.storage).'),
    volumeName: str('The PersistentVolume to bind to (set by binding).'),
    storageClassName: str('The StorageClass to provision from ("" for none; unset for the default class).'),
    volumeMode,
    volumeAttributesClassName: str('The VolumeAttributesClass of the volume.'),
  }),
  [core('VolumeResourceRequirements')]: def('The storage resources of a claim.', {
    limits: qtyMap('The most storage allowed.'),
    requests: qtyMap('The storage wanted (storage: 1Gi).'),
  }),
  [core('PersistentVolumeClaimStatus')]: def('The observed state of a claim.', {
    phase: str('Pending, Bound or Lost.'),
    accessModes: strs('The access modes of the bound volume.'),
    capacity: qtyMap('The size of the bound volume.'),
    conditions: list(core('PersistentVolumeClaimCondition'), 'Progress of a resize.', 'type'),
  }),
  [core('PersistentVolumeClaimCondition')]: conditionDef('a claim', 'Resizing, FileSystemResizePending, …', {
    lastProbeTime: time('When the condition was last checked.'),
  }),

  [core('PersistentVolume')]: kindDef('A piece of storage that a claim can bind to.', {
    spec: ref(core('PersistentVolumeSpec'), 'The storage and how it may be used.'),
    status: ref(core('PersistentVolumeStatus'), 'Whether the volume is free, bound or released.'),
  }),
  [core('PersistentVolumeSpec')]: def('A piece of storage and its terms of use (one source).', {
    capacity: qtyMap('The size of the volume (storage: 1Gi).'),
    hostPath: ref(core('HostPathVolumeSource'), 'A directory of the node.'),
    local: ref(core('LocalVolumeSource'), 'A local disk or directory, tied to its node by nodeAffinity.'),
    accessModes,
    claimRef: ref(core('ObjectReference'), 'The claim the volume is bound (or reserved) to.'),
    persistentVolumeReclaimPolicy: str('Retain (default for manual volumes), Delete or Recycle: what happens when the claim goes.'),
    storageClassName: str('The StorageClass the volume belongs to.'),
    mountOptions: strs('Mount options used when the volume is mounted.'),
    volumeMode,
    nodeAffinity: ref(core('VolumeNodeAffinity'), 'The nodes the volume can be used from.'),
    volumeAttributesClassName: str('The VolumeAttributesClass of the volume.'),
  }),
  [core('LocalVolumeSource')]: def('A local disk or directory.', {
    path: str('The full path on the node.'),
    fsType: str('The filesystem type, for a block device.'),
  }, ['path']),
  [core('VolumeNodeAffinity')]: def('Where a volume can be used from.', {
    required: ref(core('NodeSelector'), 'Node selector terms one of which a node must match.'),
  }),
  [core('PersistentVolumeStatus')]: def('The observed state of a volume.', {
    phase: str('Pending, Available, Bound, Released or Failed.'),
    message: str('A human-readable explanation.'),
    reason: str('A CamelCase word saying why the volume is in this phase.'),
    lastPhaseTransitionTime: time('When phase last changed.'),
  }),

  [STORAGE_CLASS]: kindDef('A class of storage that claims name and volumes are provisioned from.', {
    provisioner: str('The provisioner that creates volumes of this class (e.g. rancher.io/local-path).'),
    parameters: strMap('Settings passed to the provisioner.'),
    reclaimPolicy: str('Delete (default) or Retain: the reclaim policy of provisioned volumes.'),
    mountOptions: strs('Mount options of provisioned volumes.'),
    allowVolumeExpansion: bool('Whether claims of this class may grow.'),
    volumeBindingMode: str('Immediate (default) or WaitForFirstConsumer (bind once a pod is scheduled).'),
  }, ['provisioner']),
};
