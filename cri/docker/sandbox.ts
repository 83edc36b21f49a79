// cri/docker/sandbox.ts — pod sandboxes as pause containers (dockershim's docker_sandbox.go).
//
// Owns: the sandboxes' network (Docker's default bridge, or a user-defined bridge network made on first use),
// the pause container (name, namespaces, hostname, DNS, sysctls, host ports), the pod's managed /etc/hosts and
// resolv.conf, and sandbox stop/remove/status/list (the last sandbox of a pod takes its files and
// memory-backed volumes along). Called by docker-runtime.ts (and containers.ts for the pod files). Never stops
// application containers gracefully (StopPodSandbox is the no-grace kill that follows the kubelet's graceful
// one) and never touches objects without our labels.
import { existsSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, NamespaceMode, NamespaceOptions } from '../api.js';
import { CriError } from '../errors.js';
import { nodeIP, type DockerContext } from './context.js';
import { docker, statusCodeOf, toCriError } from './map-errors.js';
import {
  dockerTypeOf, LABEL_MANAGED, LABEL_PID_MODE, LABEL_POD_UID, LABEL_SANDBOX_ID, labelFilters, sandboxDockerLabels,
  sandboxMetadataOf, sandboxName, splitLabels, TYPE_CONTAINER, TYPE_SANDBOX,
} from './metadata-labels.js';
import { dockerTime, sandboxState } from './map-status.js';
import {
  etcHostsExists, etcHostsPath, hostNetworkHostsContent, managedHostsContent, readNodeHosts, removePodFiles, resolvConfPath, writeEtcHosts,
  writeResolvConf,
} from './pod-files.js';
import { killNow } from './kill.js';
import { removePodVolumes } from './pod-volumes.js';

/** Docker's own network: always there, never created or removed by us. */
const DOCKER_DEFAULT_BRIDGE = 'bridge';

/** In-process memo: concurrent sandboxes of one agent share a single network creation. */
const ensuring = new Map<string, Promise<void>>();

/**
 * Creates the agent's bridge network unless it exists. Docker's CheckDuplicate is racy, so creations are
 * serialised per process, and when concurrent agents still made two networks of the same name, the extra
 * (unused) ones are removed so the name stays unambiguous.
 */
export function ensureNetwork(ctx: DockerContext, signal?: AbortSignal): Promise<void> {
  const key = ctx.networkName;
  let p = ensuring.get(key);
  if (!p) {
    p = doEnsureNetwork(ctx, signal).finally(() => ensuring.delete(key));
    ensuring.set(key, p);
  }
  return p;
}

async function doEnsureNetwork(ctx: DockerContext, signal?: AbortSignal): Promise<void> {
  const op = { op: `create network ${ctx.networkName}`, fallback: 'CreatePodSandboxError' as const };
  signal?.throwIfAborted();
  const same = async () => (await docker(op, () => ctx.docker.listNetworks({ filters: { name: [ctx.networkName] } })))
    .filter((n) => n.Name === ctx.networkName)
    .sort((a, b) => (a.Created ?? '').localeCompare(b.Created ?? '') || a.Id.localeCompare(b.Id));
  let nets = await same();
  if (nets.length === 0) {
    try {
      await ctx.docker.createNetwork({
        Name: ctx.networkName, Driver: 'bridge', CheckDuplicate: true,
        Labels: { [LABEL_MANAGED]: 'true', ...testRunLabel(ctx.extraLabels) },
        abortSignal: signal,
      } as Dockerode.NetworkCreateOptions);
    } catch (err) {
      if (statusCodeOf(err) !== 409) throw toCriError(err, op);
    }
    nets = await same();
  }
  for (const extra of nets.slice(1)) {
    await ctx.docker.getNetwork(extra.Id).remove().catch(() => undefined);
  }
}

/** Only the test-run label goes on the shared network (it is not one node's). */
function testRunLabel(extra: Readonly<Record<string, string>>): Record<string, string> {
  const k = 'io.mini-kubelet.test-run';
  return extra[k] !== undefined ? { [k]: extra[k]! } : {};
}

/** Removes the networks whose labels match `selector` and that no container uses; returns how many went. */
export async function removeNetworks(ctx: DockerContext, selector: Readonly<Record<string, string>>): Promise<number> {
  const label = Object.entries({ ...selector, [LABEL_MANAGED]: 'true' }).map(([k, v]) => `${k}=${v}`);
  const nets = await docker({ op: 'list networks' }, () => ctx.docker.listNetworks({ filters: { label } }));
  let removed = 0;
  for (const n of nets) {
    try {
      await ctx.docker.getNetwork(n.Id).remove();
      removed++;
    } catch { /* still in use by someone else's pod, or already gone */ }
  }
  return removed;
}

function ipOf(info: Dockerode.ContainerInspectInfo, networkName: string): { ip: string; additionalIps: string[] } {
  if (info.HostConfig?.NetworkMode === 'host') return { ip: nodeIP(), additionalIps: [] };
  const net = info.NetworkSettings?.Networks?.[networkName] ?? Object.values(info.NetworkSettings?.Networks ?? {})[0];
  const ip = info.State?.Running ? net?.IPAddress ?? '' : '';
  const v6 = info.State?.Running ? net?.GlobalIPv6Address ?? '' : '';
  return { ip, additionalIps: v6 ? [v6] : [] };
}

function namespaceOptionsOf(info: Dockerode.ContainerInspectInfo): NamespaceOptions {
  const hc = info.HostConfig ?? {};
  const pidLabel = info.Config?.Labels?.[LABEL_PID_MODE];
  const pid: NamespaceMode = hc.PidMode === 'host' ? 'NODE' : pidLabel === 'POD' ? 'POD' : 'CONTAINER';
  return { network: hc.NetworkMode === 'host' ? 'NODE' : 'POD', pid, ipc: hc.IpcMode === 'host' ? 'NODE' : 'POD' };
}

/** Writes the pod's hosts file for a started sandbox; returns its path, or undefined when it has no IP yet. */
function writeHostsFor(ctx: DockerContext, info: Dockerode.ContainerInspectInfo, config: PodSandboxConfig): string | undefined {
  const uid = config.metadata.uid;
  if (config.namespaceOptions.network === 'NODE') {
    return writeEtcHosts(ctx.rootDir, uid, hostNetworkHostsContent(readNodeHosts(), config.hostAliases));
  }
  const { ip, additionalIps } = ipOf(info, ctx.networkName);
  if (!ip) return undefined;
  return writeEtcHosts(ctx.rootDir, uid, managedHostsContent([ip, ...additionalIps], config.hostname, config.domain, config.hostAliases));
}

/**
 * The pod's hosts file for a new container: the one written at RunPodSandbox, or (if it went missing, e.g.
 * a new root dir after a restart) rewritten from the sandbox. Undefined when the sandbox has no IP.
 */
export async function podEtcHosts(ctx: DockerContext, sandboxId: string, config: PodSandboxConfig, signal?: AbortSignal): Promise<string | undefined> {
  if (etcHostsExists(ctx.rootDir, config.metadata.uid)) return etcHostsPath(ctx.rootDir, config.metadata.uid);
  const info = await docker({ op: `inspect pod sandbox ${sandboxId.slice(0, 12)}`, fallback: 'CreateContainerError' },
    () => ctx.docker.getContainer(sandboxId).inspect({ abortSignal: signal }));
  return writeHostsFor(ctx, info, config);
}

/** The pod's resolv.conf for a new container when the pod has a dnsConfig (rewritten if it went missing). */
export function podResolvConf(ctx: DockerContext, config: PodSandboxConfig): string | undefined {
  if (!config.dnsConfig) return undefined;
  const path = resolvConfPath(ctx.rootDir, config.metadata.uid);
  return existsSync(path) ? path : writeResolvConf(ctx.rootDir, config.metadata.uid, config.dnsConfig);
}

/** hostPort mappings → Docker's ExposedPorts and PortBindings on the pause container. */
export function portBindingsOf(config: PodSandboxConfig): { ExposedPorts?: Record<string, object>; PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> } {
  const maps = (config.portMappings ?? []).filter((p) => p.hostPort > 0);
  if (!maps.length) return {};
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of maps) {
    const key = `${p.containerPort}/${p.protocol.toLowerCase()}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: String(p.hostPort) });
  }
  return { ExposedPorts: exposed, PortBindings: bindings };
}

export async function runPodSandbox(ctx: DockerContext, config: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
  const name = sandboxName(config.metadata);
  const ns = config.namespaceOptions;
  const hostNet = ns.network === 'NODE';
  if (!hostNet && ctx.networkName !== DOCKER_DEFAULT_BRIDGE) await ensureNetwork(ctx, signal);
  const dns = config.dnsConfig;
  const ports = hostNet ? {} : portBindingsOf(config);
  const options: Dockerode.ContainerCreateOptions = {
    name,
    Image: ctx.pauseImage(),
    Labels: sandboxDockerLabels(config, ctx.extraLabels),
    ...(hostNet ? {} : { Hostname: config.hostname }),
    ...(ports.ExposedPorts ? { ExposedPorts: ports.ExposedPorts } : {}),
    HostConfig: {
      ...(ports.PortBindings ? { PortBindings: ports.PortBindings } : {}),
      NetworkMode: hostNet ? 'host' : ctx.networkName,
      IpcMode: ns.ipc === 'NODE' ? 'host' : 'shareable',
      ...(ns.pid === 'NODE' ? { PidMode: 'host' } : {}),
      ...(dns ? { Dns: [...dns.servers], DnsSearch: [...dns.searches], DnsOptions: [...dns.options] } : {}),
      ...(config.sysctls && Object.keys(config.sysctls).length ? { Sysctls: { ...config.sysctls } } : {}),
      LogConfig: { Type: 'json-file', Config: {} },
    },
    abortSignal: signal,
  };
  const created = await docker({ op: `create pod sandbox ${name}`, fallback: 'CreatePodSandboxError', conflict: 'AlreadyExists', notFound: 'CreatePodSandboxError' },
    () => ctx.docker.createContainer(options));
  try {
    await created.start({ abortSignal: signal });
    const info = await created.inspect({ abortSignal: signal });
    writeHostsFor(ctx, info, config);
    if (dns) writeResolvConf(ctx.rootDir, config.metadata.uid, dns);
  } catch (err) {
    // A sandbox that cannot start is removed at once, so the retry can reuse its name.
    await ctx.docker.getContainer(created.id).remove({ force: true }).catch(() => undefined);
    throw toCriError(err, { op: `start pod sandbox ${name}`, fallback: 'CreatePodSandboxError', notFound: 'CreatePodSandboxError' });
  }
  return created.id;
}

async function inspectSandbox(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<Dockerode.ContainerInspectInfo | undefined> {
  try {
    const info = await ctx.docker.getContainer(id).inspect({ abortSignal: signal });
    return dockerTypeOf(info.Config?.Labels) === TYPE_SANDBOX ? info : undefined;
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw toCriError(err, { op: `inspect pod sandbox ${id.slice(0, 12)}` });
  }
}

async function containersOfSandbox(ctx: DockerContext, sandboxId: string, signal?: AbortSignal): Promise<Dockerode.ContainerInfo[]> {
  return docker({ op: `list containers of pod sandbox ${sandboxId.slice(0, 12)}` }, () => ctx.docker.listContainers({
    all: true, filters: { label: labelFilters(TYPE_CONTAINER, { [LABEL_SANDBOX_ID]: sandboxId }) }, abortSignal: signal,
  }));
}

/** Kills (no grace) every container of the sandbox, then the pause container. Idempotent. */
export async function stopPodSandbox(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<void> {
  const info = await inspectSandbox(ctx, id, signal);
  const fullId = info?.Id ?? id;
  const op = { op: `stop pod sandbox ${fullId.slice(0, 12)}`, fallback: 'KillPodSandboxError' as const };
  try {
    const running = (await containersOfSandbox(ctx, fullId, signal)).filter((c) => c.State !== 'exited' && c.State !== 'created');
    await Promise.all(running.map((c) => killNow(ctx.docker, c.Id, signal)));
    if (info?.State?.Running) await killNow(ctx.docker, fullId, signal);
  } catch (err) {
    throw toCriError(err, op);
  }
}

/** Removes every container of the sandbox and the pause container; the hosts file goes with the pod's last sandbox. */
export async function removePodSandbox(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<void> {
  const info = await inspectSandbox(ctx, id, signal);
  const fullId = info?.Id ?? id;
  const remove = async (cid: string) => {
    try {
      await ctx.docker.getContainer(cid).remove({ force: true, v: true, abortSignal: signal } as Dockerode.ContainerRemoveOptions);
    } catch (err) {
      const code = statusCodeOf(err);
      if (code !== 404 && code !== 409) throw toCriError(err, { op: `remove container ${cid.slice(0, 12)}` });
    }
  };
  for (const c of await containersOfSandbox(ctx, fullId, signal)) await remove(c.Id);
  if (!info) return;
  await remove(fullId);
  const uid = info.Config?.Labels?.[LABEL_POD_UID];
  if (uid && (await listPodSandbox(ctx, { labelSelector: { [LABEL_POD_UID]: uid } }, signal)).length === 0) {
    removePodFiles(ctx.rootDir, uid);
    await removePodVolumes(ctx, uid);
  }
}

export async function podSandboxStatus(ctx: DockerContext, id: string, signal?: AbortSignal): Promise<PodSandboxStatus> {
  const info = await inspectSandbox(ctx, id, signal);
  if (!info) throw new CriError('NotFound', `pod sandbox ${id} not found`);
  const dockerLabels = info.Config?.Labels ?? {};
  const ns = namespaceOptionsOf(info);
  return {
    id: info.Id,
    metadata: sandboxMetadataOf(dockerLabels),
    state: sandboxState(info.State?.Running ?? false),
    createdAt: dockerTime(info.Created),
    ...splitLabels(dockerLabels),
    network: ipOf(info, ctx.networkName),
    namespaceOptions: ns,
    hostname: info.Config?.Hostname ?? '',
  };
}

export async function listPodSandbox(ctx: DockerContext, filter: PodSandboxFilter = {}, signal?: AbortSignal): Promise<PodSandbox[]> {
  const filters: Record<string, string[]> = { label: labelFilters(TYPE_SANDBOX, filter.labelSelector) };
  if (filter.id) filters.id = [filter.id];
  const entries = await docker({ op: 'list pod sandboxes' }, () => ctx.docker.listContainers({ all: true, filters, abortSignal: signal }));
  const out: PodSandbox[] = [];
  for (const e of entries) {
    const state = sandboxState(e.State === 'running');
    if (filter.state && filter.state !== state) continue;
    out.push({ id: e.Id, metadata: sandboxMetadataOf(e.Labels ?? {}), state, createdAt: dockerTime(e.Created), ...splitLabels(e.Labels) });
  }
  return out;
}
