// control-plane/controllers/deployment/arithmetic.ts — the rolling-update numbers (PURE;
// control-plane-semantics.md §1.4): maxSurge rounds up, maxUnavailable rounds down, both 0 → unavailable 1;
// how far the new ReplicaSet may grow (NewRSNewReplicas); proportional shares of a scaling event (§1.7).
import { DESIRED_REPLICAS, MAX_REPLICAS, specReplicas, type Deployment, type IntOrString, type ReplicaSet } from './types.js';

/** intstr.GetScaledValueFromIntOrPercent: an int as is, `p%` of total rounded up or down. */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) return Number.parseInt(v, 10) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** The strategy as the API defaults it (RollingUpdate, 25%/25%): idempotent with the registry's defaulting. */
export function strategyOf(d: Deployment): { type: 'RollingUpdate' | 'Recreate'; maxSurge?: IntOrString; maxUnavailable?: IntOrString } {
  const s = d.spec.strategy ?? {};
  if (s.type === 'Recreate') return { type: 'Recreate' };
  const ru = s.rollingUpdate ?? {};
  return { type: 'RollingUpdate', maxSurge: ru.maxSurge ?? '25%', maxUnavailable: ru.maxUnavailable ?? '25%' };
}

export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;

/** ResolveFenceposts: [surge, unavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** MaxSurge(d): 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  const s = strategyOf(d);
  return s.type === 'RollingUpdate' ? resolveFenceposts(s.maxSurge, s.maxUnavailable, replicasOf(d))[0] : 0;
}

/** MaxUnavailable(d): 0 unless RollingUpdate with replicas > 0; never above replicas. */
export function maxUnavailable(d: Deployment): number {
  const s = strategyOf(d);
  const r = replicasOf(d);
  if (s.type !== 'RollingUpdate' || r === 0) return 0;
  return Math.min(resolveFenceposts(s.maxSurge, s.maxUnavailable, r)[1], r);
}

/** NewRSNewReplicas: the new RS's size this step (Recreate: all of them at once). */
export function newRSNewReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = replicasOf(d);
  if (strategyOf(d).type === 'Recreate') return replicas;
  const current = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
}

const intAnnotation = (rs: ReplicaSet, key: string): number | undefined => {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
};
export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DESIRED_REPLICAS);
export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MAX_REPLICAS);

/** getReplicaSetFraction: the RS's share of a resize, from its max-replicas annotation (Go's math.Round). */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return Math.sign(size) * Math.round(Math.abs(size)) - specReplicas(rs);
}

/** GetProportion: how many of `toAdd` (added so far: `added`) this RS takes. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
