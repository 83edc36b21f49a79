// agent/kuberuntime/kill.ts — stopping containers and pods the way the kubelet's killContainer/killPod do.
//
// Per container: grace = deletion grace ?? probe-level grace (liveness/startup kills) ?? the pod's ?? 2;
// Killing event; preStop (if any, and grace > 0) consumes the grace in whole seconds; then the stop signal
// with max(grace, 2) s before SIGKILL. Per pod: regular containers in parallel, then sidecars in reverse
// spec order (their preStop starts at once), then the sandboxes. Works from labels alone for orphans.
import type { Container, LifecycleHandler, Pod } from '../api/v1.js';
import { errorLine, isNotFound } from '../../cri/errors.js';
import { containerFieldPath } from '../events/recorder.js';
import { podTarget, type RuntimeContext } from './context.js';
import type { RuntimePodStatus } from './types.js';

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
  /** Pod-level effective grace (deletion, force) that replaces the computed one. */
  readonly gracePeriodOverride?: number;
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
  let grace = o.gracePeriodOverride
    ?? pod?.metadata?.deletionGracePeriodSeconds
    ?? o.probeGrace
    ?? pod?.spec?.terminationGracePeriodSeconds
    ?? t.terminationGracePeriod
    ?? MINIMUM_GRACE_PERIOD_SECONDS;
  const message = o.message ?? `Stopping container ${t.name}`;
  const record = (kind: string, data: Record<string, unknown>) => uid && ctx.lifecycle.record({ time: ctx.now(), podUID: uid, container: t.name, kind, ...data });
  if (pod) ctx.events.event(podTarget(pod), { type: 'Normal', reason: 'Killing', message, fieldPath: containerFieldPath(t.type, t.name) });
  record('kill', { containerId: t.id, message, gracePeriodSeconds: grace });

  const preStop: LifecycleHandler | undefined = spec?.lifecycle?.preStop ?? (t.preStopHandler ? safeJSON(t.preStopHandler) : undefined);
  // An orphan (no spec: the agent restarted and no source wants the pod) runs the preStop recorded on the
  // container, on a container rebuilt from its labels, as the kubelet's restoreSpecsFromContainerLabels does.
  const hookContainer: Container | undefined = spec ?? (preStop ? { name: t.name, lifecycle: { preStop } } : undefined);
  if (preStop && grace > 0 && pod && hookContainer) {
    const started = ctx.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), grace * 1000);
    const hook = ctx.hooks.run('preStop', preStop, { pod, container: hookContainer, containerId: t.id, podIP: o.podIP ?? '', signal: abort.signal })
      .then(() => undefined, (err: unknown) => {
        ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed', fieldPath: containerFieldPath(t.type, t.name) });
        ctx.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, containerName: t.name, err: errorLine(err) }, 'PreStop hook failed');
      });
    // The kubelet waits for the hook at most the grace period; an overrun hook keeps running meanwhile.
    await Promise.race([hook, new Promise<void>((r) => abort.signal.addEventListener('abort', () => r(), { once: true }))]);
    clearTimeout(timer);
    grace -= Math.floor((ctx.now() - started) / 1000);
  }
  if (o.waitForTurn) {
    const started = ctx.now();
    await o.waitForTurn;
    grace -= Math.floor((ctx.now() - started) / 1000);
  }
  grace = Math.max(grace, MINIMUM_GRACE_PERIOD_SECONDS);
  const signal = (spec?.lifecycle as { stopSignal?: string } | undefined)?.stopSignal;
  const sentAt = ctx.now();
  record('signal', { containerId: t.id, signal: signal ?? 'SIGTERM', gracePeriodSeconds: grace });
  try {
    await ctx.runtime.stopContainer(t.id, grace, signal);
  } catch (err) {
    if (!isNotFound(err)) {
      if (pod) ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedKillPod', message: `error killing pod: ${errorLine(err)}` });
      throw err;
    }
  }
  const took = ctx.now() - sentAt;
  if (took >= grace * 1000) record('signal', { containerId: t.id, signal: 'SIGKILL', afterMs: took });
}

function safeJSON(s: string): LifecycleHandler | undefined {
  try { return JSON.parse(s) as LifecycleHandler; } catch { return undefined; }
}

/**
 * Kills every running container of the pod and stops its sandboxes. Regular containers stop in parallel;
 * sidecars (restartable init containers) get their signal after all regular containers and the sidecars
 * after them have exited (reverse spec order), their preStop running at once.
 */
export async function killPod(ctx: RuntimeContext, specPod: Pod | undefined, status: RuntimePodStatus, gracePeriodOverride?: number, podIP = status.sandboxes[0]?.ip ?? ''): Promise<void> {
  // An orphan is killed as a pod rebuilt from its labels (name, namespace, UID): events and preStop need one.
  const pod: Pod = specPod ?? { metadata: { name: status.name, namespace: status.namespace, uid: status.uid } };
  const running = status.containers.filter((c) => c.state === 'CONTAINER_RUNNING');
  const sidecarNames = (pod?.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name);
  const regular = running.filter((c) => !(c.type === 'init' && sidecarNames.includes(c.name)));
  const sidecars = running.filter((c) => c.type === 'init' && sidecarNames.includes(c.name))
    .sort((a, b) => sidecarNames.indexOf(b.name) - sidecarNames.indexOf(a.name));
  const opts = { gracePeriodOverride, podIP };
  const regularDone = Promise.allSettled(regular.map((c) => killContainer(ctx, pod, c, opts)));
  let turn: Promise<unknown> = regularDone;
  const sidecarKills: Promise<unknown>[] = [];
  for (const s of sidecars) {
    const p = killContainer(ctx, pod, s, { ...opts, waitForTurn: turn });
    sidecarKills.push(p);
    turn = Promise.allSettled([turn, p]);
  }
  const results = await Promise.allSettled([regularDone, ...sidecarKills]);
  for (const sb of status.sandboxes) {
    if (sb.state === 'SANDBOX_READY') await ctx.runtime.stopPodSandbox(sb.id).catch((err) => { if (!isNotFound(err)) throw err; });
  }
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
}
