// cri/docker/containers.ts — application containers: create/start/stop/remove/list/status.
//
// Owns: CRI ContainerConfig → Docker create options (namespaces joined from the pause container, command
// and args by Kubernetes rules, binds with propagation, memory-backed volumes (pod-volumes.ts), the pod's
// /etc/hosts and resolv.conf, resources, security incl. seccomp/AppArmor opts), the stop protocol (stop
// signal, wait, SIGKILL) and the idempotent answers of Docker. Called by docker-runtime.ts. Never decides
// grace periods or restarts (the agent does) and never touches containers without our labels.
import { readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, LinuxContainerSecurityContext, Mount, PodSandboxConfig } from '../api.js';
import { CriError } from '../errors.js';
import type { DockerContext } from './context.js';
import { docker, statusCodeOf, toCriError } from './map-errors.js';
import { containerDockerLabels, containerName, dockerTypeOf, LABEL_SANDBOX_ID, labelFilters, TYPE_CONTAINER } from './metadata-labels.js';
import { containerOf, containerStatusOf, listState } from './map-status.js';
import { podEtcHosts, podResolvConf } from './sandbox.js';
import { signalContainer, waitStopped } from './kill.js';
import { markStoppedByUs, mayBeUnflaggedOom, oomEventSeen } from './oom.js';
import { tmpfsVolumeMount } from './pod-volumes.js';
import { effectiveOomScoreAdj } from './oom-score.js';

const short = (id: string) => id.slice(0, 12);

/** Entrypoint/Cmd by Kubernetes rules: command → Entrypoint (+ args as Cmd); args only → image Entrypoint + args. */
export function entrypointAndCmd(config: Pick<ContainerConfig, 'command' | 'args'>): { Entrypoint?: string[]; Cmd?: string[] } {
  const command = config.command?.length ? [...config.command] : undefined;
  const args = config.args?.length ? [...config.args] : undefined;
  if (command) return { Entrypoint: command, Cmd: args ?? [] };
  if (args) return { Cmd: args };
  return {};
}

function userOf(sc: NonNullable<ContainerConfig['linux']>['securityContext']): string | undefined {
  if (!sc) return undefined;
  const group = sc.runAsGroup !== undefined ? `:${sc.runAsGroup}` : '';
  if (sc.runAsUser !== undefined) return `${sc.runAsUser}${group}`;
  if (sc.runAsUsername) return `${sc.runAsUsername}${group}`;
  return undefined;
}

/** Host files bind-mounted over the image's: the pod's /etc/hosts and /etc/resolv.conf. */
interface PodFiles { readonly hosts?: string; readonly resolv?: string }

const PROPAGATION: Record<string, string> = { PROPAGATION_HOST_TO_CONTAINER: 'rslave', PROPAGATION_BIDIRECTIONAL: 'rshared' };

/** `host:container[:ro][,rslave|rshared]` for Docker's Binds. */
export function bindOf(m: Mount): string {
  const opts = [...(m.readonly ? ['ro'] : []), ...(m.propagation && PROPAGATION[m.propagation] ? [PROPAGATION[m.propagation]!] : [])];
  return `${m.hostPath}:${m.containerPath}${opts.length ? `:${opts.join(',')}` : ''}`;
}

/** Docker SecurityOpt entries: no-new-privileges, seccomp (profile JSON for Localhost) and AppArmor. */
export function securityOptsOf(sc: LinuxContainerSecurityContext): string[] {
  const out: string[] = [];
  if (sc.noNewPrivs) out.push('no-new-privileges');
  if (sc.seccomp?.profileType === 'Unconfined') out.push('seccomp=unconfined');
  else if (sc.seccomp?.profileType === 'Localhost') {
    const ref = sc.seccomp.localhostRef ?? '';
    let json: string;
    try { json = readFileSync(ref, 'utf8'); } catch (err) {
      throw new CriError('CreateContainerError', `cannot load seccomp profile "${ref}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    out.push(`seccomp=${json}`);
  }
  if (sc.apparmor?.profileType === 'Unconfined') out.push('apparmor=unconfined');
  else if (sc.apparmor?.profileType === 'Localhost' && sc.apparmor.localhostRef) out.push(`apparmor=${sc.apparmor.localhostRef.replace(/^localhost\//, '')}`);
  return out;
}

function hostConfigOf(
  sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig, files: PodFiles, volumeMounts: readonly Record<string, unknown>[], oomScoreAdj: number | undefined,
): Dockerode.HostConfig {
  const ns = sandbox.namespaceOptions;
  const joined = `container:${sandboxId}`;
  const binds = (config.mounts ?? []).filter((m) => !m.tmpfs).map(bindOf);
  if (files.hosts) binds.push(`${files.hosts}:/etc/hosts`);
  if (files.resolv) binds.push(`${files.resolv}:/etc/resolv.conf`);
  const r = config.linux?.resources ?? {};
  const sc = config.linux?.securityContext ?? {};
  const hc: Dockerode.HostConfig = {
    NetworkMode: ns.network === 'NODE' ? 'host' : joined,
    IpcMode: ns.ipc === 'NODE' ? 'host' : joined,
    ...(ns.pid === 'NODE' ? { PidMode: 'host' } : ns.pid === 'POD' ? { PidMode: joined } : {}),
    Binds: binds,
    Mounts: [...volumeMounts] as unknown as Dockerode.MountSettings[],
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } },
    RestartPolicy: { Name: 'no' },
  };
  if (r.memoryLimitInBytes) { hc.Memory = r.memoryLimitInBytes; hc.MemorySwap = r.memoryLimitInBytes; }
  if (r.cpuQuota) hc.CpuQuota = r.cpuQuota;
  if (r.cpuPeriod) hc.CpuPeriod = r.cpuPeriod;
  if (r.cpuShares) hc.CpuShares = r.cpuShares;
  if (oomScoreAdj !== undefined) hc.OomScoreAdj = oomScoreAdj;
  if (sc.supplementalGroups?.length) hc.GroupAdd = sc.supplementalGroups.map(String);
  if (sc.privileged) hc.Privileged = true;
  if (sc.capabilities?.addCapabilities?.length) hc.CapAdd = [...sc.capabilities.addCapabilities];
  if (sc.capabilities?.dropCapabilities?.length) hc.CapDrop = [...sc.capabilities.dropCapabilities];
  if (sc.readonlyRootfs) hc.ReadonlyRootfs = true;
  const securityOpt = securityOptsOf(sc);
  if (securityOpt.length) hc.SecurityOpt = securityOpt;
  return hc;
}

export async function createContainer(
  ctx: DockerContext, sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig, signal?: AbortSignal,
): Promise<string> {
  const name = containerName(config.metadata, sandbox.metadata);
  const op = { op: `create container ${name}`, fallback: 'CreateContainerError' as const, conflict: 'AlreadyExists' as const, notFound: 'CreateContainerError' as const };
  const mounted = (path: string) => (config.mounts ?? []).some((m) => m.containerPath === path);
  const files: PodFiles = {
    hosts: mounted('/etc/hosts') ? undefined : await podEtcHosts(ctx, sandboxId, sandbox, signal),
    resolv: mounted('/etc/resolv.conf') ? undefined : podResolvConf(ctx, sandbox),
  };
  const volumeMounts: Record<string, unknown>[] = [];
  for (const m of config.mounts ?? []) if (m.tmpfs) volumeMounts.push(await tmpfsVolumeMount(ctx, sandbox, m, signal));
  const user = userOf(config.linux?.securityContext);
  const options: Dockerode.ContainerCreateOptions = {
    name,
    Image: config.image,
    ...entrypointAndCmd(config),
    ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
    Env: (config.envs ?? []).map((e) => `${e.key}=${e.value}`),
    Labels: containerDockerLabels(sandboxId, config, sandbox, ctx.extraLabels),
    ...(user ? { User: user } : {}),
    ...(config.stopSignal ? { StopSignal: config.stopSignal } : {}),
    Tty: !!config.tty,
    OpenStdin: !!config.stdin,
    StdinOnce: !!config.stdinOnce,
    AttachStdin: !!config.stdin,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: hostConfigOf(sandboxId, config, sandbox, files, volumeMounts, await effectiveOomScoreAdj(ctx, config.linux?.resources?.oomScoreAdj)),
    abortSignal: signal,
  };
  const created = await docker(op, () => ctx.docker.createContainer(options));
  return created.id;
}

export async function startContainer(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await ctx.docker.getContainer(id).start({ abortSignal: signal });
  } catch (err) {
    if (statusCodeOf(err) === 304) return; // already started
    throw toCriError(err, { op: `start container ${short(id)}`, fallback: 'RunContainerError' });
  }
}

/**
 * StopContainer: with `signal`, kill with it, wait up to the timeout, then SIGKILL (Docker 20.10's stop has
 * no signal parameter); without, `docker stop -t` (the container's stop signal, then SIGKILL). Resolves when
 * the container has exited; a stopped container is fine, a missing one is NotFound.
 */
export async function stopContainer(ctx: DockerContext, id: string, timeoutSec: number, signal?: string, abort?: AbortSignal): Promise<void> {
  const d = ctx.docker;
  const timeout = Math.max(0, Math.floor(timeoutSec));
  const op = { op: `stop container ${short(id)}`, fallback: 'KillContainerError' as const };
  const info = await docker(op, () => d.getContainer(id).inspect({ abortSignal: abort }));
  if (!info.State?.Running) return;
  markStoppedByUs(info.Id);
  if (signal && signal !== 'SIGKILL' && signal !== 'KILL') {
    if (!(await signalContainer(d, id, signal, abort))) return;
    if (await waitStopped(d, id, timeout * 1000, abort)) return;
    await signalContainer(d, id, 'SIGKILL', abort);
  } else if (signal) {
    await signalContainer(d, id, 'SIGKILL', abort);
  } else {
    try {
      await d.getContainer(id).stop({ t: timeout, abortSignal: abort });
    } catch (err) {
      const code = statusCodeOf(err);
      if (code !== 304 && code !== 404) throw toCriError(err, op);
    }
  }
  if (!(await waitStopped(d, id, 30_000, abort))) {
    throw new CriError('KillContainerError', `stop container ${short(id)}: still running 30s after SIGKILL`);
  }
}

/** Removes the container (forcibly, with its anonymous volumes). A missing container is fine. */
export async function removeContainer(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<void> {
  try {
    await ctx.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal } as Dockerode.ContainerRemoveOptions);
  } catch (err) {
    const code = statusCodeOf(err);
    if (code === 404 || code === 409) return; // gone, or removal already in progress
    throw toCriError(err, { op: `remove container ${short(id)}` });
  }
}

export async function containerStatus(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<ContainerStatus> {
  const info = await docker({ op: `inspect container ${short(id)}` }, () => ctx.docker.getContainer(id).inspect({ abortSignal: signal }));
  if (dockerTypeOf(info.Config?.Labels) !== TYPE_CONTAINER) throw new CriError('NotFound', `container ${id} not found`);
  const status = containerStatusOf(info);
  if (mayBeUnflaggedOom(info) && (await oomEventSeen(ctx.docker, info, signal))) return { ...status, oomKilled: true, reason: 'OOMKilled' };
  return status;
}

export async function listContainers(ctx: DockerContext, filter: ContainerFilter = {}, signal?: AbortSignal): Promise<Container[]> {
  const selector = { ...(filter.labelSelector ?? {}), ...(filter.podSandboxId ? { [LABEL_SANDBOX_ID]: filter.podSandboxId } : {}) };
  const filters: Record<string, string[]> = { label: labelFilters(TYPE_CONTAINER, selector) };
  if (filter.id) filters.id = [filter.id];
  const entries = await docker({ op: 'list containers' }, () => ctx.docker.listContainers({ all: true, filters, abortSignal: signal }));
  const out = await Promise.all(entries.map(async (e): Promise<Container | undefined> => {
    let state = listState(e.State);
    // `docker ps` shows a container whose start failed as "created"; its status says EXITED
    // (ContainerCannotRun), and list and status must agree.
    if (state === 'CONTAINER_CREATED') {
      try {
        state = containerStatusOf(await ctx.docker.getContainer(e.Id).inspect({ abortSignal: signal })).state;
      } catch (err) {
        if (statusCodeOf(err) === 404) return undefined;
        throw toCriError(err, { op: `inspect container ${short(e.Id)}` });
      }
    }
    return containerOf(e, state);
  }));
  return out.filter((c): c is Container => !!c && (!filter.state || c.state === filter.state));
}
