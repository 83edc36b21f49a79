// test/unit/timeline/workload-fixtures.ts — a hand-built rolling update of a 2-replica Deployment as the
// workload timeline reads it: the Deployment, its two ReplicaSets, the Events (ScalingReplicaSet, the
// ReplicaSet controller's SuccessfulCreate/SuccessfulDelete, the scheduler's and kubelet's pod events, named
// `<object>.<hex ms><3 hex seq>` as this project's recorders write them), and the agent's lifecycle records
// (old pod a1 removed, kept; old pod a2 not remembered by the agent; new pods b1, b2 running).
import type { Event, Pod } from '../../../agent/api/v1.js';
import type { KubeObject } from '../../../client/types.js';
import type { LifecycleEntry } from '../../../agent/timeline/lifecycle-record.js';
import type { PodRecord } from '../../../agent/timeline/workload-pods.js';
import type { WorkloadInput } from '../../../agent/timeline/workload-model.js';
import { T, iso } from './fixtures.js';

let seq = 0;
export function event(dt: number, involved: { kind: string; name: string; uid?: string }, reason: string, message: string, type = 'Normal', component = 'replicaset-controller'): Event {
  const time = T + dt;
  return {
    metadata: { name: `${involved.name}.${time.toString(16)}${(seq++ & 0xfff).toString(16).padStart(3, '0')}`, namespace: 'default' },
    involvedObject: { ...involved, namespace: 'default' }, reason, message, type, count: 1,
    firstTimestamp: iso(time), lastTimestamp: iso(time), source: { component },
  };
}

const DEP = { kind: 'Deployment', name: 'web', uid: 'dep-1' };
const RS_A = { kind: 'ReplicaSet', name: 'web-aaa', uid: 'rs-a' };
const RS_B = { kind: 'ReplicaSet', name: 'web-bbb', uid: 'rs-b' };
const owner = (rs: { name: string; uid: string }) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name, uid: rs.uid, controller: true }];

function pod(name: string, uid: string, rs: { name: string; uid: string }, created: number, extra: { deletion?: number; ready?: number } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid, creationTimestamp: iso(T + created), ownerReferences: owner(rs), ...(extra.deletion !== undefined ? { deletionTimestamp: iso(T + extra.deletion + 1000), deletionGracePeriodSeconds: 1 } : {}) },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(T + created) }, ...(extra.ready !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(T + extra.ready) }] : [])],
      containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: extra.ready !== undefined, restartCount: 0, containerID: `docker://${uid}c`, state: { running: { startedAt: iso(T + created + 500) } } }],
    },
  };
}

/** A pod's record as the agent writes it: sandbox, container start; removed ones with SIGTERM, exit, delete. */
function record(p: Pod, created: number, removed?: number): PodRecord {
  const uid = p.metadata!.uid!;
  const e = (dt: number, kind: string, rest: Record<string, unknown> = {}): LifecycleEntry => ({ time: T + dt, podUID: uid, kind, ...rest });
  const entries = [
    e(created + 100, 'sandbox', { sandboxId: `s-${uid}`, attempt: 0, ip: '10.88.0.9', startedAt: T + created + 50 }),
    e(created + 300, 'create', { container: 'app', containerId: `${uid}c`, restartCount: 0 }),
    e(created + 400, 'start', { container: 'app', containerId: `${uid}c`, restartCount: 0 }),
  ];
  if (removed !== undefined) {
    entries.push(
      e(removed + 20, 'kill', { container: 'app', containerId: `${uid}c`, gracePeriodSeconds: 1 }),
      e(removed + 30, 'signal', { container: 'app', containerId: `${uid}c`, signal: 'SIGTERM', gracePeriodSeconds: 1 }),
      e(removed + 400, 'exit', { container: 'app', containerId: `${uid}c`, exitCode: 0, reason: 'Completed' }),
      e(removed + 600, 'delete'),
    );
  }
  return { pod: p, entries, ...(removed !== undefined ? { deleted: true } : {}) };
}

/**
 * 0 s: Deployment created, web-aaa 0→2, pods a1, a2 (Ready at ~0.5 s). 10 s: set image: web-bbb 0→1, pod b1
 * Ready at 10.5 s; web-aaa 2→1 deletes a1; web-bbb 1→2, pod b2; web-aaa 1→0 deletes a2.
 */
export function rollout(): WorkloadInput {
  const a1 = pod('web-aaa-a1', 'pa1', RS_A, 20, { deletion: 10_620, ready: 0 });
  const b1 = pod('web-bbb-b1', 'pb1', RS_B, 10_020, { ready: 10_000 });
  const b2 = pod('web-bbb-b2', 'pb2', RS_B, 10_720, { ready: 11_000 });
  const events: Event[] = [
    event(10, DEP, 'ScalingReplicaSet', 'Scaled up replica set web-aaa from 0 to 2', 'Normal', 'deployment-controller'),
    event(20, RS_A, 'SuccessfulCreate', 'Created pod: web-aaa-a1'),
    event(25, RS_A, 'SuccessfulCreate', 'Created pod: web-aaa-a2'),
    event(30, { kind: 'Pod', name: 'web-aaa-a2', uid: 'pa2' }, 'Scheduled', 'Successfully assigned default/web-aaa-a2 to node1', 'Normal', 'default-scheduler'),
    event(530, { kind: 'Pod', name: 'web-aaa-a2', uid: 'pa2' }, 'Started', 'Started container app', 'Normal', 'kubelet'),
    event(10_010, DEP, 'ScalingReplicaSet', 'Scaled up replica set web-bbb from 0 to 1', 'Normal', 'deployment-controller'),
    event(10_020, RS_B, 'SuccessfulCreate', 'Created pod: web-bbb-b1'),
    event(10_600, DEP, 'ScalingReplicaSet', 'Scaled down replica set web-aaa from 2 to 1', 'Normal', 'deployment-controller'),
    event(10_620, RS_A, 'SuccessfulDelete', 'Deleted pod: web-aaa-a1'),
    event(10_700, DEP, 'ScalingReplicaSet', 'Scaled up replica set web-bbb from 1 to 2', 'Normal', 'deployment-controller'),
    event(10_720, RS_B, 'SuccessfulCreate', 'Created pod: web-bbb-b2'),
    event(11_300, DEP, 'ScalingReplicaSet', 'Scaled down replica set web-aaa from 1 to 0', 'Normal', 'deployment-controller'),
    event(11_320, RS_A, 'SuccessfulDelete', 'Deleted pod: web-aaa-a2'),
    event(11_330, { kind: 'Pod', name: 'web-aaa-a2', uid: 'pa2' }, 'Killing', 'Stopping container app', 'Normal', 'kubelet'),
    // Another Deployment's events in the namespace: not this tree.
    event(5000, { kind: 'ReplicaSet', name: 'other-ccc', uid: 'rs-c' }, 'SuccessfulCreate', 'Created pod: other-ccc-c1'),
  ];
  const rs = (r: typeof RS_A, rev: string, replicas: number, created: number): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: r.name, namespace: 'default', uid: r.uid, creationTimestamp: iso(T + created), annotations: { 'deployment.kubernetes.io/revision': rev }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-1', controller: true }] },
    spec: { replicas }, status: { replicas, readyReplicas: replicas },
  });
  return {
    root: {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'dep-1', creationTimestamp: iso(T), annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 2 },
      status: {
        replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: iso(T + 1000) },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-bbb" has successfully progressed.', lastTransitionTime: iso(T), lastUpdateTime: iso(T + 12_000) },
        ],
      },
    },
    owned: [rs(RS_A, '1', 0, 0), rs(RS_B, '2', 2, 10_000)],
    pods: [b1, b2],
    events,
    records: {
      'web-aaa-a1': record(a1, 20, 10_620),
      'web-bbb-b1': record(b1, 10_020),
      'web-bbb-b2': record(b2, 10_720),
    },
  };
}
