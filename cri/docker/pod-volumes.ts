// cri/docker/pod-volumes.ts — memory-backed pod volumes (emptyDir medium: Memory) as Docker `local` volumes
// of type tmpfs.
//
// Owns: the volume's name (pod UID + a hash of the agent's host path for it, so every container of the pod
// that mounts the same emptyDir gets the same tmpfs, as the kubelet's host-side tmpfs mount gives), its mount
// options (size, mode, fsGroup gid), its labels, and removal with the pod's last sandbox. Called by
// containers.ts (create) and sandbox.ts (remove). Never touches volumes without our labels.
import { createHash } from 'node:crypto';
import type { Mount, PodSandboxConfig } from '../api.js';
import { CriError } from '../errors.js';
import type { DockerContext } from './context.js';
import { docker } from './map-errors.js';
import { LABEL_MANAGED, LABEL_POD_UID } from './metadata-labels.js';

/** `k8s_tmpfs_<uid>_<12 hex>`: stable for one pod and one emptyDir. */
export function tmpfsVolumeName(uid: string, hostPath: string): string {
  return `k8s_tmpfs_${uid}_${createHash('sha256').update(hostPath).digest('hex').slice(0, 12)}`;
}

/** The tmpfs mount options: `size=<bytes>,mode=<octal>[,gid=<n>]`. */
export function tmpfsOptions(t: NonNullable<Mount['tmpfs']>): string {
  const opts: string[] = [];
  if (t.sizeBytes) opts.push(`size=${t.sizeBytes}`);
  opts.push(`mode=${(t.mode ?? 0o777).toString(8).padStart(4, '0')}`);
  if (t.gid !== undefined) opts.push(`gid=${t.gid}`);
  return opts.join(',');
}

/** Creates the pod's tmpfs volume for this mount unless it exists; returns its name. */
export async function ensureTmpfsVolume(ctx: DockerContext, sandbox: PodSandboxConfig, m: Mount, signal?: AbortSignal): Promise<string> {
  const uid = sandbox.metadata.uid;
  const name = tmpfsVolumeName(uid, m.hostPath);
  await docker({ op: `create volume ${name}`, fallback: 'CreateContainerError' }, () => ctx.docker.createVolume({
    Name: name,
    Driver: 'local',
    DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: tmpfsOptions(m.tmpfs ?? {}) },
    Labels: { ...ctx.extraLabels, [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' },
    abortSignal: signal,
  } as Parameters<DockerContext['docker']['createVolume']>[0]));
  return name;
}

const apiVersions = new WeakMap<object, Promise<string>>();

/** Whether the engine speaks at least `want` (e.g. `1.45`), asked once per client. */
export async function apiAtLeast(ctx: DockerContext, want: string): Promise<boolean> {
  let p = apiVersions.get(ctx.docker);
  if (!p) {
    p = ctx.docker.version().then((v) => v.ApiVersion ?? '0', () => '0');
    apiVersions.set(ctx.docker, p);
  }
  const [a = 0, b = 0] = (await p).split('.').map(Number);
  const [x = 0, y = 0] = want.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/** The Docker mount of a tmpfs volume (with its subPath when the engine can). */
export async function tmpfsVolumeMount(ctx: DockerContext, sandbox: PodSandboxConfig, m: Mount, signal?: AbortSignal): Promise<Record<string, unknown>> {
  if (m.subPath && !(await apiAtLeast(ctx, '1.45'))) {
    throw new CriError('CreateContainerError', `subPath "${m.subPath}" inside a memory-backed emptyDir needs Docker API 1.45 (Docker 26) or newer`);
  }
  const name = await ensureTmpfsVolume(ctx, sandbox, m, signal);
  return {
    Type: 'volume', Source: name, Target: m.containerPath, ReadOnly: !!m.readonly,
    ...(m.subPath ? { VolumeOptions: { Subpath: m.subPath } } : {}),
  };
}

/** Removes the pod's tmpfs volumes (after its containers are gone). Volumes still in use stay. */
export async function removePodVolumes(ctx: DockerContext, uid: string): Promise<void> {
  const res = await ctx.docker.listVolumes({ filters: { label: [`${LABEL_POD_UID}=${uid}`, `${LABEL_MANAGED}=true`] } }).catch(() => undefined);
  for (const v of res?.Volumes ?? []) await ctx.docker.getVolume(v.Name).remove().catch(() => undefined);
}
