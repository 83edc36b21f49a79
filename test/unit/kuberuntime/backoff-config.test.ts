// Pure pieces of the runtime manager: CrashLoopBackOff schedule, $(VAR) expansion, quantities, durations.
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../agent/kuberuntime/backoff.js';
import { expandEnv, expandVars, generateContainerConfig } from '../../../agent/kuberuntime/container-config.js';
import { parseCPU, parseMemory } from '../../../agent/util/quantity.js';
import { formatGoDuration } from '../../../agent/util/go-duration.js';
import { applyDefaultTag } from '../../../agent/kuberuntime/image-manager.js';

describe('CrashLoopBackOff', () => {
  it('first restart immediate, then 10, 20, 40 … capped at 300 s', () => {
    let now = 0;
    const b = new Backoff(10_000, 300_000, () => now);
    const waits: number[] = [];
    let finishedAt = 0;
    for (let i = 0; i < 8; i++) {
      // the container exits at finishedAt; the worker restarts as soon as it is out of back-off
      now = finishedAt;
      let wait = 0;
      while (b.isInBackOffSince('k', finishedAt)) { now += 1000; wait += 1000; }
      waits.push(wait);
      b.next('k', finishedAt);
      finishedAt = now + 1000; // runs for 1 s, crashes again
    }
    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('resets after a run longer than 10 minutes', () => {
    let now = 0;
    const b = new Backoff(10_000, 300_000, () => now);
    b.next('k', 0);
    b.next('k', 1000);
    expect(b.get('k')).toBe(20_000);
    now = 700_000;
    b.next('k', 700_000);
    expect(b.get('k')).toBe(10_000);
  });
});

describe('container config', () => {
  it('expands $(VAR) from earlier env entries, keeps unknown references, unescapes $$', () => {
    const env = expandEnv([{ name: 'A', value: 'x' }, { name: 'B', value: '$(A)-$(C)-$$(A)' }]);
    expect(env[1]!.value).toBe('x-$(C)-$(A)');
    expect(expandVars('echo $(A)', new Map([['A', '1']]))).toBe('echo 1');
  });

  it('maps resources and security context', () => {
    const cfg = generateContainerConfig(
      { metadata: { name: 'p', uid: 'u' }, spec: { securityContext: { runAsUser: 1000, fsGroup: 2000 }, containers: [] } },
      { name: 'c', image: 'busybox', command: ['sh', '-c', 'echo $(X)'], env: [{ name: 'X', value: '1' }], resources: { limits: { cpu: '500m', memory: '64Mi' } }, securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } },
      'container', { restartCount: 0, termMsgHostPath: '/tmp/t', volumes: new Map(), env: [{ name: 'X', value: '1' }] });
    expect(cfg.command).toEqual(['sh', '-c', 'echo 1']);
    expect(cfg.linux?.resources).toMatchObject({ cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 64 * 2 ** 20, cpuShares: 512 });
    expect(cfg.linux?.securityContext).toMatchObject({ runAsUser: 1000, supplementalGroups: [2000], readonlyRootfs: true, capabilities: { dropCapabilities: ['ALL'] } });
    expect(cfg.mounts).toContainEqual({ containerPath: '/dev/termination-log', hostPath: '/tmp/t' });
  });
});

describe('units', () => {
  it.each([['100m', 100], ['1', 1000], ['0.5', 500], ['2.5', 2500]])('cpu %s → %i m', (q, m) => expect(parseCPU(q)).toBe(m));
  it.each([['64Mi', 67108864], ['1G', 1e9], ['128974848', 128974848], ['1Ki', 1024]])('memory %s → %i', (q, b) => expect(parseMemory(q)).toBe(b));
  it.each([[10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s'], [1500, '1.5s'], [300, '300ms'], [3_723_000, '1h2m3s']])('%i ms → %s', (ms, s) => expect(formatGoDuration(ms)).toBe(s));
  it.each([['busybox', 'busybox:latest'], ['busybox:1.36', 'busybox:1.36'], ['localhost:5000/x', 'localhost:5000/x:latest'], ['a@sha256:abc', 'a@sha256:abc']])('%s → %s', (i, o) => expect(applyDefaultTag(i)).toBe(o));
});
