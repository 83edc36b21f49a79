// control-plane/controllers/statefulset/identity.ts — PURE: a StatefulSet pod's identity and storage
// (control-plane-semantics.md §4; upstream stateful_set_utils.go): ordinals from names `<sts>-<n>`, the range
// spec.ordinals.start … start+replicas−1, the pod a create sends (the template + name, labels pod-name,
// pod-index and controller-revision-hash, hostname = name, subdomain = serviceName, a persistentVolumeClaim
// volume per claim template before the template's own volumes), the claims `<claim>-<sts>-<ordinal>`, and
// the ownerReferences a claim must carry under persistentVolumeClaimRetentionPolicy.
import { controllerRefTo } from '../framework/index.js';
import {
  POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL,
  type OwnerRef, type PersistentVolumeClaim, type Pod, type PodTemplate, type RetentionPolicy, type StatefulSet,
} from './types.js';

const ORDINAL_RE = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: ['', -1] for a name that is not `<parent>-<n>`. */
export function parentAndOrdinal(name: string | undefined): [string, number] {
  const m = ORDINAL_RE.exec(name ?? '');
  if (!m) return ['', -1];
  const n = Number.parseInt(m[2]!, 10);
  return n <= 2147483647 ? [m[1]!, n] : [m[1]!, -1];
}

export const ordinalOf = (p: Pod): number => parentAndOrdinal(p.metadata?.name)[1];
export const isMemberOf = (set: StatefulSet, p: Pod): boolean => parentAndOrdinal(p.metadata?.name)[0] === set.metadata?.name;

export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;
export const inOrdinalRange = (set: StatefulSet, ordinal: number): boolean =>
  ordinal >= startOrdinal(set) && ordinal < startOrdinal(set) + replicasOf(set);

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata!.name}-${ordinal}`;
export const claimName = (set: StatefulSet, template: string, ordinal: number): string => `${template}-${set.metadata!.name}-${ordinal}`;

export const typedSet = (set: StatefulSet): StatefulSet => ({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' });

/** newStatefulSetPod + setPodRevision: the pod of `ordinal` from `template` at revision `revision`. */
export function newPod(set: StatefulSet, template: PodTemplate, ordinal: number, revision: string): Pod {
  const name = podName(set, ordinal);
  const md = template.metadata ?? {};
  const labels = { ...(md.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision };
  const meta: NonNullable<Pod['metadata']> = { name, namespace: set.metadata!.namespace, labels, ownerReferences: [controllerRefTo(typedSet(set))] };
  if (md.annotations) meta.annotations = { ...md.annotations };
  if (md.finalizers) meta.finalizers = [...md.finalizers];
  const spec = structuredClone(template.spec ?? {}) as Record<string, unknown>;
  spec['hostname'] = name;
  if (set.spec?.serviceName) spec['subdomain'] = set.spec.serviceName;
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
  const own = ((spec['volumes'] as { name?: string }[] | undefined) ?? []).filter((v) => !claims.includes(v.name ?? ''));
  const volumes = [...claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: claimName(set, c, ordinal) } })), ...own];
  if (volumes.length) spec['volumes'] = volumes;
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

/** getPersistentVolumeClaims: the claims of `ordinal`, labelled with the template's labels + the selector's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const md = t.metadata ?? {};
    const metadata: NonNullable<PersistentVolumeClaim['metadata']> = {
      name: claimName(set, md.name ?? '', ordinal), namespace: set.metadata!.namespace,
      labels: { ...(md.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
    };
    if (md.annotations) metadata.annotations = { ...md.annotations };
    return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: structuredClone(t.spec ?? {}) };
  });
}

const policyOf = (set: StatefulSet): { whenDeleted: RetentionPolicy; whenScaled: RetentionPolicy } => ({
  whenDeleted: set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain',
  whenScaled: set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain',
});

/**
 * updateClaimOwnerRefForSetAndPod: the claim's ownerReferences under the retention policy, given the pod of
 * its ordinal (undefined when there is none yet: no pod reference can be set). Retain/Retain: none of ours;
 * whenDeleted Delete: the set as controller while the ordinal is in range; whenScaled Delete: the pod as
 * controller once the ordinal is out of range (scaled down). References to other owners are kept; a claim
 * another controller owns is left without ours.
 */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, ordinal: number, pod: Pod | undefined): OwnerRef[] {
  const refs = claim.metadata?.ownerReferences ?? [];
  const ours = (r: OwnerRef): boolean => (r.kind === 'StatefulSet' && r.name === set.metadata?.name) || (r.kind === 'Pod' && r.name === podName(set, ordinal));
  const kept = refs.filter((r) => !ours(r));
  if (kept.some((r) => r.controller) && !isRetainRetain(set)) return kept;
  const { whenDeleted, whenScaled } = policyOf(set);
  const scaledDown = !inOrdinalRange(set, ordinal);
  const out = [...kept];
  if (whenScaled === 'Delete' && scaledDown && pod?.metadata?.uid) out.push(controllerRefTo({ ...pod, apiVersion: 'v1', kind: 'Pod' }));
  if (whenDeleted === 'Delete' && (whenScaled === 'Retain' || !scaledDown)) out.push(controllerRefTo(typedSet(set)));
  return out;
}

const isRetainRetain = (set: StatefulSet): boolean => { const p = policyOf(set); return p.whenDeleted === 'Retain' && p.whenScaled === 'Retain'; };

/** The claim already carries exactly the references claimOwnerRefs wants (by uid, in any order). */
export function claimRefsUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, ordinal: number, pod: Pod | undefined): boolean {
  const uids = (rs: readonly OwnerRef[]): string => rs.map((r) => `${r.uid}:${r.controller === true}`).sort().join(',');
  return uids(claim.metadata?.ownerReferences ?? []) === uids(claimOwnerRefs(claim, set, ordinal, pod));
}
