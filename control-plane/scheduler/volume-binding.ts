// control-plane/scheduler/volume-binding.ts — the scheduler's share of persistent volumes (the VolumeBinding
// plugin, reduced):
// - its PreFilter (claimsBlock, PURE): a pod whose claim is missing, being deleted or Lost, or whose claim of an
//   Immediate class (or of no class, or of a class that does not exist) is not bound yet, is not scheduled —
//   `0/N nodes are available: persistentvolumeclaim "x" not found. preemption: …` /
//   `… pod has unbound immediate PersistentVolumeClaims. …`; the scheduler tries again when a claim it names is
//   added or changed. An unbound claim of a WaitForFirstConsumer class (local-path) does not hold the pod back.
// - its Filter: a pod whose claim is bound to a volume with node affinity (a local-path volume lives on one node)
//   goes only to a node that affinity admits, else `volume node affinity conflict`;
// - its PreBind: a claim not bound yet gets `volume.kubernetes.io/selected-node: <node>` when the pod is bound,
//   which tells the local-path provisioner (WaitForFirstConsumer) where to make the volume.
import { isNotFound, type KubeClient } from '../../client/index.js';
import {
  affinityAdmits, BIND_COMPLETED, claimsOf, PVCS, PVS, SELECTED_NODE, STORAGE_CLASSES,
  type NodeLike, type PodLike, type PV, type PVC, type StorageClass,
} from '../controllers/storage/index.js';

export interface PodVolumes {
  /** Why the pod cannot be scheduled at all (PreFilter), in kube-scheduler's words. */
  readonly blocked?: string;
  /** Claims with no volume yet and no selected node: annotated with the chosen node. */
  readonly unbound: readonly string[];
  /** The volumes the pod's bound claims use. */
  readonly bound: readonly PV[];
}

interface PodWithClaims { metadata?: { namespace?: string }; spec?: object }

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch((e: unknown) => { if (isNotFound(e)) return undefined; throw e; });

/** isPVCFullyBound: a volume named and the binder's bind-completed annotation. */
const fullyBound = (c: PVC): boolean => !!c.spec?.volumeName && c.metadata?.annotations?.[BIND_COMPLETED] !== undefined;

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer (no class, or a missing one: Immediate). */
const delayBinding = (c: PVC, classOf: (name: string) => StorageClass | undefined): boolean => {
  const name = c.spec?.storageClassName ?? '';
  return name !== '' && classOf(name)?.volumeBindingMode === 'WaitForFirstConsumer';
};

/**
 * The VolumeBinding PreFilter (PURE): the reason the pod's claims keep it from every node, or undefined.
 * Each claim in volume order must exist, not be Lost and not be deleted; then no claim of an Immediate class
 * may be unbound.
 */
export function claimsBlock(
  names: readonly string[],
  claimOf: (name: string) => PVC | undefined,
  classOf: (name: string) => StorageClass | undefined,
): string | undefined {
  const claims: PVC[] = [];
  for (const name of names) {
    const c = claimOf(name);
    if (!c) return `persistentvolumeclaim "${name}" not found`;
    if (c.status?.phase === 'Lost') return `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${c.spec?.volumeName ?? ''}"`;
    if (c.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    claims.push(c);
  }
  return claims.some((c) => !fullyBound(c) && !delayBinding(c, classOf)) ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

/** The FitError text of a PreFilter rejection over `nodes` nodes. */
export const preFilterMessage = (nodes: number, reason: string): string =>
  `0/${nodes} nodes are available: ${reason}. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`;

/** Reads the pod's claims, their classes and their volumes. */
export async function podVolumes(client: KubeClient, pod: PodWithClaims): Promise<PodVolumes> {
  const ns = pod.metadata?.namespace ?? 'default';
  const names = [...new Set(claimsOf(pod as PodLike))];
  const claims = new Map<string, PVC | undefined>();
  for (const name of names) claims.set(name, await orUndefined(client.get<PVC>(PVCS, ns, name)));
  const classes = new Map<string, StorageClass | undefined>();
  for (const c of claims.values()) {
    const cls = c?.spec?.storageClassName;
    if (cls && !classes.has(cls)) classes.set(cls, await orUndefined(client.get<StorageClass>(STORAGE_CLASSES, undefined, cls)));
  }
  const blocked = claimsBlock(claimsOf(pod as PodLike), (n) => claims.get(n), (n) => classes.get(n));
  if (blocked) return { blocked, unbound: [], bound: [] };
  const unbound: string[] = [];
  const bound: PV[] = [];
  for (const [name, claim] of claims) {
    const pvName = claim?.spec?.volumeName;
    if (!pvName) { if (!claim?.metadata?.annotations?.[SELECTED_NODE]) unbound.push(name); continue; }
    const pv = await orUndefined(client.get<PV>(PVS, undefined, pvName));
    if (pv) bound.push(pv);
  }
  return { unbound, bound };
}

/** Every bound volume of the pod admits the node. */
export const volumesAdmit = (v: PodVolumes, node: { metadata?: { name?: string; labels?: Record<string, string> } }): boolean =>
  v.bound.every((pv) => affinityAdmits(pv, node as NodeLike));

export const volumeConflict = (nodes: number): string => preFilterMessage(nodes, `${nodes} node(s) had volume node affinity conflict`);

/** Tells the provisioner where the pod goes: the selected-node annotation on its unbound claims. */
export async function selectNode(client: KubeClient, ns: string, v: PodVolumes, node: string): Promise<void> {
  for (const name of v.unbound) {
    await orUndefined(client.patch(PVCS, ns, name, 'merge', { metadata: { annotations: { [SELECTED_NODE]: node } } }, { fieldManager: 'default-scheduler' }));
  }
}
