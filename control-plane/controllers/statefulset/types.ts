// control-plane/controllers/statefulset/types.ts — the shapes the StatefulSet controller reads and writes
// (apps/v1 StatefulSet, ControllerRevision, core/v1 PersistentVolumeClaim, the pods it owns), the label keys
// it stamps (apps/v1 types.go), and the resources it talks to.
import type { KubeObject, ResourceRef } from '../../../client/index.js';
import type { OwnerRef } from '../framework/index.js';
import type { PodTemplate } from '../replicaset/index.js';
import type { Pod, SpecSelector } from '../replicaset/pods.js';

export type { OwnerRef, Pod, PodTemplate, SpecSelector };

export const STATEFULSETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true };
export { CONTROLLERREVISIONS } from '../framework/refs.js';
export { PVCS } from '../storage/types.js';

/** StatefulSetPodNameLabel */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** PodIndexLabel */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** StatefulSetRevisionLabel (= ControllerRevisionHashLabelKey): the revision's name on each pod. */
export const REVISION_LABEL = 'controller-revision-hash';
/** ControllerRevisionHashLabel: the hash on each ControllerRevision. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

export type RetentionPolicy = 'Retain' | 'Delete';

export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector?: SpecSelector;
  template?: PodTemplate;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  ordinals?: { start?: number };
  volumeClaimTemplates?: ClaimTemplate[];
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: RetentionPolicy; whenScaled?: RetentionPolicy };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
}

export interface StatefulSet extends KubeObject {
  spec?: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision?: number;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { phase?: string };
}
