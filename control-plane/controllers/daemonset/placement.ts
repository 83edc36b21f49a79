// control-plane/controllers/daemonset/placement.ts — which nodes a DaemonSet runs on and the pod it makes for
// one (PURE; control-plane-semantics.md §4, upstream daemon/util and NodeShouldRunDaemonPod):
//
// - daemonTolerations(spec): the template's tolerations plus the automatic ones (not-ready and unreachable
//   NoExecute; disk-, memory-, pid-pressure and unschedulable NoSchedule; network-unavailable NoSchedule for
//   hostNetwork pods), all `operator: Exists`, replacing a toleration of the same key and effect.
// - shouldRun(ds, node): { run, keep } — run: the node matches nodeSelector/required affinity and every
//   NoSchedule/NoExecute taint is tolerated; keep (a pod already there may stay): the affinity matches and every
//   NoExecute taint is tolerated.
// - targetNode(pod): spec.nodeName, else the node named by the pod's required affinity matchFields.
// - podForNode(ds, node, hash): generateName `<ds>-`, template labels + controller-revision-hash +
//   pod-template-generation, the DS as controller, required affinity `matchFields metadata.name In [<node>]`
//   in every term, the automatic tolerations.
import { controllerRefTo } from '../framework/index.js';
import { fitsNodeAffinity, untoleratedTaint, type NodeAffinity, type NodeFitSpec, type NodeSelectorTerm, type Toleration } from '../../scheduler/affinity.js';
import {
  REVISION_HASH_LABEL, TEMPLATE_GENERATION_LABEL, templateGenerationOf, withTypeMeta,
  type DaemonSet, type NodeView, type Pod, type PodTemplate,
} from './types.js';

type Affinity = NonNullable<NodeFitSpec['affinity']>;

const exists = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });

/** AddOrUpdateDaemonPodTolerations. */
export function daemonTolerations(spec: PodTemplate['spec']): Toleration[] {
  const auto = [
    exists('not-ready', 'NoExecute'), exists('unreachable', 'NoExecute'),
    exists('disk-pressure', 'NoSchedule'), exists('memory-pressure', 'NoSchedule'), exists('pid-pressure', 'NoSchedule'),
    exists('unschedulable', 'NoSchedule'),
    ...(spec?.hostNetwork ? [exists('network-unavailable', 'NoSchedule')] : []),
  ];
  const out = [...(spec?.tolerations ?? [])];
  for (const t of auto) {
    const i = out.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  return out;
}

export interface Placement { readonly run: boolean; readonly keep: boolean }

/** NodeShouldRunDaemonPod over the template (with the automatic tolerations). */
export function shouldRun(ds: DaemonSet, node: NodeView): Placement {
  const spec = ds.spec?.template?.spec;
  const nodeName = typeof spec?.['nodeName'] === 'string' ? spec['nodeName'] : '';
  const fits = (!nodeName || nodeName === node.metadata?.name) && fitsNodeAffinity(spec, node);
  const tols = daemonTolerations(spec);
  const taints = node.spec?.taints;
  return {
    run: fits && !untoleratedTaint(tols, taints, ['NoSchedule', 'NoExecute']),
    keep: fits && !untoleratedTaint(tols, taints, ['NoExecute']),
  };
}

const NAME_FIELD = 'metadata.name';

/** GetTargetNodeName: where the pod is, or is meant to be. */
export function targetNode(pod: Pod): string | undefined {
  const spec = pod.spec as (Pod['spec'] & { affinity?: { nodeAffinity?: NodeAffinity } }) | undefined;
  if (spec?.nodeName) return spec.nodeName;
  for (const term of spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const r = term.matchFields?.find((f) => f.key === NAME_FIELD && f.operator === 'In' && f.values?.length === 1);
    if (r) return r.values![0];
  }
  return undefined;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: every required term's matchFields becomes `metadata.name In [node]`. */
function pinnedAffinity(affinity: Affinity | undefined, node: string): Affinity {
  const pin = { key: NAME_FIELD, operator: 'In', values: [node] };
  const a = structuredClone(affinity ?? {});
  const na: NodeAffinity = a.nodeAffinity ?? {};
  const terms: NodeSelectorTerm[] = na.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned = terms.length ? terms.map((t) => ({ ...t, matchFields: [pin] })) : [{ matchFields: [pin] }];
  na.requiredDuringSchedulingIgnoredDuringExecution = { ...na.requiredDuringSchedulingIgnoredDuringExecution, nodeSelectorTerms: pinned };
  a.nodeAffinity = na;
  return a;
}

/** The pod a create sends for `node` (upstream NewPod + CreatePods with the node affinity). */
export function podForNode(ds: DaemonSet, node: string, hash: string): Pod {
  const t = ds.spec?.template ?? {};
  const md = t.metadata ?? {};
  const labels: Record<string, string> = { ...(md.labels ?? {}), [REVISION_HASH_LABEL]: hash };
  const generation = templateGenerationOf(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  const meta: NonNullable<Pod['metadata']> = { generateName: `${ds.metadata!.name}-`, namespace: ds.metadata!.namespace, labels, ownerReferences: [controllerRefTo(withTypeMeta(ds))] };
  if (md.annotations) meta.annotations = { ...md.annotations };
  if (md.finalizers) meta.finalizers = [...md.finalizers];
  const spec = structuredClone(t.spec ?? {});
  spec.affinity = pinnedAffinity(spec.affinity, node);
  spec.tolerations = daemonTolerations(t.spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}
