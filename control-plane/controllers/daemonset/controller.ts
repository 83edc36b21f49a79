// control-plane/controllers/daemonset/controller.ts — the DaemonSet controller (control-plane-semantics.md §4)
// on the controller framework: informers on daemonsets.apps, nodes, pods and controllerrevisions.apps; a pod
// event enqueues its controlling DaemonSet (an orphan: every DaemonSet of its namespace that selects it) and
// feeds the expectations; a node added, removed or changed in labels, taints or spec enqueues every DaemonSet.
// reconcile(ns/name): claim pods, bring the ControllerRevisions up to date (history.ts), then — unless earlier
// writes are unobserved — create/delete per node (decide.ts manage; Failed pods under the per-node back-off of
// backoff.ts) or, with nothing to fix, one rolling-update step; prune history; write status through /status;
// requeue when a Ready pod will pass minReadySeconds or a Failed pod's back-off window ends.
//
//   const dsc = startDaemonSetController({ client, log?, clock? });
//   await dsc.run(signal);
import { isAlreadyExists, isNotFound, NODES, PODS, type KubeClient } from '../../../client/index.js';
import { canonical } from '../deployment/hash.js';
import {
  Controller, controllerKeyOf, EventRecorder, Expectations, isControlledBy, keyOf, realClock, splitKey,
  type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { applyClaim, deletePods, type ManageDeps } from '../replicaset/manage.js';
import { claimPods, type ReplicaSet } from '../replicaset/decide.js';
import { isPodActive, nextAvailableAt, selectorMatches } from '../replicaset/pods.js';
import { failedPodsBackoffKey, FailedPodBackoff } from './backoff.js';
import { computeStatus, manage, podsByNode, rollingUpdate, usesRollingUpdate, type Plan } from './decide.js';
import { currentHash, historyToDelete, planHistory, revisionMatches } from './history.js';
import { targetNode } from './placement.js';
import { createDaemonPods } from './pods.js';
import {
  CONTROLLERREVISIONS, DAEMONSETS, REVISION_HASH_LABEL, withTypeMeta,
  type ControllerRevision, type DaemonSet, type DSStatus, type NodeView, type Pod,
} from './types.js';

export const DAEMONSET_CONTROLLER = 'daemonset-controller';

export interface DaemonSetControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  readonly workers?: number;
  /** The failed-pod back-off (default 1 s doubling to 15 min). */
  readonly failedPodBackoff?: FailedPodBackoff;
}

export interface DaemonSetController {
  run(signal: AbortSignal): Promise<void>;
  readonly controller: Controller;
  readonly expectations: Expectations;
}

const dsKeyOf = (o: Pod | ControllerRevision): string | undefined => controllerKeyOf(o, 'DaemonSet', 'apps');
/** What of a node decides placement: a change enqueues every DaemonSet (status heartbeats do not). */
const placementOf = (n: NodeView): string => JSON.stringify([n.metadata?.labels ?? {}, n.spec ?? {}]);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export function startDaemonSetController(o: DaemonSetControllerOptions): DaemonSetController {
  const clock = o.clock ?? realClock;
  const expectations = new Expectations(clock);
  const controller = new Controller({ name: DAEMONSET_CONTROLLER, reconcile: (key) => reconcile(key), workers: o.workers, clock, log: o.log });
  const events = new EventRecorder(o.client, DAEMONSET_CONTROLLER, clock, o.log);
  const deps: ManageDeps = { client: o.client, events, expectations };
  const backoff = o.failedPodBackoff ?? new FailedPodBackoff();

  const dss = controller.informer<DaemonSet>(o.client, DAEMONSETS, {}, {
    onAdd: (ds) => controller.enqueue(keyOf(ds)),
    onUpdate: (_old, ds) => controller.enqueue(keyOf(ds)),
    onDelete: (ds) => { expectations.delete(keyOf(ds)); controller.enqueue(keyOf(ds)); },
  });
  const enqueueAll = (): void => { for (const ds of dss.list()) controller.enqueue(keyOf(ds)); };
  const nodes = controller.informer<NodeView>(o.client, NODES, {}, {
    onAdd: enqueueAll, onDelete: enqueueAll,
    onUpdate: (old, n) => { if (placementOf(old) !== placementOf(n)) enqueueAll(); },
  });
  const podTouched = (p: Pod): void => {
    const owner = dsKeyOf(p);
    if (owner) return controller.enqueue(owner);
    if (p.metadata?.ownerReferences?.some((r) => r.controller)) return;
    for (const ds of dss.list()) {
      if (ds.metadata?.namespace === p.metadata?.namespace && selectorMatches(ds.spec?.selector, p.metadata?.labels)) controller.enqueue(keyOf(ds));
    }
  };
  const pods = controller.informer<Pod>(o.client, PODS, {}, {
    onAdd: (p) => {
      const owner = dsKeyOf(p);
      if (owner) expectations.creationObserved(owner);
      podTouched(p);
    },
    onUpdate: (old, p) => {
      const owner = dsKeyOf(p);
      if (owner && p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) expectations.deletionObserved(owner, keyOf(p));
      podTouched(p);
    },
    onDelete: (p) => {
      const owner = dsKeyOf(p);
      if (owner) expectations.deletionObserved(owner, keyOf(p));
      podTouched(p);
    },
  });
  const revisions = controller.informer<ControllerRevision>(o.client, CONTROLLERREVISIONS, {}, {
    onAdd: (r) => controller.enqueue(dsKeyOf(r)),
    onUpdate: (_old, r) => controller.enqueue(dsKeyOf(r)),
    onDelete: (r) => controller.enqueue(dsKeyOf(r)),
  });

  /** constructHistory: the hash of the current template's revision, creating or renumbering it as needed. */
  async function syncHistory(ds: DaemonSet): Promise<{ hash: string; old: ControllerRevision[] }> {
    const ns = ds.metadata!.namespace;
    const owned = revisions.list().filter((r) => r.metadata?.namespace === ns && isControlledBy(r, ds.metadata?.uid));
    const plan = planHistory(ds, owned);
    let current = plan.current;
    if (plan.create) current = await createRevision(ds, plan.create);
    else if (current && plan.renumber) current = await o.client.update<ControllerRevision>(CONTROLLERREVISIONS, ns, { ...current, apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: plan.number });
    for (const d of plan.duplicates) await o.client.delete(CONTROLLERREVISIONS, ns, d.metadata!.name!).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    return { hash: currentHash(ds, current), old: plan.old };
  }

  /** snapshot: create; on a name clash with another template, bump status.collisionCount and retry later. */
  async function createRevision(ds: DaemonSet, rev: ControllerRevision): Promise<ControllerRevision> {
    const ns = ds.metadata!.namespace;
    try {
      return await o.client.create<ControllerRevision>(CONTROLLERREVISIONS, ns, rev, { fieldManager: DAEMONSET_CONTROLLER });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await o.client.get<ControllerRevision>(CONTROLLERREVISIONS, ns, rev.metadata!.name!);
      if (revisionMatches(ds, existing)) return existing;
      const status = { ...(ds.status ?? {}), collisionCount: (ds.status?.collisionCount ?? 0) + 1 };
      await o.client.update<DaemonSet>(DAEMONSETS, ns, { ...ds, status }, { subresource: 'status', fieldManager: DAEMONSET_CONTROLLER });
      throw new Error(`ControllerRevision ${rev.metadata!.name} exists with another template; collisionCount raised`);
    }
  }

  async function execute(key: string, ds: DaemonSet, plan: Plan, hash: string): Promise<string | undefined> {
    for (const p of plan.failed) {
      void events.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata!.namespace}/${p.metadata!.name} on node ${targetNode(p) ?? ''}, will try to kill it`);
    }
    const failure = plan.delete.length ? await deletePods(deps, key, ds as ReplicaSet, plan.delete) : undefined;
    const createFailure = plan.create.length ? await createDaemonPods(deps, key, ds, plan.create, hash) : undefined;
    return failure ?? createFailure;
  }

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const cached = dss.get(namespace, name);
    if (!cached) { expectations.delete(key); return; }
    if (cached.metadata?.deletionTimestamp) return;
    const ds = withTypeMeta(cached);
    const claim = claimPods(ds as ReplicaSet, pods.list().filter((p) => p.metadata?.namespace === namespace));
    await applyClaim(deps, ds as ReplicaSet, claim);
    const { hash, old } = await syncHistory(ds);
    const byNode = podsByNode(claim.owned);
    const nodeList = nodes.list();
    let failure: string | undefined;
    let retryAfter: number | undefined;
    if (expectations.satisfied(key)) {
      backoff.gc(clock.now());
      let plan = manage(ds, nodeList, byNode, hash, (node) => backoff.take(failedPodsBackoffKey(ds, node), clock.now()));
      retryAfter = plan.retryAfterMs;
      if (!plan.create.length && !plan.delete.length && usesRollingUpdate(ds)) plan = rollingUpdate(ds, nodeList, byNode, hash, clock.now());
      failure = await execute(key, ds, plan, hash);
    }
    const live = new Set(claim.owned.filter(isPodActive).map((p) => p.metadata?.labels?.[REVISION_HASH_LABEL] ?? ''));
    for (const r of historyToDelete(ds, old, live)) await o.client.delete(CONTROLLERREVISIONS, namespace, r.metadata!.name!).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    const now = clock.now();
    await writeStatus(ds, computeStatus(ds, nodeList, byNode, hash, now));
    if (failure !== undefined) throw new Error(failure);
    const at = nextAvailableAt(claim.owned.filter(isPodActive), ds.spec?.minReadySeconds ?? 0, now);
    const after = [at === undefined ? undefined : at - now, retryAfter].filter((ms): ms is number => ms !== undefined);
    return after.length ? { requeueAfter: Math.min(...after) } : undefined;
  }

  async function writeStatus(ds: DaemonSet, status: DSStatus): Promise<void> {
    if (same(ds.status ?? {}, status)) return;
    try {
      await o.client.update<DaemonSet>(DAEMONSETS, ds.metadata!.namespace, { ...ds, status }, { subresource: 'status', fieldManager: DAEMONSET_CONTROLLER });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { run: (signal) => controller.run(signal), controller, expectations };
}
