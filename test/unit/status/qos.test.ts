// Table tests of the QoS class (the kubelet's TestComputePodQOS cases, named by behaviour) and of the
// exact quantity arithmetic behind it.
import { describe, expect, it } from 'vitest';
import type { Container } from '../../../agent/api/v1.js';
import { computeQOSClass, getPodQOS, quantityNanos } from '../../../agent/api/qos.js';
import { makePod } from './fixtures.js';

type RL = Record<string, string>;
const ctr = (name: string, requests?: RL, limits?: RL): Container => ({ name, image: 'b', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const both = (cpu: string, memory: string): RL => ({ cpu, memory });

const cases: { name: string; containers: Container[]; inits?: Container[]; want: string }[] = [
  { name: 'no resources → BestEffort', containers: [ctr('a')], want: 'BestEffort' },
  { name: 'only zero quantities → BestEffort', containers: [ctr('a', { cpu: '0', memory: '0' }, { cpu: '0' })], want: 'BestEffort' },
  { name: 'only non-compute resources → BestEffort', containers: [ctr('a', { 'ephemeral-storage': '1Gi' }, { 'ephemeral-storage': '1Gi' })], want: 'BestEffort' },
  { name: 'requests == limits for cpu and memory → Guaranteed', containers: [ctr('a', both('100m', '128Mi'), both('100m', '128Mi'))], want: 'Guaranteed' },
  { name: 'limits only (API defaulted requests = limits) → Guaranteed', containers: [ctr('a', both('1', '1Gi'), both('1', '1Gi'))], want: 'Guaranteed' },
  { name: 'equal values in other units (0.5 = 500m, 1Gi = 1024Mi) → Guaranteed', containers: [ctr('a', both('0.5', '1Gi'), both('500m', '1024Mi'))], want: 'Guaranteed' },
  { name: 'sums compared per resource across containers → Guaranteed', containers: [ctr('a', both('100m', '64Mi'), both('200m', '64Mi')), ctr('b', both('200m', '64Mi'), both('100m', '64Mi'))], want: 'Guaranteed' },
  { name: 'requests below limits → Burstable', containers: [ctr('a', both('100m', '128Mi'), both('200m', '128Mi'))], want: 'Burstable' },
  { name: 'requests only → Burstable', containers: [ctr('a', { cpu: '100m' })], want: 'Burstable' },
  { name: 'cpu limit without memory limit → Burstable', containers: [ctr('a', { cpu: '1' }, { cpu: '1' })], want: 'Burstable' },
  { name: 'one Guaranteed container and one without resources → Burstable', containers: [ctr('a', both('1', '1Gi'), both('1', '1Gi')), ctr('b')], want: 'Burstable' },
  { name: 'init container counts: init without limits → Burstable', containers: [ctr('a', both('1', '1Gi'), both('1', '1Gi'))], inits: [ctr('i', { cpu: '1' })], want: 'Burstable' },
  { name: 'init container counts: Guaranteed everywhere → Guaranteed', containers: [ctr('a', both('1', '1Gi'), both('1', '1Gi'))], inits: [ctr('i', both('1', '1Gi'), both('1', '1Gi'))], want: 'Guaranteed' },
  { name: 'init resources alone → Burstable', containers: [ctr('a')], inits: [ctr('i', { memory: '10Mi' })], want: 'Burstable' },
];

describe('computeQOSClass', () => {
  it.each(cases)('$name', (t) => {
    expect(computeQOSClass(makePod({ containers: t.containers, initContainers: t.inits }))).toBe(t.want);
  });

  it('a class already in the status wins (GetPodQOS)', () => {
    const pod = { ...makePod(), status: { qosClass: 'Guaranteed' } };
    expect(getPodQOS(pod)).toBe('Guaranteed');
  });
});

describe('quantityNanos', () => {
  it.each([
    ['1', 1_000_000_000n], ['100m', 100_000_000n], ['0.1', 100_000_000n], ['1Ki', 1024n * 1_000_000_000n],
    ['1k', 1_000n * 1_000_000_000n], ['1e3', 1_000n * 1_000_000_000n], ['1E', 10n ** 27n], ['1n', 1n], ['0.5n', 1n],
    ['1.5Gi', 3n * 2n ** 29n * 1_000_000_000n], ['-1', -1_000_000_000n], ['.5', 500_000_000n],
  ] as const)('%s', (q, want) => expect(quantityNanos(q)).toBe(want));

  it('malformed → undefined', () => {
    expect(quantityNanos('abc')).toBeUndefined();
    expect(quantityNanos('')).toBeUndefined();
    expect(quantityNanos('1Xi')).toBeUndefined();
  });
});
