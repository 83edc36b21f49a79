// test/unit/control-plane/apiserver/protobuf-workloads.test.ts — the protobuf layouts of the workload kinds
// (control-plane/registry/proto/) through decodeProtobuf: bodies the real kubectl 1.32 sent for
// `create deployment|job|cronjob` and `create job --from=cronjob/X` (test/fixtures/protobuf/, see its
// README) decode to exactly the object `kubectl create ... --dry-run=client -o json` prints; a hand-encoded
// Deployment exercises IntOrString, Quantity maps, Time, negative and packed ints, inline volume sources and
// probe handlers, env valueFrom, and the zero values Go writes for non-pointer fields.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProtobuf } from '../../../../control-plane/apiserver/protobuf.js';
import { CRON_JOB, DEPLOYMENT, JOB } from '../../../../control-plane/registry/proto/index.js';
import type { ProtoMessage } from '../../../../control-plane/registry/index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/protobuf/${name}`, import.meta.url));
const decode = (body: Buffer, kind: string, apiVersion: string, message: ProtoMessage): Record<string, unknown> =>
  decodeProtobuf(body, { kind, apiVersion, message });

// ---- a tiny encoder ----
const varint = (n: number | bigint): number[] => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v > 127n) { out.push(Number(v & 127n) | 128); v >>= 7n; }
  out.push(Number(v));
  return out;
};
const bytes = (no: number, b: Buffer): Buffer => Buffer.concat([Buffer.from([...varint(no * 8 + 2), ...varint(b.length)]), b]);
const m = (no: number, ...parts: Buffer[]): Buffer => bytes(no, Buffer.concat(parts));
const s = (no: number, text: string): Buffer => bytes(no, Buffer.from(text));
const v = (no: number, n: number | bigint): Buffer => Buffer.from([...varint(no * 8), ...varint(n)]);
const entry = (no: number, k: string, val: Buffer): Buffer => m(no, s(1, k), bytes(2, val));
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), m(1, s(1, apiVersion), s(2, kind)), bytes(2, raw)]);
const intOrStr = (no: number, x: number | string): Buffer =>
  (typeof x === 'number' ? m(no, v(1, 0), v(2, x), s(3, '')) : m(no, v(1, 1), v(2, 0), s(3, x)));
const quantity = (x: string): Buffer => s(1, x);

describe('bodies the real kubectl sent', () => {
  it('create deployment web --image=busybox:latest -- sleep 3600', () => {
    expect(decode(fixture('deployment-web.bin'), 'Deployment', 'apps/v1', DEPLOYMENT)).toEqual({
      kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'busybox', image: 'busybox:latest', command: ['sleep', '3600'], resources: {} }] } },
        strategy: {},
      },
    });
  });

  it('create deployment multi --image=busybox --image=nginx --replicas=3 --port=80', () => {
    expect(decode(fixture('deployment-multi.bin'), 'Deployment', 'apps/v1', DEPLOYMENT)).toEqual({
      kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'multi', labels: { app: 'multi' } },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'multi' } }, strategy: {},
        template: {
          metadata: { labels: { app: 'multi' } },
          spec: { containers: [{ name: 'busybox', image: 'busybox', ports: [{ containerPort: 80 }], resources: {} }, { name: 'nginx', image: 'nginx', resources: {} }] },
        },
      },
    });
  });

  it('create job j1 --image=busybox -- echo hi', () => {
    expect(decode(fixture('job-j1.bin'), 'Job', 'batch/v1', JOB)).toEqual({
      kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'j1' },
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'j1', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' } } },
    });
  });

  it('create job m1 --from=cronjob/c1: the manual annotation, the CronJob as controller, the defaulted template', () => {
    expect(decode(fixture('job-from-cronjob.bin'), 'Job', 'batch/v1', JOB)).toEqual({
      kind: 'Job', apiVersion: 'batch/v1',
      metadata: {
        name: 'm1', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c1', uid: '1a819045-fb3b-4c63-983c-7ef90c9a96b5', controller: true }],
      },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'c1', image: 'busybox', command: ['echo', 'hi'], resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }],
            restartPolicy: 'OnFailure', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true,
          },
        },
      },
    });
  });

  it("create cronjob c1 --image=busybox --schedule='*/5 * * * *' -- echo hi", () => {
    expect(decode(fixture('cronjob-c1.bin'), 'CronJob', 'batch/v1', CRON_JOB)).toEqual({
      kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name: 'c1' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: { name: 'c1' },
          spec: { template: { metadata: {}, spec: { containers: [{ name: 'c1', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'OnFailure' } } },
        },
      },
    });
  });

  it('a body of another kind is a 415, a truncated one a 400', () => {
    expect(() => decode(fixture('job-j1.bin'), 'Deployment', 'apps/v1', DEPLOYMENT)).toThrow(expect.objectContaining({ code: 415 }));
    const body = fixture('deployment-web.bin');
    expect(() => decode(body.subarray(0, body.length - 3), 'Deployment', 'apps/v1', DEPLOYMENT)).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('a hand-encoded Deployment with every kind of field', () => {
  const probe = m(10, m(1, m(2, s(1, '/healthz'), intOrStr(2, 'http'), s(4, 'HTTP'), m(5, s(1, 'X-A'), s(2, 'b')))), v(2, 0), v(3, 2), v(4, 5), v(6, 3));
  const container = Buffer.concat([
    s(1, 'app'), s(2, 'busybox'), s(3, 'sh'), s(3, '-c'), s(4, 'sleep 1'), s(5, ''),
    m(6, s(1, 'http'), v(2, 0), v(3, 8080), s(4, 'TCP'), s(5, '')),
    m(7, s(1, 'PLAIN'), s(2, 'x')),
    m(7, s(1, 'FROM_CM'), s(2, ''), m(3, m(3, m(1, s(1, 'cfg')), s(2, 'key'), v(3, 0)))),
    m(7, s(1, 'NODE'), m(3, m(1, s(1, 'v1'), s(2, 'spec.nodeName')))),
    m(7, s(1, 'MEM'), m(3, m(2, s(1, ''), s(2, 'limits.memory'), m(3, quantity('1Mi'))))),
    m(19, s(1, 'P_'), m(3, m(1, s(1, 'sec')))),
    m(8, entry(1, 'cpu', quantity('500m')), entry(1, 'memory', quantity('64Mi')), entry(2, 'cpu', quantity('100m'))),
    m(9, s(1, 'data'), v(2, 1), s(3, '/data'), s(4, '')),
    m(9, s(1, 'cache'), v(2, 0), s(3, '/cache')),
    probe,
    m(11, m(1, m(3, intOrStr(1, 8080))), v(2, 1)),
    m(22, m(1, m(1, s(1, 'true'))), v(6, 30)),
    m(12, m(1, m(1, s(1, 'echo'), s(1, 'hi'))), m(2, m(4, v(1, 5)))),
    s(13, '/dev/termination-log'), s(20, 'File'), s(14, 'IfNotPresent'),
    m(15, m(1, s(1, 'NET_ADMIN'), s(2, 'ALL')), v(2, 0), v(4, 1000), v(5, 1), v(6, 1)),
    v(16, 0), v(17, 0), v(18, 1),
  ]);
  const podSpec = Buffer.concat([
    m(1, s(1, 'data'), m(2, m(2, s(1, 'Memory'), m(2, quantity('1Gi'))))),
    m(1, s(1, 'cache'), m(2, m(1, s(1, '/tmp/cache'), s(2, 'DirectoryOrCreate')))),
    m(1, s(1, 'cfg'), m(2, m(19, m(1, s(1, 'cfg')), m(2, s(1, 'a'), s(2, 'a.txt'), v(3, 0o400)), v(3, 0o644)))),
    m(1, s(1, 'sec'), m(2, m(6, s(1, 'sec'), v(4, 1)))),
    m(1, s(1, 'claim'), m(2, m(10, s(1, 'pvc-1'), v(2, 0)))),
    m(1, s(1, 'proj'), m(2, m(26, m(1, m(3, m(1, s(1, 'cfg')))), m(1, m(4, s(1, 'api'), v(2, 3600), s(3, 'token')))))),
    m(20, s(1, 'init'), s(2, 'busybox'), s(3, 'true')),
    m(2, container),
    s(3, 'Always'), v(4, 5), s(6, 'ClusterFirst'),
    entry(7, 'disk', Buffer.from('ssd')),
    s(8, 'builder'), v(11, 0), v(12, 0), v(13, 0),
    m(14, v(2, 1000), m(4, Buffer.from([...varint(1), ...varint(2), ...varint(3)])), v(5, 2000)),
    s(16, 'host-a'), s(17, 'sub'),
    m(18, m(1, m(1, m(1, m(1, s(1, 'zone'), s(2, 'In'), s(3, 'a')))))),
    m(22, s(1, 'node.kubernetes.io/not-ready'), s(2, 'Exists'), s(3, ''), s(4, 'NoExecute'), v(5, 300)),
    m(22, s(1, 'dedicated'), s(2, 'Equal'), s(3, 'x'), s(4, 'NoSchedule')),
  ]);
  const meta = Buffer.concat([
    s(1, ''), s(2, 'web-'), s(3, 'default'), v(7, 0), m(8, v(1, 1_700_000_000), v(2, 0)), m(9),
    entry(11, 'app', Buffer.from('web')), entry(12, 'note', Buffer.from('hello')),
    m(13, s(1, 'ReplicaSet'), s(3, 'owner'), s(4, 'uid-1'), s(5, 'apps/v1'), v(6, 1), v(7, 0)),
    s(14, 'example.com/f'),
  ]);
  const spec = Buffer.concat([
    v(1, 2),
    m(2, entry(1, 'app', Buffer.from('web')), m(2, s(1, 'tier'), s(2, 'In'), s(3, 'a'), s(3, 'b'))),
    m(3, m(1, entry(11, 'app', Buffer.from('web')), entry(11, 'tier', Buffer.from('a'))), m(2, podSpec)),
    m(4, s(1, 'RollingUpdate'), m(2, intOrStr(1, 0), intOrStr(2, '50%'))),
    v(5, 0), v(6, 3), v(7, 0), v(9, 120),
  ]);
  const raw = Buffer.concat([m(1, meta), m(2, spec), m(3, v(1, 99)), v(99, 7)]);
  const obj = decode(envelope('apps/v1', 'Deployment', raw), 'Deployment', 'apps/v1', DEPLOYMENT) as any;

  it('ObjectMeta: generateName, labels, annotations, ownerReferences (a false pointer bool kept), finalizers; no zero times', () => {
    expect(obj.metadata).toEqual({
      generateName: 'web-', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'hello' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'owner', uid: 'uid-1', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
      finalizers: ['example.com/f'],
    });
    expect(obj).not.toHaveProperty('status');
  });

  it('DeploymentSpec: selector with expressions, strategy with IntOrString int and percent, omitempty zeros dropped', () => {
    const { template, ...rest } = obj.spec;
    expect(rest).toEqual({
      replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } },
      revisionHistoryLimit: 3, progressDeadlineSeconds: 120,
    });
    expect(template.metadata).toEqual({ labels: { app: 'web', tier: 'a' } });
  });

  it('PodSpec: volumes inline by source, init containers, settings, packed ints, affinity, tolerations', () => {
    const { containers, ...pod } = obj.spec.template.spec;
    expect(pod).toEqual({
      volumes: [
        { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'cache', hostPath: { path: '/tmp/cache', type: 'DirectoryOrCreate' } },
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt', mode: 0o400 }], defaultMode: 0o644 } },
        { name: 'sec', secret: { secretName: 'sec', optional: true } },
        { name: 'claim', persistentVolumeClaim: { claimName: 'pvc-1' } },
        { name: 'proj', projected: { sources: [{ configMap: { name: 'cfg' } }, { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } }] } },
      ],
      initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 5, dnsPolicy: 'ClusterFirst', nodeSelector: { disk: 'ssd' },
      serviceAccountName: 'builder', securityContext: { runAsUser: 1000, supplementalGroups: [1, 2, 3], fsGroup: 2000 },
      hostname: 'host-a', subdomain: 'sub',
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' },
      ],
    });
  });

  it('Container: ports, env with valueFrom, envFrom, Quantity resources, mounts, probes, lifecycle, securityContext', () => {
    expect(obj.spec.template.spec.containers).toEqual([{
      name: 'app', image: 'busybox', command: ['sh', '-c'], args: ['sleep 1'],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'PLAIN', value: 'x' },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'key', optional: false } } },
        { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      envFrom: [{ prefix: 'P_', secretRef: { name: 'sec' } }],
      resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }, { name: 'cache', mountPath: '/cache' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-A', value: 'b' }] }, timeoutSeconds: 2, periodSeconds: 5, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
      startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
      lifecycle: { postStart: { exec: { command: ['echo', 'hi'] } }, preStop: { sleep: { seconds: 5 } } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: false, runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true },
      tty: true,
    }]);
  });
});

describe('scalar encodings', () => {
  it('negative ints (ten-byte varints), unpacked repeated ints, a Time as RFC3339', () => {
    const raw = Buffer.concat([
      m(1, s(1, 'j'), m(8, v(1, 1_700_000_000), v(2, 5))),
      m(2, v(3, -1), m(11, m(1, s(1, 'FailJob'), m(2, s(2, 'In'), v(3, 1), v(3, 42))))),
    ]);
    const message: ProtoMessage = { ...JOB, 1: { name: 'metadata', type: 'message', message: { 1: { name: 'name', type: 'string' }, 8: { name: 'creationTimestamp', type: 'time' } } } };
    expect(decode(envelope('batch/v1', 'Job', raw), 'Job', 'batch/v1', message)).toEqual({
      kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'j', creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { activeDeadlineSeconds: -1, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 42] } }] } },
    });
  });
});
