// test/unit/pleg/pleg-fixtures.ts — what the PLEG unit tests share: one pod's sandbox and container configs
// (UID uid-1) and a PLEG on a fake runtime with a quiet log.
import type { ContainerConfig, PodSandboxConfig } from '../../../cri/api.js';
import type { FakeClock } from '../../../cri/fake/fake-clock.js';
import type { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { PodCache } from '../../../agent/pleg/pod-cache.js';
import { Pleg, type PlegOptions } from '../../../agent/pleg/pleg.js';

export const sb: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 },
  hostname: 'web',
  namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
  labels: {},
  annotations: {},
};

export const app: ContainerConfig = { metadata: { name: 'app', attempt: 0 }, image: 'busybox', labels: {}, annotations: {} };

/** A PLEG over `rt` (every object, relist period 1 s, the runtime's fake clock) with its cache. */
export function plegOn(rt: FakeRuntime, o: Partial<PlegOptions> = {}): { pleg: Pleg; cache: PodCache } {
  const cache = new PodCache();
  const pleg = new Pleg({ runtime: rt, cache, selector: {}, relistPeriodMs: 1000, clock: rt.clock as FakeClock, log: { warn: () => undefined, debug: () => undefined }, ...o });
  return { pleg, cache };
}
