// control-plane/controllers/job/pods.ts — PURE: what the Job controller asks of a pod (finished, failed,
// terminating, tracked by the job-tracking finalizer, when it finished, its restarts) and the pod it creates
// (control-plane-semantics.md §2.2): generateName `<job>-` or, Indexed, `<job>-<index>-` (the prefix cut to 58
// characters keeping `-<index>-`), the template's labels/annotations/spec, the Job as controller, the
// job-tracking finalizer; Indexed pods also get the index annotation and label, hostname `<job>-<index>`, and
// JOB_COMPLETION_INDEX from the label in every container and init container.
import { controllerRefTo } from '../framework/index.js';
import { COMPLETION_INDEX_ENV, COMPLETION_INDEX_KEY, JOB_TRACKING_FINALIZER, type Job, type Pod } from './types.js';

/** generateName bases are cut to this length (the apiserver's maxGeneratedNameLength). */
const MAX_PREFIX = 58;

export const isSucceeded = (p: Pod): boolean => p.status?.phase === 'Succeeded';
export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const hasTrackingFinalizer = (p: Pod): boolean => p.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) === true;
/** Not finished and not being deleted: what parallelism limits. */
export const isActive = (p: Pod): boolean => !isTerminal(p) && !p.metadata?.deletionTimestamp;
/** Being deleted but not finished yet. */
export const isTerminating = (p: Pod): boolean => !isTerminal(p) && !!p.metadata?.deletionTimestamp;
export const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * A failure to count (isPodFailed): phase Failed; without a podFailurePolicy also a pod deleted before it
 * succeeded (an orphan that never reaches Failed).
 */
export const isFailed = (p: Pod, job: Job): boolean =>
  p.status?.phase === 'Failed' || (!job.spec?.podFailurePolicy && !!p.metadata?.deletionTimestamp && !isSucceeded(p));

interface ContainerStatus { name?: string; restartCount?: number; state?: { terminated?: { exitCode?: number; finishedAt?: string } } }
export const containerStatuses = (p: Pod): ContainerStatus[] =>
  [...((p.status?.['initContainerStatuses'] as ContainerStatus[] | undefined) ?? []), ...((p.status?.containerStatuses as ContainerStatus[] | undefined) ?? [])];

/** Σ restartCount of init and app containers (restartPolicy OnFailure counts these against backoffLimit). */
export const restarts = (p: Pod): number => containerStatuses(p).reduce((n, c) => n + (c.restartCount ?? 0), 0);

const ms = (t: string | undefined): number | undefined => { const v = t ? Date.parse(t) : Number.NaN; return Number.isNaN(v) ? undefined : v; };

/** getFinishedTime: the latest container finishedAt, else the Ready=False transition, else deletion, else creation. */
export function finishedAt(p: Pod): number {
  let latest: number | undefined;
  for (const c of containerStatuses(p)) {
    const t = ms(c.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return ms(ready?.lastTransitionTime) ?? ms(p.metadata?.deletionTimestamp) ?? ms(p.metadata?.creationTimestamp) ?? 0;
}

const withTypeMeta = (job: Job): Job => ({ ...job, apiVersion: job.apiVersion ?? 'batch/v1', kind: job.kind ?? 'Job' });

function generateNameFor(jobName: string, index: number | undefined): string {
  if (index === undefined) return `${jobName}-`;
  const suffix = `-${index}-`;
  return `${jobName.slice(0, Math.max(0, MAX_PREFIX - suffix.length))}${suffix}`;
}

type Container = Record<string, unknown> & { env?: Record<string, unknown>[] };

function addIndexEnv(containers: unknown): void {
  for (const c of (Array.isArray(containers) ? containers : []) as Container[]) {
    const env = (c.env ?? []).filter((e) => e['name'] !== COMPLETION_INDEX_ENV);
    env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX_KEY}']` } } });
    c.env = env;
  }
}

/** The pod a create sends for `job` (index: Indexed jobs only; annotations: extra ones, e.g. the index failure counts). */
export function podFromJob(job: Job, index?: number, annotations?: Record<string, string>): Pod {
  const t = job.spec?.template ?? {};
  const md = t.metadata ?? {};
  const name = job.metadata!.name!;
  const meta: NonNullable<Pod['metadata']> = {
    generateName: generateNameFor(name, index), namespace: job.metadata!.namespace,
    labels: { ...(md.labels ?? {}) }, ownerReferences: [controllerRefTo(withTypeMeta(job))],
    finalizers: [...(md.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER],
  };
  if (md.annotations) meta.annotations = { ...md.annotations };
  const spec = structuredClone(t.spec ?? {});
  if (index !== undefined) {
    meta.annotations = { ...(meta.annotations ?? {}), [COMPLETION_INDEX_KEY]: String(index), ...(annotations ?? {}) };
    meta.labels![COMPLETION_INDEX_KEY] = String(index);
    spec['hostname'] = `${name}-${index}`;
    addIndexEnv(spec['containers']);
    addIndexEnv(spec['initContainers']);
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}
