// Unit tests of the CronJob kind (control-plane/registry/kinds/cronjobs.ts) through the generic REST storage:
// SetDefaults_CronJob, ValidateCronJobCreate's texts (the seed's `periodic_job_runner` and `concurrencyPolicy:
// replace`, robfig's schedule errors, TZ in the schedule, timeZone names, the 52-character name limit, the job
// template's rules), batch/v1beta1 and batch/v2alpha1 stored as batch/v1 with their deprecation texts, and the
// Table NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE (+ CONTAINERS IMAGES SELECTOR).
import { describe, expect, it } from 'vitest';
import { toTable, type KubeObject } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cronJob = (name: string, spec: Record<string, unknown> = {}, apiVersion = 'batch/v1') => ({
  apiVersion, kind: 'CronJob', metadata: { name },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.36', command: ['date'] }], restartPolicy: 'OnFailure' } } } },
    ...spec,
  },
});

async function refusal(body: Record<string, unknown>, version = 'v1'): Promise<string> {
  const { rest, res } = await rig();
  try { await rest.create(res('cronjobs', 'batch', version), 'default', body, by('t')); } catch (e) { return (e as Error).message; }
  return 'created';
}

describe('CronJob (batch/v1)', () => {
  it('defaults: concurrencyPolicy Allow, suspend false, history 3 and 1, the pod template as pods; generation 1; empty status', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('cronjobs', 'batch'), 'default', cronJob('hello'), by('t')) as Any;
    expect(o.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(o.spec.startingDeadlineSeconds).toBeUndefined();
    expect(o.spec.jobTemplate.spec.template.spec).toMatchObject({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(o.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect(o.metadata.generation).toBe(1);
    expect(o.status).toEqual({});
  });

  it("the seed's periodic_job_runner with concurrencyPolicy: replace → both messages", async () => {
    const body = cronJob('periodic_job_runner', { schedule: '@hourly', startingDeadlineSeconds: 200, concurrencyPolicy: 'replace', suspend: false, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }, 'batch/v1beta1');
    expect(await refusal(body, 'v1beta1')).toBe(
      'CronJob.batch "periodic_job_runner" is invalid: [metadata.name: Invalid value: "periodic_job_runner": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\'), spec.concurrencyPolicy: Unsupported value: "replace": supported values: "Allow", "Forbid", "Replace"]');
  });

  it.each([
    [{ schedule: '0 0 * * 7' }, 'spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7'],
    [{ schedule: '61 * * * *' }, 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    [{ schedule: '0 */5 * * * *' }, 'spec.schedule: Invalid value: "0 */5 * * * *": expected exactly 5 fields, found 6: [0 */5 * * * *]'],
    [{ schedule: '' }, 'spec.schedule: Required value'],
    [{ schedule: 'CRON_TZ=UTC * * * * *' }, 'spec.schedule: Invalid value: "CRON_TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    [{ schedule: 'TZ=UTC 0 3 * * 7' }, '[spec.schedule: Invalid value: "TZ=UTC 0 3 * * 7": end of range (7) above maximum (6): 7, spec.schedule: Invalid value: "TZ=UTC 0 3 * * 7": cannot use TZ or CRON_TZ in schedule, use timeZone field instead]'],
    [{ timeZone: 'Europe/Pariss' }, 'spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss'],
    [{ timeZone: 'Local' }, 'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    [{ timeZone: '' }, 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
    [{ timeZone: '../etc/passwd' }, 'spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd'],
    [{ concurrencyPolicy: 'forbid' }, 'spec.concurrencyPolicy: Unsupported value: "forbid": supported values: "Allow", "Forbid", "Replace"'],
    [{ startingDeadlineSeconds: -1 }, 'spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0'],
    [{ successfulJobsHistoryLimit: -1 }, 'spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    [{ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } },
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    [{ jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } } } },
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated'],
  ])('%j is refused', async (spec, message) => {
    expect(await refusal(cronJob('bad', spec))).toBe(`CronJob.batch "bad" is invalid: ${message}`);
  });

  it('names: at most 52 characters (the Job name adds 11)', async () => {
    expect(await refusal(cronJob('a'.repeat(52)))).toBe('created');
    expect(await refusal(cronJob('a'.repeat(53)))).toBe(`CronJob.batch "${'a'.repeat(53)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`);
  });

  it.each(['@every 90s', '@weekly', '0 9 * jan-mar mon-fri', '*/1 * * * *'])('accepts the schedule %j', async (schedule) => {
    expect(await refusal(cronJob('ok', { schedule, timeZone: 'Europe/Paris' }))).toBe('created');
  });

  it('Table: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR', async () => {
    const { rest, res } = await rig();
    const r = res('cronjobs', 'batch');
    const o = await rest.create(r, 'default', cronJob('hello'), by('t')) as Any;
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']);
    expect(toTable(r.def.table, [o as KubeObject], T0).rows[0]!.cells).toEqual(['hello', '*/5 * * * *', '<none>', 'False', 0, '<none>', '0s', 'hello', 'busybox:1.36', '<none>']);
    const shown = { ...o, spec: { ...o.spec, timeZone: 'Europe/Paris', suspend: true }, status: { active: [{ name: 'a' }, { name: 'b' }], lastScheduleTime: new Date(T0 - 65_000).toISOString() } };
    expect(toTable(r.def.table, [shown as KubeObject], T0).rows[0]!.cells.slice(0, 6)).toEqual(['hello', '*/5 * * * *', 'Europe/Paris', 'True', 2, '65s']);
    expect(r.shortNames).toEqual(['cj']);
    expect(r.categories).toEqual(['all']);
  });
});

describe('old versions', () => {
  it.each([
    ['v1beta1', 'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob'],
    ['v2alpha1', 'batch/v2alpha1 CronJob is deprecated in v1.8+, unavailable in v1.21+; use batch/v1 CronJob'],
  ])('batch/%s: stored as batch/v1 with the v1 defaults, shown back in its version, with the deprecation text', async (version, text) => {
    const { rest, res, store } = await rig();
    const r = res('cronjobs', 'batch', version);
    const stored = await rest.create(r, 'default', cronJob('old', {}, `batch/${version}`), by('t')) as Any;
    expect(stored.apiVersion).toBe('batch/v1');
    expect(stored.spec).toMatchObject({ concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(store.get('cronjobs.batch', 'default', 'old').apiVersion).toBe('batch/v1');
    expect(r.fromStorage(stored).apiVersion).toBe(`batch/${version}`);
    expect(r.deprecation).toBe(text);
    expect(r.shortNames).toEqual([]);
  });
});
