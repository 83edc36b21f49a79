// Unit tests of the Job kind (control-plane/registry/kinds/jobs.ts, job-validation.ts) through the generic REST
// storage: SetDefaults_Job, the generated selector and labels (uid of the stored object), the Job's labels from
// the template, the upstream validation texts (invalid name, restartPolicy, Indexed without completions,
// podFailurePolicy, successPolicy, maxFailedIndexes), the immutable fields on update, and the Table cells (STATUS, COMPLETIONS, DURATION).
import { describe, expect, it } from 'vitest';
import { toTable } from '../../../control-plane/registry/index.js';
import { jobs } from '../../../control-plane/registry/kinds/jobs.js';
import { by, rig } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const job = (name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:latest' }], restartPolicy: 'Never', ...podSpec } }, ...spec },
});

describe('Job (batch/v1)', () => {
  it('defaults and the generated selector: completions/parallelism 1, backoffLimit 6, NonIndexed; the four labels with the uid', async () => {
    const { rest, res } = await rig();
    const j = await rest.create(res('jobs', 'batch'), 'default', job('pi'), by('t')) as Any;
    const uid = j.metadata.uid as string;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.metadata.labels).toEqual(labels);
    expect(j.metadata.generation).toBe(1);
    expect(j.status).toEqual({});
  });

  it('parallelism alone leaves completions unset; a template label stays the Job label', async () => {
    const { rest, res } = await rig();
    const j = await rest.create(res('jobs', 'batch'), 'default', { ...job('w', { parallelism: 2 }), spec: { ...job('w', { parallelism: 2 }).spec, template: { metadata: { labels: { app: 'w' } }, spec: job('w').spec.template.spec } } }, by('t')) as Any;
    expect(j.spec.completions).toBeUndefined();
    expect(j.spec.parallelism).toBe(2);
    expect(j.metadata.labels).toEqual({ app: 'w' });
    expect(j.spec.template.metadata.labels['job-name']).toBe('w');
  });

  it("refuses the slides' very_good_job with the real message and field path", async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('jobs', 'batch'), 'default', job('very_good_job'), by('t'))).rejects.toMatchObject({
      code: 422,
      message: `Job.batch "very_good_job" is invalid: metadata.name: Invalid value: "very_good_job": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  });

  it('restartPolicy: unset (Always) → Required with the valid values; OnFailure with a podFailurePolicy → only Never', async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('jobs', 'batch'), 'default', job('a', {}, { restartPolicy: undefined }), by('t'))).rejects.toMatchObject({
      message: 'Job.batch "a" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    });
    const pfp = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
    await expect(rest.create(res('jobs', 'batch'), 'default', job('b', { podFailurePolicy: pfp }, { restartPolicy: 'OnFailure' }), by('t'))).rejects.toMatchObject({
      message: 'Job.batch "b" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    });
    await expect(rest.create(res('jobs', 'batch'), 'default', job('c', { completionMode: 'Indexed', parallelism: 2 }), by('t'))).rejects.toMatchObject({
      message: 'Job.batch "c" is invalid: spec.completions: Required value: when completion mode is Indexed',
    });
    await expect(rest.create(res('jobs', 'batch'), 'default', job('d', { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3] } }] } }), by('t'))).rejects.toMatchObject({
      message: 'Job.batch "d" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
    });
    const ok = await rest.create(res('jobs', 'batch'), 'default', job('e', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }), by('t')) as Any;
    expect(ok.spec.podFailurePolicy.rules[0].onPodConditions[0].status).toBe('True');
    expect(ok.spec.podReplacementPolicy).toBe('Failed');
  });

  it('backoffLimitPerIndex defaults backoffLimit to MaxInt32; successPolicy is checked with the upstream texts', async () => {
    const { rest, res } = await rig();
    const r = res('jobs', 'batch');
    const indexed = { completionMode: 'Indexed', completions: 3, parallelism: 3 };
    const ok = await rest.create(r, 'default', job('pi', { ...indexed, backoffLimitPerIndex: 1, maxFailedIndexes: 1, successPolicy: { rules: [{ succeededIndexes: '0,2', succeededCount: 1 }] } }), by('t')) as Any;
    expect(ok.spec).toMatchObject({ backoffLimit: 2147483647, backoffLimitPerIndex: 1, maxFailedIndexes: 1 });
    const refuse = (name: string, spec: Record<string, unknown>, message: string | RegExp) =>
      expect(rest.create(r, 'default', job(name, spec), by('t'))).rejects.toMatchObject({ code: 422, message: typeof message === 'string' ? `Job.batch "${name}" is invalid: ${message}` : expect.stringMatching(message) });
    await refuse('a', { successPolicy: { rules: [{ succeededCount: 1 }] } }, /^Job\.batch "a" is invalid: spec\.successPolicy: Invalid value: .*: requires indexed completion mode$/);
    await refuse('b', { ...indexed, successPolicy: { rules: [] } }, 'spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified');
    await refuse('c', { ...indexed, successPolicy: { rules: [{}] } }, 'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified');
    await refuse('d', { ...indexed, successPolicy: { rules: [{ succeededIndexes: '2,1' }] } }, 'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1');
    await refuse('e', { ...indexed, successPolicy: { rules: [{ succeededIndexes: '0-3' }] } }, 'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-3": error parsing succeededIndexes: too large index: "3"');
    await refuse('f', { ...indexed, successPolicy: { rules: [{ succeededIndexes: '0,1', succeededCount: 3 }] } }, 'spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)');
    await refuse('g', { ...indexed, backoffLimitPerIndex: 1, maxFailedIndexes: 4 }, 'spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions');
    await expect(rest.update(r, 'default', 'pi', { ...ok, spec: { ...ok.spec, successPolicy: { rules: [{ succeededCount: 2 }] } } }, by('t'))).rejects.toMatchObject({
      message: expect.stringMatching(/^Job\.batch "pi" is invalid: spec\.successPolicy: Invalid value: .*: field is immutable$/),
    });
  });

  it('template, selector and completions are immutable; suspend and parallelism may change', async () => {
    const { rest, res } = await rig();
    const r = res('jobs', 'batch');
    const j = await rest.create(r, 'default', job('im', { completions: 3, suspend: true }), by('t')) as Any;
    const upd = await rest.update(r, 'default', 'im', { ...j, spec: { ...j.spec, suspend: false, parallelism: 2 } }, by('t'));
    expect((upd.object as Any).spec.parallelism).toBe(2);
    expect((upd.object as Any).metadata.generation).toBe(2);
    const cur = upd.object as Any;
    await expect(rest.update(r, 'default', 'im', { ...cur, spec: { ...cur.spec, completions: 4 } }, by('t'))).rejects.toMatchObject({
      message: 'Job.batch "im" is invalid: spec.completions: Invalid value: 4: field is immutable',
    });
    const t = structuredClone(cur.spec.template);
    t.spec.containers[0].image = 'busybox:1.36';
    await expect(rest.update(r, 'default', 'im', { ...cur, spec: { ...cur.spec, template: t } }, by('t'))).rejects.toMatchObject({ code: 422, message: expect.stringMatching(/^Job\.batch "im" is invalid: spec\.template: Invalid value: .*: field is immutable$/) });
  });

  it('prints NAME STATUS COMPLETIONS DURATION AGE (+ CONTAINERS IMAGES SELECTOR)', () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    const base = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { completions: 9, parallelism: 3, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } } };
    const running = { ...base, status: { startTime: '2026-01-01T00:00:05Z', succeeded: 4 } };
    const done = { ...base, status: { startTime: '2026-01-01T00:00:05Z', completionTime: '2026-01-01T00:00:35Z', succeeded: 9, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } };
    const failing = { ...base, spec: { ...base.spec, completions: undefined, parallelism: 2 }, status: { startTime: '2026-01-01T00:00:05Z', conditions: [{ type: 'FailureTarget', status: 'True' }] } };
    const t = toTable(jobs.table, [running, done, failing, base], now);
    expect(t.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['pi', 'Running', '4/9', '55s', '60s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u'],
      ['pi', 'Complete', '9/9', '30s', '60s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u'],
      ['pi', 'FailureTarget', '0/1 of 2', '55s', '60s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u'],
      ['pi', 'Running', '0/9', '', '60s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u'],
    ]);
  });
});
