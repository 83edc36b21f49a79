// Table tests of API defaulting (applyPodDefaults) and image normalisation, named by behaviour.
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults, normaliseImage } from '../../../agent/api/defaults.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, containers: Container[] = [{ name: 'app', image: 'busybox' }]): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, ...spec } });
const first = (p: Pod): Container => p.spec!.containers[0]!;

describe('applyPodDefaults: pod level', () => {
  const d = applyPodDefaults(pod());
  it.each([
    ['namespace is default', () => d.metadata?.namespace, 'default'],
    ['restartPolicy is Always', () => d.spec?.restartPolicy, 'Always'],
    ['dnsPolicy is ClusterFirst', () => d.spec?.dnsPolicy, 'ClusterFirst'],
    ['schedulerName is default-scheduler', () => d.spec?.schedulerName, 'default-scheduler'],
    ['terminationGracePeriodSeconds is 30', () => d.spec?.terminationGracePeriodSeconds, 30],
    ['securityContext is {}', () => d.spec?.securityContext, {}],
    ['enableServiceLinks is true', () => d.spec?.enableServiceLinks, true],
    ['terminationMessagePath', () => first(d).terminationMessagePath, '/dev/termination-log'],
    ['terminationMessagePolicy', () => first(d).terminationMessagePolicy, 'File'],
  ])('%s', (_name, get, want) => expect(get()).toEqual(want));

  it.each([
    ['a namespace as written', { metadata: { name: 'p', namespace: 'lab' } }, (p: Pod) => p.metadata?.namespace, 'lab'],
    ['a restartPolicy as written', { spec: { restartPolicy: 'Never', containers: [] } }, (p: Pod) => p.spec?.restartPolicy, 'Never'],
    ['a zero grace period (not unset)', { spec: { terminationGracePeriodSeconds: 0, containers: [] } }, (p: Pod) => p.spec?.terminationGracePeriodSeconds, 0],
    ['enableServiceLinks false', { spec: { enableServiceLinks: false, containers: [] } }, (p: Pod) => p.spec?.enableServiceLinks, false],
  ])('keeps %s', (_name, over, get, want) => expect(get(applyPodDefaults({ ...pod(), ...over } as Pod))).toEqual(want));

  it('returns a deep copy and leaves its input alone', () => {
    const input = pod({}, [{ name: 'app', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }]);
    const before = structuredClone(input);
    const out = applyPodDefaults(input);
    expect(input).toEqual(before);
    expect(out.spec!.containers[0]!.livenessProbe).not.toBe(input.spec!.containers[0]!.livenessProbe);
  });

  it('leaves parts with the wrong type as written, for validation to name', () => {
    const odd = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: 'app', volumes: [null, 'x'] } } as unknown as Pod;
    expect(applyPodDefaults(odd).spec).toMatchObject({ containers: 'app', volumes: [null, 'x'], restartPolicy: 'Always' });
    const noSpec = applyPodDefaults({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
    expect(noSpec.spec).toBeUndefined();
    expect(noSpec.metadata?.namespace).toBe('default');
  });
});

describe('applyPodDefaults: imagePullPolicy', () => {
  it.each([
    ['untagged', 'busybox', 'Always'],
    [':latest', 'busybox:latest', 'Always'],
    ['a tag', 'busybox:1.36', 'IfNotPresent'],
    ['a digest', 'busybox@sha256:abc', 'IfNotPresent'],
    ['a registry port, untagged', 'localhost:5000/app', 'Always'],
    ['a registry port and a tag', 'localhost:5000/app:v1', 'IfNotPresent'],
    ['latest with a digest', 'busybox:latest@sha256:abc', 'IfNotPresent'],
  ])('%s → %s', (_name, image, want) => {
    expect(first(applyPodDefaults(pod({}, [{ name: 'a', image }]))).imagePullPolicy).toBe(want);
  });
  it('keeps a policy as written', () => {
    expect(first(applyPodDefaults(pod({}, [{ name: 'a', image: 'busybox', imagePullPolicy: 'Never' }]))).imagePullPolicy).toBe('Never');
  });
  it('defaults init containers too', () => {
    const d = applyPodDefaults(pod({ initContainers: [{ name: 'i', image: 'busybox:1.36' }] }));
    expect(d.spec!.initContainers![0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
  });
});

describe('applyPodDefaults: probes and hooks', () => {
  it.each([
    ['all defaults when unset', {}, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 0 }],
    ['zeros count as unset', { timeoutSeconds: 0, periodSeconds: 0, successThreshold: 0, failureThreshold: 0 }, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }],
    ['values as written are kept', { timeoutSeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 1, initialDelaySeconds: 60 }, { timeoutSeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 1, initialDelaySeconds: 60 }],
  ])('%s', (_name, fields, want) => {
    const d = applyPodDefaults(pod({}, [{ name: 'a', image: 'b', readinessProbe: { tcpSocket: { port: 80 }, ...fields } }]));
    expect(first(d).readinessProbe).toMatchObject(want);
  });
  it('httpGet gets path / and scheme HTTP, in probes and hooks', () => {
    const d = applyPodDefaults(pod({}, [{ name: 'a', image: 'b', livenessProbe: { httpGet: { port: 80 } }, lifecycle: { preStop: { httpGet: { port: 'http' } } } }]));
    expect(first(d).livenessProbe!.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
    expect(first(d).lifecycle!.preStop!.httpGet).toEqual({ port: 'http', path: '/', scheme: 'HTTP' });
  });
  it('keeps httpGet path and scheme as written', () => {
    const d = applyPodDefaults(pod({}, [{ name: 'a', image: 'b', startupProbe: { httpGet: { port: 443, path: '/healthz', scheme: 'HTTPS' } } }]));
    expect(first(d).startupProbe!.httpGet).toEqual({ port: 443, path: '/healthz', scheme: 'HTTPS' });
  });
  it('leaves grpc.service unset', () => {
    const d = applyPodDefaults(pod({}, [{ name: 'a', image: 'b', livenessProbe: { grpc: { port: 9000 } } }]));
    expect(first(d).livenessProbe!.grpc).toEqual({ port: 9000 });
  });
});

describe('applyPodDefaults: ports, env, resources, volumes', () => {
  it.each([
    ['protocol TCP', {}, [{ containerPort: 80 }], [{ containerPort: 80, protocol: 'TCP' }]],
    ['protocol as written', {}, [{ containerPort: 53, protocol: 'UDP' }], [{ containerPort: 53, protocol: 'UDP' }]],
    ['hostPort = containerPort under hostNetwork', { hostNetwork: true }, [{ containerPort: 80 }], [{ containerPort: 80, protocol: 'TCP', hostPort: 80 }]],
    ['no hostPort without hostNetwork', {}, [{ containerPort: 80 }], [{ containerPort: 80, protocol: 'TCP' }]],
    ['a hostPort as written under hostNetwork', { hostNetwork: true }, [{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }]],
  ])('ports: %s', (_name, spec, ports, want) => {
    expect(first(applyPodDefaults(pod(spec, [{ name: 'a', image: 'b', ports }]))).ports).toEqual(want);
  });
  it('env fieldRef gets apiVersion v1', () => {
    const d = applyPodDefaults(pod({}, [{ name: 'a', image: 'b', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }]));
    expect(first(d).env![0]!.valueFrom!.fieldRef).toEqual({ fieldPath: 'metadata.name', apiVersion: 'v1' });
  });
  it.each([
    ['limits only: requests = limits', { limits: { cpu: '1', memory: '64Mi' } }, { limits: { cpu: '1', memory: '64Mi' }, requests: { cpu: '1', memory: '64Mi' } }],
    ['a request as written is kept, the missing one is filled', { limits: { cpu: '1', memory: '64Mi' }, requests: { cpu: '100m' } }, { limits: { cpu: '1', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } }],
    ['requests only: untouched', { requests: { cpu: '100m' } }, { requests: { cpu: '100m' } }],
  ])('resources: %s', (_name, resources, want) => {
    expect(first(applyPodDefaults(pod({}, [{ name: 'a', image: 'b', resources }]))).resources).toEqual(want);
  });
  it('volumes: hostPath type "", configMap/secret defaultMode 420, emptyDir as written', () => {
    const d = applyPodDefaults(pod({
      volumes: [
        { name: 'h', hostPath: { path: '/tmp/loap' } },
        { name: 'c', configMap: { name: 'cfg' } },
        { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
        { name: 'e', emptyDir: {} },
      ],
    }));
    expect(d.spec!.volumes).toEqual([
      { name: 'h', hostPath: { path: '/tmp/loap', type: '' } },
      { name: 'c', configMap: { name: 'cfg', defaultMode: 420 } },
      { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
      { name: 'e', emptyDir: {} },
    ]);
  });
});

describe('normaliseImage', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
    ['busybox@sha256:abc', 'busybox@sha256:abc'],
    ['docker.io/library/nginx', 'docker.io/library/nginx:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:v2', 'localhost:5000/app:v2'],
    ['example/web:1.0', 'example/web:1.0'],
  ])('%s → %s', (image, want) => expect(normaliseImage(image)).toBe(want));
});
