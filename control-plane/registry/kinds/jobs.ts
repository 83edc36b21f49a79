// control-plane/registry/kinds/jobs.ts — Job (batch/v1, category `all`, status subresource, generation):
// defaults as SetDefaults_Job (completions and parallelism 1 when both unset, parallelism 1, backoffLimit 6 —
// MaxInt32 with backoffLimitPerIndex —, completionMode NonIndexed, suspend false, podReplacementPolicy, pod
// condition patterns' status True, the template as pods; the Job's labels from the template's when it has
// none); the generated selector (unless manualSelector): once the store has given the uid, the template gets
// `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`, `controller-uid`, `job-name` and the
// selector `{batch.kubernetes.io/controller-uid: <uid>}`; validation in job-validation.ts; printed NAME
// STATUS COMPLETIONS DURATION AGE (+ CONTAINERS IMAGES SELECTOR), control-plane-semantics.md §2.
import { isObj, listOf, type Obj } from '../common.js';
import { JOB } from '../proto/index.js';
import { AGE_COLUMN, ageOf, col, humanDuration, NAME_COLUMN, nameOf } from '../table.js';
import type { KindDef, KubeObject, Mutable } from '../types.js';
import { defaultPodSpec } from './pod-spec.js';
import {
  CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL, templateLabelsOf, validateJob, validateJobUpdate,
} from './job-validation.js';
import { intOf, specOf, statusOf, WIDE_COLUMNS, wideCells } from './workload-common.js';

const MAX_INT32 = 2147483647;
const unset = (v: unknown): boolean => v === undefined || v === null;
const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (unset(o[k])) o[k] = v; };

/** The Job's labels default to the template's when it has none (SetDefaults_Job, also on every read upstream). */
function defaultJobLabels(o: Mutable): void {
  const labels = templateLabelsOf(specOf(o));
  if (Object.keys(labels).length > 0 && Object.keys(o.metadata.labels ?? {}).length === 0) o.metadata.labels = { ...labels };
}

function defaultJob(o: Mutable): void {
  const spec = specOf(o);
  o['spec'] = spec;
  if (unset(spec['completions']) && unset(spec['parallelism'])) { spec['completions'] = 1; spec['parallelism'] = 1; }
  setIfMissing(spec, 'parallelism', 1);
  setIfMissing(spec, 'backoffLimit', unset(spec['backoffLimitPerIndex']) ? 6 : MAX_INT32);
  setIfMissing(spec, 'completionMode', 'NonIndexed');
  setIfMissing(spec, 'suspend', false);
  const pfp = isObj(spec['podFailurePolicy']) ? spec['podFailurePolicy'] : undefined;
  for (const rule of listOf(pfp?.['rules'])) for (const p of listOf(rule['onPodConditions'])) setIfMissing(p, 'status', 'True');
  setIfMissing(spec, 'podReplacementPolicy', pfp ? 'Failed' : 'TerminatingOrFailed');
  const t = isObj(spec['template']) ? spec['template'] : undefined;
  if (t && isObj(t['spec'])) defaultPodSpec(t['spec']);
  defaultJobLabels(o);
}

/** generateSelector: the controller-uid selector and the four labels on the template. */
function generateSelector(o: Mutable): void {
  const spec = specOf(o);
  o['spec'] = spec;
  if (spec['manualSelector'] === true) return;
  const uid = o.metadata.uid ?? '';
  const name = o.metadata.name ?? '';
  const t = isObj(spec['template']) ? spec['template'] : (spec['template'] = {});
  const md = isObj(t['metadata']) ? t['metadata'] : (t['metadata'] = {});
  const labels = isObj(md['labels']) ? md['labels'] : (md['labels'] = {});
  for (const [k, v] of [[LEGACY_CONTROLLER_UID_LABEL, uid], [LEGACY_JOB_NAME_LABEL, name], [CONTROLLER_UID_LABEL, uid], [JOB_NAME_LABEL, name]] as const) setIfMissing(labels, k, v);
  if (unset(spec['selector'])) spec['selector'] = { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
  defaultJobLabels(o);
}

// ---- printing ----

interface Condition { type?: string; status?: string }
const isTrue = (o: KubeObject, type: string): boolean => listOf<Condition>(statusOf(o)['conditions']).some((c) => c.type === type && c.status === 'True');

/** printJob's STATUS (1.30+): Complete > Failed > Terminating > Suspended > FailureTarget > SuccessCriteriaMet > Running. */
export function jobStatusCell(o: KubeObject): string {
  if (isTrue(o, 'Complete')) return 'Complete';
  if (isTrue(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (isTrue(o, 'Suspended')) return 'Suspended';
  if (isTrue(o, 'FailureTarget')) return 'FailureTarget';
  if (isTrue(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsCell(o: KubeObject): string {
  const spec = specOf(o);
  const succeeded = intOf(statusOf(o)['succeeded']);
  if (typeof spec['completions'] === 'number') return `${succeeded}/${spec['completions']}`;
  const parallelism = intOf(spec['parallelism']);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(o: KubeObject, now: number): string {
  const st = statusOf(o);
  const start = typeof st['startTime'] === 'string' ? Date.parse(st['startTime']) : Number.NaN;
  if (Number.isNaN(start)) return '';
  const end = typeof st['completionTime'] === 'string' ? Date.parse(st['completionTime']) : now;
  return humanDuration(end - start);
}

export const jobs: KindDef = {
  group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', singular: 'job', namespaced: true,
  categories: ['all'],
  description: 'Job represents the configuration of a single job.',
  fields: {
    spec: 'Specification of the desired behavior of a job.',
    status: 'Current status of a job.',
  },
  statusSubresource: true,
  generation: true,
  defaults: defaultJob,
  prepareForCreate(o) { o['status'] = {}; },
  prepareWithUid: generateSelector,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  selectableFields: { names: ['status.successful'], get: (o) => ({ 'status.successful': String(intOf(statusOf(o)['succeeded'])) }) },
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Status', 'Status of the job.'),
      col('Completions', 'The desired number of successfully finished pods the job should be run with.'),
      col('Duration', 'Time required to complete the job.'),
      AGE_COLUMN,
      ...WIDE_COLUMNS('A label query over pods that should match the pod count.'),
    ],
    cells: (o, now) => [nameOf(o), jobStatusCell(o), completionsCell(o), durationCell(o, now), ageOf(o, now), ...wideCells(o)],
  },
  protobuf: JOB,
};
