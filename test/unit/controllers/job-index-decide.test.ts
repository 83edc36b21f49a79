// Table tests of the Job controller's pure decisions for Indexed Jobs' newer fields, on a fixed clock:
// backoffLimitPerIndex (the index failure-count annotations, isIndexFailed with Count / Ignore / FailIndex,
// per-index back-off, status.failedIndexes, FailedIndexes and MaxFailedIndexesExceeded in two steps),
// successPolicy (matchSuccessPolicy, SuccessCriteriaMet SuccessPolicy then Complete), TooManySucceededPods, and
// claimJobPods (manualSelector adoption and release through the ReplicaSet controller's claimPods).
import { describe, expect, it } from 'vitest';
import {
  decideJob, isIndexFailed, JOB_TRACKING_FINALIZER, matchSuccessPolicy, nextFailureCounts, remainingIndexBackoffMs, type Job, type JobPlan,
} from '../../../control-plane/controllers/job/index.js';
import { claimJobPods } from '../../../control-plane/controllers/job/claim.js';
import { at, job, opts, pod, T0 } from './job-fixtures.js';

const COUNT = 'batch.kubernetes.io/job-index-failure-count';
const IGNORED = 'batch.kubernetes.io/job-index-ignored-failure-count';
const perIndex = (extra: Record<string, unknown> = {}) => ({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 2147483647, backoffLimitPerIndex: 1, ...extra });
const failedAt = (index: number, s: number, count = 0, more: Record<string, string> = {}, exitCode = 1) => pod('Failed', { index, finishedAt: s, exitCode, annotations: { [COUNT]: String(count), ...more } });
const unfinalized = <T extends { metadata?: object }>(p: T): T => ({ ...p, metadata: { ...p.metadata, finalizers: [] } });
const conds = (p: JobPlan): string[] => (p.status.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);
const next = (j: Job, p: JobPlan): Job => job(j.spec as Record<string, unknown>, p.status as Record<string, unknown>);

describe('backoffLimitPerIndex', () => {
  it('a new Job: every index with failure count 0, failedIndexes ""', () => {
    const p = decideJob(job(perIndex(), { startTime: undefined }), [], opts(0));
    expect(p.create).toEqual([0, 1, 2]);
    expect(p.createAnnotations).toEqual({ 0: { [COUNT]: '0' }, 1: { [COUNT]: '0' }, 2: { [COUNT]: '0' } });
    expect(p.status.failedIndexes).toBe('');
    expect(decideJob(job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), [], opts(0)).status.failedIndexes).toBeUndefined();
  });

  it.each([
    ['count 0 < limit 1', {}, failedAt(1, 2, 0), false],
    ['count 1 ≥ limit 1', {}, failedAt(1, 2, 1), true],
    ['FailIndex rule at count 0', { podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } }] } }, failedAt(1, 2, 0, {}, 42), true],
    ['Ignore rule at count 5', { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }, failedAt(1, 2, 5), false],
    ['a running pod', {}, pod('Running', { index: 1, annotations: { [COUNT]: '3' } }), false],
  ])('isIndexFailed: %s', (_name, spec, p, want) => {
    expect(isIndexFailed(job(perIndex(spec)), p)).toBe(want);
  });

  it('the replacement carries the counts plus the failure (Ignore: the ignored count) and waits the back-off of its index', () => {
    expect(nextFailureCounts(job(perIndex()), undefined)).toEqual({ failed: 0, ignored: 0 });
    expect(nextFailureCounts(job(perIndex()), failedAt(0, 1, 2, { [IGNORED]: '1' }))).toEqual({ failed: 3, ignored: 1 });
    const ignore = job(perIndex({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }));
    expect(nextFailureCounts(ignore, failedAt(0, 1, 2))).toEqual({ failed: 2, ignored: 1 });
    // 2 counted + 1 ignored before → the 4th failure: 10 s · 2³ = 80 s from its finish
    expect(remainingIndexBackoffMs(failedAt(0, 10, 2, { [IGNORED]: '1' }), T0 + 30_000)).toBe(60_000);
    expect(remainingIndexBackoffMs(undefined, T0)).toBe(0);
  });

  it('index 1 fails twice (limit 1): its replacement waits 10 s with count 1, then failedIndexes "1"; the other indexes go on; FailedIndexes once all ended', () => {
    const j = job(perIndex());
    const r0 = pod('Running', { index: 0 });
    const r2 = pod('Running', { index: 2 });
    const f1 = failedAt(1, 2, 0);
    const p1 = decideJob(j, [r0, f1, r2], opts(5));
    expect(p1).toMatchObject({ create: [], requeueAfterMs: 7000 });
    expect(p1.status).toMatchObject({ failedIndexes: '', uncountedTerminatedPods: { failed: [f1.metadata!.uid] } });
    const j2 = next(j, p1);
    const p2 = decideJob(j2, [r0, unfinalized(f1), r2], opts(12));
    expect(p2.create).toEqual([1]);
    expect(p2.createAnnotations).toEqual({ 1: { [COUNT]: '1' } });
    expect(p2.status).toMatchObject({ failed: 1, failedIndexes: '' });
    const f1b = failedAt(1, 20, 1);
    const p3 = decideJob(next(j, p2), [r0, unfinalized(f1), f1b, r2], opts(21));
    expect(p3.status).toMatchObject({ failedIndexes: '1', uncountedTerminatedPods: { failed: [f1b.metadata!.uid] } });
    expect(p3.create).toEqual([]);
    expect(conds(p3)).toEqual([]);
    const s0 = pod('Succeeded', { index: 0, finishedAt: 22 });
    const s2 = pod('Succeeded', { index: 2, finishedAt: 23 });
    const p4 = decideJob(next(j, p3), [s0, unfinalized(f1), unfinalized(f1b), s2], opts(24));
    expect(p4.status).toMatchObject({ failed: 2, completedIndexes: '0,2', failedIndexes: '1' });
    expect(conds(p4)).toEqual(['FailureTarget=True FailedIndexes: Job has failed indexes']);
    const p5 = decideJob(next(j, p4), [unfinalized(s0), unfinalized(f1), unfinalized(f1b), unfinalized(s2)], opts(25));
    expect(conds(p5)).toEqual(['FailureTarget=True FailedIndexes: Job has failed indexes', 'Failed=True FailedIndexes: Job has failed indexes']);
    expect(p5.status).toMatchObject({ succeeded: 2, failed: 2, completedIndexes: '0,2', failedIndexes: '1' });
    expect(p5.events).toEqual([{ type: 'Warning', reason: 'FailedIndexes', message: 'Job has failed indexes' }]);
  });

  it('maxFailedIndexes 0: the first failed index fails the Job (MaxFailedIndexesExceeded) and deletes the active pods', () => {
    const r0 = pod('Running', { index: 0 });
    const p = decideJob(job(perIndex({ backoffLimitPerIndex: 0, maxFailedIndexes: 0 })), [r0, failedAt(1, 2, 0)], opts(3));
    expect(p.status.failedIndexes).toBe('1');
    expect(conds(p)).toEqual(['FailureTarget=True MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes']);
    expect(p.deletePods).toEqual([r0]);
  });

  it('a FailIndex rule fails the index at once: it is not re-created', () => {
    const spec = perIndex({ completions: 2, parallelism: 2, backoffLimitPerIndex: 3, podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } }] } });
    const p = decideJob(job(spec), [pod('Running', { index: 0 }), failedAt(1, 2, 0, {}, 42)], opts(60));
    expect(p.status.failedIndexes).toBe('1');
    expect(p.create).toEqual([]);
  });
});

describe('successPolicy', () => {
  const sp = (rules: unknown[]) => job({ completionMode: 'Indexed', completions: 5, parallelism: 5, successPolicy: { rules } });
  it.each([
    ['succeededIndexes all done', [{ succeededIndexes: '0,2-3' }], [0, 2, 3], 'Matched rules at index 0'],
    ['succeededIndexes one missing', [{ succeededIndexes: '0,2-3' }], [0, 2], undefined],
    ['succeededCount of the indexes', [{ succeededIndexes: '0-3', succeededCount: 2 }], [1, 3, 4], 'Matched rules at index 0'],
    ['succeededCount alone', [{ succeededIndexes: '4' }, { succeededCount: 2 }], [0, 1], 'Matched rules at index 1'],
    ['an unparsable rule is skipped', [{ succeededIndexes: 'x' }, { succeededCount: 1 }], [3], 'Matched rules at index 1'],
    ['nothing succeeded', [{ succeededCount: 0 }], [], undefined],
  ])('%s', (_name, rules, done, message) => {
    expect(matchSuccessPolicy(sp(rules), new Set(done))?.message).toBe(message);
  });

  it('SuccessCriteriaMet SuccessPolicy deletes the remaining pods; Complete SuccessPolicy (+completionTime, Completed) when they are gone', () => {
    const j = sp([{ succeededIndexes: '0' }]);
    const running = [1, 2, 3, 4].map((index) => pod('Running', { index }));
    const p = decideJob(j, [pod('Succeeded', { index: 0, finishedAt: 2 }), ...running], opts(3));
    expect(conds(p)).toEqual(['SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0']);
    expect(p.deletePods).toEqual(running);
    const done = decideJob(next(j, p), [], opts(4));
    expect(conds(done)).toEqual(['SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0', 'Complete=True SuccessPolicy: Matched rules at index 0']);
    expect(done.status).toMatchObject({ succeeded: 1, completedIndexes: '0', completionTime: at(4) });
    expect(done.events).toEqual([{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  });
});

describe('TooManySucceededPods', () => {
  it('more pods succeeded than completions: the Warning before Completed; exactly completions: none', () => {
    const two = decideJob(job({}, { succeeded: 2, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }] }), [], opts(5));
    expect(two.events).toEqual([
      { type: 'Warning', reason: 'TooManySucceededPods', message: 'Too many succeeded pods running after completion count reached' },
      { type: 'Normal', reason: 'Completed', message: 'Job completed' },
    ]);
    const one = decideJob(job({}, { succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: '' }] }), [], opts(5));
    expect(one.events.map((e) => e.reason)).toEqual(['Completed']);
  });
});

describe('claimJobPods (manualSelector)', () => {
  const manual = (status: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => job({ manualSelector: true, selector: { matchLabels: { app: 'batch' } } }, status, meta);
  it('adopts matching orphans with the tracking finalizer, releases owned pods that stop matching, leaves other controllers\u2019 pods', () => {
    const orphan = pod('Succeeded', { labels: { app: 'batch' }, owned: false, finalizer: false, finishedAt: 1 });
    const mine = pod('Running', { labels: { app: 'batch' } });
    const strayed = pod('Running', { labels: { app: 'other' } });
    const foreign = pod('Running', { labels: { app: 'batch' }, owned: false });
    foreign.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }];
    const c = claimJobPods(manual(), [orphan, mine, strayed, foreign]);
    const ref = { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true };
    expect(c.writes.map((w) => [w.pod.metadata!.name, w.metadata])).toEqual([
      [orphan.metadata!.name, { ownerReferences: [ref], finalizers: [JOB_TRACKING_FINALIZER], resourceVersion: '1' }],
      [strayed.metadata!.name, { ownerReferences: [], finalizers: [], resourceVersion: '1' }],
    ]);
    expect(c.owned.map((p) => p.metadata!.name)).toEqual([orphan.metadata!.name, mine.metadata!.name]);
    expect(c.owned[0]!.metadata!.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    // the adopted Succeeded pod is counted like the Job's own
    expect(decideJob(manual(), c.owned, opts(2)).status.uncountedTerminatedPods).toEqual({ succeeded: [orphan.metadata!.uid] });
  });

  it('a finished or deleted Job adopts nothing', () => {
    const orphan = pod('Running', { labels: { app: 'batch' }, owned: false, finalizer: false });
    expect(claimJobPods(manual({ conditions: [{ type: 'Complete', status: 'True' }] }), [orphan])).toEqual({ owned: [], writes: [] });
    expect(claimJobPods(manual({}, { deletionTimestamp: at(1) }), [orphan])).toEqual({ owned: [], writes: [] });
  });
});
