// The workload timeline's pure parts: Event times and messages, the model of a Deployment's rolling update
// (objects, scaling steps, a lane per pod from the best source), a CronJob → Job → pods tree, a StatefulSet
// pod recreated under the same name, and a pod known only from the API.
import { describe, expect, it } from 'vitest';
import type { Event, Pod } from '../../../agent/api/v1.js';
import { actionOf, eventInstant, timeEvents } from '../../../agent/timeline/workload-events.js';
import { buildWorkloadModel, podNamesOf } from '../../../agent/timeline/workload-model.js';
import { T, iso } from './fixtures.js';
import { event, rollout } from './workload-fixtures.js';

const rel = (t: number) => t - T;

describe('eventInstant', () => {
  const base: Event = { metadata: { name: 'web.x' }, involvedObject: { kind: 'Pod', name: 'web' }, firstTimestamp: iso(T + 1234) };
  it.each([
    ['eventTime (MicroTime) wins', { ...base, eventTime: new Date(T + 1500).toISOString() }, { time: T + 1500, approximate: false }],
    ['the hex milliseconds + sequence of this project\'s recorders', { ...base, metadata: { name: `web.${(T + 1234).toString(16)}00a` } }, { time: T + 1234, approximate: false }],
    ['client-go\'s hex nanoseconds', { ...base, metadata: { name: `web.${(BigInt(T + 1234) * 1_000_000n).toString(16)}` } }, { time: T + 1234, approximate: false }],
    ['a hex suffix outside the second is not a time', { ...base, metadata: { name: `web.${(T + 5000).toString(16)}000` } }, { time: T + 1000, approximate: true }],
    ['else the whole second of firstTimestamp', base, { time: T + 1000, approximate: true }],
  ])('%s', (_what, ev, want) => {
    expect(eventInstant(ev as Event)).toEqual(want);
  });
});

describe('actionOf', () => {
  const ev = (reason: string, message: string) => timeEvents([{ metadata: { name: 'x' }, involvedObject: { kind: 'ReplicaSet', name: 'x' }, reason, message, firstTimestamp: iso(T) }])[0]!;
  it.each([
    ['ScalingReplicaSet', 'Scaled up replica set web-5d8f from 0 to 2', { op: 'scale', target: 'web-5d8f', from: 0, to: 2 }],
    ['ScalingReplicaSet', 'Scaled down replica set web-5d8f from 2 to 1', { op: 'scale', target: 'web-5d8f', from: 2, to: 1 }],
    ['ScalingReplicaSet', 'Scaled up replica set web-5d8f to 3 from 1', { op: 'scale', target: 'web-5d8f', from: 1, to: 3 }],
    ['ScalingReplicaSet', 'Scaled up replica set web-5d8f to 3', { op: 'scale', target: 'web-5d8f', to: 3 }],
    ['SuccessfulCreate', 'Created pod: web-5d8f-x7k2p', { op: 'createPod', target: 'web-5d8f-x7k2p' }],
    ['SuccessfulDelete', 'Deleted pod: web-5d8f-x7k2p', { op: 'deletePod', target: 'web-5d8f-x7k2p' }],
    ['SuccessfulCreate', 'create Pod web-0 in StatefulSet web successful', { op: 'createPod', target: 'web-0' }],
    ['SuccessfulDelete', 'delete Pod web-1 in StatefulSet web successful', { op: 'deletePod', target: 'web-1' }],
    ['SuccessfulCreate', 'Created job hello-28912345', { op: 'createJob', target: 'hello-28912345' }],
    ['SuccessfulDelete', 'Deleted job hello-28912345', { op: 'deleteJob', target: 'hello-28912345' }],
    ['SuccessfulCreate', 'create Claim www-web-0 Pod web-0 in StatefulSet web success', undefined],
    ['Completed', 'Job completed', undefined],
  ])('%s "%s"', (reason, message, want) => {
    expect(actionOf(ev(reason, message))).toEqual(want);
  });
});

describe('a Deployment rolling update', () => {
  const input = rollout();
  const m = buildWorkloadModel(input, { now: T + 14_000 });

  it('has both ReplicaSets with their revisions and replica counts at each scaling step', () => {
    expect(m.workload).toMatchObject({ kind: 'Deployment', name: 'web', revision: '2' });
    expect(m.objects.map((o) => ({ name: o.name, revision: o.revision, replicas: o.replicas.map((r) => `${r.from}→${r.to}`) }))).toEqual([
      { name: 'web-aaa', revision: '1', replicas: ['0→2', '2→1', '1→0'] },
      { name: 'web-bbb', revision: '2', replicas: ['0→1', '1→2'] },
    ]);
  });

  it('lists the controller steps in order, with millisecond times from the Event names', () => {
    const steps = m.steps.filter((s) => s.kind === 'scaled' || s.kind === 'podCreated' || s.kind === 'podDeleted');
    expect(steps.map((s) => `${rel(s.time)} ${s.kind} ${s.target}`)).toEqual([
      '10 scaled web-aaa', '20 podCreated web-aaa-a1', '25 podCreated web-aaa-a2',
      '10010 scaled web-bbb', '10020 podCreated web-bbb-b1', '10600 scaled web-aaa', '10620 podDeleted web-aaa-a1',
      '10700 scaled web-bbb', '10720 podCreated web-bbb-b2', '11300 scaled web-aaa', '11320 podDeleted web-aaa-a2',
    ]);
    expect(m.steps.filter((s) => s.kind === 'condition').map((s) => s.message.split(':')[0])).toEqual(['Available=True (MinimumReplicasAvailable)', 'Progressing=True (NewReplicaSetAvailable)']);
    expect(m.steps.some((s) => s.target === 'other-ccc-c1' || s.object.includes('other'))).toBe(false);
  });

  it('has a lane per pod, in creation order, from the best source there is', () => {
    expect(m.pods.map((p) => [p.name, p.owner, p.source])).toEqual([
      ['web-aaa-a1', 'web-aaa', 'record'], ['web-aaa-a2', 'web-aaa', 'events'], ['web-bbb-b1', 'web-bbb', 'record'], ['web-bbb-b2', 'web-bbb', 'record'],
    ]);
    expect(podNamesOf(input).sort()).toEqual(['web-aaa-a1', 'web-aaa-a2', 'web-bbb-b1', 'web-bbb-b2']);
  });

  it('compresses each pod: created → running → Ready → terminating → gone; live pods stay open to now', () => {
    const seg = (name: string) => m.pods.find((p) => p.name === name)!.segments.map((s) => `${s.state} ${rel(s.start)}-${rel(s.end)}${s.open ? ' open' : ''}`);
    expect(seg('web-aaa-a1')).toEqual(['pending 20-420', 'starting 420-420', 'ready 420-10620', 'terminating 10620-11220']);
    expect(m.pods[0]!.gone).toBe(T + 11_220);
    expect(seg('web-aaa-a2')).toEqual(['pending 25-530', 'starting 530-11320', 'terminating 11320-11320']);
    expect(seg('web-bbb-b1')).toEqual(['pending 10020-10420', 'starting 10420-10420', 'ready 10420-14000 open']);
    expect(m.end).toBe(T + 14_000);
    // The old pods stop after the new ones start: the rollout's order.
    const [a1, a2, b1, b2] = m.pods;
    expect(b1!.created! < a1!.gone!).toBe(true);
    expect(a1!.gone! < a2!.marks.find((k) => k.kind === 'deletion')!.time).toBe(true);
    expect(b2!.created! < a2!.marks.find((k) => k.kind === 'deletion')!.time).toBe(true);
  });
});

describe('a deletion whose controller Event is stamped after the kubelet already stopped the pod (a loaded machine)', () => {
  it('terminating starts at the kubelet\'s stop, and the Succeeded phase of the deleted pod is not a state of its own', () => {
    const input = rollout();
    const a1Uid = 'pa1';
    const late = input.events.map((e) => (e.message === 'Deleted pod: web-aaa-a1' ? event(11_100, { kind: 'ReplicaSet', name: 'web-aaa', uid: 'rs-a' }, 'SuccessfulDelete', 'Deleted pod: web-aaa-a1') : e));
    const rec = input.records!['web-aaa-a1']!;
    const entries = [...rec.entries, { time: T + 11_070, podUID: a1Uid, kind: 'phase', phase: 'Succeeded' }].sort((a, b) => a.time - b.time);
    const m = buildWorkloadModel({ ...input, events: late, records: { ...input.records, 'web-aaa-a1': { ...rec, entries } } }, { now: T + 14_000 });
    const a1 = m.pods.find((p) => p.name === 'web-aaa-a1')!;
    expect(a1.segments.map((s) => `${s.state} ${rel(s.start)}-${rel(s.end)}`)).toEqual(['pending 20-420', 'starting 420-420', 'ready 420-10640', 'terminating 10640-11220']);
  });
});

describe('other trees', () => {
  it('a CronJob: its Jobs from the API and from its Events, their pods, a failed Job', () => {
    const cj = { kind: 'CronJob', name: 'hello', uid: 'cj-1' };
    const job = { kind: 'Job', name: 'hello-100', uid: 'job-1' };
    const failedPod = (name: string, uid: string, created: number, finished: number): Pod => ({
      metadata: { name, uid, namespace: 'default', creationTimestamp: iso(T + created), ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'hello-100', uid: 'job-1', controller: true }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, startedAt: iso(T + created + 1000), finishedAt: iso(T + finished) } } }] },
    });
    const m = buildWorkloadModel({
      root: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', uid: 'cj-1', namespace: 'default', creationTimestamp: iso(T) }, spec: { schedule: '*/1 * * * *' }, status: {} },
      owned: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'hello-100', uid: 'job-1', creationTimestamp: iso(T + 60_000) }, spec: { completions: 1 },
        status: { failed: 2, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: iso(T + 95_000) }] } }],
      pods: [failedPod('hello-100-aaaaa', 'p1', 60_000, 63_000), failedPod('hello-100-bbbbb', 'p2', 73_000, 76_000)],
      events: [
        event(0, cj, 'SuccessfulCreate', 'Created job hello-40', 'Normal', 'cronjob-controller'),
        event(60_000, cj, 'SuccessfulCreate', 'Created job hello-100', 'Normal', 'cronjob-controller'),
        event(60_010, job, 'SuccessfulCreate', 'Created pod: hello-100-aaaaa', 'Normal', 'job-controller'),
        event(73_010, job, 'SuccessfulCreate', 'Created pod: hello-100-bbbbb', 'Normal', 'job-controller'),
        event(95_000, job, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'Warning', 'job-controller'),
      ],
      records: {},
    });
    expect(m.objects.map((o) => [o.kind, o.name, o.gone])).toEqual([['Job', 'hello-40', true], ['Job', 'hello-100', false]]);
    expect(m.steps.filter((s) => s.kind === 'jobCreated').map((s) => s.target)).toEqual(['hello-40', 'hello-100']);
    expect(m.steps.find((s) => s.kind === 'condition')).toMatchObject({ object: 'job/hello-100', ok: false });
    expect(m.steps.find((s) => s.reason === 'BackoffLimitExceeded' && s.kind === 'event')).toMatchObject({ ok: false });
    expect(m.pods.map((p) => [p.name, p.source, p.segments.map((s) => s.state).join(' ')])).toEqual([
      ['hello-100-aaaaa', 'pod', 'pending starting failed'], ['hello-100-bbbbb', 'pod', 'pending starting failed'],
    ]);
    // The back-off between the attempts is the gap between the lanes.
    expect(m.pods[1]!.created! - m.pods[0]!.segments.at(-1)!.start).toBe(10_010);
  });

  it('a StatefulSet pod recreated under its name is two lanes (by uid), each with its own create and delete', () => {
    const sts = { kind: 'StatefulSet', name: 'db', uid: 'sts-1' };
    const m = buildWorkloadModel({
      root: { kind: 'StatefulSet', metadata: { name: 'db', uid: 'sts-1', namespace: 'default' }, spec: { replicas: 1 }, status: {} },
      owned: [], pods: [], records: {},
      events: [
        event(0, sts, 'SuccessfulCreate', 'create Pod db-0 in StatefulSet db successful', 'Normal', 'statefulset-controller'),
        event(50, { kind: 'Pod', name: 'db-0', uid: 'old' }, 'Scheduled', 'Successfully assigned default/db-0 to n1', 'Normal', 'default-scheduler'),
        event(5000, { kind: 'Pod', name: 'db-0', uid: 'old' }, 'Killing', 'Stopping container db', 'Normal', 'kubelet'),
        event(7000, sts, 'SuccessfulCreate', 'create Pod db-0 in StatefulSet db successful', 'Normal', 'statefulset-controller'),
        event(7050, { kind: 'Pod', name: 'db-0', uid: 'new' }, 'Scheduled', 'Successfully assigned default/db-0 to n1', 'Normal', 'default-scheduler'),
      ],
    });
    expect(m.pods.map((p) => [p.name, p.uid, rel(p.created!), p.owner])).toEqual([['db-0', 'old', 0, 'db'], ['db-0', 'new', 7000, 'db']]);
    expect(m.pods[0]!.marks.find((k) => k.kind === 'deletion')?.time).toBe(T + 5000);
    expect(m.pods[1]!.marks.some((k) => k.kind === 'deletion')).toBe(false);
  });
});

describe('a pod known from the API and Events only', () => {
  it('keeps whole-second times after the exact creation, and runs to now while it lives', () => {
    const rs = { kind: 'ReplicaSet', name: 'web-aaa', uid: 'rs-a' };
    const pod: Pod = {
      metadata: { name: 'web-aaa-x', uid: 'px', namespace: 'default', creationTimestamp: iso(T + 2000), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-aaa', uid: 'rs-a', controller: true }] },
      status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(T + 2000) }, { type: 'Ready', status: 'True', lastTransitionTime: iso(T + 4000) }],
        containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: iso(T + 3000) } } }] },
    };
    const m = buildWorkloadModel({
      root: { kind: 'ReplicaSet', metadata: { name: 'web-aaa', uid: 'rs-a', namespace: 'default' }, spec: { replicas: 1 }, status: { readyReplicas: 1 } },
      owned: [], pods: [pod], records: {},
      events: [event(2300, rs, 'SuccessfulCreate', 'Created pod: web-aaa-x')],
    }, { now: T + 9000 });
    const p = m.pods[0]!;
    expect([p.source, p.owner]).toEqual(['pod', 'web-aaa']);
    expect(p.marks.map((k) => `${k.kind} ${rel(k.time)}${k.approximate ? '~' : ''}`)).toEqual(['created 2300', 'scheduled 2300~', 'started 3000~', 'ready 4000~']);
    expect(p.segments.map((s) => `${s.state} ${rel(s.start)}-${rel(s.end)}${s.open ? ' open' : ''}`)).toEqual(['pending 2300-3000', 'starting 3000-4000', 'ready 4000-9000 open']);
    expect(m.workload.summary).toBe('1/1 ready');
  });
});
