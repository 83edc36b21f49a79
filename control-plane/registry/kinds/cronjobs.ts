// control-plane/registry/kinds/cronjobs.ts — CronJob (batch/v1, `cj`, category `all`, status subresource,
// generation): defaults as SetDefaults_CronJob (concurrencyPolicy Allow, suspend false,
// successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1; the job template's pod spec as pods), validation
// as ValidateCronJobCreate (control-plane-semantics.md §3.1): the name (a DNS subdomain of at most 52
// characters: the controller appends `-<minutes>`), the schedule through robfig's parser with its error
// texts (controllers/cronjob/schedule.ts), no TZ=/CRON_TZ= in it, spec.timeZone an explicit IANA name,
// concurrencyPolicy Allow|Forbid|Replace (case matters), non-negative startingDeadlineSeconds and history
// limits, the job template as a Job spec (job-validation.ts) with no selector. Printed NAME SCHEDULE TIMEZONE
// SUSPEND ACTIVE LAST SCHEDULE AGE (+ CONTAINERS IMAGES SELECTOR). Also served as the deprecated
// batch/v1beta1 and batch/v2alpha1 (same shape), stored as batch/v1.
import { loadLocationError, parseStandard } from '../../controllers/cronjob/schedule.js';
import { isObj, listOf, type Obj } from '../common.js';
import { CRON_JOB } from '../proto/index.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf, since } from '../table.js';
import type { Cell, FieldError, KindDef, KubeObject, Mutable, ServedVersion } from '../types.js';
import { invalidValue, notSupported, required } from '../validation.js';
import { validateJob } from './job-validation.js';
import { defaultPodSpec } from './pod-spec.js';
import { specOf, statusOf, WIDE_COLUMNS, wideCells, withApiVersion } from './workload-common.js';

const STORAGE = 'batch/v1';
/** 63 (a Job name, a label value) − 11 (`-` and the scheduled minute). */
const MAX_NAME = 52;
const POLICIES = ['Allow', 'Forbid', 'Replace'];

const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (o[k] === undefined || o[k] === null) o[k] = v; };
const jobTemplateOf = (spec: Obj): Obj => (isObj(spec['jobTemplate']) ? spec['jobTemplate'] : {});
const jobSpecOf = (spec: Obj): Obj => { const s = jobTemplateOf(spec)['spec']; return isObj(s) ? s : {}; };

function defaultCronJob(o: Mutable): void {
  const spec = specOf(o);
  o['spec'] = spec;
  setIfMissing(spec, 'concurrencyPolicy', 'Allow');
  setIfMissing(spec, 'suspend', false);
  setIfMissing(spec, 'successfulJobsHistoryLimit', 3);
  setIfMissing(spec, 'failedJobsHistoryLimit', 1);
  const t = jobSpecOf(spec)['template'];
  if (isObj(t) && isObj(t['spec'])) defaultPodSpec(t['spec']);
}

// ---- validation ----

const nonNegative = (spec: Obj, f: string): FieldError[] =>
  (typeof spec[f] === 'number' && (spec[f] as number) < 0 ? [invalidValue(`spec.${f}`, spec[f], 'must be greater than or equal to 0')] : []);

/** validateScheduleFormat: robfig's verdict, then the TZ rule (objects are new here: TZ never allowed). */
function validateSchedule(spec: Obj): FieldError[] {
  const schedule = spec['schedule'];
  if (typeof schedule !== 'string' || schedule === '') return [required('spec.schedule')];
  const errs: FieldError[] = [];
  const parsed = parseStandard(schedule);
  if (!parsed.ok) errs.push(invalidValue('spec.schedule', schedule, parsed.error));
  if (schedule.includes('TZ')) errs.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

/** A zone-name component as the IANA naming rules allow it (digits and + tolerated for legacy names). */
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(spec: Obj): FieldError[] {
  const tz = spec['timeZone'];
  if (tz === undefined || tz === null) return [];
  const path = 'spec.timeZone';
  if (typeof tz !== 'string' || tz === '') return [invalidValue(path, tz, 'timeZone must be nil or non-empty string')];
  if (tz.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !ZONE_PART.test(p))) return [invalidValue(path, tz, `unknown time zone ${tz}`)];
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(invalidValue(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  const loadErr = loadLocationError(tz);
  if (loadErr !== undefined) errs.push(invalidValue(path, tz, loadErr));
  return errs;
}

function validateConcurrencyPolicy(spec: Obj): FieldError[] {
  const p = spec['concurrencyPolicy'];
  if (p === undefined || p === null || p === '') return [required('spec.concurrencyPolicy')];
  return POLICIES.includes(String(p)) ? [] : [notSupported('spec.concurrencyPolicy', p, POLICIES)];
}

/** ValidateJobTemplateSpec: a Job spec (without the Job's name-dependent checks) whose selector is generated. */
function validateJobTemplate(spec: Obj): FieldError[] {
  const jobSpec = jobSpecOf(spec);
  const errs = validateJob({ metadata: {}, spec: jobSpec } as KubeObject)
    .filter((e) => e.field.startsWith('spec.'))
    .map((e) => ({ ...e, field: `spec.jobTemplate.${e.field}` }));
  if (jobSpec['selector'] !== undefined && jobSpec['selector'] !== null) errs.push(invalidValue('spec.jobTemplate.spec.selector', jobSpec['selector'], '`selector` will be auto-generated'));
  if (jobSpec['manualSelector'] === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  return errs;
}

function validateCronJob(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const name = o.metadata?.name ?? '';
  return [
    ...validateSchedule(spec),
    ...nonNegative(spec, 'startingDeadlineSeconds'),
    ...validateTimeZone(spec),
    ...validateConcurrencyPolicy(spec),
    ...validateJobTemplate(spec),
    ...nonNegative(spec, 'successfulJobsHistoryLimit'),
    ...nonNegative(spec, 'failedJobsHistoryLimit'),
    ...(name.length > MAX_NAME ? [invalidValue('metadata.name', name, `must be no more than ${MAX_NAME} characters`)] : []),
  ];
}

// ---- printing ----

/** printCronJob: suspend as True/False (`<unset>` when nil), timeZone `<none>` when unset. */
function cells(o: KubeObject, now: number): Cell[] {
  const spec = specOf(o);
  const status = statusOf(o);
  const suspend = typeof spec['suspend'] === 'boolean' ? (spec['suspend'] ? 'True' : 'False') : '<unset>';
  const last = typeof status['lastScheduleTime'] === 'string' ? since(status['lastScheduleTime'], now) : '<none>';
  const tz = typeof spec['timeZone'] === 'string' ? spec['timeZone'] : '<none>';
  return [nameOf(o), String(spec['schedule'] ?? ''), tz, suspend, listOf(status['active']).length, last, ageOf(o, now), ...wideCells({ spec: jobSpecOf(spec) } as KubeObject)];
}

const oldVersion = (version: string, since: string, removedIn: string): ServedVersion => ({
  group: 'batch', version, deprecated: { since, removedIn },
  toStorage: (o) => withApiVersion(o, STORAGE),
  fromStorage: (o) => withApiVersion(o, `batch/${version}`),
});

export const cronJobs: KindDef = {
  group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs', singular: 'cronjob', namespaced: true,
  shortNames: ['cj'], categories: ['all'],
  description: 'CronJob represents the configuration of a single cron job.',
  fields: {
    spec: 'Specification of the desired behavior of a cron job, including the schedule.',
    status: 'Current status of a cron job.',
  },
  statusSubresource: true,
  generation: true,
  defaults: defaultCronJob,
  prepareForCreate(o) { o['status'] = {}; },
  validate: validateCronJob,
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', active: 'uid' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
      col('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.', { type: 'boolean' }),
      col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
      col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
      AGE_COLUMN,
      ...WIDE_COLUMNS('A label query over pods that should match the pod count. Normally, the system sets this field for you.'),
    ],
    cells,
  },
  // batch/v1beta1: introduced 1.8, deprecated 1.21, removed 1.25 (its prerelease-lifecycle tags). batch/v2alpha1
  // had no lifecycle tags (alpha): superseded by batch/v1beta1 in 1.8, removed in 1.21.
  otherVersions: [oldVersion('v1beta1', '1.21', '1.25'), oldVersion('v2alpha1', '1.8', '1.21')],
  protobuf: CRON_JOB,
};
