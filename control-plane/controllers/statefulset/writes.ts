// control-plane/controllers/statefulset/writes.ts — the writes of one StatefulSet sync (upstream
// StatefulPodControl), through the client only, with the events stateful_pod_control.go records:
//   Normal  SuccessfulCreate  "create Claim <pvc> Pod <pod> in StatefulSet <sts> success"
//   Warning FailedCreate      "create Claim <pvc> for Pod <pod> in StatefulSet <sts> failed error: <err>"
//   Normal  SuccessfulCreate  "create Pod <pod> in StatefulSet <sts> successful"
//   Warning FailedCreate      "create Pod <pod> in StatefulSet <sts> failed error: <err>"
//   Warning RecreatingFailedPod "StatefulSet <ns>/<sts> is recreating failed Pod <pod>"
//   Normal  SuccessfulDelete  "delete Pod <pod> in StatefulSet <sts> successful" (FailedDelete on error)
// A failed write throws (the framework requeues with back-off). A pod create that finds the name taken stops
// the sync quietly: the informer has not seen our own pod yet and its add event syncs again.
import { isAlreadyExists, isNotFound, PODS, type KubeClient } from '../../../client/index.js';
import type { EventRecorder } from '../framework/index.js';
import type { Action } from './decide.js';
import { typedSet } from './identity.js';
import { PVCS, type StatefulSet } from './types.js';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';

export interface WriteDeps {
  readonly client: KubeClient;
  readonly events: EventRecorder;
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Runs the actions in order; false when a create found its pod already there (stop, wait for the cache). */
export async function applyActions(d: WriteDeps, set: StatefulSet, actions: readonly Action[]): Promise<boolean> {
  for (const a of actions) if (!(await applyOne(d, set, a))) return false;
  return true;
}

async function applyOne(d: WriteDeps, set: StatefulSet, a: Action): Promise<boolean> {
  const ns = set.metadata!.namespace;
  const sts = set.metadata!.name!;
  const subject = typedSet(set);
  const event = (type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> => d.events.event(subject, type, reason, message);
  const opts = { fieldManager: STATEFULSET_CONTROLLER };
  if (a.op === 'createClaims') {
    for (const c of a.claims) {
      try {
        await d.client.create(PVCS, ns, c, opts);
        void event('Normal', 'SuccessfulCreate', `create Claim ${c.metadata!.name} Pod ${a.pod.metadata!.name} in StatefulSet ${sts} success`);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        await event('Warning', 'FailedCreate', `create Claim ${c.metadata!.name} for Pod ${a.pod.metadata!.name} in StatefulSet ${sts} failed error: ${errText(e)}`);
        throw e;
      }
    }
  } else if (a.op === 'createPod') {
    try {
      await d.client.create(PODS, ns, a.pod, opts);
    } catch (e) {
      if (isAlreadyExists(e)) return false;
      await event('Warning', 'FailedCreate', `create Pod ${a.pod.metadata!.name} in StatefulSet ${sts} failed error: ${errText(e)}`);
      throw e;
    }
    void event('Normal', 'SuccessfulCreate', `create Pod ${a.pod.metadata!.name} in StatefulSet ${sts} successful`);
  } else if (a.op === 'deletePod') {
    const name = a.pod.metadata!.name!;
    if (a.why === 'failed') void event('Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${sts} is recreating failed Pod ${name}`);
    try {
      await d.client.delete(PODS, ns, name, { preconditions: { uid: a.pod.metadata!.uid } });
    } catch (e) {
      if (isNotFound(e)) return true;
      await event('Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${sts} failed error: ${errText(e)}`);
      throw e;
    }
    void event('Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${sts} successful`);
  } else {
    const md = a.claim.metadata!;
    await d.client.patch(PVCS, ns, md.name!, 'merge', { metadata: { ownerReferences: a.ownerReferences, resourceVersion: md.resourceVersion } }, opts)
      .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }
  return true;
}
