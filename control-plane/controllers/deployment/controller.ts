// control-plane/controllers/deployment/controller.ts — the Deployment controller (control-plane-semantics.md
// §1) on the controller framework: informers on deployments.apps, replicasets.apps and the pods labelled
// pod-template-hash; a ReplicaSet event enqueues its controlling Deployment (an orphan: every Deployment of
// its namespace whose selector matches it), a pod going away enqueues the Deployment of its ReplicaSet when
// that Deployment is Recreate (which waits for old pods).
// syncDeployment(ns/name) reads the caches, adopts/releases ReplicaSets (claimPods' rules, shared with the
// ReplicaSet controller), asks decide.ts for the step, and writes: ReplicaSets created / updated (spec.replicas
// and annotations, conditional on resourceVersion) / deleted, ScalingReplicaSet events, then the Deployment
// through /status. A 409 or any failure throws → the framework requeues with back-off.
//
//   const dc = startDeploymentController({ client, log?, clock?, workers? });
//   await dc.run(signal);   // until abort
import { isAlreadyExists, isNotFound, PODS, type Informer, type KubeClient, type KubeObject } from '../../../client/index.js';
import {
  Controller, controllerKeyOf, controllerRefOf, DEPLOYMENTS, EventRecorder, isControlledBy, keyOf, realClock, REPLICASETS, splitKey,
  type ControllerClock, type ControllerLog, type ReconcileResult,
} from '../framework/index.js';
import { claimPods, selectorMatches } from '../replicaset/index.js';
import { syncDeployment as decide, type SyncDecision } from './decide.js';
import { equalIgnoreHash } from './hash.js';
import type { PlannedEvent } from './plan.js';
import { REASON, newCondition, setCondition, hasProgressDeadline } from './status.js';
import { HASH_LABEL, type Deployment, type Pod, type ReplicaSet } from './types.js';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

export interface DeploymentControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /** Concurrent reconciles (default 1; upstream runs 5). */
  readonly workers?: number;
}

export interface DeploymentController {
  /** Runs informers and workers until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** The framework controller (tests: queue, hasSynced, processOne). */
  readonly controller: Controller;
  /** One reconcile of `ns/name` (what a worker runs). */
  syncDeployment(key: string): Promise<ReconcileResult | void>;
  /** The pod cache: pods labelled pod-template-hash only (tests). */
  readonly pods: Informer<Pod>;
}

const deploymentKeyOf = (rs: KubeObject): string | undefined => controllerKeyOf(rs, 'Deployment', 'apps');
const typed = (d: Deployment): Deployment => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' });
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function startDeploymentController(o: DeploymentControllerOptions): DeploymentController {
  const clock = o.clock ?? realClock;
  const client = o.client;
  const controller = new Controller({ name: DEPLOYMENT_CONTROLLER, reconcile: (key) => sync(key), workers: o.workers, clock, log: o.log });
  const recorder = new EventRecorder(client, DEPLOYMENT_CONTROLLER, clock, o.log);

  const deployments = controller.informer<Deployment>(client, DEPLOYMENTS, {}, controller.enqueueHandlers());
  const enqueueMatching = (rs: KubeObject): void => {
    for (const d of deployments.list()) {
      if (d.metadata?.namespace === rs.metadata?.namespace && selectorMatches(d.spec.selector, rs.metadata?.labels)) controller.enqueue(keyOf(d));
    }
  };
  const rsTouched = (rs: KubeObject): void => {
    const owner = deploymentKeyOf(rs);
    if (owner) controller.enqueue(owner);
    else if (!controllerRefOf(rs)) enqueueMatching(rs);
  };
  const replicaSets = controller.informer<ReplicaSet>(client, REPLICASETS, {}, {
    onAdd: rsTouched,
    onUpdate: (old, rs) => {
      const was = deploymentKeyOf(old);
      if (was && was !== deploymentKeyOf(rs)) controller.enqueue(was);
      rsTouched(rs);
    },
    onDelete: rsTouched,
  });
  /** A pod of a Recreate Deployment's ReplicaSet going away may let the new ReplicaSet start. */
  const podGone = (p: Pod): void => {
    const ref = controllerRefOf(p);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = replicaSets.get(p.metadata?.namespace, ref.name);
    const owner = rs && deploymentKeyOf(rs);
    if (!owner) return;
    const { namespace, name } = splitKey(owner);
    if (deployments.get(namespace, name)?.spec.strategy?.type === 'Recreate') controller.enqueue(owner);
  };
  // Only the pods of ReplicaSets a Deployment made carry pod-template-hash: the label selector (existence) keeps
  // every other pod out of the cache and from waking the controller. (A terminating pod of an adopted RS that
  // lacks the label is not seen; that RS's status.replicas still holds Recreate back until it is 0.)
  const pods = controller.informer<Pod>(client, PODS, { labelSelector: HASH_LABEL }, {
    onDelete: podGone,
    onUpdate: (_old, p) => { if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') podGone(p); },
  });

  async function claim(d: Deployment): Promise<ReplicaSet[]> {
    const ns = d.metadata?.namespace;
    const inNs = replicaSets.list().filter((rs) => rs.metadata?.namespace === ns);
    const c = claimPods(d as never, inNs as never);
    const refs = (rs: ReplicaSet, adopt: boolean) => adopt
      ? [...(rs.metadata?.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata!.name!, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }]
      : (rs.metadata?.ownerReferences ?? []).filter((r) => r.uid !== d.metadata?.uid);
    const write = async (rs: ReplicaSet, adopt: boolean): Promise<void> => {
      await client.patch(REPLICASETS, ns, rs.metadata!.name!, 'merge', { metadata: { ownerReferences: refs(rs, adopt), resourceVersion: rs.metadata!.resourceVersion } }, { fieldManager: DEPLOYMENT_CONTROLLER })
        .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
    };
    for (const rs of c.adopt as unknown as ReplicaSet[]) await write(rs, true);
    for (const rs of c.release as unknown as ReplicaSet[]) await write(rs, false);
    return c.owned as unknown as ReplicaSet[];
  }

  const podsByRS = (owned: readonly ReplicaSet[]): Map<string, Pod[]> => {
    const uids = new Set(owned.map((rs) => rs.metadata?.uid));
    const out = new Map<string, Pod[]>();
    for (const p of pods.list()) {
      const uid = controllerRefOf(p)?.uid;
      if (uid && uids.has(uid)) out.set(uid, [...(out.get(uid) ?? []), p]);
    }
    return out;
  };

  const post = (d: Deployment, evs: readonly PlannedEvent[]): Promise<void[]> => Promise.all(evs.map((e) => recorder.event(typed(d), e.type, e.reason, e.message)));

  /** A create of the new RS that found the name taken: ours (cache behind) or a collision (count + 1). */
  async function nameTaken(d: Deployment, rs: ReplicaSet): Promise<void> {
    const existing = await client.get<ReplicaSet>(REPLICASETS, rs.metadata!.namespace, rs.metadata!.name!);
    if (isControlledBy(existing, d.metadata?.uid) && equalIgnoreHash(existing.spec.template, d.spec.template)) return;
    const status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await client.update(DEPLOYMENTS, d.metadata!.namespace, { ...typed(d), status }, { subresource: 'status', fieldManager: DEPLOYMENT_CONTROLLER });
    throw new Error(`hash collision on replica set "${rs.metadata!.name}": collisionCount is now ${status.collisionCount}`);
  }

  /** Progressing False ReplicaSetCreateError and its Warning event, then the error for the back-off. */
  async function createFailed(d: Deployment, rs: ReplicaSet, err: unknown): Promise<never> {
    const message = `Failed to create new replica set "${rs.metadata!.name}": ${errText(err)}`;
    await recorder.event(typed(d), 'Warning', REASON.createError, message);
    if (hasProgressDeadline(d)) {
      const status = structuredClone(d.status ?? {});
      setCondition(status, newCondition('Progressing', 'False', REASON.createError, message, clock.now()));
      await client.update(DEPLOYMENTS, d.metadata!.namespace, { ...typed(d), status }, { subresource: 'status', fieldManager: DEPLOYMENT_CONTROLLER }).catch(() => undefined);
    }
    throw err;
  }

  async function apply(d: Deployment, step: SyncDecision): Promise<void> {
    const ns = d.metadata!.namespace;
    await post(d, step.events);
    for (const a of step.actions) {
      const name = a.rs.metadata!.name!;
      if (a.op === 'create') {
        try {
          await client.create(REPLICASETS, ns, a.rs, { fieldManager: DEPLOYMENT_CONTROLLER });
        } catch (e) {
          if (isAlreadyExists(e)) { await nameTaken(d, a.rs); return; } // ours: the cache catches up and requeues us
          await createFailed(d, a.rs, e);
        }
      } else if (a.op === 'update') {
        await client.update(REPLICASETS, ns, { ...a.rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' }, { fieldManager: DEPLOYMENT_CONTROLLER });
      } else {
        await client.delete(REPLICASETS, ns, name, { preconditions: { uid: a.rs.metadata!.uid! } }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      }
      await post(d, a.events);
    }
    if (step.statusUpdate) await client.update(DEPLOYMENTS, ns, typed(step.statusUpdate), { subresource: 'status', fieldManager: DEPLOYMENT_CONTROLLER });
  }

  async function sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const d = deployments.get(namespace, name);
    if (!d) return;
    const owned = await claim(d);
    const step = decide({ deployment: d, replicaSets: owned, podsByReplicaSet: d.spec.strategy?.type === 'Recreate' ? podsByRS(owned) : undefined, now: clock.now() });
    await apply(d, step);
    return step.requeueAfterMs !== undefined ? { requeueAfter: step.requeueAfterMs } : undefined;
  }

  return { run: (signal) => controller.run(signal), controller, syncDeployment: sync, pods };
}
