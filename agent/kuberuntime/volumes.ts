// agent/kuberuntime/volumes.ts — prepares a pod's directory on the host: volumes, subPaths and
// termination-message files.
//
// Layout under <rootDir>/pods/<uid>/ (the kubelet's): volumes/kubernetes.io~empty-dir/<name>,
// volumes/kubernetes.io~configmap|secret|downward-api|projected/<name> (written by atomic-writer.ts, so
// refreshPodVolumes can update them under running containers), containers/<name>/<8 hex>. emptyDir is
// 0777 (with fsGroup: group-owned and setgid); medium Memory is a tmpfs the runtime shares between the pod's
// containers; hostPath volumes are checked per their `type`; a persistentVolumeClaim is resolved through the
// API to its PersistentVolume's directory (pvc.ts) for pods of the API. Volume sources that need a cluster (NFS,
// CSI, a static pod's PVC, …) become an empty directory so the pod can still start (spec-support lists them as ignored).
// Called by the executor before each container start and by the pod syncer on every sync; removed with
// the pod.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Pod, Volume } from '../api/v1.js';
import type { PreparedVolume } from './container-config.js';
import { parseMemory } from '../util/quantity.js';
import { machineAllocatable, type ConfigStore, type NodeAllocatable } from './env.js';
import { mountFailed, VolumeError } from './errors.js';
import { hasPayload, writeAtomically } from './atomic-writer.js';
import { volumePayload } from './volume-payloads.js';
import { claimsResolvedFor, prepareClaimVolume } from './pvc.js';

export { VolumeError } from './errors.js';

export interface VolumeContext {
  readonly allocatable?: NodeAllocatable;
  readonly nodeName?: string;
  readonly hostIP?: string;
}

export function podDir(rootDir: string, uid: string): string {
  return join(rootDir, 'pods', uid);
}

const PLUGIN_DIRS: Record<string, string> = {
  configMap: 'kubernetes.io~configmap', secret: 'kubernetes.io~secret', downwardAPI: 'kubernetes.io~downward-api', projected: 'kubernetes.io~projected',
};

function checkHostPath(v: Volume): void {
  const hp = v.hostPath!;
  const type = hp.type ?? '';
  const st = existsSync(hp.path) ? statSync(hp.path) : undefined;
  const fail = (what: string) => { throw mountFailed(v.name, `hostPath type check failed: ${hp.path} ${what}`); };
  switch (type) {
    case '': return;
    case 'DirectoryOrCreate': if (!st) mkdirSync(hp.path, { recursive: true, mode: 0o755 }); else if (!st.isDirectory()) fail('is not a directory'); return;
    case 'Directory': if (!st?.isDirectory()) fail('is not a directory'); return;
    case 'FileOrCreate':
      if (st) { if (!st.isFile()) fail('is not a file'); return; }
      try { closeSync(openSync(hp.path, 'a', 0o644)); } catch (err) {
        // As the kubelet: the parent directory is not created.
        throw mountFailed(v.name, `open ${hp.path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      }
      return;
    case 'File': if (!st?.isFile()) fail('is not a file'); return;
    case 'Socket': if (!st?.isSocket()) fail('is not a socket file'); return;
    case 'CharDevice': if (!st?.isCharacterDevice()) fail('is not a character device'); return;
    case 'BlockDevice': if (!st?.isBlockDevice()) fail('is not a block device'); return;
    default: fail(`has an unknown type "${type}"`);
  }
}

function emptyDir(dir: string, gid: number | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o777 });
  if (gid !== undefined) {
    try { chownSync(dir, -1, gid); } catch { /* the agent is not root: keep its group */ }
  }
  chmodSync(dir, gid !== undefined ? 0o2777 : 0o777);
}

function writeApiVolume(base: string, pod: Pod, v: Volume, ctx: VolumeContext, store: ConfigStore): string | undefined {
  const kind = Object.keys(PLUGIN_DIRS).find((k) => (v as unknown as Record<string, unknown>)[k]);
  if (!kind) return undefined;
  const payload = volumePayload(pod, v, {
    store, allocatable: ctx.allocatable ?? machineAllocatable(), nodeName: ctx.nodeName ?? '', hostIP: ctx.hostIP ?? '',
  })!;
  const dir = join(base, 'volumes', PLUGIN_DIRS[kind]!, v.name);
  const gid = pod.spec?.securityContext?.fsGroup;
  emptyDir(dir, gid);
  writeAtomically(dir, payload, { gid });
  return dir;
}

/** Creates/updates every volume of the pod; returns the host paths by volume name. */
export function prepareVolumes(rootDir: string, pod: Pod, store: ConfigStore, ctx: VolumeContext = {}): Map<string, PreparedVolume> {
  const base = podDir(rootDir, pod.metadata!.uid!);
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir) {
      const dir = join(base, 'volumes', 'kubernetes.io~empty-dir', v.name);
      emptyDir(dir, fsGroup);
      if (v.emptyDir.medium === 'Memory') {
        const size = v.emptyDir.sizeLimit !== undefined ? parseMemory(String(v.emptyDir.sizeLimit)) : undefined;
        out.set(v.name, { hostPath: dir, tmpfs: { ...(size ? { sizeBytes: size } : {}), mode: fsGroup !== undefined ? 0o2777 : 0o777, ...(fsGroup !== undefined ? { gid: fsGroup } : {}) } });
      } else out.set(v.name, { hostPath: dir });
    } else if (v.hostPath) {
      checkHostPath(v);
      out.set(v.name, { hostPath: v.hostPath.path });
    } else if (v.persistentVolumeClaim && store.getVolumeClaim && claimsResolvedFor(pod)) {
      out.set(v.name, prepareClaimVolume(pod, v, store.getVolumeClaim));
    } else {
      const dir = writeApiVolume(base, pod, v, ctx, store);
      if (dir) out.set(v.name, { hostPath: dir, readOnly: true });
      else {
        // Sources that need a cluster (PVCs, network volumes, CSI, …) become an empty directory.
        const empty = join(base, 'volumes', 'kubernetes.io~empty-dir', v.name);
        emptyDir(empty, fsGroup);
        out.set(v.name, { hostPath: empty });
      }
    }
  }
  return out;
}

/**
 * Re-writes the configMap/secret/downwardAPI/projected volumes already set up for the pod, so mounted files
 * follow their sources (env does not: it changes only with a restart). Never throws: an object that went
 * missing keeps its last files, as with the kubelet; the problems are returned for the log.
 */
export function refreshPodVolumes(rootDir: string, pod: Pod, store: ConfigStore, ctx: VolumeContext = {}): string[] {
  const uid = pod.metadata?.uid;
  if (!uid) return [];
  const base = podDir(rootDir, uid);
  const problems: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    // A claim is looked up as early as each sync (its watch starts now), so it is known when containers start.
    if (v.persistentVolumeClaim && claimsResolvedFor(pod)) store.getVolumeClaim?.(pod.metadata?.namespace ?? 'default', v.persistentVolumeClaim.claimName ?? '');
    const kind = Object.keys(PLUGIN_DIRS).find((k) => (v as unknown as Record<string, unknown>)[k]);
    if (!kind || !hasPayload(join(base, 'volumes', PLUGIN_DIRS[kind]!, v.name))) continue;
    try { writeApiVolume(base, pod, v, ctx, store); } catch (err) {
      problems.push(err instanceof VolumeError ? err.message : `refreshing volume "${v.name}": ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * The host path to bind for `sub` inside a prepared volume: created as a directory when missing (with the
 * volume root's mode and group, as the kubelet does), refused when it resolves outside the volume.
 */
export function resolveSubPath(volume: PreparedVolume, sub: string): string {
  const root = realpathSync(volume.hostPath);
  const full = join(volume.hostPath, sub);
  if (!existsSync(full)) {
    const st = statSync(root);
    mkdirSync(full, { recursive: true, mode: st.mode & 0o7777 });
    chmodSync(full, st.mode & 0o7777);
    try { chownSync(full, -1, st.gid); } catch { /* not root */ }
  }
  const real = realpathSync(full);
  const rel = relative(root, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new Error(`subpath "${sub}" resolves outside the volume`);
  return real;
}

/** Creates the empty, world-writable file bind-mounted at terminationMessagePath for a new instance. */
export function newTerminationMessageFile(rootDir: string, uid: string, containerName: string): string {
  const dir = join(podDir(rootDir, uid), 'containers', containerName);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, randomBytes(4).toString('hex'));
  writeFileSync(file, '');
  chmodSync(file, 0o666);
  return file;
}

export function removePodDir(rootDir: string, uid: string): void {
  rmSync(podDir(rootDir, uid), { recursive: true, force: true });
}
