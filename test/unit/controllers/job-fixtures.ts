// Fixtures of the Job controller's pure-decision tests (job-decide.test.ts, job-index-decide.test.ts): a fixed
// clock (T0, at(s), opts(s)), a Job with the API server's defaults, and pods of that Job in any phase (finish
// time, exit code, index, annotations, readiness, restarts, conditions, the tracking finalizer or not).
import { JOB_TRACKING_FINALIZER, type Job, type Pod } from '../../../control-plane/controllers/job/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const at = (s: number): string => rfc3339(T0 + s * 1000);
export const opts = (s: number, backoffBaseMs?: number) => ({ now: T0 + s * 1000, nowIso: at(s), ...(backoffBaseMs !== undefined ? { backoffBaseMs } : {}) });

export const job = (spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'job-uid', ...meta },
  spec: { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { metadata: { labels: { 'job-name': 'pi' } }, spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } }, ...spec },
  status: { startTime: at(0), ...status },
});

export interface PodOpts {
  finishedAt?: number; created?: number; finalizer?: boolean; index?: number; annotations?: Record<string, string>; exitCode?: number;
  deleting?: boolean; ready?: boolean; restarts?: number; conditions?: { type: string; status: string }[]; labels?: Record<string, string>; owned?: boolean;
}

let seq = 0;
export function pod(phase: string, o: PodOpts = {}): Pod {
  const uid = `pod-${++seq}`;
  const annotations = { ...(o.index !== undefined ? { 'batch.kubernetes.io/job-completion-index': String(o.index) } : {}), ...(o.annotations ?? {}) };
  return {
    metadata: {
      name: uid, namespace: 'default', uid, creationTimestamp: at(o.created ?? 0), resourceVersion: '1',
      ...(o.finalizer === false ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.deleting ? { deletionTimestamp: at(1) } : {}),
      ...(o.owned === false ? {} : { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true }] }),
    },
    status: {
      phase,
      conditions: [...(o.ready ? [{ type: 'Ready', status: 'True' }] : []), ...(o.conditions ?? [])],
      containerStatuses: [{ name: 'main', restartCount: o.restarts ?? 0, ...(o.finishedAt !== undefined ? { state: { terminated: { exitCode: o.exitCode ?? (phase === 'Succeeded' ? 0 : 1), finishedAt: at(o.finishedAt) } } } : {}) } as never],
    },
  };
}
