// control-plane/controllers/daemonset/decide.ts — what one DaemonSet sync does (PURE; upstream manage,
// podsShouldBeOnNode, rollingUpdate and updateDaemonSetStatus; control-plane-semantics.md §4):
//
// - podsByNode(pods): the DS's pods by target node (placement.ts), without terminal pods being deleted.
// - manage(ds, nodes, byNode, hash, failedGate): per node — should run and has no pod → create there; may stay →
//   delete Failed pods the back-off lets go now (failedGate, backoff.ts; FailedDaemonPod; a Failed pod held back
//   stays, so nothing is made on its node, and the plan says when to look again) and all but the oldest running
//   pod (with surge: but the oldest old and the oldest new); may not stay → delete its pods; pods aimed at nodes
//   that do not exist and not yet scheduled → delete.
// - rollingUpdate(ds, nodes, byNode, hash, now): maxUnavailable/maxSurge of desiredNumberScheduled (rounded
//   up; both 0 → unavailable 1). Without surge: delete old pods that are unavailable, and more old pods while
//   fewer than maxUnavailable nodes are unavailable (the manage step creates the new pod once the old is gone).
//   With surge: create a new pod beside an old one (unavailable old ones always, others up to maxSurge) and
//   delete the old pod once the new one is available.
// - computeStatus(ds, nodes, byNode, hash, now): the DaemonSetStatus counts.
// Nodes are visited in name order, so decisions are deterministic.
import { scaledValue } from '../deployment/arithmetic.js';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';
import { shouldRun, targetNode } from './placement.js';
import { REVISION_HASH_LABEL, TEMPLATE_GENERATION_LABEL, templateGenerationOf, type DaemonSet, type DSStatus, type NodeView, type Pod } from './types.js';

export interface Plan {
  /** Nodes to create a pod on. */
  readonly create: string[];
  readonly delete: Pod[];
  /** Failed pods among `delete` (a FailedDaemonPod event each). */
  readonly failed: Pod[];
  /** Failed pods were held back by the back-off: sync again after this many ms. */
  retryAfterMs?: number;
}

/** Whether a Failed pod on `node` may be deleted now: 0 yes, else the back-off window in ms. */
export type FailedGate = (node: string) => number;
const noBackoff: FailedGate = () => 0;

const nameOf = (n: NodeView): string => n.metadata?.name ?? '';
const byName = (nodes: readonly NodeView[]): NodeView[] => [...nodes].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
const deleting = (p: Pod): boolean => !!p.metadata?.deletionTimestamp;
const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    if (terminal(p) && deleting(p)) continue;
    const n = targetNode(p);
    if (n === undefined) continue;
    out.set(n, [...(out.get(n) ?? []), p]);
  }
  return out;
}

/** podByCreationTimestampAndPhase: scheduled first, then older, then by name. */
export function byAge(a: Pod, b: Pod): number {
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

/** IsPodUpdated: the revision hash or the template generation matches. */
export function isPodUpdated(ds: DaemonSet, pod: Pod, hash: string): boolean {
  const labels = pod.metadata?.labels ?? {};
  const gen = templateGenerationOf(ds);
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || (gen !== undefined && labels[TEMPLATE_GENERATION_LABEL] === gen);
}

const strategyOf = (ds: DaemonSet): string => ds.spec?.updateStrategy?.type ?? 'RollingUpdate';

/** maxSurge, maxUnavailable for `desired` nodes (percentages rounded up; both 0 → unavailable 1). */
export function surgeAndUnavailable(ds: DaemonSet, desired: number): { surge: number; unavailable: number } {
  const ru = strategyOf(ds) === 'RollingUpdate' ? ds.spec?.updateStrategy?.rollingUpdate ?? {} : {};
  const surge = scaledValue(ru.maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** The surplus of a node's live running pods: all but the oldest (with surge: but the oldest old and new). */
function surplusRunning(ds: DaemonSet, live: readonly Pod[], hash: string, surge: boolean): Pod[] {
  const running = live.filter((p) => p.status?.phase !== 'Failed').sort(byAge);
  if (!surge) return running.slice(1);
  if (running.length <= 2) return [];
  const oldestNew = running.find((p) => isPodUpdated(ds, p, hash));
  const oldestOld = running.find((p) => !isPodUpdated(ds, p, hash));
  return running.filter((p) => p !== oldestNew && p !== oldestOld);
}

/** A node's Failed pods into the plan: deleted when the back-off lets them go, else a later sync. */
function failedOnNode(plan: Plan, live: readonly Pod[], gate: () => number): void {
  for (const p of live.filter((x) => x.status?.phase === 'Failed')) {
    const wait = gate();
    if (wait > 0) plan.retryAfterMs = Math.min(plan.retryAfterMs ?? wait, wait);
    else { plan.delete.push(p); plan.failed.push(p); }
  }
}

export function manage(ds: DaemonSet, nodes: readonly NodeView[], byNode: ReadonlyMap<string, Pod[]>, hash: string, failedGate: FailedGate = noBackoff): Plan {
  const plan: Plan = { create: [], delete: [], failed: [] };
  const surge = surgeAndUnavailable(ds, nodes.length).surge > 0 && strategyOf(ds) === 'RollingUpdate';
  const known = new Set(nodes.map(nameOf));
  for (const node of byName(nodes)) {
    const name = nameOf(node);
    const pods = byNode.get(name) ?? [];
    const { run, keep } = shouldRun(ds, node);
    if (run && pods.length === 0) plan.create.push(name);
    else if (keep) {
      const live = pods.filter((p) => !deleting(p));
      failedOnNode(plan, live, () => failedGate(name));
      plan.delete.push(...surplusRunning(ds, live, hash, surge));
    } else plan.delete.push(...pods.filter((p) => !deleting(p)));
  }
  for (const [name, pods] of byNode) {
    if (!known.has(name)) plan.delete.push(...pods.filter((p) => !p.spec?.nodeName && !deleting(p)));
  }
  return plan;
}

/** findUpdatedPodsOnNode: the one new and the one old live pod; undefined when there are two of either. */
function newAndOld(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (deleting(p)) continue;
    if (isPodUpdated(ds, p, hash)) { if (newPod) return undefined; newPod = p; } else { if (oldPod) return undefined; oldPod = p; }
  }
  return { newPod, oldPod };
}

export function rollingUpdate(ds: DaemonSet, nodes: readonly NodeView[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): Plan {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod): boolean => isPodAvailable(p, minReady, now);
  const wanted = byName(nodes).filter((n) => shouldRun(ds, n).run).map(nameOf);
  const { surge, unavailable } = surgeAndUnavailable(ds, wanted.length);
  const nodeNames = [...new Set([...wanted, ...[...byNode.keys()].sort()])];
  const plan: Plan = { create: [], delete: [], failed: [] };
  if (surge === 0) {
    let numUnavailable = 0;
    const candidates: Pod[] = [];
    for (const n of nodeNames) {
      const found = newAndOld(ds, byNode.get(n) ?? [], hash);
      if (!found || (!found.newPod && !found.oldPod) || (found.newPod && found.oldPod)) numUnavailable++;
      else if (found.newPod) { if (!available(found.newPod)) numUnavailable++; } else if (!available(found.oldPod!)) plan.delete.push(found.oldPod!);
      else if (numUnavailable < unavailable) candidates.push(found.oldPod!);
    }
    const room = Math.min(Math.max(0, unavailable - numUnavailable), candidates.length);
    plan.delete.push(...candidates.slice(0, room));
    return plan;
  }
  let numSurge = 0;
  const candidates: string[] = [];
  for (const n of nodeNames) {
    const found = newAndOld(ds, byNode.get(n) ?? [], hash);
    if (!found) { numSurge++; continue; }
    const { newPod, oldPod } = found;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) plan.create.push(n);
      else if (numSurge < surge) candidates.push(n);
    } else if (!available(newPod)) numSurge++;
    else plan.delete.push(oldPod);
  }
  const room = Math.min(Math.max(0, surge - numSurge), candidates.length);
  plan.create.push(...candidates.slice(0, room));
  return plan;
}

/** updateDaemonSetStatus's counts, over the oldest pod of each node. */
export function computeStatus(ds: DaemonSet, nodes: readonly NodeView[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): DSStatus {
  const s = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
  for (const node of nodes) {
    const pods = [...(byNode.get(nameOf(node)) ?? [])].sort(byAge);
    const { run } = shouldRun(ds, node);
    if (!run) { if (pods.length) s.numberMisscheduled++; continue; }
    s.desiredNumberScheduled++;
    const pod = pods[0];
    if (!pod) continue;
    s.currentNumberScheduled++;
    if (isPodReady(pod)) {
      s.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) s.numberAvailable++;
    }
    if (isPodUpdated(ds, pod, hash)) s.updatedNumberScheduled++;
  }
  const status: DSStatus = {
    currentNumberScheduled: s.currentNumberScheduled, numberMisscheduled: s.numberMisscheduled,
    desiredNumberScheduled: s.desiredNumberScheduled, numberReady: s.numberReady,
  };
  if (ds.metadata?.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  if (s.updatedNumberScheduled) status.updatedNumberScheduled = s.updatedNumberScheduled;
  if (s.numberAvailable) status.numberAvailable = s.numberAvailable;
  const unavailable = s.desiredNumberScheduled - s.numberAvailable;
  if (unavailable) status.numberUnavailable = unavailable;
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  return status;
}

export const usesRollingUpdate = (ds: DaemonSet): boolean => strategyOf(ds) === 'RollingUpdate';
