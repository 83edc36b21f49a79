// control-plane/controllers/replicaset/controller.ts — the ReplicaSet controller (control-plane-semantics.md
// §1.10) on the controller framework, and the same controller over ReplicationControllers (kinds.ts):
// informers on the owner kind and pods; a pod event enqueues its controlling owner (or, for an orphan, every
// owner of its namespace whose selector matches it) and feeds the expectations; reconcile(ns/name) reads the
// caches, claims pods (decide.ts), creates or deletes the difference unless earlier writes are still
// unobserved (expectations), and writes status through /status when it changed, requeueing itself when a
// Ready pod will pass minReadySeconds.
//
//   const rsc = startReplicaSetController({ client, log?, clock?, workers? });   // or startReplicationManager
//   await rsc.run(signal);   // until abort
import { isNotFound, PODS, type KubeClient, type KubeObject } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, EventRecorder, Expectations, keyOf, realClock, rfc3339, splitKey,
  type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { activeOf, claimPods, computeStatus, replicaDiff, type ReplicaSet, type RSStatus } from './decide.js';
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, type ReplicaKind } from './kinds.js';
import { applyClaim, createPods, deletePods, type ManageDeps } from './manage.js';
import { nextAvailableAt, selectorMatches, type Pod } from './pods.js';
import { podsToDelete } from './rank.js';

export const REPLICASET_CONTROLLER = REPLICA_SET_KIND.controllerName;
export const REPLICATION_MANAGER = REPLICATION_CONTROLLER_KIND.controllerName;

export interface ReplicaSetControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /** Concurrent reconciles (default 1; upstream runs 5). */
  readonly workers?: number;
}

export interface ReplicaSetController {
  /** Runs informers and workers until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** The framework controller (tests: queue, hasSynced). */
  readonly controller: Controller;
  readonly expectations: Expectations;
}

export const startReplicaSetController = (o: ReplicaSetControllerOptions): ReplicaSetController => startReplicaController(REPLICA_SET_KIND, o);
/** The ReplicationController controller (upstream ReplicationManager). */
export const startReplicationManager = (o: ReplicaSetControllerOptions): ReplicaSetController => startReplicaController(REPLICATION_CONTROLLER_KIND, o);

export function startReplicaController(kind: ReplicaKind, o: ReplicaSetControllerOptions): ReplicaSetController {
  const clock = o.clock ?? realClock;
  const expectations = new Expectations(clock);
  const component = kind.controllerName;
  const controller = new Controller({ name: component, reconcile: (key) => reconcile(key), workers: o.workers, clock, log: o.log });
  const deps: ManageDeps = { client: o.client, events: new EventRecorder(o.client, component, clock, o.log), expectations, fieldManager: component };
  const rsKeyOf = (p: Pod): string | undefined => controllerKeyOf(p, kind.kind, kind.ref.group);

  const rss = controller.informer<KubeObject>(o.client, kind.ref, {}, {
    onAdd: (rs) => controller.enqueue(keyOf(rs)),
    onUpdate: (_old, rs) => controller.enqueue(keyOf(rs)),
    onDelete: (rs) => { expectations.delete(keyOf(rs)); controller.enqueue(keyOf(rs)); },
  });

  /** An orphan's candidates: the RSes of its namespace whose selector matches it. */
  const enqueueMatching = (p: Pod): void => {
    for (const rs of rss.list().map(kind.asReplicaSet)) {
      if (rs.metadata?.namespace === p.metadata?.namespace && selectorMatches(rs.spec?.selector, p.metadata?.labels)) controller.enqueue(keyOf(rs));
    }
  };
  const podTouched = (p: Pod): void => {
    const owner = rsKeyOf(p);
    if (owner) controller.enqueue(owner);
    else if (!p.metadata?.ownerReferences?.some((r) => r.controller)) enqueueMatching(p);
  };
  const pods = controller.informer<Pod>(o.client, PODS, {}, {
    onAdd: (p) => {
      const owner = rsKeyOf(p);
      if (owner && p.metadata?.deletionTimestamp) expectations.deletionObserved(owner, keyOf(p));
      else if (owner) expectations.creationObserved(owner);
      podTouched(p);
    },
    onUpdate: (old, p) => {
      const owner = rsKeyOf(p);
      if (owner && p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) expectations.deletionObserved(owner, keyOf(p));
      const oldOwner = rsKeyOf(old);
      if (oldOwner && oldOwner !== owner) controller.enqueue(oldOwner);
      podTouched(p);
      if (!owner && JSON.stringify(old.metadata?.labels) !== JSON.stringify(p.metadata?.labels)) enqueueMatching(old);
    },
    onDelete: (p) => {
      const owner = rsKeyOf(p);
      if (owner) expectations.deletionObserved(owner, keyOf(p));
      podTouched(p);
    },
  });

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const stored = rss.get(namespace, name);
    if (!stored) { expectations.delete(key); return; }
    const rs = kind.asReplicaSet(stored);
    const needsSync = expectations.satisfied(key) && !rs.metadata?.deletionTimestamp;
    const inNamespace = pods.list().filter((p) => p.metadata?.namespace === namespace);
    const claim = claimPods(rs, inNamespace);
    await applyClaim(deps, rs, claim);
    const active = activeOf(claim.owned);
    let failure: string | undefined;
    if (needsSync) {
      const diff = replicaDiff(rs, active.length);
      if (diff > 0) failure = await createPods(deps, key, rs, diff);
      else if (diff < 0) failure = await deletePods(deps, key, rs, podsToDelete(active, -diff, clock.now()));
    }
    const now = clock.now();
    await writeStatus(stored, computeStatus(rs, active, failure, rfc3339(now), now));
    if (failure !== undefined) throw new Error(failure);
    const at = nextAvailableAt(active, rs.spec?.minReadySeconds ?? 0, now);
    return at === undefined ? undefined : { requeueAfter: at - now };
  }

  async function writeStatus(obj: KubeObject, status: RSStatus): Promise<void> {
    if (JSON.stringify(sortKeys((obj as ReplicaSet).status ?? {})) === JSON.stringify(sortKeys(status))) return;
    try {
      await o.client.update(kind.ref, obj.metadata!.namespace, { ...obj, apiVersion: kind.apiVersion, kind: kind.kind, status }, { subresource: 'status', fieldManager: component });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { run: (signal) => controller.run(signal), controller, expectations };
}

const sortKeys = (o: object): unknown => JSON.parse(JSON.stringify(o, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v)));
