// control-plane/controllers/storage/types.ts — the shapes the storage controller reads (PersistentVolumeClaim,
// PersistentVolume, StorageClass, the parts of Pods and Nodes it needs), their resources, and the names the real
// components use: annotations, finalizers, the local-path class k3s ships.
import type { KubeObject, ResourceRef } from '../../../client/index.js';

export { PVCS, PVS } from '../../../client/index.js';
export const STORAGE_CLASSES: ResourceRef = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false };

export const PV_CONTROLLER = 'persistentvolume-controller';
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_CLASS = 'local-path';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface ClaimRef { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string }

export interface NodeSelectorTerm {
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
  matchFields?: { key: string; operator: string; values?: string[] }[];
}

export interface PVC extends KubeObject {
  spec?: {
    accessModes?: string[];
    resources?: { requests?: Record<string, string> };
    storageClassName?: string;
    volumeName?: string;
    volumeMode?: string;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

export interface PV extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    claimRef?: ClaimRef;
    hostPath?: { path: string; type?: string };
    local?: { path: string };
    nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
  };
  status?: { phase?: string; reason?: string; message?: string; lastPhaseTransitionTime?: string };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  parameters?: Record<string, string>;
}

export interface PodLike extends KubeObject {
  spec?: { nodeName?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName?: string; readOnly?: boolean } }[] };
  status?: { phase?: string };
}

export interface NodeLike extends KubeObject {
  metadata?: KubeObject['metadata'] & { labels?: Record<string, string> };
}

/** The local-path class as k3s ships it (WaitForFirstConsumer, Delete), the default class. */
export const localPathClass = (): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS]: 'true' } },
  provisioner: LOCAL_PATH_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
});
