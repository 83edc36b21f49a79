// control-plane/controllers/daemonset/types.ts — the views of DaemonSets, Nodes, ControllerRevisions the
// DaemonSet controller's pure decisions read (only the fields they use), the well-known keys
// (control-plane-semantics.md §4) and the apps/v1 refs it writes through.
import type { KubeObject, ResourceRef } from '../../../client/index.js';
import type { NodeFitSpec, NodeFitView } from '../../scheduler/affinity.js';
import type { Pod, SpecSelector } from '../replicaset/pods.js';

export type IntOrString = number | string;

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; [k: string]: unknown };
  spec?: NodeFitSpec & { hostNetwork?: boolean; [k: string]: unknown };
}

export interface DSStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
}

export interface DaemonSet extends KubeObject {
  spec?: {
    selector?: SpecSelector;
    template?: PodTemplate;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: Partial<DSStatus>;
}

export interface NodeView extends KubeObject, NodeFitView {
  metadata?: KubeObject['metadata'];
  spec?: { taints?: { key?: string; value?: string; effect?: string }[]; unschedulable?: boolean };
}

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision?: number;
}

export type { Pod };

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
/** Upstream BurstReplicas of the DaemonSet controller. */
export const BURST_REPLICAS = 250;

export const DAEMONSETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true };
export { CONTROLLERREVISIONS } from '../framework/refs.js';

export const withTypeMeta = (ds: DaemonSet): DaemonSet => ({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' });
export const templateGenerationOf = (ds: DaemonSet): string | undefined => ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
