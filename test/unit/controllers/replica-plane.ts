// test/unit/controllers/replica-plane.ts — helpers of the replica controller tests (ReplicaSet and
// ReplicationController) against the real embedded API server: the live pods an owner controls, polling
// until a condition holds, pod status written through pods/status (Ready since a time), and the Events
// about an object.
import { EVENTS, PODS, type KubeObject } from '../../../client/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import type { Pod } from '../../../control-plane/controllers/replicaset/index.js';
import { until, type Plane } from '../client/helpers.js';

export interface SeenEvent { reason: string; message: string; source?: { component?: string }; involvedObject?: { kind?: string; name?: string } }

/** Polls until `fn` resolves true. */
export async function eventually(fn: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  let ok = false;
  const check = (): void => { void fn().then((v) => { ok = v; }); };
  check();
  await until(() => { if (!ok) check(); return ok; }, ms, what);
}

export const readyStatus = (at: number) => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(at) }] });

/** Helpers over the plane of the current test (`plane()` is read at each call). */
export function replicaPlane(plane: () => Plane) {
  const live = (p: Pod): boolean => !p.metadata?.deletionTimestamp;
  return {
    /** Live pods of namespace default controlled by the object with this uid. */
    async podsOf(uid: string): Promise<Pod[]> {
      const list = await plane().client.list<Pod>(PODS, { namespace: 'default' });
      return list.items.filter((p) => live(p) && p.metadata?.ownerReferences?.some((r) => r.uid === uid && r.controller));
    },
    setStatus: (name: string, status: Record<string, unknown>): Promise<KubeObject> =>
      plane().client.patch(PODS, 'default', name, 'merge', { status }, { subresource: 'status' }),
    async eventsOf(name: string): Promise<SeenEvent[]> {
      const list = await plane().client.list(EVENTS, { namespace: 'default' });
      return (list.items as unknown as SeenEvent[]).filter((e) => e.involvedObject?.name === name);
    },
  };
}
