// test/e2e/jobs.test.ts — issue 12's Job acceptance on a real agent, real Docker and the real kubectl, with the
// manifests of examples/api/job-*.yaml: 9 completions at parallelism 3 never has more than 3 active pods
// (sampled every ~100 ms) and ends 9/9 Complete (`kubectl wait --for=condition=complete`, `kubectl get jobs`,
// `kubectl logs job/NAME`); a failing Job (exit 1, backoffLimit 2) makes 3 pods with the real back-off between
// them (≥ 10 s, then ≥ 20 s, from their creation times) and ends Failed BackoffLimitExceeded; an Indexed Job's
// pods see JOB_COMPLETION_INDEX; backoffLimitPerIndex 1 with index 1 always failing ends Failed FailedIndexes
// (failedIndexes "1", the others completed, the retry ≥ 10 s later with failure count 1); a successPolicy Job
// is Complete (SuccessPolicy) once its index 0 succeeded, its workers deleted; activeDeadlineSeconds ends a Job
// DeadlineExceeded; `kubectl delete job` takes the pods with it; the slides' very_good_job is refused with the
// real message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const work = mkdtempSync(join(tmpdir(), 'mk-jobs-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const example = (name: string): string => new URL(`../../examples/api/${name}`, import.meta.url).pathname;

interface ApiPod { metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string; annotations?: Record<string, string> }; status?: { phase?: string } }
const indexOf = (p: ApiPod): string | undefined => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
async function podsOf(job: string): Promise<ApiPod[]> {
  const res = await fetch(`${rig.url}/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${job}`)}`);
  return ((await res.json()) as { items: ApiPod[] }).items;
}
const isActive = (p: ApiPod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const jsonpath = async (what: string, path: string): Promise<string> => (await k('get', what, '-o', `jsonpath=${path}`)).stdout;

beforeAll(async () => {
  rig = await startAgentRig();
  // The failing Job runs its ~35 s of back-off while the other tests run.
  expect((await k('apply', '-f', example('job-failing.yaml'))).stdout).toBe('job.batch/failing created\n');
});
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('Jobs with the real kubectl on real Docker', () => {
  it('completions 9, parallelism 3: never more than 3 active pods, 9 succeeded, Complete', async () => {
    expect((await k('apply', '-f', example('job-parallel.yaml'))).stdout).toBe('job.batch/parallel created\n');
    let max = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        max = Math.max(max, (await podsOf('parallel')).filter(isActive).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const waited = await k('wait', '--for=condition=complete', 'job/parallel', '--timeout=150s');
    sampling = false;
    await sampler;
    expect(waited.stdout).toBe('job.batch/parallel condition met\n');
    expect(max).toBe(3);
    const pods = await podsOf('parallel');
    expect(pods.map((p) => p.status?.phase)).toEqual(Array(9).fill('Succeeded'));
    for (const p of pods) expect(p.metadata.name).toMatch(/^parallel-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(await jsonpath('job/parallel', '{.status.succeeded} {.status.conditions[*].type} {.status.conditions[*].reason}')).toBe('9 SuccessCriteriaMet Complete CompletionsReached CompletionsReached');
    const table = (await k('get', 'jobs', 'parallel')).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    expect(table[1]).toMatch(/^parallel\s+Complete\s+9\/9\s+(\d+m)?\d+s\s+(\d+m)?\d+s$/);
    expect((await k('logs', 'job/parallel')).stdout).toMatch(/^working on parallel-[a-z0-9]{5}\n$/);
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=parallel', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}')).stdout;
    expect(events.split('\n').filter((l) => l.startsWith('SuccessfulCreate:Created pod: parallel-'))).toHaveLength(9);
    expect(events).toContain('Completed:Job completed');
  });

  it('Indexed: pods <job>-<index>-xxxxx see JOB_COMPLETION_INDEX; completedIndexes 0-2', async () => {
    expect((await k('apply', '-f', example('job-indexed.yaml'))).stdout).toBe('job.batch/indexed created\n');
    expect((await k('wait', '--for=condition=complete', 'job/indexed', '--timeout=120s')).exitCode).toBe(0);
    const pods = await podsOf('indexed');
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p.metadata.name]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [i, name] of byIndex) {
      expect(name).toMatch(new RegExp(`^indexed-${i}-[a-z0-9]{5}$`));
      expect((await k('logs', name!)).stdout).toMatch(new RegExp(`^index=${i} host=`));
    }
    expect(await jsonpath('job/indexed', '{.status.completedIndexes}')).toBe('0-2');
  });

  it('backoffLimitPerIndex 1, index 1 always fails: retried once (count 1, ≥ 10 s later), failedIndexes "1", Failed FailedIndexes', async () => {
    expect((await k('apply', '-f', example('job-per-index.yaml'))).stdout).toBe('job.batch/per-index created\n');
    expect((await k('wait', '--for=condition=failed', 'job/per-index', '--timeout=120s')).stdout).toBe('job.batch/per-index condition met\n');
    expect(await jsonpath('job/per-index', '{.status.failedIndexes} {.status.completedIndexes} {.status.succeeded} {.status.failed}')).toBe('1 0,2 2 2');
    expect(await jsonpath('job/per-index', '{.status.conditions[*].type} {.status.conditions[*].reason}')).toBe('FailureTarget Failed FailedIndexes FailedIndexes');
    const pods = await podsOf('per-index');
    expect(pods.map((p) => `${indexOf(p)}:${p.status?.phase}`).sort()).toEqual(['0:Succeeded', '1:Failed', '1:Failed', '2:Succeeded']);
    const ones = pods.filter((p) => indexOf(p) === '1').sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp));
    expect(ones.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'])).toEqual(['0', '1']);
    expect((Date.parse(ones[1]!.metadata.creationTimestamp) - Date.parse(ones[0]!.metadata.creationTimestamp)) / 1000).toBeGreaterThanOrEqual(10);
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=per-index', '-o', 'jsonpath={range .items[*]}{.type}/{.reason}:{.message}{"\\n"}{end}')).stdout;
    expect(events).toContain('Warning/FailedIndexes:Job has failed indexes');
    expect((await k('get', 'job', 'per-index')).stdout).toMatch(/\nper-index\s+Failed\s+2\/3\s/);
  });

  it('successPolicy succeededIndexes "0": Complete SuccessPolicy once the leader succeeded, the workers deleted', async () => {
    expect((await k('apply', '-f', example('job-success-policy.yaml'))).stdout).toBe('job.batch/leader created\n');
    expect((await k('wait', '--for=condition=complete', 'job/leader', '--timeout=90s')).stdout).toBe('job.batch/leader condition met\n');
    expect(await jsonpath('job/leader', '{.status.conditions[*].type} {.status.conditions[*].reason}')).toBe('SuccessCriteriaMet Complete SuccessPolicy SuccessPolicy');
    expect(await jsonpath('job/leader', '{.status.conditions[1].message} {.status.completedIndexes} {.status.succeeded}')).toBe('Matched rules at index 0 0 1');
    await waitFor(async () => ((await podsOf('leader')).length === 1 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200, message: 'the workers of job leader are still there' });
    expect((await podsOf('leader')).map((p) => `${indexOf(p)}:${p.status?.phase}`)).toEqual(['0:Succeeded']);
  });

  it('activeDeadlineSeconds 3: Failed DeadlineExceeded, the pod deleted', async () => {
    expect((await k('apply', '-f', example('job-deadline.yaml'))).stdout).toBe('job.batch/deadline created\n');
    expect((await k('wait', '--for=condition=failed', 'job/deadline', '--timeout=90s')).stdout).toBe('job.batch/deadline condition met\n');
    expect(await jsonpath('job/deadline', '{.status.conditions[*].type} {.status.conditions[*].reason}')).toBe('FailureTarget Failed DeadlineExceeded DeadlineExceeded');
    expect((await podsOf('deadline')).filter(isActive)).toEqual([]);
    expect((await k('get', 'job', 'deadline')).stdout).toMatch(/\ndeadline\s+Failed\s+0\/1\s/);
  });

  it('backoffLimit 2: 3 failed pods, ≥ 10 s then ≥ 20 s apart, Failed BackoffLimitExceeded', async () => {
    expect((await k('wait', '--for=condition=failed', 'job/failing', '--timeout=120s')).stdout).toBe('job.batch/failing condition met\n');
    const pods = await podsOf('failing');
    expect(pods.map((p) => p.status?.phase)).toEqual(['Failed', 'Failed', 'Failed']);
    const created = pods.map((p) => Date.parse(p.metadata.creationTimestamp)).sort((a, b) => a - b);
    const gaps = [(created[1]! - created[0]!) / 1000, (created[2]! - created[1]!) / 1000];
    expect(gaps[0]).toBeGreaterThanOrEqual(10);
    expect(gaps[0]).toBeLessThan(30); // + the failed pod's own run time, long on a loaded machine
    expect(gaps[1]).toBeGreaterThanOrEqual(20);
    expect(gaps[1]).toBeLessThan(50);
    expect(await jsonpath('job/failing', '{.status.failed} {.status.conditions[*].type} {.status.conditions[*].reason}')).toBe('3 FailureTarget Failed BackoffLimitExceeded BackoffLimitExceeded');
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=failing', '-o', 'jsonpath={range .items[*]}{.type}/{.reason}:{.message}{"\\n"}{end}')).stdout;
    expect(events).toContain('Warning/BackoffLimitExceeded:Job has reached the specified backoff limit');
  });

  it('kubectl delete job takes its pods; very_good_job is refused with the real message', async () => {
    expect((await k('delete', 'job', 'parallel')).stdout).toBe('job.batch "parallel" deleted\n');
    await waitFor(async () => ((await podsOf('parallel')).length === 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200, message: 'the pods of job parallel are still there' });
    expect((await k('get', 'jobs', '-o', 'name')).stdout.split('\n').filter(Boolean).sort()).toEqual(['job.batch/deadline', 'job.batch/failing', 'job.batch/indexed', 'job.batch/leader', 'job.batch/per-index']);
    const file = join(work, 'very_good_job.yaml');
    writeFileSync(file, readFileSync(example('job-parallel.yaml'), 'utf8').replace('name: parallel', 'name: very_good_job'));
    const refused = await k('apply', '-f', file);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`The Job "very_good_job" is invalid: metadata.name: Invalid value: "very_good_job": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  });
});
