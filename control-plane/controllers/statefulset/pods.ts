// control-plane/controllers/statefulset/pods.ts — PURE predicates on a StatefulSet's pods as upstream
// stateful_set_utils.go names them: created (has a phase), pending, failed, succeeded, terminating (being
// deleted), running-and-ready, available (running, Ready for minReadySeconds), healthy (running, ready, not
// terminating), and the revision a pod is at (its controller-revision-hash label).
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { REVISION_LABEL, type Pod } from './types.js';

export const isCreated = (p: Pod): boolean => !!p.status?.phase;
export const isPending = (p: Pod): boolean => p.status?.phase === 'Pending';
export const isFailed = (p: Pod): boolean => p.status?.phase === 'Failed';
export const isSucceeded = (p: Pod): boolean => p.status?.phase === 'Succeeded';
export const isTerminating = (p: Pod): boolean => !!p.metadata?.deletionTimestamp;
export const isRunningAndReady = (p: Pod): boolean => p.status?.phase === 'Running' && isPodReady(p);
export const isRunningAndAvailable = (p: Pod, minReadySeconds: number, nowMs: number): boolean =>
  p.status?.phase === 'Running' && isPodAvailable(p, minReadySeconds, nowMs);
export const isHealthy = (p: Pod): boolean => isRunningAndReady(p) && !isTerminating(p);
export const revisionOf = (p: Pod): string => p.metadata?.labels?.[REVISION_LABEL] ?? '';
