// control-plane/controllers/deployment/plan.ts — the working state of one sync (PURE): copies of the
// Deployment and its ReplicaSets that the decisions change in place, recording each ReplicaSet write (with
// the ScalingReplicaSet event it earns, §1.14) in order; and the shared steps every path takes: find or make
// the new ReplicaSet with its revision (getAllReplicaSetsAndSyncRevision, §1.2, §1.11), scale one RS
// (scaleReplicaSet), clean up old revisions.
import { newRSNewReplicas, replicasOf } from './arithmetic.js';
import { computeHash, findNewReplicaSet, replicaSetName } from './hash.js';
import { maxRevision, replicaSetsToClean, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from './revision.js';
import { REASON, getCondition, hasProgressDeadline, newCondition, setCondition } from './status.js';
import { HASH_LABEL, REVISION, nameOf, specReplicas, type Deployment, type DeploymentStatus, type ReplicaSet } from './types.js';

export interface PlannedEvent { type: 'Normal' | 'Warning'; reason: string; message: string }

/** One ReplicaSet write; its `events` are posted on the Deployment once the write succeeded. */
export interface Action { op: 'create' | 'update' | 'delete'; rs: ReplicaSet; events: PlannedEvent[] }

export class Plan {
  readonly d: Deployment;
  rss: ReplicaSet[];
  readonly now: number;
  readonly actions: Action[] = [];
  /** Events that belong to no write (SelectingAll). */
  readonly events: PlannedEvent[] = [];

  constructor(d: Deployment, rss: readonly ReplicaSet[], now: number) {
    this.d = structuredClone(d);
    this.d.status ??= {};
    this.rss = rss.map((rs) => structuredClone(rs));
    this.now = now;
  }

  get status(): DeploymentStatus { return this.d.status!; }

  /** Records a write of `rs` (merged into an earlier create/update of the same RS). */
  touch(rs: ReplicaSet, event?: PlannedEvent): void {
    const prev = this.actions.find((a) => a.op !== 'delete' && a.rs === rs);
    if (prev) prev.events.push(...(event ? [event] : []));
    else this.actions.push({ op: 'update', rs, events: event ? [event] : [] });
  }

  /** scaleReplicaSet: spec.replicas and the replicas annotations; the event only when the size changed. */
  scale(rs: ReplicaSet, to: number): boolean {
    const from = specReplicas(rs);
    const sizeChanged = from !== to;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, this.d)) return false;
    rs.spec.replicas = to;
    setReplicasAnnotations(rs, this.d);
    this.touch(rs, sizeChanged ? scalingEvent(rs, from, to) : undefined);
    return sizeChanged;
  }

  /** scaleReplicaSetAndRecordEvent: nothing when already at that size. */
  scaleTo(rs: ReplicaSet, to: number): boolean {
    return specReplicas(rs) === to ? false : this.scale(rs, to);
  }

  /** getAllReplicaSetsAndSyncRevision: the new RS (made when `create` and missing) and the old ones. */
  newAndOld(create: boolean): { newRS: ReplicaSet | undefined; old: ReplicaSet[] } {
    const found = findNewReplicaSet(this.d.spec.template, this.rss);
    const old = this.rss.filter((rs) => rs !== found);
    const revision = maxRevision(old) + 1;
    if (found) {
      const annotated = setNewReplicaSetAnnotations(this.d, found, revision, true);
      const minReady = (found.spec.minReadySeconds ?? 0) !== (this.d.spec.minReadySeconds ?? 0);
      if (annotated || minReady) {
        found.spec.minReadySeconds = this.d.spec.minReadySeconds ?? 0;
        this.touch(found);
      }
      this.setRevision(found.metadata?.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(this.d) && !getCondition(this.status, 'Progressing')) {
        setCondition(this.status, newCondition('Progressing', 'True', REASON.found, `Found new replica set "${nameOf(found)}"`, this.now));
      }
      return { newRS: found, old };
    }
    if (!create) return { newRS: undefined, old };
    const rs = this.newReplicaSet();
    rs.spec.replicas = newRSNewReplicas(this.d, [...old, rs], rs);
    setNewReplicaSetAnnotations(this.d, rs, revision, false);
    this.rss.push(rs);
    const n = specReplicas(rs);
    this.actions.push({ op: 'create', rs, events: n > 0 ? [{ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${nameOf(rs)} from 0 to ${n}` }] : [] });
    this.setRevision(String(revision));
    if (hasProgressDeadline(this.d)) {
      setCondition(this.status, newCondition('Progressing', 'True', REASON.created, `Created new replica set "${nameOf(rs)}"`, this.now));
    }
    return { newRS: rs, old };
  }

  /** The new RS object as getNewReplicaSet builds it (replicas 0 until sized). */
  newReplicaSet(): ReplicaSet {
    const d = this.d;
    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash };
    return {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: replicaSetName(nameOf(d), hash), namespace: d.metadata?.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(d), uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
  }

  /** SetDeploymentRevision (written with the status, as UpdateStatus does). */
  setRevision(revision: string): void {
    const md = (this.d.metadata ??= {});
    if (md.annotations?.[REVISION] === revision) return;
    md.annotations = { ...md.annotations, [REVISION]: revision };
  }

  /** cleanupDeployment. */
  cleanup(old: readonly ReplicaSet[]): void {
    for (const rs of replicaSetsToClean(old, this.d)) this.actions.push({ op: 'delete', rs, events: [] });
  }

  get replicas(): number { return replicasOf(this.d); }
}

export function scalingEvent(rs: ReplicaSet, from: number, to: number): PlannedEvent {
  return { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${to > from ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${to}` };
}

/** FilterActiveReplicaSets: spec.replicas > 0. */
export const active = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] => rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);
