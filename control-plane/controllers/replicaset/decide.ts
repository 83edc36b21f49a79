// control-plane/controllers/replicaset/decide.ts — PURE decisions of the ReplicaSet controller
// (control-plane-semantics.md §1.3, §1.10): which pods it claims (adopts orphans that match its selector,
// releases owned pods that no longer match), how many to create or delete (at most BURST_REPLICAS per sync),
// the slow-start batches of creates (1, 2, 4, …), the pod a create sends, and the status it writes.
import type { KubeObject } from '../../../client/index.js';
import { controllerRefOf, controllerRefTo, isControlledBy, type OwnerRef } from '../framework/index.js';
import { isPodActive, isPodAvailable, isPodReady, selectorMatches, type Pod, type SpecSelector } from './pods.js';

/** Upstream BurstReplicas: creates/deletes per sync. */
export const BURST_REPLICAS = 500;
/** Upstream SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH = 1;

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; [k: string]: unknown };
  spec?: Record<string, unknown>;
}

export interface RSCondition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }

export interface RSStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: RSCondition[];
}

export interface ReplicaSet extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: SpecSelector; template?: PodTemplate };
  status?: RSStatus;
}

export const desiredReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 1;

export interface Claim {
  /** Pods this RS controls after the claim (adopted ones included), active or not. */
  readonly owned: Pod[];
  /** Orphans to adopt (set the controllerRef). */
  readonly adopt: Pod[];
  /** Owned pods whose labels no longer match: drop our ownerReference. */
  readonly release: Pod[];
}

/**
 * Upstream ClaimPods: a pod controlled by this RS stays if it matches, is released if not (unless the RS is
 * being deleted); an orphan (no controller) that matches and is not being deleted is adopted (unless the RS
 * is being deleted); pods of other controllers are left alone. `pods` are the pods of the RS's namespace.
 */
export function claimPods(rs: ReplicaSet, pods: readonly Pod[]): Claim {
  const uid = rs.metadata?.uid;
  const deleting = !!rs.metadata?.deletionTimestamp;
  const selector = rs.spec?.selector;
  const owned: Pod[] = [];
  const adopt: Pod[] = [];
  const release: Pod[] = [];
  for (const p of pods) {
    const matches = selectorMatches(selector, p.metadata?.labels);
    if (isControlledBy(p, uid)) {
      if (matches || deleting) owned.push(p);
      else release.push(p);
    } else if (!controllerRefOf(p) && matches && !deleting && !p.metadata?.deletionTimestamp) {
      adopt.push(p);
      owned.push(p);
    }
  }
  return { owned, adopt, release };
}

/** The ownerReferences of `pod` after adoption by `rs` / release from `rs`. */
export const adoptedRefs = (pod: Pod, rs: ReplicaSet): OwnerRef[] => [...(pod.metadata?.ownerReferences ?? []), controllerRefTo(withTypeMeta(rs))];
export const releasedRefs = (pod: Pod, rs: ReplicaSet): OwnerRef[] => (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata?.uid);

/** Positive: pods to create; negative: pods to delete (both capped at BURST_REPLICAS); 0: nothing. */
export function replicaDiff(rs: ReplicaSet, activePods: number): number {
  const diff = desiredReplicas(rs) - activePods;
  return Math.max(-BURST_REPLICAS, Math.min(BURST_REPLICAS, diff));
}

/** Upstream slowStartBatch's batch sizes for `count` creates: 1, 2, 4, … until the count is reached. */
export function slowStartBatches(count: number, initial = SLOW_START_INITIAL_BATCH): number[] {
  const out: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    out.push(size);
    remaining -= size;
  }
  return out;
}

export const withTypeMeta = (rs: ReplicaSet): ReplicaSet => ({ ...rs, apiVersion: rs.apiVersion ?? 'apps/v1', kind: rs.kind ?? 'ReplicaSet' });

/** The pod a create sends (upstream GetPodFromTemplate): template labels, annotations, finalizers, spec;
 *  generateName `<rs>-`; the RS as controller. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec?.template ?? {};
  const md = t.metadata ?? {};
  const meta: NonNullable<Pod['metadata']> = { generateName: `${rs.metadata!.name}-`, namespace: rs.metadata!.namespace, ownerReferences: [controllerRefTo(withTypeMeta(rs))] };
  if (md.labels) meta.labels = { ...md.labels };
  if (md.annotations) meta.annotations = { ...md.annotations };
  if (md.finalizers) meta.finalizers = [...md.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: structuredClone(t.spec ?? {}) };
}

const isSuperset = (labels: Record<string, string> | undefined, want: Record<string, string> | undefined): boolean =>
  Object.entries(want ?? {}).every(([k, v]) => labels?.[k] === v);

/**
 * The status from the RS's active owned pods (upstream calculateStatus). `failure` is the error message
 * of this sync's creates/deletes (ReplicaFailure True, FailedCreate when short of pods, FailedDelete when
 * over); without one an existing ReplicaFailure is removed. Zero counts other than replicas are omitted.
 */
export function computeStatus(rs: ReplicaSet, activePods: readonly Pod[], failure: string | undefined, nowIso: string, nowMs: number): RSStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const labels = rs.spec?.template?.metadata?.labels;
  const counts = {
    fullyLabeledReplicas: activePods.filter((p) => isSuperset(p.metadata?.labels, labels)).length,
    readyReplicas: activePods.filter(isPodReady).length,
    availableReplicas: activePods.filter((p) => isPodAvailable(p, minReady, nowMs)).length,
  };
  const status: RSStatus = { replicas: activePods.length };
  for (const [k, v] of Object.entries(counts)) if (v > 0) status[k as keyof typeof counts] = v;
  if (rs.metadata?.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  let conditions = (rs.status?.conditions ?? []).slice();
  const failed = conditions.find((c) => c.type === 'ReplicaFailure');
  if (failure !== undefined && !failed) {
    const diff = activePods.length - desiredReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: nowIso, reason, message: failure });
  } else if (failure === undefined && failed) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** Active pods of a claim. */
export const activeOf = (pods: readonly Pod[]): Pod[] => pods.filter(isPodActive);
