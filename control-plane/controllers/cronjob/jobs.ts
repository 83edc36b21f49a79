// control-plane/controllers/cronjob/jobs.ts — what the CronJob controller knows of Jobs: the shapes it reads,
// finished or not (a Complete or Failed condition with status True), the Job a scheduled time makes from the
// template (name `<cronjob>-<minutes since the epoch>`, the template's labels and annotations plus
// `batch.kubernetes.io/cronjob-scheduled-timestamp`, the controllerRef, the template's spec), the reference
// status.active keeps, and the order history limits delete in (oldest start first).
//
// PURE.
import type { KubeObject } from '../../../client/index.js';
import { controllerRefTo, type OwnerRef } from '../framework/index.js';
import { rfc3339In } from './times.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface JobCondition { type?: string; status?: string }
export interface Job extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { conditions?: JobCondition[]; startTime?: string; completionTime?: string; active?: number };
}

/** core/v1 ObjectReference as status.active holds it. */
export interface JobRef { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string }

export interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: string;
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}
export interface CronJobStatus { active?: JobRef[]; lastScheduleTime?: string; lastSuccessfulTime?: string }
export interface CronJob extends KubeObject { spec: CronJobSpec; status?: CronJobStatus }

/** 'Complete' | 'Failed' when the Job has finished, else undefined (IsJobFinished / getFinishedStatus). */
export function finishedStatus(j: Job): 'Complete' | 'Failed' | undefined {
  const c = (j.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** getJobName: the scheduled time in minutes since the epoch, so one time makes one Job whatever happens. */
export const jobName = (cronJobName: string, scheduledMs: number): string => `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;

/** getJobFromTemplate2. `zone`: spec.timeZone, '' (UTC, as Go's LoadLocation("")) when unset. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number, zone: string): Job {
  const t = cj.spec.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: jobName(cj.metadata!.name!, scheduledMs),
      namespace: cj.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(scheduledMs, zone) },
      ownerReferences: [controllerRefTo({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' }) as OwnerRef],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

/** ref.GetReference of a created Job. */
export const refTo = (j: Job): JobRef => ({
  apiVersion: 'batch/v1', kind: 'Job', name: j.metadata?.name, namespace: j.metadata?.namespace, uid: j.metadata?.uid, resourceVersion: j.metadata?.resourceVersion,
});

/** byJobStartTime: by status.startTime (a Job without one last), then by name. */
export function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa !== sb) return Date.parse(sa!) - Date.parse(sb!);
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
