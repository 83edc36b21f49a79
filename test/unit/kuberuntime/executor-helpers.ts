// test/unit/kuberuntime/executor-helpers.ts — what the executor tests (kill, start-container) share on top of
// harness.ts: the agent's view of a pod read back from the fake runtime by the real PLEG, a pod brought up
// through syncPod, and short readers of events and runtime objects.
import type { Event, Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { Pleg } from '../../../agent/pleg/pleg.js';
import { PodCache } from '../../../agent/pleg/pod-cache.js';
import { syncPod, type ProbeInfo, type SyncPodResult } from '../../../agent/kuberuntime/sync-pod.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from '../../../agent/kuberuntime/types.js';
import { callLine, type Harness } from './harness.js';

/** Every probe passes (started, nothing failed, no probe-level grace). */
export const healthy: ProbeInfo = { failed: () => undefined, started: () => true, probeGrace: () => undefined };

const plegs = new WeakMap<Harness, { pleg: Pleg; cache: PodCache }>();

/** What the runtime holds for the pod now, as PLEG builds it (empty when nothing exists yet). */
export async function runtimeStatus(h: Harness, pod: Pod): Promise<RuntimePodStatus> {
  let p = plegs.get(h);
  if (!p) {
    const cache = new PodCache();
    const log = { warn() {}, debug() {} };
    p = { cache, pleg: new Pleg({ runtime: h.rt, cache, selector: {}, relistPeriodMs: 1000, clock: h.clock, log }) };
    plegs.set(h, p);
  }
  const md = pod.metadata!;
  await p.pleg.relistPod(md.uid!);
  return p.cache.getOrEmpty(md.uid!, md.name!, md.namespace ?? 'default', h.clock.now());
}

/** One syncPod step on what the runtime holds now. */
export async function sync(h: Harness, pod: Pod, signal?: AbortSignal): Promise<SyncPodResult> {
  return syncPod(h.ctx, pod, await runtimeStatus(h, pod), healthy, signal);
}

/** Defaults the pod, brings it up with syncPod steps (init containers one per step), forgets the calls so far. */
export async function runPod(h: Harness, raw: Pod): Promise<{ pod: Pod; status: RuntimePodStatus }> {
  const pod = applyPodDefaults(raw);
  for (let i = 0, r = await sync(h, pod); r.changed; r = await sync(h, pod)) {
    if (r.errors.length || ++i > 10) throw new Error(`runPod: ${r.errors.join('; ') || 'never settles'}`);
  }
  h.calls.length = 0;
  h.hooks.calls.length = 0;
  return { pod, status: await runtimeStatus(h, pod) };
}

/** The running container of that name in a status. */
export function containerOf(status: RuntimePodStatus, name: string): RuntimeContainerStatus {
  const c = status.containers.find((x) => x.name === name && x.state === 'CONTAINER_RUNNING');
  if (!c) throw new Error(`no running container ${name}`);
  return c;
}

/** The runtime id of the newest container of that name. */
export function idOf(h: Harness, name: string): string {
  const c = h.rt.snapshot().containers.filter((x) => x.metadata.name === name).sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!c) throw new Error(`no container ${name}`);
  return c.id;
}

/** Events with that reason, oldest first. */
export function eventsWith(h: Harness, reason: string): Event[] {
  return h.events.list((e) => e.reason === reason);
}

/** The recorded runtime calls as `method(arg)@ms since t0`. */
export function callsSince(h: Harness, t0: number): string[] {
  const lines = callLine(h);
  return h.calls.map((c, i) => `${lines[i]}@${c.at - t0}`);
}

/** Watches a promise: whether it settled, at which fake time, and with what. */
export function tracked<T>(h: Harness, p: Promise<T>): { done: boolean; at: number; value?: T; error?: unknown } {
  const s: { done: boolean; at: number; value?: T; error?: unknown } = { done: false, at: 0 };
  p.then((value) => Object.assign(s, { done: true, at: h.clock.now(), value }), (error: unknown) => Object.assign(s, { done: true, at: h.clock.now(), error }));
  return s;
}
