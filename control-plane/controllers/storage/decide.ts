// control-plane/controllers/storage/decide.ts — PURE decisions of the storage controller (the PV controller's
// binder, the pvc-protection and pv-protection controllers, k3s's local-path provisioner), from the caches:
//
// - claimStep(claim, world): what one reconcile of a claim does next — drop pvc-protection when no pod uses a
//   claim being deleted; give a claim that names no class the default class (the retroactive default); bind to a
//   fitting Available volume (smallest that fits), complete a binding the volume side already has, provision on
//   the selected node (WaitForFirstConsumer: the scheduler's `volume.kubernetes.io/selected-node`, or the node of
//   a scheduled pod that uses it), or wait with the upstream event.
// - volumeStep(volume, claims): Available / Bound / Released, the reclaim (Delete, Retain) and pv-protection.
// - provisionedVolume(...): the PV `pvc-<uid>` with hostPath `<dir>/pvc-<uid>_<ns>_<name>` and node affinity.
import { quantityOf } from './quantity.js';
import {
  BIND_COMPLETED, BOUND_BY_CONTROLLER, DEFAULT_CLASS, HOSTNAME_LABEL, LOCAL_PATH_PROVISIONER, PROVISIONED_BY, PV_PROTECTION, PVC_PROTECTION,
  SELECTED_NODE, type NodeLike, type NodeSelectorTerm, type PodLike, type PV, type PVC, type StorageClass,
} from './types.js';

export interface EventSpec { readonly type: 'Normal' | 'Warning'; readonly reason: string; readonly message: string }

export type ClaimAction =
  | { kind: 'none'; event?: EventSpec }
  | { kind: 'releaseFinalizer' }
  | { kind: 'setClass'; className: string }
  | { kind: 'bindVolume'; volume: string }
  | { kind: 'completeBinding'; volume: string }
  | { kind: 'provision'; node: string; storageClass: StorageClass }
  | { kind: 'lost'; event: EventSpec };

export type VolumeAction =
  | { kind: 'none' }
  | { kind: 'releaseFinalizer' }
  | { kind: 'setPhase'; phase: 'Available' | 'Bound' | 'Released' | 'Failed'; reason?: string; message?: string; event?: EventSpec }
  | { kind: 'delete'; localPath?: string };

export interface World {
  readonly volumes: readonly PV[];
  readonly classes: readonly StorageClass[];
  /** Pods of the claim's namespace. */
  readonly pods: readonly PodLike[];
  readonly nodes: readonly NodeLike[];
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export const usesClaim = (pod: PodLike, claim: string): boolean =>
  (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim);

/** The claim names a pod's volumes refer to. */
export const claimsOf = (pod: PodLike): string[] =>
  (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);

/** Pods that keep a claim in use (pvc-protection): same namespace, not finished. */
export const usersOf = (claim: PVC, pods: readonly PodLike[]): PodLike[] =>
  pods.filter((p) => p.metadata?.namespace === claim.metadata?.namespace && usesClaim(p, claim.metadata?.name ?? '') && !TERMINAL.has(p.status?.phase ?? ''));

/** GetDefaultClass: the newest class annotated default (ties by name). */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  return classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true' && !c.metadata?.deletionTimestamp)
    .sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

const classOf = (claim: PVC): string => claim.spec?.storageClassName ?? '';

/** The node a claim is to be provisioned on: the scheduler's choice, else a scheduled pod using it. */
export function selectedNode(claim: PVC, pods: readonly PodLike[]): string | undefined {
  const annotated = claim.metadata?.annotations?.[SELECTED_NODE];
  if (annotated) return annotated;
  return usersOf(claim, pods).find((p) => p.spec?.nodeName)?.spec?.nodeName;
}

function termMatches(term: NodeSelectorTerm, node: NodeLike): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields: Record<string, string> = { 'metadata.name': node.metadata?.name ?? '' };
  const test = (r: { key: string; operator: string; values?: string[] }, have: Record<string, string>): boolean => {
    const v = have[r.key];
    switch (r.operator) {
      case 'In': return v !== undefined && (r.values ?? []).includes(v);
      case 'NotIn': return v === undefined || !(r.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  };
  const exprs = term.matchExpressions ?? [];
  const flds = term.matchFields ?? [];
  if (exprs.length === 0 && flds.length === 0) return false;
  return exprs.every((r) => test(r, labels)) && flds.every((r) => test(r, fields));
}

/** A volume's node affinity admits the node (no affinity: every node). */
export function affinityAdmits(pv: PV, node: NodeLike | undefined): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return node !== undefined && terms.some((t) => termMatches(t, node));
}

function selectorMatches(sel: NonNullable<PVC['spec']>['selector'], labels: Record<string, string>): boolean {
  if (!sel) return true;
  if (Object.entries(sel.matchLabels ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  return (sel.matchExpressions ?? []).every((r) => termMatches({ matchExpressions: [r] }, { metadata: { labels } }));
}

/** FindMatchingVolume's test of one volume against a claim (class, modes, mode, size, selector, free or pre-bound to it). */
export function volumeFits(pv: PV, claim: PVC): boolean {
  const ref = pv.spec?.claimRef;
  if (ref && !(ref.namespace === claim.metadata?.namespace && ref.name === claim.metadata?.name && (!ref.uid || ref.uid === claim.metadata?.uid))) return false;
  if (!ref && pv.status?.phase !== 'Available') return false;
  if (pv.metadata?.deletionTimestamp) return false;
  if ((pv.spec?.storageClassName ?? '') !== classOf(claim)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  if (quantityOf(pv.spec?.capacity?.['storage']) < quantityOf(claim.spec?.resources?.requests?.['storage'])) return false;
  return selectorMatches(claim.spec?.selector, pv.metadata?.labels ?? {});
}

/** The volume to bind: one pre-bound to the claim first, else the smallest that fits (and admits `node`, if given). */
export function findVolume(claim: PVC, volumes: readonly PV[], node?: NodeLike): PV | undefined {
  const fits = volumes.filter((v) => volumeFits(v, claim) && (node === undefined || affinityAdmits(v, node)));
  const pre = fits.find((v) => v.spec?.claimRef);
  if (pre) return pre;
  return fits.sort((a, b) => quantityOf(a.spec?.capacity?.['storage']) - quantityOf(b.spec?.capacity?.['storage']) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

const boundTo = (pv: PV, claim: PVC): boolean => !!pv.spec?.claimRef?.uid && pv.spec.claimRef.uid === claim.metadata?.uid;

const noClassEvent: EventSpec = { type: 'Warning', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' };
const waitEvent: EventSpec = { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' };
const externalEvent = (p: string): EventSpec => ({ type: 'Normal', reason: 'ExternalProvisioning', message: `Waiting for a volume to be created either by the external provisioner '${p}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.` });

function unboundStep(claim: PVC, w: World): ClaimAction {
  const mine = w.volumes.find((v) => boundTo(v, claim));
  if (mine) return { kind: 'completeBinding', volume: mine.metadata!.name! };
  const cls = w.classes.find((c) => c.metadata?.name === classOf(claim));
  const wait = cls?.volumeBindingMode === 'WaitForFirstConsumer';
  const nodeName = selectedNode(claim, w.pods);
  const node = w.nodes.find((n) => n.metadata?.name === nodeName);
  if (!wait || nodeName) {
    const pv = findVolume(claim, w.volumes, wait ? node ?? { metadata: { name: nodeName } } : undefined);
    if (pv) return { kind: 'bindVolume', volume: pv.metadata!.name! };
  }
  if (!classOf(claim) || !cls) return { kind: 'none', event: classOf(claim) ? { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${classOf(claim)}" not found` } : noClassEvent };
  if (cls.provisioner !== LOCAL_PATH_PROVISIONER) return { kind: 'none', event: externalEvent(cls.provisioner ?? '') };
  if (nodeName) return { kind: 'provision', node: nodeName, storageClass: cls };
  if (wait) return { kind: 'none', event: waitEvent };
  // Immediate binding: one node is the node; several cannot be chosen among (local-path-provisioner's error).
  if (w.nodes.length === 1) return { kind: 'provision', node: w.nodes[0]!.metadata!.name!, storageClass: cls };
  return { kind: 'none', event: { type: 'Warning', reason: 'ProvisioningFailed', message: 'configuration error, no node was specified' } };
}

/** What one reconcile of a claim does next. */
export function claimStep(claim: PVC, w: World): ClaimAction {
  if (claim.metadata?.deletionTimestamp) {
    const held = claim.metadata.finalizers?.includes(PVC_PROTECTION) && usersOf(claim, w.pods).length === 0;
    return held ? { kind: 'releaseFinalizer' } : { kind: 'none' };
  }
  const volumeName = claim.spec?.volumeName;
  if (!volumeName) {
    if (claim.spec?.storageClassName === undefined) {
      const d = defaultClass(w.classes);
      if (d) return { kind: 'setClass', className: d.metadata!.name! };
    }
    return unboundStep(claim, w);
  }
  const pv = w.volumes.find((v) => v.metadata?.name === volumeName);
  if (!pv) {
    return claim.status?.phase === 'Bound'
      ? { kind: 'lost', event: { type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' } }
      : { kind: 'none' };
  }
  const ref = pv.spec?.claimRef;
  if (!ref) return { kind: 'bindVolume', volume: volumeName };
  if (!boundTo(pv, claim)) {
    if (ref.namespace === claim.metadata?.namespace && ref.name === claim.metadata?.name && !ref.uid) return { kind: 'bindVolume', volume: volumeName };
    return { kind: 'none', event: { type: 'Warning', reason: 'FailedBinding', message: `volume "${volumeName}" already bound to a different claim.` } };
  }
  return { kind: 'completeBinding', volume: volumeName };
}

/** The claim after a binding completes: volumeName and the binder's annotations (undefined when already so). */
export function boundClaimSpec(claim: PVC, pv: PV, boundByController: boolean): PVC | undefined {
  const ann = { ...(claim.metadata?.annotations ?? {}), [BIND_COMPLETED]: 'yes', ...(boundByController ? { [BOUND_BY_CONTROLLER]: 'yes' } : {}) };
  const same = claim.spec?.volumeName === pv.metadata?.name && JSON.stringify(ann) === JSON.stringify(claim.metadata?.annotations ?? {});
  return same ? undefined : { ...claim, metadata: { ...claim.metadata, annotations: ann }, spec: { ...claim.spec, volumeName: pv.metadata!.name! } };
}

/** A bound claim's status: phase, the volume's capacity and access modes. */
export const boundClaimStatus = (pv: PV): NonNullable<PVC['status']> =>
  ({ phase: 'Bound', accessModes: [...(pv.spec?.accessModes ?? [])], capacity: { ...(pv.spec?.capacity ?? {}) } });

/** What one reconcile of a volume does next; `claims` finds a claim by namespace/name. */
export function volumeStep(pv: PV, claimOf: (ns: string, name: string) => PVC | undefined): VolumeAction {
  const ref = pv.spec?.claimRef;
  const claim = ref ? claimOf(ref.namespace ?? '', ref.name ?? '') : undefined;
  const gone = !!ref?.uid && (!claim || claim.metadata?.uid !== ref.uid);
  if (pv.metadata?.deletionTimestamp) {
    const held = pv.metadata.finalizers?.includes(PV_PROTECTION) && (pv.status?.phase !== 'Bound' || gone);
    return held ? { kind: 'releaseFinalizer' } : { kind: 'none' };
  }
  const phase = pv.status?.phase;
  if (!ref) return phase === 'Available' ? { kind: 'none' } : { kind: 'setPhase', phase: 'Available' };
  if (!gone) return ref.uid && phase !== 'Bound' && claim?.spec?.volumeName === pv.metadata?.name ? { kind: 'setPhase', phase: 'Bound' } : { kind: 'none' };
  if (phase !== 'Released' && phase !== 'Failed') return { kind: 'setPhase', phase: 'Released' };
  if (phase === 'Failed' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return { kind: 'none' };
  if (pv.metadata?.annotations?.[PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) return { kind: 'delete', localPath: pv.spec?.hostPath?.path ?? pv.spec?.local?.path };
  const name = pv.metadata?.name ?? '';
  return {
    kind: 'setPhase', phase: 'Failed', message: `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`,
    event: { type: 'Warning', reason: 'VolumeFailedDelete', message: `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched` },
  };
}

/** The directory of a provisioned claim, as local-path-provisioner names it. */
export const volumeDirName = (claim: PVC): string => `pvc-${claim.metadata!.uid}_${claim.metadata!.namespace}_${claim.metadata!.name}`;

/** The volume local-path provisions for a claim on `node` (pre-bound to the claim by uid). */
export function provisionedVolume(claim: PVC, cls: StorageClass, node: string, hostname: string, storageDir: string): PV {
  const md = claim.metadata!;
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: `pvc-${md.uid}`, annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER, 'local.path.provisioner/selected-node': node } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.['storage'] ?? '0' },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata?.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: `${storageDir.replace(/\/+$/, '')}/${volumeDirName(claim)}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] } },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: md.namespace, name: md.name, uid: md.uid, resourceVersion: md.resourceVersion },
    },
  };
}
