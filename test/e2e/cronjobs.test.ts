// test/e2e/cronjobs.test.ts — issue 12's CronJob acceptance with the real kubectl on a real agent and Docker, the
// agent's lab clock at cronJobTimeScale 60 (a CronJob minute per real second): the course slide's
// periodic_job_runner refused with both real messages and the deprecation warning, accepted once fixed and
// stored as batch/v1; Forbid with a long-running Job → one Job only and JobAlreadyActive events; Replace → the
// running Job deleted and a new one created; a `*/5` CronJob whose finished Jobs are trimmed to
// successfulJobsHistoryLimit; `kubectl get cronjob` columns; `kubectl create job --from=cronjob/…`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const work = mkdtempSync(join(tmpdir(), 'mk-cronjobs-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const example = (name: string): string => readFileSync(new URL(`../../examples/api/${name}`, import.meta.url), 'utf8');
let files = 0;
async function apply(yaml: string) {
  const file = join(work, `m-${files++}.yaml`);
  writeFileSync(file, yaml);
  return k('apply', '-f', file);
}

const longCronJob = (name: string, policy: string): string => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: ${policy}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers:
          - name: long
            image: busybox:latest
            imagePullPolicy: IfNotPresent
            command: ['sleep', '3600']
`;

/** name, owner, condition types of every Job. */
async function jobs(owner: string): Promise<{ name: string; conditions: string }[]> {
  const out = await k('get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.name}|{.metadata.ownerReferences[0].name}|{.status.conditions[*].type}{"\\n"}{end}');
  return out.stdout.split('\n').filter(Boolean).map((l) => l.split('|')).filter(([, o]) => o === owner).map(([name, , conditions]) => ({ name: name!, conditions: conditions ?? '' }));
}
/** "reason: message" of every event about the CronJob. */
async function events(name: string): Promise<string[]> {
  const out = await k('get', 'events', '-o', 'jsonpath={range .items[*]}{.involvedObject.kind}|{.involvedObject.name}|{.reason}: {.message}{"\\n"}{end}');
  return out.stdout.split('\n').filter((l) => l.startsWith(`CronJob|${name}|`)).map((l) => l.split('|')[2]!);
}
const count = (list: string[], prefix: string): number => list.filter((e) => e.startsWith(prefix)).length;

beforeAll(async () => { rig = await startAgentRig({ cronJobTimeScale: 60 }); });
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe("the course slide's periodic_job_runner (batch/v1beta1)", () => {
  it('is refused with the name and the concurrencyPolicy messages; fixed, it is accepted with the deprecation warning and stored as batch/v1', async () => {
    const seed = example('cronjob-periodic-job-runner.yaml');
    const refused = await apply(seed);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('The CronJob "periodic_job_runner" is invalid');
    expect(refused.stderr).toContain('metadata.name: Invalid value: "periodic_job_runner": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters');
    expect(refused.stderr).toContain('spec.concurrencyPolicy: Unsupported value: "replace": supported values: "Allow", "Forbid", "Replace"');

    const fixed = await apply(seed.replace('name: periodic_job_runner', 'name: periodic-job-runner').replace('concurrencyPolicy: replace', 'concurrencyPolicy: Replace'));
    expect({ out: fixed.stdout, warning: fixed.stderr.includes('Warning: batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob') })
      .toEqual({ out: 'cronjob.batch/periodic-job-runner created\n', warning: true });
    expect((await k('get', 'cj', 'periodic-job-runner', '-o', 'jsonpath={.apiVersion} {.spec.concurrencyPolicy} {.spec.schedule}')).stdout).toBe('batch/v1 Replace @hourly');
    const table = (await k('get', 'cronjobs')).stdout.split('\n');
    expect(table[0]!.split(/\s{2,}/)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    // ACTIVE and LAST SCHEDULE are left out: on the lab clock (60×) @hourly fires within a real minute.
    expect(table[1]!.split(/\s{2,}/).slice(0, 4)).toEqual(['periodic-job-runner', '@hourly', '<none>', 'False']);
    expect((await k('delete', 'cj', 'periodic-job-runner')).stdout).toBe('cronjob.batch "periodic-job-runner" deleted\n');
  });
});

describe('concurrency policies on the lab clock', () => {
  it('Forbid with a long-running Job: one Job, then JobAlreadyActive at every later minute', async () => {
    expect((await apply(longCronJob('forbid', 'Forbid'))).stdout).toBe('cronjob.batch/forbid created\n');
    await waitFor(async () => (count(await events('forbid'), 'JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid') >= 2 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 300, message: 'no JobAlreadyActive events' });
    const seen = await jobs('forbid');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.name).toMatch(/^forbid-\d+$/);
    expect(count(await events('forbid'), 'SuccessfulCreate: Created job ')).toBe(1);
    expect((await k('get', 'cj', 'forbid', '-o', 'jsonpath={.status.active[*].name}')).stdout).toBe(seen[0]!.name);
    await k('delete', 'cj', 'forbid');
  });

  it('Replace: the running Job is deleted and a new one created', async () => {
    await apply(longCronJob('replace', 'Replace'));
    const first = await waitFor(async () => (await jobs('replace'))[0]?.name, { timeoutMs: 30_000, intervalMs: 200, message: 'no first Job' });
    await waitFor(async () => (count(await events('replace'), `SuccessfulDelete: Deleted job ${first}`) === 1 ? true : undefined), { timeoutMs: 30_000, intervalMs: 300, message: `${first} not replaced` });
    const now = await waitFor(async () => { const j = await jobs('replace'); return j.length === 1 && j[0]!.name !== first ? j : undefined; }, { timeoutMs: 30_000, intervalMs: 200, message: 'no single new Job' });
    expect(Number(now[0]!.name.slice('replace-'.length))).toBeGreaterThan(Number(first.slice('replace-'.length)));
    await k('delete', 'cj', 'replace');
  });
});

describe('a */5 CronJob (examples/api/cronjob-lab.yaml)', () => {
  it('fires every 5 lab minutes; finished Jobs leave the active list and are trimmed to successfulJobsHistoryLimit 2', async () => {
    expect((await apply(example('cronjob-lab.yaml'))).stdout).toBe('cronjob.batch/tick created\n');
    let last: string[] = [];
    await waitFor(async () => {
      last = await events('tick');
      return count(last, 'SuccessfulDelete: Deleted job tick-') >= 1 && count(last, 'SawCompletedJob: Saw completed job: tick-') >= 3 ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500, message: () => `events: ${last.join('; ')}` });
    const names = (await jobs('tick')).map((j) => Number(j.name.slice('tick-'.length)));
    expect(names.every((m) => m % 5 === 0)).toBe(true);
    await waitFor(async () => ((await jobs('tick')).filter((j) => j.conditions.includes('Complete')).length <= 2 ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 300, message: 'more than 2 complete Jobs kept' });
    expect((await k('get', 'cj', 'tick', '-o', 'jsonpath={.status.lastSuccessfulTime}')).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('kubectl create job --from=cronjob/tick: a Job from the template, annotated as a manual run', async () => {
    expect((await k('create', 'job', 'tick-now', '--from=cronjob/tick')).stdout).toBe('job.batch/tick-now created\n');
    expect((await k('get', 'job', 'tick-now', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')).stdout)
      .toBe('manual CronJob/tick');
    await k('delete', 'cj', 'tick');
  });
});
