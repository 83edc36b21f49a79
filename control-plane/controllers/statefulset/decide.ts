// control-plane/controllers/statefulset/decide.ts — PURE: one sync of a StatefulSet (control-plane-semantics.md
// §4; upstream updateStatefulSet in its monotonic and burst modes). From the set, its pods, the current and
// update revisions and the claims that exist, it returns the writes in order and the status to write:
//
//  1. every ordinal in range, ascending: a Failed/Succeeded pod is deleted (RecreatingFailedPod) and made
//     again next sync; a missing pod is created (its missing claims first); a Pending pod gets its missing
//     claims; claims get the ownerReferences the retention policy wants. OrderedReady stops at the first
//     write and at any pod that is terminating, not Running+Ready, or not yet available (minReadySeconds).
//  2. pods out of range, highest ordinal first: deleted (their claims first marked per whenScaled); OrderedReady
//     one at a time, waiting for full termination, and not past an unhealthy pod other than the first one.
//  3. RollingUpdate (not OnDelete): from the highest ordinal down to the partition, the first pod not at the
//     update revision is deleted (made again at it by step 1); an unhealthy pod stops the update.
//
// Status counts as upstream: replicas (created pods), readyReplicas, availableReplicas, currentReplicas and
// updatedReplicas (by revision label, not terminating), adjusted for this sync's creates and deletes; the
// rolling update completes (currentRevision := updateRevision) when every replica is updated and ready.
import { nextAvailableAt } from '../replicaset/pods.js';
import { claimOwnerRefs, claimRefsUpToDate, claimsFor, inOrdinalRange, newPod, ordinalOf, replicasOf, startOrdinal } from './identity.js';
import { isCreated, isFailed, isHealthy, isPending, isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating, revisionOf } from './pods.js';
import type { OwnerRef, PersistentVolumeClaim, Pod, PodTemplate, StatefulSet, StatefulSetStatus } from './types.js';

export interface Revision { readonly name: string; readonly template: PodTemplate }

export interface SyncInput {
  readonly set: StatefulSet;
  /** The set's pods (members it controls). */
  readonly pods: readonly Pod[];
  readonly current: Revision;
  readonly update: Revision;
  /** PersistentVolumeClaims of the set's namespace, by name. */
  readonly claims: ReadonlyMap<string, PersistentVolumeClaim>;
  readonly now: number;
}

export type Action =
  | { readonly op: 'createClaims'; readonly pod: Pod; readonly claims: PersistentVolumeClaim[] }
  | { readonly op: 'createPod'; readonly pod: Pod }
  | { readonly op: 'deletePod'; readonly pod: Pod; readonly why: 'failed' | 'condemned' | 'update' }
  | { readonly op: 'setClaimRefs'; readonly claim: PersistentVolumeClaim; readonly ownerReferences: OwnerRef[] };

export interface SyncDecision {
  readonly actions: Action[];
  readonly status: StatefulSetStatus;
  /** Why an OrderedReady set stopped (for logs and tests), if it did. */
  readonly waiting?: string;
  readonly requeueAfterMs?: number;
}

interface Counts { replicas: number; readyReplicas: number; availableReplicas: number; currentReplicas: number; updatedReplicas: number }

/** Upstream newVersionedStatefulSetPod: ordinals below the partition are made at the current revision. */
function versionedPod(i: SyncInput, ordinal: number): Pod {
  const { set, current, update } = i;
  const ru = set.spec?.updateStrategy?.type !== 'OnDelete';
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition;
  const old = ru && (partition === undefined
    ? ordinal < startOrdinal(set) + (set.status?.currentReplicas ?? 0)
    : ordinal < startOrdinal(set) + partition);
  return old ? newPod(set, current.template, ordinal, current.name) : newPod(set, update.template, ordinal, update.name);
}

class Sync {
  readonly actions: Action[] = [];
  readonly counts: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  waiting?: string;
  readonly monotonic: boolean;
  readonly minReady: number;

  constructor(readonly i: SyncInput) {
    this.monotonic = i.set.spec?.podManagementPolicy !== 'Parallel';
    this.minReady = i.set.spec?.minReadySeconds ?? 0;
  }

  count(p: Pod): void {
    if (!isCreated(p)) return;
    const c = this.counts;
    c.replicas++;
    if (isRunningAndReady(p)) {
      c.readyReplicas++;
      if (isRunningAndAvailable(p, this.minReady, this.i.now)) c.availableReplicas++;
    }
    if (!isTerminating(p)) this.byRevision(p, 1);
  }

  byRevision(p: Pod, d: number): void {
    const rev = revisionOf(p);
    if (rev === this.i.current.name) this.counts.currentReplicas += d;
    if (rev === this.i.update.name) this.counts.updatedReplicas += d;
  }

  /** Stop here (OrderedReady) with a reason. */
  wait(why: string): boolean {
    if (this.monotonic) this.waiting ??= why;
    return this.monotonic;
  }

  deletePod(p: Pod, why: 'failed' | 'condemned' | 'update'): void {
    this.actions.push({ op: 'deletePod', pod: p, why });
    if (why === 'failed') this.counts.replicas--;
    this.byRevision(p, -1);
  }

  /** The claims of `ordinal`'s pod that do not exist yet; undefined when one is being deleted. */
  missingClaims(ordinal: number): PersistentVolumeClaim[] | undefined {
    const out: PersistentVolumeClaim[] = [];
    for (const c of claimsFor(this.i.set, ordinal)) {
      const have = this.i.claims.get(c.metadata!.name!);
      if (have?.metadata?.deletionTimestamp) return undefined;
      if (have) continue;
      const ownerReferences = claimOwnerRefs(c, this.i.set, ordinal, undefined);
      out.push(ownerReferences.length ? { ...c, metadata: { ...c.metadata, ownerReferences } } : c);
    }
    return out;
  }

  /** Claims of an existing pod whose ownerReferences the retention policy wants changed. */
  fixClaimRefs(p: Pod, ordinal: number): void {
    for (const c of claimsFor(this.i.set, ordinal)) {
      const have = this.i.claims.get(c.metadata!.name!);
      if (have && !have.metadata?.deletionTimestamp && !claimRefsUpToDate(have, this.i.set, ordinal, p)) {
        this.actions.push({ op: 'setClaimRefs', claim: have, ownerReferences: claimOwnerRefs(have, this.i.set, ordinal, p) });
      }
    }
  }
}

/** Step 1 for one ordinal; true = stop the sync. */
function processReplica(s: Sync, ordinal: number, pod: Pod | undefined): boolean {
  if (pod && (isFailed(pod) || isSucceeded(pod)) && !isTerminating(pod)) {
    s.deletePod(pod, 'failed');
    return s.wait(`recreating failed Pod ${pod.metadata?.name}`);
  }
  if (!pod) {
    const claims = s.missingClaims(ordinal);
    const fresh = versionedPod(s.i, ordinal);
    if (!claims) return s.wait(`a claim of Pod ${fresh.metadata!.name} is being deleted`);
    if (claims.length) s.actions.push({ op: 'createClaims', pod: fresh, claims });
    s.actions.push({ op: 'createPod', pod: fresh });
    s.counts.replicas++;
    s.byRevision(fresh, 1);
    return s.wait(`creating Pod ${fresh.metadata!.name}`);
  }
  const name = pod.metadata?.name;
  if (isPending(pod)) {
    const claims = s.missingClaims(ordinal);
    if (claims?.length) s.actions.push({ op: 'createClaims', pod, claims });
  }
  if (isTerminating(pod)) return s.wait(`waiting for Pod ${name} to Terminate prior to scale up`);
  if (!isRunningAndReady(pod)) return s.wait(`waiting for Pod ${name} to be Running and Ready`);
  if (!isRunningAndAvailable(pod, s.minReady, s.i.now)) return s.wait(`waiting for Pod ${name} to be Available`);
  s.fixClaimRefs(pod, ordinal);
  return false;
}

/** Step 2 for one condemned pod (highest ordinal first); true = stop. */
function processCondemned(s: Sync, pod: Pod, firstUnhealthy: Pod | undefined): boolean {
  const name = pod.metadata?.name;
  if (isTerminating(pod)) return s.wait(`waiting for Pod ${name} to Terminate prior to scale down`);
  if (!isRunningAndReady(pod) && pod !== firstUnhealthy && s.wait(`waiting for Pod ${firstUnhealthy?.metadata?.name} to be Running and Ready prior to scale down`)) return true;
  if (!isRunningAndAvailable(pod, s.minReady, s.i.now) && pod !== firstUnhealthy && s.wait(`waiting for Pod ${firstUnhealthy?.metadata?.name} to be Available prior to scale down`)) return true;
  s.fixClaimRefs(pod, ordinalOf(pod));
  s.deletePod(pod, 'condemned');
  return s.wait(`terminating Pod ${name} for scale down`);
}

/** Step 3: the rolling update over the slots (index ≥ partition), highest first. */
function rollingUpdate(s: Sync, slots: readonly (Pod | undefined)[]): void {
  const min = s.i.set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = slots.length - 1; target >= min; target--) {
    const p = slots[target];
    if (!p) { s.waiting ??= 'waiting for Pods to be created before the update'; return; }
    if (revisionOf(p) !== s.i.update.name && !isTerminating(p)) { s.deletePod(p, 'update'); s.waiting ??= `Pod ${p.metadata?.name} deleted for the update`; return; }
    if (!isHealthy(p)) { s.waiting ??= `waiting for Pod ${p.metadata?.name} to update`; return; }
  }
}

const byOrdinalDesc = (a: Pod, b: Pod): number => ordinalOf(b) - ordinalOf(a);

export function syncStatefulSet(i: SyncInput): SyncDecision {
  const { set } = i;
  const s = new Sync(i);
  const start = startOrdinal(set);
  const slots: (Pod | undefined)[] = Array.from({ length: replicasOf(set) });
  const condemned: Pod[] = [];
  for (const p of i.pods) {
    s.count(p);
    const ord = ordinalOf(p);
    if (inOrdinalRange(set, ord)) slots[ord - start] = p;
    else if (ord >= 0) condemned.push(p);
  }
  condemned.sort(byOrdinalDesc);
  const firstUnhealthy = [...slots, ...[...condemned].reverse()].find((p) => p !== undefined && !isHealthy(p));
  const deleting = !!set.metadata?.deletionTimestamp;
  if (!deleting) run(s, slots, condemned, firstUnhealthy);
  const status = finalStatus(i, s.counts);
  const at = s.monotonic ? nextAvailableAt(i.pods.filter((p) => !isTerminating(p)), s.minReady, i.now) : nextAvailableAt(i.pods, s.minReady, i.now);
  return { actions: s.actions, status, waiting: s.waiting, ...(at !== undefined ? { requeueAfterMs: at - i.now } : {}) };
}

function run(s: Sync, slots: (Pod | undefined)[], condemned: readonly Pod[], firstUnhealthy: Pod | undefined): void {
  const start = startOrdinal(s.i.set);
  for (let k = 0; k < slots.length; k++) if (processReplica(s, start + k, slots[k])) return;
  for (const p of condemned) if (processCondemned(s, p, firstUnhealthy)) return;
  if (s.i.set.spec?.updateStrategy?.type === 'OnDelete') return;
  if (s.actions.some((a) => a.op === 'createPod' || a.op === 'deletePod')) return;
  rollingUpdate(s, slots);
}

function finalStatus(i: SyncInput, c: Counts): StatefulSetStatus {
  const { set } = i;
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation,
    replicas: c.replicas, readyReplicas: c.readyReplicas, currentReplicas: c.currentReplicas, updatedReplicas: c.updatedReplicas,
    availableReplicas: c.availableReplicas,
    currentRevision: i.current.name, updateRevision: i.update.name, collisionCount: set.status?.collisionCount ?? 0,
  };
  const want = replicasOf(set);
  if (set.spec?.updateStrategy?.type !== 'OnDelete' && c.updatedReplicas === want && c.readyReplicas === want && c.replicas === want) {
    status.currentReplicas = c.updatedReplicas;
    status.currentRevision = i.update.name;
  }
  return status;
}
