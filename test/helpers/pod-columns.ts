// test/helpers/pod-columns.ts — what `kubectl get pods` prints for a pod (READY, STATUS, RESTARTS, AGE), from
// the API server's Table printer (control-plane/registry/kinds/pod-printer.ts): the tests of the kubelet's
// status generator check their statuses read the way a cluster shows them.
import type { Pod } from '../../agent/api/v1.js';
import { podCells, type PodView } from '../../control-plane/registry/kinds/pod-printer.js';

export interface PodColumns { readonly ready: string; readonly status: string; readonly restarts: string; readonly age: string }

export function podStatusColumns(pod: Pod, now: number): PodColumns {
  const [, ready, status, restarts, age] = podCells(pod as PodView, now);
  return { ready: ready!, status: status!, restarts: restarts!, age: age! };
}
