// agent/kuberuntime/start-container.ts — one container start: back-off → image → create → start → postStart.
//
// `signal` is the pod worker's context: once the pod is being deleted it cuts the pull wait, and nothing
// is created or started after it fired (a container created just before stays unstarted; termination removes it).
//
// The kubelet's startContainer with doBackOff in front, in two halves so sync-pod can create a container while
// the one before it starts: prepareContainer (back-off, image, create) and runContainer (start, postStart).
// Every failure is recorded as the container's waiting reason (ReasonCache) and an Event with the kubelet's
// reason; the functions return a result, never throw.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PodSandboxConfig } from '../../cri/api.js';
import { errorLine, isNotFound } from '../../cri/errors.js';
import type { Container, Pod } from '../api/v1.js';
import { containerFieldPath } from '../events/recorder.js';
import { formatGoDuration } from '../util/go-duration.js';
import { ContainerConfigError, generateContainerConfig } from './container-config.js';
import { formatPod, podTarget, type RuntimeContext } from './context.js';
import { resolveEnv } from './env.js';
import { hashContainer } from './labels.js';
import { killContainer } from './kill.js';
import type { ContainerType, RuntimePodStatus } from './types.js';
import { findContainers } from './types.js';
import { newTerminationMessageFile, prepareVolumes, resolveSubPath, VolumeError } from './volumes.js';
import { pullCredentials } from './pull-secrets.js';
import { needsImageUser } from './security.js';

export interface StartResult {
  readonly ok: boolean;
  /** ms epoch when a back-off ends and the worker should try again. */
  readonly retryAt?: number;
  readonly containerId?: string;
}

/** What a start needs to know about the pod (the same for every container of one sync). */
export interface StartTarget {
  readonly pod: Pod;
  readonly status: RuntimePodStatus;
  readonly sandboxId: string;
  readonly sandboxConfig: PodSandboxConfig;
  readonly podIP: string;
  readonly signal?: AbortSignal;
}

export function crashBackoffKey(pod: Pod, c: Container): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}_${pod.metadata?.uid}_${c.name}_${hashContainer(c)}`;
}

export async function startContainer(
  ctx: RuntimeContext,
  pod: Pod,
  c: Container,
  type: ContainerType,
  status: RuntimePodStatus,
  sandboxId: string,
  sandboxConfig: PodSandboxConfig,
  podIP: string,
  signal?: AbortSignal,
): Promise<StartResult> {
  const t: StartTarget = { pod, status, sandboxId, sandboxConfig, podIP, signal };
  const prepared = await prepareContainer(ctx, t, c, type);
  return prepared.created ? runContainer(ctx, t, c, type, prepared.created) : prepared;
}

/** The sinks of one container's start: its events, lifecycle entries and waiting reason. */
function sinks(ctx: RuntimeContext, pod: Pod, c: Container, type: ContainerType) {
  const uid = pod.metadata!.uid!;
  const fieldPath = containerFieldPath(type, c.name);
  const target = podTarget(pod);
  const event = (t: 'Normal' | 'Warning', reason: string, message: string) => ctx.events.event(target, { type: t, reason, message, fieldPath });
  const record = (kind: string, data: Record<string, unknown>) => ctx.lifecycle.record({ time: ctx.clock.now(), podUID: uid, container: c.name, kind, ...data });
  const fail = (reason: string, message: string, retryAt?: number): StartResult => {
    ctx.reasons.set(uid, c.name, reason, message);
    record('error', { reason, message });
    return { ok: false, retryAt };
  };
  return { uid, target, event, record, fail };
}

/** A container created and not yet started. */
export interface Created { readonly containerId: string; readonly restartCount: number }

/** What prepareContainer did: `created` when the container was created (it may be started). */
export type Prepared = StartResult & { readonly created?: Created };

/** Steps 1–3: back-off, image, create. */
export async function prepareContainer(ctx: RuntimeContext, t: StartTarget, c: Container, type: ContainerType): Promise<Prepared> {
  const { pod, status, sandboxId, sandboxConfig, podIP, signal } = t;
  const { uid, target, event, record, fail } = sinks(ctx, pod, c, type);

  // Step 1: back-off after a crash.
  const instances = findContainers(status, c.name, type);
  const newest = instances[0];
  if (newest && newest.state === 'CONTAINER_EXITED') {
    const key = crashBackoffKey(pod, c);
    if (ctx.crashBackoff.isInBackOffSince(key, newest.finishedAt)) {
      const delay = ctx.crashBackoff.get(key);
      event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
      ctx.reasons.set(uid, c.name, 'CrashLoopBackOff', `back-off ${formatGoDuration(delay)} restarting failed container=${c.name} pod=${formatPod(pod)}`);
      record('backoff', { delayMs: delay, until: newest.finishedAt + delay });
      return { ok: false, retryAt: newest.finishedAt + delay };
    }
    ctx.crashBackoff.next(key, newest.finishedAt);
  }

  // Step 2: the image (with the credentials of the pod's imagePullSecrets that match it).
  const creds = pullCredentials(pod, c.image ?? '', ctx.configStore);
  if (creds.missing.length) {
    ctx.events.event(target, { type: 'Warning', reason: 'FailedToRetrieveImagePullSecret', message: `Unable to retrieve some image pull secrets (${creds.missing.join(', ')}); attempting to pull the image may not succeed.` });
  }
  const img = await ctx.images.ensureImageExists(pod, c, { event, record }, creds.auths, signal);
  if (signal?.aborted) return { ok: false };
  if (!img.ok) {
    const retryAt = ctx.images.backoffEnd(pod, c.image ?? '') || undefined;
    return fail(img.reason!, img.message!, retryAt);
  }

  // Step 3: config (volumes, env) and create. A container created but never started (the agent stopped between
  // its create and its start: creates run ahead of starts) is no restart: it is removed and made again with the
  // same count, so what a user sees is as if that create had not happened.
  const unstarted = instances.filter((i) => i.state === 'CONTAINER_CREATED');
  const ran = instances.filter((i) => i.state !== 'CONTAINER_CREATED');
  for (const u of unstarted) {
    await ctx.runtime.removeContainer(u.id).catch((err) => { if (!isNotFound(err)) ctx.log.warn({ containerId: u.id, err: errorLine(err) }, 'RemoveContainer of a never-started container failed'); });
  }
  const restartCount = ran.length ? Math.max(...ran.map((i) => i.restartCount)) + 1 : unstarted.length ? Math.min(...unstarted.map((i) => i.restartCount)) : 0;
  let containerId: string;
  let termMsgHostPath = '';
  try {
    const volumes = prepareVolumes(ctx.rootDir, pod, ctx.configStore, { nodeName: ctx.nodeName, hostIP: ctx.hostIP });
    const env = resolveEnv(pod, c, ctx.configStore, { podIP, hostIP: ctx.hostIP, nodeName: ctx.nodeName, warn: (reason, message) => event('Warning', reason, message) });
    const imageUser = needsImageUser(pod, c) ? (await ctx.runtime.imageStatus(img.imageRef ?? c.image ?? ''))?.user ?? '' : undefined;
    termMsgHostPath = newTerminationMessageFile(ctx.rootDir, uid, c.name);
    const config = generateContainerConfig(pod, c, type, {
      restartCount, termMsgHostPath, volumes, env, imageRef: img.imageRef, imageUser, subPath: resolveSubPath, seccompRoot: join(ctx.rootDir, 'seccomp'),
    });
    if (signal?.aborted) return { ok: false };
    containerId = await ctx.runtime.createContainer(sandboxId, config, sandboxConfig, signal);
  } catch (err) {
    if (termMsgHostPath) rmSync(termMsgHostPath, { force: true });
    if (signal?.aborted) return { ok: false };
    if (err instanceof VolumeError) {
      // As the kubelet: volumes that cannot be set up keep the pod ContainerCreating, with FailedMount events.
      ctx.events.event(target, { type: 'Warning', reason: 'FailedMount', message: err.message });
      ctx.reasons.delete(uid, c.name);
      record('error', { reason: 'FailedMount', message: err.message });
      return { ok: false, retryAt: ctx.clock.now() + 2000 };
    }
    if (err instanceof ContainerConfigError) {
      event('Warning', 'Failed', `Error: ${err.message}`);
      return fail('CreateContainerConfigError', err.message, ctx.clock.now() + 2000);
    }
    const msg = errorLine(err);
    event('Warning', 'Failed', `Error: ${msg}`);
    return fail('CreateContainerError', msg, ctx.clock.now() + 2000);
  }
  event('Normal', 'Created', `Created container: ${c.name}`);
  record('create', { containerId, restartCount });
  return { ok: true, containerId, created: { containerId, restartCount } };
}

/** Steps 4–5: start the created container, then its postStart (blocking). */
export async function runContainer(ctx: RuntimeContext, t: StartTarget, c: Container, type: ContainerType, created: Created): Promise<StartResult> {
  const { pod, podIP, signal } = t;
  const { uid, event, record, fail } = sinks(ctx, pod, c, type);
  const { containerId, restartCount } = created;

  // Step 4: start, unless the pod is being deleted meanwhile.
  if (signal?.aborted) return { ok: false, containerId };
  try {
    await ctx.runtime.startContainer(containerId);
  } catch (err) {
    const msg = `failed to start container "${containerId.slice(0, 12)}": ${errorLine(err)}`;
    event('Warning', 'Failed', `Error: ${msg}`);
    return fail('RunContainerError', msg);
  }
  event('Normal', 'Started', `Started container ${c.name}`);
  record('start', { containerId, restartCount });

  // Step 5: postStart, blocking: the container is not Running for the API until it returns.
  const postStart = c.lifecycle?.postStart;
  if (postStart) {
    try {
      await ctx.hooks.run('postStart', postStart, { pod, container: c, containerId, podIP, signal: signal ?? new AbortController().signal });
    } catch (err) {
      if (signal?.aborted) return { ok: false }; // the pod is being deleted: termination takes over
      const msg = err instanceof Error ? err.message : String(err);
      event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
      ctx.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, containerName: c.name, err: msg }, 'PostStart hook failed');
      await killContainer(ctx, pod, { id: containerId, name: c.name, type }, { message: 'FailedPostStartHook', podIP });
      return fail('PostStartHookError', msg);
    }
  }
  ctx.reasons.delete(uid, c.name);
  return { ok: true, containerId };
}
