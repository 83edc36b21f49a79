// agent/kuberuntime/sync-pod.ts — executes PodActions in the kubelet's numbered steps.
//
// The kubelet's SyncPod: 1. compute actions (pure, compute-pod-actions.ts) 2. kill the pod if the sandbox
// changed 3. kill containers that must go 4. create the sandbox 5. start the next init container / sidecars
// 6. start regular containers in spec order (each created while the ones before it start: only the starts
// are in order). Returns what it did and when to come back (back-off ends), never the first throw: one
// failing container does not hide the others.
import { errorLine } from '../../cri/errors.js';
import type { Container, Pod } from '../api/v1.js';
import { computePodActions, isNoop, type PodActions, type ProbeVerdicts } from './compute-pod-actions.js';
import { podTarget, type RuntimeContext } from './context.js';
import { killContainer, killPod, killSidecarsInOrder, sidecarsInStopOrder } from './kill.js';
import { generatePodSandboxConfig } from './sandbox-config.js';
import { prepareContainer, runContainer, startContainer, type Prepared, type StartResult, type StartTarget } from './start-container.js';
import type { RuntimePodStatus } from './types.js';

export interface SyncPodResult {
  readonly actions: PodActions;
  /** The runtime changed: the caller should relist before the next decision. */
  readonly changed: boolean;
  /** Earliest ms epoch at which a skipped start (back-off) can be retried. */
  readonly retryAt?: number;
  readonly errors: string[];
  /** Containers this sync created (and maybe started): the relist after it inspects them at once. */
  readonly containerIds?: readonly string[];
}

export interface ProbeInfo extends ProbeVerdicts {
  /** Probe-level terminationGracePeriodSeconds of the failed probe, if set. */
  probeGrace(containerName: string, probe: 'Liveness' | 'Startup'): number | undefined;
}

const KILL_MESSAGES = {
  liveness: (n: string, restart: boolean) => `Container ${n} failed liveness probe${restart ? ', will be restarted' : ''}`,
  startup: (n: string, restart: boolean) => `Container ${n} failed startup probe${restart ? ', will be restarted' : ''}`,
  definition: (n: string) => `Container ${n} definition changed, will be restarted`,
  'job-done': (n: string) => `Stopping container ${n}`,
  'init-failed': (n: string) => `Stopping container ${n}`,
} as const;

export async function syncPod(ctx: RuntimeContext, pod: Pod, status: RuntimePodStatus, probes: ProbeInfo, signal?: AbortSignal): Promise<SyncPodResult> {
  // Step 1: compute sandbox and container changes.
  const actions = computePodActions(pod, status, probes);
  if (isNoop(actions)) return { actions, changed: false, errors: [] };
  const errors: string[] = [];
  let retryAt: number | undefined;
  const containerIds: string[] = [];
  const later = (r: StartResult) => {
    if (r.containerId) containerIds.push(r.containerId);
    if (r.retryAt !== undefined) retryAt = retryAt === undefined ? r.retryAt : Math.min(retryAt, r.retryAt);
  };
  const restart = pod.spec?.restartPolicy !== 'Never';
  let podIP = status.sandboxes[0]?.ip ?? '';

  // Step 2: kill the pod if the sandbox changed (or the pod failed for good).
  if (actions.killPod) {
    if (actions.createSandbox && status.sandboxes.length > 0) {
      ctx.events.event(podTarget(pod), { type: 'Normal', reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.' });
    }
    try { await killPod(ctx, pod, status, undefined, podIP); } catch (err) { errors.push(`KillPod: ${errorLine(err)}`); }
    if (!actions.createSandbox) return { actions, changed: true, errors };
  }

  // Step 3: kill containers that must not run (liveness/startup failure, changed spec, finished jobs).
  // Sidecars of a pod whose regular containers are done stop in reverse spec order, one after the other.
  const jobDone = actions.containersToKill.filter((k) => k.reason === 'job-done');
  const others = actions.containersToKill.filter((k) => k.reason !== 'job-done');
  const doneOrder = sidecarsInStopOrder(pod, status.containers.filter((c) => jobDone.some((k) => k.id === c.id)));
  const noted = (name: string, kill: Promise<unknown>) => kill.catch((err) => { errors.push(`KillContainer ${name}: ${errorLine(err)}`); });
  await Promise.all([
    ...others.map((k) => {
      const probe = k.reason === 'liveness' ? 'Liveness' : k.reason === 'startup' ? 'Startup' : undefined;
      const message = KILL_MESSAGES[k.reason](k.name, restart || k.type === 'init');
      return noted(k.name, killContainer(ctx, pod, k, { message, probeGrace: probe ? probes.probeGrace(k.name, probe) : undefined, podIP }));
    }),
    ...killSidecarsInOrder(ctx, pod, doneOrder, { podIP }, Promise.resolve()).map((kill, i) => noted(doneOrder[i]!.name, kill)),
  ]);

  // Step 4: create the sandbox if needed (not for a pod being deleted meanwhile).
  if (signal?.aborted) return { actions, changed: actions.killPod || actions.containersToKill.length > 0, errors };
  let sandboxId = actions.sandboxId;
  const sandboxConfig = generatePodSandboxConfig(pod, actions.attempt, ctx.hostResolv);
  if (actions.createSandbox) {
    const started = ctx.clock.now();
    try {
      sandboxId = await ctx.runtime.runPodSandbox(sandboxConfig);
      const st = await ctx.runtime.podSandboxStatus(sandboxId);
      podIP = st.network.ip;
      ctx.lifecycle.record({ time: ctx.clock.now(), podUID: pod.metadata!.uid!, kind: 'sandbox', sandboxId, attempt: actions.attempt, ip: podIP, startedAt: started });
    } catch (err) {
      const msg = errorLine(err);
      ctx.events.event(podTarget(pod), { type: 'Warning', reason: 'FailedCreatePodSandBox', message: `Failed to create pod sandbox: ${msg}` });
      return { actions, changed: true, retryAt: ctx.clock.now() + 10_000, errors: [...errors, `CreatePodSandbox: ${msg}`] };
    }
  }

  // Step 5: init containers: the next one in order, and sidecars that must restart.
  const inits = pod.spec?.initContainers ?? [];
  const startIndexes = [...actions.sidecarsToRestart];
  if (actions.initToStart !== undefined) startIndexes.push(actions.initToStart);
  for (const i of startIndexes) {
    if (signal?.aborted) break;
    const r = await startContainer(ctx, pod, inits[i]!, 'init', status, sandboxId, sandboxConfig, podIP, signal);
    later(r);
    if (!r.ok && i === actions.initToStart) return { actions, changed: true, retryAt, errors, containerIds };
  }

  // Step 6: regular containers, started in spec order; a blocking postStart delays the next start.
  const target: StartTarget = { pod, status, sandboxId, sandboxConfig, podIP, signal };
  for (const r of await startInOrder(ctx, target, actions.containersToStart.map((i) => pod.spec!.containers[i]!))) later(r);
  return { actions, changed: true, retryAt, errors, containerIds };
}

/**
 * Starts the containers in spec order while the next ones are being created: creates (back-off, image, create)
 * run one after the other, ahead of the starts; each start waits for its create and for the start (and
 * postStart) before it. Nothing is created or started once the pod's signal has fired.
 */
async function startInOrder(ctx: RuntimeContext, t: StartTarget, containers: readonly Container[]): Promise<StartResult[]> {
  let creating: Promise<unknown> = Promise.resolve();
  const prepared = containers.map((c) => {
    const p = creating.then((): Promise<Prepared> | Prepared => (t.signal?.aborted ? { ok: false } : prepareContainer(ctx, t, c, 'container')));
    creating = p;
    return p;
  });
  const results: StartResult[] = [];
  for (const [i, c] of containers.entries()) {
    const p = await prepared[i]!;
    results.push(p.created && !t.signal?.aborted ? await runContainer(ctx, t, c, 'container', p.created) : p);
  }
  return results;
}
