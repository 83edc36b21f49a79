// control-plane/controllers/deployment/revision.ts — revisions and the annotations the Deployment controller
// keeps on its ReplicaSets (PURE; control-plane-semantics.md §1.2 table, §1.11): copy of the Deployment's
// annotations, revision / revision-history (after a rollback), desired-/max-replicas, and which old
// ReplicaSets revisionHistoryLimit removes.
import { maxSurge, replicasOf } from './arithmetic.js';
import { byCreation } from './hash.js';
import {
  DESIRED_REPLICAS, LAST_APPLIED, MAX_REPLICAS, MAX_REV_HISTORY_CHARS, REVISION, REVISION_HISTORY, ROLLBACK_TO,
  specReplicas, statusOf, type Deployment, type ReplicaSet,
} from './types.js';

const SKIP = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/** An RS's revision (0 when absent or not a number). */
export function revisionOf(rs: ReplicaSet): number {
  const v = rs.metadata?.annotations?.[REVISION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

export const maxRevision = (rss: readonly ReplicaSet[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

const annotations = (rs: ReplicaSet): Record<string, string> => ((rs.metadata ??= {}).annotations ??= {});

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, d: Deployment): boolean {
  const a = annotations(rs);
  const desired = String(replicasOf(d));
  const max = String(replicasOf(d) + maxSurge(d));
  if (a[DESIRED_REPLICAS] === desired && a[MAX_REPLICAS] === max) return false;
  a[DESIRED_REPLICAS] = desired;
  a[MAX_REPLICAS] = max;
  return true;
}

export const replicasAnnotationsNeedUpdate = (rs: ReplicaSet, d: Deployment): boolean =>
  rs.metadata?.annotations?.[DESIRED_REPLICAS] !== String(replicasOf(d)) ||
  rs.metadata?.annotations?.[MAX_REPLICAS] !== String(replicasOf(d) + maxSurge(d));

/** SetNewReplicaSetAnnotations (mutates rs): true when an annotation changed. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = annotations(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION];
  const oldInt = oldRevision === undefined || oldRevision === '' ? 0 : /^\d+$/.test(oldRevision) ? Number(oldRevision) : NaN;
  if (Number.isNaN(oldInt)) return changed;
  if (oldInt < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision) a[REVISION_HISTORY] = appendHistory(a[REVISION_HISTORY] ?? '', oldRevision);
  }
  if (!exists && setReplicasAnnotations(rs, d)) changed = true;
  return changed;
}

/** The revision-history list with `old` appended, dropping the oldest entries to stay within 2000 chars. */
export function appendHistory(history: string, old: string): string {
  if (history === '') return old;
  const parts = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > MAX_REV_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
  return total <= MAX_REV_HISTORY_CHARS ? [...parts.slice(start), old].join(',') : history;
}

/** cleanupDeployment: the old ReplicaSets to delete beyond revisionHistoryLimit (lowest revisions, idle only). */
export function replicaSetsToClean(old: readonly ReplicaSet[], d: Deployment): ReplicaSet[] {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return [];
  const alive = old.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  return sorted.slice(0, diff).filter((rs) => (statusOf(rs).replicas ?? 0) === 0 && specReplicas(rs) === 0 &&
    (rs.metadata?.generation ?? 0) <= (statusOf(rs).observedGeneration ?? 0));
}
