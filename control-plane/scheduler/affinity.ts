// control-plane/scheduler/affinity.ts — PURE node-fit rules the scheduler and the DaemonSet controller share
// (upstream: the NodeAffinity and TaintToleration plugins, component-helpers' nodeaffinity, and
// v1helper.TolerationsTolerateTaint):
//
// - fitsNodeAffinity(spec, node): the pod's nodeSelector (every pair) AND its required node affinity
//   (nodeSelectorTerms ORed; in a term, matchExpressions over the node's labels — In, NotIn, Exists,
//   DoesNotExist, Gt, Lt — AND matchFields over `metadata.name` — In, NotIn; a term with neither matches no node).
// - tolerates(tolerations, taint) / untoleratedTaint(tolerations, taints, effects): ToleratesTaint — the effect
//   (when the toleration names one) and the key (an empty key with Exists matches every key) must match, then
//   Exists matches any value, Equal (or no operator) the same value.

export interface Taint { key?: string; value?: string; effect?: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }
export interface NodeSelectorRequirement { key?: string; operator?: string; values?: string[] }
export interface NodeSelectorTerm { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }
export interface NodeAffinity { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] }; [k: string]: unknown }

/** The parts of a pod spec node fit reads. */
export interface NodeFitSpec {
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: NodeAffinity; [k: string]: unknown };
  tolerations?: Toleration[];
}

/** The parts of a node node fit reads. */
export interface NodeFitView {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { taints?: Taint[] };
}

export function tolerates(tols: readonly Toleration[], t: Taint): boolean {
  return tols.some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.key && tol.key !== t.key) return false;
    if (tol.operator === 'Exists') return true;
    return !!tol.key && (tol.value ?? '') === (t.value ?? '');
  });
}

/** The first taint with one of `effects` the tolerations do not tolerate. */
export const untoleratedTaint = (tols: readonly Toleration[] | undefined, taints: readonly Taint[] | undefined, effects: readonly string[]): Taint | undefined =>
  (taints ?? []).find((t) => effects.includes(t.effect ?? '') && !tolerates(tols ?? [], t));

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const vs = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && vs.includes(value);
    case 'NotIn': return value === undefined || !vs.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = Number.parseInt(value ?? '', 10);
      const want = Number.parseInt(vs[0] ?? '', 10);
      if (vs.length !== 1 || Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default: return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: NodeFitView): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const label = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(labels, k) ? labels[k] : undefined);
  return exprs.every((r) => requirementMatches(r, label(r.key ?? '')))
    && fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, node.metadata?.name));
}

/** nodeSelector and required node affinity both match the node. */
export function fitsNodeAffinity(spec: NodeFitSpec | undefined, node: NodeFitView): boolean {
  const labels = node.metadata?.labels ?? {};
  if (Object.entries(spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}
