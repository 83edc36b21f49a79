// control-plane/scheduler/decide.ts — where a pod goes (PURE): the Ready nodes, schedulable (or the pod
// tolerates node.kubernetes.io/unschedulable), that match its nodeSelector and required node affinity
// (affinity.ts) and whose NoSchedule/NoExecute taints it tolerates, the one with the fewest pods; or, when none
// fits, the scheduler's message `0/N nodes are available: …` with a reason count per kind of misfit.
import { fitsNodeAffinity, untoleratedTaint, type NodeFitSpec, type Taint } from './affinity.js';

interface Condition { type?: string; status?: string }

export interface NodeView {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: Condition[] };
}

export interface PodView {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string };
  spec?: NodeFitSpec & { nodeName?: string; schedulerName?: string };
  status?: { phase?: string };
}

export type Decision = { node: string; message?: undefined } | { node?: undefined; message: string };

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Why a node does not fit, in the scheduler's words; undefined when it fits. */
function misfit(pod: PodView, node: NodeView): string | undefined {
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
  if (node.spec?.unschedulable && untoleratedTaint(pod.spec?.tolerations, [UNSCHEDULABLE_TAINT], ['NoSchedule'])) return 'node(s) were unschedulable';
  if (!fitsNodeAffinity(pod.spec, node)) return "node(s) didn't match Pod's node affinity/selector";
  const taint = untoleratedTaint(pod.spec?.tolerations, node.spec?.taints, ['NoSchedule', 'NoExecute']);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  return undefined;
}

export function decide(pod: PodView, nodes: readonly NodeView[], pods: readonly PodView[]): Decision {
  const live = nodes.filter((n) => !n.metadata?.deletionTimestamp);
  const reasons = new Map<string, number>();
  const fits: string[] = [];
  for (const n of live) {
    const why = misfit(pod, n);
    if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    else fits.push(n.metadata!.name!);
  }
  if (fits.length === 0) {
    const parts = [...reasons].sort(([a], [b]) => a.localeCompare(b)).map(([why, n]) => `${n} ${why}`);
    return { message: `0/${live.length} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}. preemption: 0/${live.length} nodes are available: ${live.length} Preemption is not helpful for scheduling.` };
  }
  const load = new Map(fits.map((n) => [n, 0]));
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n && load.has(n) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') load.set(n, load.get(n)! + 1);
  }
  return { node: fits.sort((a, b) => load.get(a)! - load.get(b)! || a.localeCompare(b))[0]! };
}
