// control-plane/controllers/statefulset/controller.ts — the StatefulSet controller (control-plane-semantics.md
// §4) on the controller framework: informers on statefulsets.apps, pods and controllerrevisions.apps (they gate
// the workers) and on persistentvolumeclaims (it does not: a set without volumeClaimTemplates never waits
// for it). A pod or revision event enqueues its controlling StatefulSet (an orphan pod: every set of its
// namespace whose selector and name match it). sync(ns/name): claim member pods (adopt matching orphans,
// release owned pods that stopped matching), plan the revisions (revision.ts) and create/renumber the update
// revision, decide (decide.ts), write (writes.ts), write status through /status when it changed, delete
// revisions beyond revisionHistoryLimit.
//
//   const ssc = startStatefulSetController({ client, log?, clock?, workers? });
//   await ssc.run(signal);   // until abort
import { Informer, isAlreadyExists, isNotFound, PODS, type KubeClient, type KubeObject } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, controllerRefOf, controllerRefTo, EventRecorder, isControlledBy, keyOf, realClock, splitKey,
  type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { claimPods, selectorMatches } from '../replicaset/index.js';
import { syncStatefulSet } from './decide.js';
import { isMemberOf, typedSet } from './identity.js';
import { equalRevision, planRevisions, revisionsToDelete, templateOf, type RevisionPlan } from './revision.js';
import { CONTROLLERREVISIONS, PVCS, STATEFULSETS, type ControllerRevision, type PersistentVolumeClaim, type Pod, type StatefulSet, type StatefulSetStatus } from './types.js';
import { applyActions, STATEFULSET_CONTROLLER } from './writes.js';

export interface StatefulSetControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /** Concurrent reconciles (default 1; upstream runs 5). */
  readonly workers?: number;
}

export interface StatefulSetController {
  run(signal: AbortSignal): Promise<void>;
  readonly controller: Controller;
  sync(key: string): Promise<ReconcileResult | void>;
}

/** How long a set with claim templates waits for the claims informer's first list. */
const CLAIMS_WAIT_MS = 500;

const setKeyOf = (o: KubeObject): string | undefined => controllerKeyOf(o, 'StatefulSet', 'apps');

export function startStatefulSetController(o: StatefulSetControllerOptions): StatefulSetController {
  const clock = o.clock ?? realClock;
  const client = o.client;
  const controller = new Controller({ name: STATEFULSET_CONTROLLER, reconcile: (key) => sync(key), workers: o.workers, clock, log: o.log });
  const deps = { client, events: new EventRecorder(client, STATEFULSET_CONTROLLER, clock, o.log) };

  const sets = controller.informer<StatefulSet>(client, STATEFULSETS, {}, controller.enqueueHandlers());
  const enqueueMatching = (p: Pod): void => {
    for (const s of sets.list()) {
      if (s.metadata?.namespace === p.metadata?.namespace && isMemberOf(s, p) && selectorMatches(s.spec?.selector, p.metadata?.labels)) controller.enqueue(keyOf(s));
    }
  };
  const touched = (x: KubeObject): void => {
    const owner = setKeyOf(x);
    if (owner) controller.enqueue(owner);
    else if (!controllerRefOf(x)) enqueueMatching(x as Pod);
  };
  const pods = controller.informer<Pod>(client, PODS, {}, {
    onAdd: touched,
    onUpdate: (old, p) => { const was = setKeyOf(old); if (was && was !== setKeyOf(p)) controller.enqueue(was); touched(p); },
    onDelete: touched,
  });
  const revisions = controller.informer<ControllerRevision>(client, CONTROLLERREVISIONS, {}, {
    onAdd: (r) => controller.enqueue(setKeyOf(r)), onDelete: (r) => controller.enqueue(setKeyOf(r)),
  });
  const claims = new Informer<PersistentVolumeClaim>(client, PVCS, { log: o.log, now: () => clock.now() }, {});

  /** ClaimPods restricted to members (`<sts>-<n>`): adopt and release through merge patches. */
  async function claim(set: StatefulSet): Promise<Pod[]> {
    const ns = set.metadata?.namespace;
    const members = pods.list().filter((p) => p.metadata?.namespace === ns && (isControlledBy(p, set.metadata?.uid) || isMemberOf(set, p)));
    const c = claimPods(set as never, members);
    const write = async (p: Pod, ownerReferences: unknown): Promise<void> => {
      await client.patch(PODS, ns, p.metadata!.name!, 'merge', { metadata: { ownerReferences, resourceVersion: p.metadata!.resourceVersion } }, { fieldManager: STATEFULSET_CONTROLLER })
        .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    };
    for (const p of c.adopt) await write(p, [...(p.metadata?.ownerReferences ?? []), controllerRefTo(typedSet(set))]);
    for (const p of c.release) await write(p, (p.metadata?.ownerReferences ?? []).filter((r) => r.uid !== set.metadata?.uid));
    return c.owned;
  }

  /** Creates or renumbers the update revision; a name taken by another revision bumps collisionCount. */
  async function writeRevision(set: StatefulSet, plan: RevisionPlan): Promise<void> {
    const ns = set.metadata!.namespace;
    const opts = { fieldManager: STATEFULSET_CONTROLLER };
    if (plan.write?.op === 'renumber') {
      await client.update(CONTROLLERREVISIONS, ns, { ...plan.update, apiVersion: 'apps/v1', kind: 'ControllerRevision' }, opts);
      return;
    }
    if (plan.write?.op !== 'create') return;
    try {
      await client.create(CONTROLLERREVISIONS, ns, plan.update, opts);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get<ControllerRevision>(CONTROLLERREVISIONS, ns, plan.update.metadata!.name!);
      if (isControlledBy(existing, set.metadata?.uid) && equalRevision(existing, plan.update)) return;
      const status = { ...(set.status ?? { replicas: 0, availableReplicas: 0 }), collisionCount: (set.status?.collisionCount ?? 0) + 1 };
      await client.update(STATEFULSETS, ns, { ...typedSet(set), status }, { subresource: 'status', ...opts });
      throw new Error(`hash collision on controller revision "${plan.update.metadata!.name}": collisionCount is now ${status.collisionCount}`, { cause: e });
    }
  }

  async function writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (JSON.stringify(sortKeys(set.status ?? {})) === JSON.stringify(sortKeys(status))) return;
    await client.update(STATEFULSETS, set.metadata!.namespace, { ...typedSet(set), status }, { subresource: 'status', fieldManager: STATEFULSET_CONTROLLER })
      .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }

  async function sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const set = sets.get(namespace, name);
    if (!set) return;
    if ((set.spec?.volumeClaimTemplates?.length ?? 0) > 0 && !claims.hasSynced()) return { requeueAfter: CLAIMS_WAIT_MS };
    const owned = await claim(set);
    const mine = revisions.list().filter((r) => r.metadata?.namespace === namespace && isControlledBy(r, set.metadata?.uid));
    const plan = planRevisions(set, mine);
    await writeRevision(set, plan);
    const inNs = new Map(claims.list().filter((c) => c.metadata?.namespace === namespace).map((c) => [c.metadata!.name!, c]));
    const step = syncStatefulSet({
      set, pods: owned, claims: inNs, now: clock.now(),
      current: { name: plan.current.metadata!.name!, template: templateOf(plan.current) },
      update: { name: plan.update.metadata!.name!, template: templateOf(plan.update) },
    });
    if (step.waiting) o.log?.debug({ controller: STATEFULSET_CONTROLLER, key, waiting: step.waiting }, 'StatefulSet sync stopped');
    await applyActions(deps, set, step.actions);
    await writeStatus(set, step.status);
    for (const r of revisionsToDelete(set, mine, owned, plan.current.metadata!.name!, plan.update.metadata!.name!)) {
      await client.delete(CONTROLLERREVISIONS, namespace, r.metadata!.name!, { preconditions: { uid: r.metadata!.uid } }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    }
    return step.requeueAfterMs !== undefined ? { requeueAfter: step.requeueAfterMs } : undefined;
  }

  return {
    run: async (signal) => { await Promise.all([controller.run(signal), claims.run(signal)]); },
    controller, sync,
  };
}

const sortKeys = (o: object): unknown => JSON.parse(JSON.stringify(o, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v)));
