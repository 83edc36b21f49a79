// agent/kuberuntime/kill.ts — stopping containers and pods the way the kubelet's killContainer/killPod do.
//
// Per container: grace = deletion grace ?? probe-level grace (liveness/startup kills) ?? the pod's ?? 2;
// Killing event; preStop (if any, and grace > 0) consumes the grace; then the stop signal with what is left,
// never below 2 s, before SIGKILL. The grace is a deadline: a shorter grace period arriving meanwhile (a
// second delete, --force) cuts the preStop wait or re-sends the stop with the shorter timeout; a longer one
// never extends it. Per pod: regular containers in parallel, then sidecars in reverse spec order (their
// preStop starts at once), then the sandboxes. Works from labels alone for orphans.
import type { Container, LifecycleHandler, Pod } from '../api/v1.js';
import { errorLine, isNotFound } from '../../cri/errors.js';
import { containerFieldPath } from '../events/recorder.js';
import { podTarget, type RuntimeContext } from './context.js';
import { GracePeriod, KillDeadline } from './grace.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from './types.js';

export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export interface KillTarget {
  readonly id: string;
  readonly name: string;
  readonly type: 'init' | 'container';
  /** Grace recorded on the container (orphans: no pod spec). */
  readonly terminationGracePeriod?: number;
  /** JSON of lifecycle.preStop recorded on the container (orphans). */
  readonly preStopHandler?: string;
}

export interface KillOptions {
  /** Killing event message; default `Stopping container <name>`. */
  readonly message?: string;
  /** Pod-level grace (deletion, force) that replaces the computed one and may shrink during the kill. */
  readonly grace?: GracePeriod;
  /** Probe-level terminationGracePeriodSeconds for liveness/startup kills. */
  readonly probeGrace?: number;
  readonly podIP?: string;
  /** Waits for this before sending the stop signal (sidecar ordering); the preStop runs before. */
  readonly waitForTurn?: Promise<unknown>;
}

function specOf(pod: Pod | undefined, name: string, type: 'init' | 'container'): Container | undefined {
  const list = type === 'init' ? pod?.spec?.initContainers : pod?.spec?.containers;
  return list?.find((c) => c.name === name);
}

export async function killContainer(ctx: RuntimeContext, pod: Pod | undefined, t: KillTarget, o: KillOptions = {}): Promise<void> {
  const uid = pod?.metadata?.uid ?? '';
  const spec = specOf(pod, t.name, t.type);
  const grace = o.grace?.seconds
    ?? pod?.metadata?.deletionGracePeriodSeconds
    ?? o.probeGrace
    ?? pod?.spec?.terminationGracePeriodSeconds
    ?? t.terminationGracePeriod
    ?? MINIMUM_GRACE_PERIOD_SECONDS;
  const message = o.message ?? `Stopping container ${t.name}`;
  const record = (kind: string, data: Record<string, unknown>) => uid && ctx.lifecycle.record({ time: ctx.clock.now(), podUID: uid, container: t.name, kind, ...data });
  if (pod) ctx.events.event(podTarget(pod), { type: 'Normal', reason: 'Killing', message, fieldPath: containerFieldPath(t.type, t.name) });
  record('kill', { containerId: t.id, message, gracePeriodSeconds: grace });
  const deadline = new KillDeadline(ctx.clock, grace, o.grace);
  try {
    const preStop: LifecycleHandler | undefined = spec?.lifecycle?.preStop ?? (t.preStopHandler ? safeJSON(t.preStopHandler) : undefined);
    // An orphan (no spec: the agent restarted and no source wants the pod) runs the preStop recorded on the
    // container, on a container rebuilt from its labels, as the kubelet's restoreSpecsFromContainerLabels does.
    const hookContainer: Container | undefined = spec ?? (preStop ? { name: t.name, lifecycle: { preStop } } : undefined);
    if (preStop && grace > 0 && pod && hookContainer) await runPreStop(ctx, pod, t, preStop, hookContainer, deadline, o.podIP ?? '');
    // The turn is waited for at most until the deadline (the kubelet's waitForTurn is bounded by the grace
    // left): a sidecar whose later siblings overrun gets its signal when its own grace ends, not 2 s later
    // per sibling, and a shorter grace (force delete) releases it at once.
    if (o.waitForTurn) await Promise.race([o.waitForTurn, deadline.reached()]);
    await stopWithDeadline(ctx, pod, t, spec, deadline, record);
  } finally {
    deadline.dispose();
  }
}

/** The kubelet waits for the hook at most until the deadline; an overrun hook keeps running meanwhile. */
async function runPreStop(ctx: RuntimeContext, pod: Pod, t: KillTarget, preStop: LifecycleHandler, container: Container, deadline: KillDeadline, podIP: string): Promise<void> {
  const abort = new AbortController();
  const hook = ctx.hooks.run('preStop', preStop, { pod, container, containerId: t.id, podIP, signal: abort.signal })
    .then(() => undefined, (err: unknown) => {
      ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed', fieldPath: containerFieldPath(t.type, t.name) });
      ctx.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, containerName: t.name, err: errorLine(err) }, 'PreStop hook failed');
    });
  await Promise.race([hook, deadline.reached().then(() => abort.abort())]);
}

/**
 * The stop signal with what is left of the deadline (at least 2 s), then SIGKILL from the runtime. When the
 * deadline moves earlier meanwhile, the stop is sent again with the shorter timeout (the runtime kills at the
 * earliest of the timeouts it was given).
 */
async function stopWithDeadline(
  ctx: RuntimeContext, pod: Pod | undefined, t: KillTarget, spec: Container | undefined, deadline: KillDeadline,
  record: (kind: string, data: Record<string, unknown>) => unknown,
): Promise<void> {
  const signal = (spec?.lifecycle as { stopSignal?: string } | undefined)?.stopSignal;
  const sentAt = ctx.clock.now();
  let killAt = Infinity;
  const stops: Promise<void>[] = [];
  const send = () => {
    const timeout = deadline.secondsLeft(MINIMUM_GRACE_PERIOD_SECONDS);
    const at = ctx.clock.now() + timeout * 1000;
    if (at >= killAt) return;
    killAt = at;
    record('signal', { containerId: t.id, signal: signal ?? 'SIGTERM', gracePeriodSeconds: timeout });
    stops.push(ctx.runtime.stopContainer(t.id, timeout, signal).catch((err) => {
      if (isNotFound(err)) return;
      if (pod) ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedKillPod', message: `error killing pod: ${errorLine(err)}` });
      throw err;
    }));
  };
  const off = deadline.onMove(send);
  try {
    send();
    // Every stop call returns once the container has exited; a later, shorter one may join while waiting.
    for (let n = 0; n !== stops.length;) {
      n = stops.length;
      await Promise.all(stops);
    }
  } finally {
    off();
  }
  const now = ctx.clock.now();
  if (now >= killAt) record('signal', { containerId: t.id, signal: 'SIGKILL', afterMs: now - sentAt });
}

function safeJSON(s: string): LifecycleHandler | undefined {
  try { return JSON.parse(s) as LifecycleHandler; } catch { return undefined; }
}

/** The pod's sidecars (restartable init containers) among `running`, last defined first. */
export function sidecarsInStopOrder(pod: Pod | undefined, running: readonly RuntimeContainerStatus[]): RuntimeContainerStatus[] {
  const names = (pod?.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name);
  return running.filter((c) => c.type === 'init' && names.includes(c.name))
    .sort((a, b) => names.indexOf(b.name) - names.indexOf(a.name));
}

/**
 * Stops sidecars in reverse spec order after `turn` settles: each gets its stop signal only once the ones
 * defined after it have exited; every preStop starts at once (the kubelet since 1.29).
 */
export function killSidecarsInOrder(ctx: RuntimeContext, pod: Pod, sidecars: readonly KillTarget[], o: KillOptions, turn: Promise<unknown>): Promise<unknown>[] {
  const kills: Promise<unknown>[] = [];
  for (const s of sidecars) {
    const p = killContainer(ctx, pod, s, { ...o, waitForTurn: turn });
    kills.push(p);
    turn = Promise.allSettled([turn, p]);
  }
  return kills;
}

/**
 * Kills every running container of the pod and stops its sandboxes. Regular containers stop in parallel;
 * sidecars (restartable init containers) get their signal after all regular containers and the sidecars
 * after them have exited (reverse spec order), their preStop running at once.
 */
export async function killPod(ctx: RuntimeContext, specPod: Pod | undefined, status: RuntimePodStatus, grace?: GracePeriod, podIP = status.sandboxes[0]?.ip ?? ''): Promise<void> {
  // An orphan is killed as a pod rebuilt from its labels (name, namespace, UID): events and preStop need one.
  const pod: Pod = specPod ?? { metadata: { name: status.name, namespace: status.namespace, uid: status.uid } };
  const running = status.containers.filter((c) => c.state === 'CONTAINER_RUNNING');
  const sidecars = sidecarsInStopOrder(pod, running);
  const regular = running.filter((c) => !sidecars.includes(c));
  const opts = { grace, podIP };
  const regularDone = Promise.allSettled(regular.map((c) => killContainer(ctx, pod, c, opts)));
  const results = await Promise.allSettled([regularDone, ...killSidecarsInOrder(ctx, pod, sidecars, opts, regularDone)]);
  for (const sb of status.sandboxes) {
    if (sb.state === 'SANDBOX_READY') await ctx.runtime.stopPodSandbox(sb.id).catch((err) => { if (!isNotFound(err)) throw err; });
  }
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
}
