// control-plane/scheduler/volume-binding.ts — the scheduler's share of persistent volumes (the VolumeBinding
// plugin, reduced): a pod whose claim is bound to a volume with node affinity (a local-path volume lives on one
// node) goes only to a node that affinity admits, else `volume node affinity conflict`; a claim not bound yet
// gets `volume.kubernetes.io/selected-node: <node>` when the pod is bound, which tells the local-path provisioner
// (WaitForFirstConsumer) where to make the volume. A missing claim does not hold the pod back here: the
// kubelet shows it (FailedMount) and the provisioner takes the pod's node when the claim appears.
import { isNotFound, type KubeClient } from '../../client/index.js';
import { affinityAdmits, PVCS, PVS, SELECTED_NODE, type NodeLike, type PV, type PVC } from '../controllers/storage/index.js';

export interface PodVolumes {
  /** Claims with no volume yet and no selected node: annotated with the chosen node. */
  readonly unbound: readonly string[];
  /** The volumes the pod's bound claims use. */
  readonly bound: readonly PV[];
}

interface PodWithClaims { metadata?: { namespace?: string }; spec?: object }
interface Volumes { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] }

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch((e: unknown) => { if (isNotFound(e)) return undefined; throw e; });

/** Reads the pod's claims and their volumes. */
export async function podVolumes(client: KubeClient, pod: PodWithClaims): Promise<PodVolumes> {
  const ns = pod.metadata?.namespace ?? 'default';
  const names = ((pod.spec as Volumes | undefined)?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
  const unbound: string[] = [];
  const bound: PV[] = [];
  for (const name of names) {
    const claim = await orUndefined(client.get<PVC>(PVCS, ns, name));
    if (!claim) continue;
    const pvName = claim.spec?.volumeName;
    if (!pvName) { if (!claim.metadata?.annotations?.[SELECTED_NODE]) unbound.push(name); continue; }
    const pv = await orUndefined(client.get<PV>(PVS, undefined, pvName));
    if (pv) bound.push(pv);
  }
  return { unbound, bound };
}

/** Every bound volume of the pod admits the node. */
export const volumesAdmit = (v: PodVolumes, node: { metadata?: { name?: string; labels?: Record<string, string> } }): boolean =>
  v.bound.every((pv) => affinityAdmits(pv, node as NodeLike));

export const volumeConflict = (nodes: number): string =>
  `0/${nodes} nodes are available: ${nodes} node(s) had volume node affinity conflict. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`;

/** Tells the provisioner where the pod goes: the selected-node annotation on its unbound claims. */
export async function selectNode(client: KubeClient, ns: string, v: PodVolumes, node: string): Promise<void> {
  for (const name of v.unbound) {
    await orUndefined(client.patch(PVCS, ns, name, 'merge', { metadata: { annotations: { [SELECTED_NODE]: node } } }, { fieldManager: 'default-scheduler' }));
  }
}
