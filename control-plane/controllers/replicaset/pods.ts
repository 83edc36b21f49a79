// control-plane/controllers/replicaset/pods.ts — PURE predicates on pods the ReplicaSet controller (and the
// Deployment controller's status) counts by: active (not Succeeded/Failed, not being deleted), Ready (the
// Ready condition True), available (Ready for minReadySeconds: lastTransitionTime + minReadySeconds < now),
// and label-selector matching of a spec's selector (an absent selector matches nothing).
import type { KubeObject } from '../../../client/index.js';
import { selectorFromSpec, type SpecSelector } from '../../store/selectors.js';

export interface PodCondition { type: string; status: string; lastTransitionTime?: string }

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: { phase?: string; conditions?: PodCondition[]; containerStatuses?: { restartCount?: number }[]; [k: string]: unknown };
}

export const isPodActive = (p: Pod): boolean =>
  p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;

export const readyCondition = (p: Pod): PodCondition | undefined => p.status?.conditions?.find((c) => c.type === 'Ready');

export const isPodReady = (p: Pod): boolean => readyCondition(p)?.status === 'True';

/** Ready, and for minReadySeconds already (upstream IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = readyCondition(p);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < nowMs;
}

/** When a Ready-but-not-yet-available pod becomes available (ms), for a requeue; undefined if none. */
export function nextAvailableAt(pods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let next: number | undefined;
  for (const p of pods) {
    const c = readyCondition(p);
    if (c?.status !== 'True' || !c.lastTransitionTime || isPodAvailable(p, minReadySeconds, nowMs)) continue;
    const at = Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 + 1;
    if (!Number.isNaN(at) && (next === undefined || at < next)) next = at;
  }
  return next;
}

export function selectorMatches(selector: SpecSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  return selectorFromSpec(selector).matches(labels ?? {});
}

export type { SpecSelector };
