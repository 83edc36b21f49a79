// Table tests of the Job controller's pure decisions (control-plane/controllers/job): pod naming and the
// Indexed pod (annotation, label, hostname, JOB_COMPLETION_INDEX), completedIndexes intervals, the failure
// back-off (10 s doubling, 10 min cap, from the pods' finish times), podFailurePolicy matching, and decideJob:
// parallelism, completions, back-off waits, BackoffLimitExceeded / DeadlineExceeded / PodFailurePolicy /
// CompletionsReached in two steps, uncounted pods and the tracking finalizer, suspend and resume.
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs, backoffRecord, decideJob, formatIndexes, JOB_TRACKING_FINALIZER, matchPodFailurePolicy, parseIndexes, podFromJob,
  remainingBackoffMs,
} from '../../../control-plane/controllers/job/index.js';
import { at, job, opts, pod, T0 } from './job-fixtures.js';

describe('pods of a Job', () => {
  it('NonIndexed: generateName <job>-, the template labels, the Job as controller, the tracking finalizer', () => {
    const p = podFromJob(job());
    expect(p.metadata).toMatchObject({ generateName: 'pi-', labels: { 'job-name': 'pi' }, finalizers: [JOB_TRACKING_FINALIZER] });
    expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
    expect((p.spec as { hostname?: string }).hostname).toBeUndefined();
  });
  it('Indexed: <job>-<i>-, annotation and label, hostname <job>-<i>, JOB_COMPLETION_INDEX from the label', () => {
    const p = podFromJob(job({ completionMode: 'Indexed', completions: 3 }), 2);
    expect(p.metadata!.generateName).toBe('pi-2-');
    expect(p.metadata!.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '2' });
    expect(p.metadata!.labels!['batch.kubernetes.io/job-completion-index']).toBe('2');
    expect((p.spec as { hostname?: string }).hostname).toBe('pi-2');
    expect((p.spec as { containers: { env: unknown[] }[] }).containers[0]!.env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    expect(podFromJob({ ...job(), metadata: { ...job().metadata, name: 'x'.repeat(70) } }, 12).metadata!.generateName).toBe(`${'x'.repeat(54)}-12-`);
  });
  it.each([
    [[], ''], [[0], '0'], [[0, 1], '0,1'], [[0, 1, 2], '0-2'], [[1, 3, 4, 5, 7, 8], '1,3-5,7,8'],
  ])('completedIndexes %j ↔ %s', (xs, s) => {
    expect(formatIndexes(new Set(xs))).toBe(s);
    expect([...parseIndexes(s, 100)].sort((a, b) => a - b)).toEqual(xs);
  });
});

describe('pod failure back-off', () => {
  it.each([[0, 0], [1, 10_000], [2, 20_000], [3, 40_000], [6, 320_000], [7, 600_000], [20, 600_000]])('%i failures → %i ms', (n, ms) => {
    expect(backoffDelayMs(n)).toBe(ms);
  });
  it('counts failures after the last success by finish time; what is left of the delay', () => {
    const pods = [pod('Failed', { finishedAt: 1 }), pod('Succeeded', { finishedAt: 2 }), pod('Failed', { finishedAt: 5 }), pod('Failed', { finishedAt: 9 }), pod('Running')];
    const r = backoffRecord(pods);
    expect(r).toEqual({ failuresAfterLastSuccess: 2, lastFailureAt: T0 + 9000 });
    expect(remainingBackoffMs(r, T0 + 9000)).toBe(20_000);
    expect(remainingBackoffMs(r, T0 + 25_000)).toBe(4_000);
    expect(remainingBackoffMs(r, T0 + 40_000)).toBe(0);
  });
});

describe('podFailurePolicy', () => {
  const pfp = (rules: unknown[]) => job({ podFailurePolicy: { rules } });
  it('first matching rule wins: FailJob on exit code with the upstream message; Ignore on DisruptionTarget; NotIn; no match → Count', () => {
    const failed = pod('Failed', { finishedAt: 1, exitCode: 42 });
    const j = pfp([{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }]);
    expect(matchPodFailurePolicy(j, failed)).toEqual({ action: 'FailJob', message: `Container main for pod default/${failed.metadata!.name} failed with exit code 42 matching FailJob rule at index 1` });
    expect(matchPodFailurePolicy(j, pod('Failed', { finishedAt: 1, exitCode: 42, conditions: [{ type: 'DisruptionTarget', status: 'True' }] }))).toEqual({ action: 'Ignore' });
    expect(matchPodFailurePolicy(pfp([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } }]), pod('Failed', { finishedAt: 1, exitCode: 1 }))).toEqual({ action: 'Count' });
    const c = pod('Failed', { conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(matchPodFailurePolicy(pfp([{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }]), c).message).toBe(`Pod default/${c.metadata!.name} has condition DisruptionTarget matching FailJob rule at index 0`);
  });
});

describe('decideJob', () => {
  it('a new Job: startTime, parallelism pods, uncountedTerminatedPods {}; never more active than parallelism', () => {
    const plan = decideJob(job({ completions: 9, parallelism: 3 }, { startTime: undefined }), [], opts(0));
    expect(plan.create).toEqual([undefined, undefined, undefined]);
    expect(plan.status).toEqual({ ready: 0, terminating: 0, startTime: at(0), uncountedTerminatedPods: {}, conditions: [] });
    expect(decideJob(job({ completions: 9, parallelism: 3 }), [pod('Running'), pod('Running'), pod('Pending')], opts(1)).create).toEqual([]);
    // 7 of 9 done: only 2 more are wanted
    const two = decideJob(job({ completions: 9, parallelism: 3 }, { succeeded: 7 }), [], opts(5));
    expect(two.create).toHaveLength(2);
    // parallelism lowered to 1: the surplus goes, not-ready first
    const ready = pod('Running', { ready: true });
    const plan2 = decideJob(job({ completions: 9, parallelism: 1 }), [ready, pod('Running'), pod('Pending')], opts(5));
    expect(plan2.deletePods).toHaveLength(2);
    expect(plan2.deletePods).not.toContain(ready);
  });

  it('a finished pod with the finalizer is added to uncounted and its finalizer removed; counted once it is gone or unfinalized', () => {
    const done = pod('Succeeded', { finishedAt: 3 });
    const p1 = decideJob(job({ completions: 2, parallelism: 1 }), [done], opts(3));
    expect(p1.status.uncountedTerminatedPods).toEqual({ succeeded: [done.metadata!.uid] });
    expect(p1.removeFinalizers).toEqual([done]);
    expect(p1.create).toHaveLength(1);
    const settled = { ...done, metadata: { ...done.metadata, finalizers: [] } };
    const p2 = decideJob(job({ completions: 2, parallelism: 1 }, p1.status as Record<string, unknown>), [settled], opts(4));
    expect(p2.status).toMatchObject({ succeeded: 1, uncountedTerminatedPods: {} });
    expect(p2.removeFinalizers).toEqual([]);
  });

  it('completions reached: SuccessCriteriaMet CompletionsReached first, Complete (+completionTime, Completed event) only once nothing is uncounted', () => {
    const done = pod('Succeeded', { finishedAt: 3 });
    const p1 = decideJob(job(), [done], opts(3));
    expect(p1.status.conditions).toEqual([{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: at(3), lastTransitionTime: at(3) }]);
    expect(p1.events).toEqual([]);
    const p2 = decideJob(job({}, p1.status as Record<string, unknown>), [], opts(4));
    expect(p2.status.conditions!.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual(['SuccessCriteriaMet=True CompletionsReached', 'Complete=True CompletionsReached']);
    expect(p2.status).toMatchObject({ succeeded: 1, completionTime: at(4), ready: 0, terminating: 0 });
    expect(p2.status.active).toBeUndefined();
    expect(p2.events).toEqual([{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  });

  it('backoffLimit 2, Never: waits 10 s then 20 s between attempts, fails after the 3rd failed pod (failed > limit)', () => {
    const spec = { backoffLimit: 2 };
    const f1 = pod('Failed', { finishedAt: 2, finalizer: false });
    expect(decideJob(job(spec, { failed: 1 }), [f1], opts(5))).toMatchObject({ create: [], requeueAfterMs: 7000 });
    expect(decideJob(job(spec, { failed: 1 }), [f1], opts(12)).create).toHaveLength(1);
    const f2 = pod('Failed', { finishedAt: 14, finalizer: false });
    expect(decideJob(job(spec, { failed: 2 }), [f1, f2], opts(20))).toMatchObject({ create: [], requeueAfterMs: 14_000 });
    const f3 = pod('Failed', { finishedAt: 40 });
    const target = decideJob(job(spec, { failed: 2 }), [f1, f2, f3], opts(41));
    expect(target.status.conditions).toEqual([{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: at(41), lastTransitionTime: at(41) }]);
    expect(target.create).toEqual([]);
    const settled = { ...f3, metadata: { ...f3.metadata, finalizers: [] } };
    const failed = decideJob(job(spec, target.status as Record<string, unknown>), [f1, f2, settled], opts(42));
    expect(failed.status.failed).toBe(3);
    expect(failed.status.conditions!.map((c) => `${c.type} ${c.reason}`)).toEqual(['FailureTarget BackoffLimitExceeded', 'Failed BackoffLimitExceeded']);
    expect(failed.status.completionTime).toBeUndefined();
    expect(failed.events).toEqual([{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  });

  it('OnFailure: container restarts of running pods count against backoffLimit', () => {
    const j = job({ backoffLimit: 2, template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'OnFailure' } } });
    expect(decideJob(j, [pod('Running', { restarts: 1 })], opts(5)).status.conditions).toEqual([]);
    expect(decideJob(j, [pod('Running', { restarts: 2 })], opts(5)).status.conditions![0]!.reason).toBe('BackoffLimitExceeded');
  });

  it('activeDeadlineSeconds: requeue at the deadline; then DeadlineExceeded deletes the active pods; Failed once they are gone', () => {
    const running = pod('Running');
    expect(decideJob(job({ activeDeadlineSeconds: 5 }), [running], opts(2)).requeueAfterMs).toBe(3000);
    const p = decideJob(job({ activeDeadlineSeconds: 5 }), [running], opts(5));
    expect(p.status.conditions![0]).toMatchObject({ type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(p.deletePods).toEqual([running]);
    const terminating = { ...running, metadata: { ...running.metadata, finalizers: [], deletionTimestamp: at(5) } };
    const waiting = decideJob(job({ activeDeadlineSeconds: 5 }, p.status as Record<string, unknown>), [terminating], opts(6));
    expect(waiting.status.terminating).toBe(1);
    expect(waiting.status.conditions!.map((c) => c.type)).toEqual(['FailureTarget']);
    const gone = decideJob(job({ activeDeadlineSeconds: 5 }, p.status as Record<string, unknown>), [], opts(8));
    expect(gone.status.conditions!.map((c) => `${c.type} ${c.reason}`)).toEqual(['FailureTarget DeadlineExceeded', 'Failed DeadlineExceeded']);
  });

  it('podFailurePolicy: FailJob sets FailureTarget PodFailurePolicy; Ignore is not counted and the pod is replaced', () => {
    const rules = [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }, { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }];
    const f42 = pod('Failed', { finishedAt: 2, exitCode: 42 });
    const p = decideJob(job({ podFailurePolicy: { rules } }), [f42], opts(3));
    expect(p.status.conditions![0]).toMatchObject({ type: 'FailureTarget', reason: 'PodFailurePolicy', message: `Container main for pod default/${f42.metadata!.name} failed with exit code 42 matching FailJob rule at index 0` });
    const f3 = pod('Failed', { finishedAt: 2, exitCode: 3 });
    const q = decideJob(job({ podFailurePolicy: { rules } }), [f3], opts(3));
    expect(q.status.uncountedTerminatedPods).toEqual({});
    expect(q.removeFinalizers).toEqual([f3]);
    expect(q.status.conditions).toEqual([]);
  });

  it('Indexed: creates the missing indexes only; completedIndexes from succeeded pods; complete when every index is done', () => {
    const spec = { completionMode: 'Indexed', completions: 3, parallelism: 3 };
    const plan = decideJob(job(spec), [pod('Succeeded', { index: 0, finishedAt: 1 }), pod('Running', { index: 2 })], opts(2));
    expect(plan.create).toEqual([1]);
    expect(plan.status.completedIndexes).toBe('0');
    const all = decideJob(job(spec, { completedIndexes: '0,2' }), [pod('Succeeded', { index: 1, finishedAt: 4 })], opts(5));
    expect(all.status.completedIndexes).toBe('0-2');
    expect(all.status.conditions![0]!.type).toBe('SuccessCriteriaMet');
  });

  it('suspend deletes the active pods (Suspended True, event); resume resets startTime (Suspended False JobResumed)', () => {
    const running = pod('Running');
    const s = decideJob(job({ suspend: true }), [running], opts(3));
    expect(s.deletePods).toEqual([running]);
    expect(s.status.conditions).toEqual([{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: at(3), lastTransitionTime: at(3) }]);
    expect(s.events).toEqual([{ type: 'Normal', reason: 'Suspended', message: 'Job suspended' }]);
    const r = decideJob(job({ suspend: false }, s.status as Record<string, unknown>), [], opts(9));
    expect(r.status.startTime).toBe(at(9));
    expect(r.status.conditions![0]).toMatchObject({ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' });
    expect(r.events).toEqual([{ type: 'Normal', reason: 'Resumed', message: 'Job resumed' }]);
    expect(r.create).toHaveLength(1);
    expect(decideJob(job({ suspend: true }, { startTime: undefined }), [], opts(1)).status.startTime).toBeUndefined();
  });

  it('a finished Job only removes finalizers', () => {
    const leftover = pod('Failed', { finishedAt: 1 });
    const p = decideJob(job({}, { conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1, uncountedTerminatedPods: {} }), [leftover], opts(9));
    expect(p).toMatchObject({ create: [], deletePods: [], events: [] });
    expect(p.removeFinalizers).toEqual([leftover]);
    expect(p.status.uncountedTerminatedPods).toEqual({});
    expect(p.status.failed).toBeUndefined();
  });
});
