// PURE: env and envFrom resolution as the kubelet's makeEnvironmentVariables does it.
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Container, Pod, Secret } from '../../../agent/api/v1.js';
import { fieldRefValue, resolveEnv, resourceFieldValue, type ConfigStore } from '../../../agent/kuberuntime/env.js';

const cms: Record<string, ConfigMap> = {
  cfg: { data: { colour: 'blue', SIZE: '3', '9bad': 'x' } },
};
const secrets: Record<string, Secret> = {
  sec: { data: { token: Buffer.from('t0k').toString('base64') }, stringData: { plain: 'text' } },
};
const store: ConfigStore = { getConfigMap: (_ns, n) => cms[n], getSecret: (_ns, n) => secrets[n] };
const pod = (c: Container): Pod => ({
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'a', tier: 't' }, annotations: { note: 'n "q"' } },
  spec: { serviceAccountName: 'sa', containers: [c, { name: 'side', resources: { limits: { memory: '1Gi' }, requests: { cpu: '1500m' } } }] },
});
const ctx = { podIP: '10.0.0.5', hostIP: '192.168.1.2', nodeName: 'node-a', allocatable: { cpuMilli: 4000, memoryBytes: 8 * 2 ** 30 } };
const resolve = (c: Container, extra: Partial<typeof ctx> & { warn?: (r: string, m: string) => void } = {}) =>
  Object.fromEntries(resolveEnv(pod(c), c, store, { ...ctx, ...extra }).map((e) => [e.name, e.value]));

describe('resolveEnv', () => {
  it('envFrom first (prefix; invalid names skipped with a warning), env after and overriding', () => {
    const warnings: string[] = [];
    const env = resolve({
      name: 'c',
      envFrom: [{ prefix: 'CM_', configMapRef: { name: 'cfg' } }, { configMapRef: { name: 'cfg' } }, { secretRef: { name: 'sec' } }],
      env: [{ name: 'colour', value: 'red' }],
    }, { warn: (r, m) => warnings.push(`${r}: ${m}`) });
    expect(env).toEqual({ CM_colour: 'blue', CM_SIZE: '3', CM_9bad: 'x', colour: 'red', SIZE: '3', token: 't0k', plain: 'text' });
    expect(warnings).toEqual(['InvalidEnvironmentVariableNames: Keys [9bad] from the EnvFrom configMap prod/cfg were skipped since they are considered invalid environment variable names.']);
  });

  it('expands $(VAR) in values against what is defined before, never in valueFrom results', () => {
    const env = resolve({
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cfg' } }],
      env: [
        { name: 'A', value: '$(colour)-$(B)-$$(colour)' },
        { name: 'B', value: 'b' },
        { name: 'C', value: '$(A)+$(B)' },
        { name: 'D', valueFrom: { secretKeyRef: { name: 'sec', key: 'plain' } } },
        { name: 'EMPTY', value: '' },
      ],
    });
    expect(env).toMatchObject({ A: 'blue-$(B)-$(colour)', B: 'b', C: 'blue-$(B)-$(colour)+b', D: 'text', EMPTY: '' });
  });

  it('the kubelet\'s messages for missing objects and keys; optional references are skipped', () => {
    const one = (e: NonNullable<Container['env']>[number]) => () => resolve({ name: 'c', env: [e] });
    expect(one({ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } })).toThrow('configmap "nope" not found');
    expect(one({ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } })).toThrow("couldn't find key k in ConfigMap prod/cfg");
    expect(one({ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } })).toThrow('secret "nope" not found');
    expect(one({ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } })).toThrow("couldn't find key k in Secret prod/sec");
    expect(() => resolve({ name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] })).toThrow('secret "gone" not found');
    expect(resolve({
      name: 'c',
      envFrom: [{ configMapRef: { name: 'gone', optional: true } }],
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } }, { name: 'Y', valueFrom: { secretKeyRef: { name: 'no', key: 'k', optional: true } } }],
    })).toEqual({});
  });

  it('downward API fields', () => {
    const p = pod({ name: 'c' });
    const f = (path: string) => fieldRefValue(p, path, ctx);
    expect([f('metadata.name'), f('metadata.namespace'), f('metadata.uid'), f("metadata.labels['app']"), f("metadata.annotations['note']")]).toEqual(['web', 'prod', 'u-1', 'a', 'n "q"']);
    expect([f('spec.nodeName'), f('spec.serviceAccountName'), f('status.podIP'), f('status.hostIP'), f('status.podIPs')]).toEqual(['node-a', 'sa', '10.0.0.5', '192.168.1.2', '10.0.0.5']);
    expect(f('metadata.labels')).toBe('app="a"\ntier="t"');
    expect(f('metadata.annotations')).toBe('note="n \\"q\\""');
    expect(() => f('spec.bogus')).toThrow('unsupported fieldPath: spec.bogus');
  });

  it('resourceFieldRef: ceil(quantity / divisor); unset limits are the node\'s allocatable; unset requests are 0', () => {
    const c: Container = { name: 'c', resources: { requests: { cpu: '250m', memory: '100Mi' } } };
    const p = pod(c);
    const a = ctx.allocatable;
    const r = (resource: string, divisor?: string, containerName?: string) => resourceFieldValue(p, c, { resource, divisor, containerName }, a);
    expect(r('requests.cpu')).toBe('1');
    expect(r('requests.cpu', '1m')).toBe('250');
    expect(r('requests.memory', '1Mi')).toBe('100');
    expect(r('requests.memory', '1M')).toBe('105');
    expect(r('limits.cpu')).toBe('4');
    expect(r('limits.memory', '1Gi')).toBe('8');
    expect(r('limits.memory', '1Mi', 'side')).toBe('1024');
    expect(r('requests.cpu', '100m', 'side')).toBe('15');
    expect(r('requests.ephemeral-storage')).toBe('0');
    expect(() => r('limits.gpu')).toThrow('unsupported container resource : limits.gpu');
  });
});
