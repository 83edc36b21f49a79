// control-plane/controllers/daemonset/pods.ts — the creates of one DaemonSet sync (upstream syncNodes): one pod
// per node (placement.ts podForNode) in slow-start batches (a failed batch skips the rest), SuccessfulCreate
// "Created pod: X" / FailedCreate "Error creating: …" events, the expectations raised before the writes and
// lowered for each create that did not happen. Returns the first error's message, if any.
import { PODS } from '../../../client/index.js';
import { slowStartBatches } from '../replicaset/decide.js';
import type { ManageDeps } from '../replicaset/manage.js';
import { podForNode } from './placement.js';
import { BURST_REPLICAS, type DaemonSet, type Pod } from './types.js';

const FIELD_MANAGER = 'daemonset-controller';
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function createDaemonPods(d: ManageDeps, key: string, ds: DaemonSet, nodes: readonly string[], hash: string): Promise<string | undefined> {
  const todo = nodes.slice(0, BURST_REPLICAS);
  d.expectations.expectCreations(key, todo.length);
  let failure: string | undefined;
  let done = 0;
  for (const size of slowStartBatches(todo.length)) {
    const batch = todo.slice(done, done + size);
    done += size;
    const results = await Promise.allSettled(batch.map((n) => d.client.create<Pod>(PODS, ds.metadata!.namespace, podForNode(ds, n, hash), { fieldManager: FIELD_MANAGER })));
    for (const r of results) {
      if (r.status === 'fulfilled') {
        void d.events.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`);
      } else {
        d.expectations.creationObserved(key);
        failure ??= errText(r.reason);
        void d.events.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errText(r.reason)}`);
      }
    }
    if (failure !== undefined) break;
  }
  for (let skipped = todo.length - done; skipped > 0; skipped--) d.expectations.creationObserved(key);
  return failure;
}
