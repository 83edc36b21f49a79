// control-plane/controllers/replicaset/manage.ts — the writes of one ReplicaSet sync (upstream
// manageReplicas, claim and status update), through the client only: adopt/release pods (merge patch of
// ownerReferences, conditional on the pod's resourceVersion), create the missing pods in slow-start batches
// (a failed batch skips the rest) and delete the surplus chosen by rank.ts, with SuccessfulCreate /
// SuccessfulDelete / FailedCreate / FailedDelete events and the controller's expectations set before the
// writes and lowered for each write that did not happen. Returns the first error's message, if any.
import { isNotFound, PODS, type KubeClient } from '../../../client/index.js';
import { keyOf, type EventRecorder, type Expectations } from '../framework/index.js';
import { adoptedRefs, podFromTemplate, releasedRefs, slowStartBatches, withTypeMeta, type Claim, type ReplicaSet } from './decide.js';
import type { Pod } from './pods.js';

export interface ManageDeps {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly expectations: Expectations;
  /** Default: replicaset-controller. */
  readonly fieldManager?: string;
}

const FIELD_MANAGER = 'replicaset-controller';
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Adopts and releases per the claim; a pod gone meanwhile is skipped; other failures throw (requeue). */
export async function applyClaim(d: ManageDeps, rs: ReplicaSet, claim: Claim): Promise<void> {
  const ns = rs.metadata!.namespace;
  const write = async (pod: Pod, ownerReferences: unknown): Promise<void> => {
    try {
      await d.client.patch(PODS, ns, pod.metadata!.name!, 'merge', { metadata: { ownerReferences, resourceVersion: pod.metadata!.resourceVersion } }, { fieldManager: d.fieldManager ?? FIELD_MANAGER });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };
  for (const p of claim.adopt) await write(p, adoptedRefs(p, rs));
  for (const p of claim.release) await write(p, releasedRefs(p, rs));
}

/** Creates `count` pods in slow-start batches. */
export async function createPods(d: ManageDeps, key: string, rs: ReplicaSet, count: number): Promise<string | undefined> {
  d.expectations.expectCreations(key, count);
  const subject = withTypeMeta(rs);
  let failure: string | undefined;
  let done = 0;
  for (const size of slowStartBatches(count)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => d.client.create<Pod>(PODS, rs.metadata!.namespace, podFromTemplate(rs), { fieldManager: d.fieldManager ?? FIELD_MANAGER })));
    done += size;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        void d.events.event(subject, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`);
      } else {
        d.expectations.creationObserved(key);
        failure ??= errText(r.reason);
        void d.events.event(subject, 'Warning', 'FailedCreate', `Error creating: ${errText(r.reason)}`);
      }
    }
    if (failure !== undefined) break;
  }
  for (let skipped = count - done; skipped > 0; skipped--) d.expectations.creationObserved(key);
  return failure;
}

/** Deletes `pods` (already chosen and ordered). A pod already gone counts as deleted. */
export async function deletePods(d: ManageDeps, key: string, rs: ReplicaSet, pods: readonly Pod[]): Promise<string | undefined> {
  d.expectations.expectDeletions(key, pods.map(keyOf));
  const subject = withTypeMeta(rs);
  let failure: string | undefined;
  await Promise.all(pods.map(async (p) => {
    try {
      await d.client.delete(PODS, p.metadata!.namespace, p.metadata!.name!, { preconditions: { uid: p.metadata!.uid } });
      void d.events.event(subject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`);
    } catch (e) {
      d.expectations.deletionObserved(key, keyOf(p));
      if (isNotFound(e)) return;
      failure ??= errText(e);
      void d.events.event(subject, 'Warning', 'FailedDelete', `Error deleting: ${errText(e)}`);
    }
  }));
  return failure;
}
