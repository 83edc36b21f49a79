// The Job controller and the TTL-after-finished controller (control-plane/controllers/job) against the REAL
// embedded API server over HTTP: pods <job>-<5 chars> with the tracking finalizer, never more than
// parallelism active, each finished pod counted once (finalizer removed), SuccessCriteriaMet then Complete
// with the events; a failing Job ends Failed BackoffLimitExceeded after backoffLimit+1 pods (short back-off
// base, a test-only option); ttlSecondsAfterFinished 0 deletes the finished Job and its pods; deleting a Job
// (background) releases its pods' finalizers so they go; an Indexed Job with backoffLimitPerIndex 1 whose index 1
// fails twice ends Failed FailedIndexes with failedIndexes "1"; a successPolicy ends the Job early; manualSelector
// adopts orphans (two succeeded ones: TooManySucceededPods) and releases a pod that stops matching. No kubelet:
// the test writes pod status itself.
import { describe, expect, it } from 'vitest';
import { EVENTS, PODS, type KubeObject } from '../../../client/index.js';
import { JOB_TRACKING_FINALIZER, JOBS, startJobController, startTtlAfterFinishedController, type Job, type Pod } from '../../../control-plane/controllers/job/index.js';
import type { Plane } from '../client/helpers.js';
import { withControllers } from './controller-plane.js';
import { eventually } from './replica-plane.js';

let plane: Plane;
withControllers((client, signal) => [
  startJobController({ client, backoffBaseMs: 100 }).run(signal),
  startTtlAfterFinishedController({ client }).run(signal),
], (p) => { plane = p; });

const jobBody = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } }, ...spec },
});

const allPods = async (uid: string): Promise<Pod[]> =>
  (await plane.client.list<Pod>(PODS, { namespace: 'default' })).items.filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === uid));
const activePods = async (uid: string): Promise<Pod[]> => (await allPods(uid)).filter((p) => !p.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
const getJob = (name: string): Promise<Job> => plane.client.get<Job>(JOBS, 'default', name);
const finish = (p: Pod, phase: 'Succeeded' | 'Failed'): Promise<KubeObject> => plane.client.patch(PODS, 'default', p.metadata!.name!, 'merge', {
  status: { phase, containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }] },
}, { subresource: 'status' });
async function reasons(name: string): Promise<string[]> {
  const list = await plane.client.list(EVENTS, { namespace: 'default' });
  return list.items.filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === name).map((e) => `${e['reason']}: ${e['message']}`);
}
const indexOfPod = (p: Pod): string | undefined => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'];
const activeAt = async (uid: string, index: string): Promise<Pod | undefined> => (await activePods(uid)).find((p) => indexOfPod(p) === index);
const conds = (j: Job): string[] => (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}`);

describe('Job controller', () => {
  it('completions 3, parallelism 2: never more than 2 active, each success counted once, then SuccessCriteriaMet and Complete', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('pi', { completions: 3, parallelism: 2 }))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 2, '2 active pods');
    for (const p of await allPods(uid)) {
      expect(p.metadata!.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata!.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
      expect(p.metadata!.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi', 'controller-uid': uid });
    }
    let done = 0;
    while (done < 3) {
      await eventually(async () => (await activePods(uid)).length > 0, 'an active pod');
      const [p] = await activePods(uid);
      await finish(p!, 'Succeeded');
      done++;
      await eventually(async () => (await getJob('pi')).status?.succeeded === done, `succeeded ${done}`);
      expect((await activePods(uid)).length).toBeLessThanOrEqual(2);
    }
    await eventually(async () => conds(await getJob('pi')).includes('Complete=True CompletionsReached'), 'Complete');
    const j = await getJob('pi');
    expect(conds(j)).toEqual(['SuccessCriteriaMet=True CompletionsReached', 'Complete=True CompletionsReached']);
    expect(j.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(j.status?.completionTime).toBeDefined();
    expect((await allPods(uid)).length).toBe(3);
    await eventually(async () => (await allPods(uid)).every((p) => (p.metadata?.finalizers ?? []).length === 0), 'finalizers removed');
    await eventually(async () => (await reasons('pi')).includes('Completed: Job completed'), 'Completed event');
    expect((await reasons('pi')).filter((r) => r.startsWith('SuccessfulCreate: Created pod: pi-'))).toHaveLength(3);
  });

  it('a failing Job (backoffLimit 1) ends Failed BackoffLimitExceeded after 2 pods, with the Warning event', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('bad', { backoffLimit: 1 }))).metadata!.uid!;
    for (let n = 1; n <= 2; n++) {
      await eventually(async () => (await activePods(uid)).length === 1, `attempt ${n}`);
      await finish((await activePods(uid))[0]!, 'Failed');
      await eventually(async () => (await getJob('bad')).status?.failed === n, `failed ${n}`);
    }
    await eventually(async () => conds(await getJob('bad')).includes('Failed=True BackoffLimitExceeded'), 'Failed');
    expect(conds(await getJob('bad'))).toEqual(['FailureTarget=True BackoffLimitExceeded', 'Failed=True BackoffLimitExceeded']);
    expect((await allPods(uid)).length).toBe(2);
    await eventually(async () => (await reasons('bad')).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'), 'warning event');
  });

  it('ttlSecondsAfterFinished 0: the finished Job and its pods are deleted', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('short', { ttlSecondsAfterFinished: 0 }))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 1, 'a pod');
    await finish((await activePods(uid))[0]!, 'Succeeded');
    await eventually(async () => (await plane.client.list(JOBS, { namespace: 'default' })).items.length === 0, 'job deleted');
    await eventually(async () => (await allPods(uid)).length === 0, 'pods deleted');
    expect((await plane.client.list(JOBS, { namespace: 'default' })).items).toEqual([]);
  });

  it('deleting a running Job (background) lets its pods go: their finalizers are removed', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('gone', { parallelism: 2, completions: 4 }))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 2, '2 pods');
    await plane.client.delete(JOBS, 'default', 'gone', { propagationPolicy: 'Background' });
    await eventually(async () => (await allPods(uid)).length === 0, 'pods gone');
    expect(await allPods(uid)).toEqual([]);
  });

  it('backoffLimitPerIndex 1: index 1 fails twice (the replacement carries failure count 1) → failedIndexes "1"; the others complete; Failed FailedIndexes', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('idx', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 }))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 3, '3 pods');
    expect((await activePods(uid)).map((p) => p.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'])).toEqual(['0', '0', '0']);
    await finish((await activeAt(uid, '1'))!, 'Failed');
    await eventually(async () => (await activeAt(uid, '1'))?.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count'] === '1', 'index 1 replaced with count 1');
    expect((await getJob('idx')).status?.failedIndexes).toBe('');
    await finish((await activeAt(uid, '1'))!, 'Failed');
    await eventually(async () => (await getJob('idx')).status?.failedIndexes === '1', 'failedIndexes 1');
    expect(await activeAt(uid, '1')).toBeUndefined();
    for (const ix of ['0', '2']) await finish((await activeAt(uid, ix))!, 'Succeeded');
    await eventually(async () => conds(await getJob('idx')).includes('Failed=True FailedIndexes'), 'Failed');
    const j = await getJob('idx');
    expect(conds(j)).toEqual(['FailureTarget=True FailedIndexes', 'Failed=True FailedIndexes']);
    expect(j.status).toMatchObject({ succeeded: 2, failed: 2, completedIndexes: '0,2', failedIndexes: '1' });
    expect((await allPods(uid)).map(indexOfPod).sort()).toEqual(['0', '1', '1', '2']);
    await eventually(async () => (await reasons('idx')).includes('FailedIndexes: Job has failed indexes'), 'warning event');
  });

  it('successPolicy: index 0 succeeded → SuccessCriteriaMet SuccessPolicy, the other pods deleted, then Complete', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', jobBody('early', { completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } }))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 3, '3 pods');
    await finish((await activeAt(uid, '0'))!, 'Succeeded');
    await eventually(async () => conds(await getJob('early')).includes('Complete=True SuccessPolicy'), 'Complete');
    const j = await getJob('early');
    expect(conds(j)).toEqual(['SuccessCriteriaMet=True SuccessPolicy', 'Complete=True SuccessPolicy']);
    expect(j.status?.conditions?.[1]?.message).toBe('Matched rules at index 0');
    expect(j.status).toMatchObject({ succeeded: 1, completedIndexes: '0' });
    expect((await allPods(uid)).map(indexOfPod)).toEqual(['0']);
  });

  const manualJob = (name: string) => jobBody(name, { manualSelector: true, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } } });
  const orphan = async (name: string, app: string): Promise<Pod> => plane.client.create<Pod>(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy: 'Never' } });

  it('manualSelector: two succeeded orphans are adopted and counted; completions 1 → Complete with TooManySucceededPods', async () => {
    for (const n of ['o1', 'o2']) await finish(await orphan(n, 'adopt'), 'Succeeded');
    const uid = (await plane.client.create<Job>(JOBS, 'default', manualJob('adopt'))).metadata!.uid!;
    await eventually(async () => conds(await getJob('adopt')).includes('Complete=True CompletionsReached'), 'Complete');
    expect((await getJob('adopt')).status).toMatchObject({ succeeded: 2 });
    const pods = await allPods(uid);
    expect(pods.map((p) => p.metadata!.name).sort()).toEqual(['o1', 'o2']);
    expect(pods.map((p) => p.metadata!.ownerReferences)).toEqual([0, 1].map(() => [{ apiVersion: 'batch/v1', kind: 'Job', name: 'adopt', uid, controller: true, blockOwnerDeletion: true }]));
    await eventually(async () => (await allPods(uid)).every((p) => (p.metadata?.finalizers ?? []).length === 0), 'finalizers removed');
    await eventually(async () => (await reasons('adopt')).includes('TooManySucceededPods: Too many succeeded pods running after completion count reached'), 'TooManySucceededPods');
  });

  it('manualSelector: a pod relabelled out of the selector is released (no owner, no finalizer) and replaced', async () => {
    const uid = (await plane.client.create<Job>(JOBS, 'default', manualJob('rel'))).metadata!.uid!;
    await eventually(async () => (await activePods(uid)).length === 1, 'a pod');
    const [first] = await activePods(uid);
    await plane.client.patch(PODS, 'default', first!.metadata!.name!, 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    await eventually(async () => (await activePods(uid)).some((p) => p.metadata!.uid !== first!.metadata!.uid), 'a replacement');
    expect((await activePods(uid)).length).toBe(1);
    const released = await plane.client.get<Pod>(PODS, 'default', first!.metadata!.name!);
    expect(released.metadata?.ownerReferences ?? []).toEqual([]);
    expect(released.metadata?.finalizers ?? []).toEqual([]);
  });
});
