// agent/orphans.ts — after a restart, what Docker runs that no source wants is stopped properly.
//
// Called once every source has reported (SeenAllSources). Pods the runtime holds whose UID is not desired
// (the manifest vanished or changed while the agent was down) are killed with the grace and preStop
// recorded on their containers, then removed with their sandbox and directory; desired pods are adopted as
// they are (the workers' first sync sees their containers: no duplicates, restart counts from labels).
// Pod directories under <rootDir>/pods/ that belong to no desired pod and to nothing in the runtime (an agent
// killed between removing a pod's containers and its directory) are removed too, as the kubelet's
// cleanupOrphanedPodDirs does.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorLine, isNotFound } from '../cri/errors.js';
import type { PodCache } from './pleg/pod-cache.js';
import type { Pleg } from './pleg/pleg.js';
import type { PodManager } from './pod-manager.js';
import type { Logger, RuntimeContext } from './kuberuntime/context.js';
import { killPod } from './kuberuntime/kill.js';
import { removePodDir } from './kuberuntime/volumes.js';

export interface OrphanDeps {
  readonly ctx: RuntimeContext;
  readonly cache: PodCache;
  readonly pleg: Pleg;
  readonly pods: PodManager;
  readonly log: Logger;
}

export async function adoptOrphans(d: OrphanDeps): Promise<void> {
  await d.pleg.relistAll().catch(() => undefined);
  const inRuntime = new Set<string>();
  const orphans = d.cache.all().filter((status) => {
    if (status.sandboxes.length === 0 && status.containers.length === 0) return false;
    inRuntime.add(status.uid);
    return !d.pods.get(status.uid);
  });
  // Independent pods: stopped in parallel, as pod workers would (each may wait out a preStop and a grace).
  await Promise.all(orphans.map(async (status) => {
    d.log.info({ pod: `${status.namespace}/${status.name}`, podUID: status.uid }, 'Stopping orphaned pod: no source wants it');
    try {
      await killPod(d.ctx, undefined, status);
      for (const c of status.containers) await d.ctx.runtime.removeContainer(c.id).catch((e) => { if (!isNotFound(e)) throw e; });
      for (const s of status.sandboxes) await d.ctx.runtime.removePodSandbox(s.id).catch((e) => { if (!isNotFound(e)) throw e; });
      removePodDir(d.ctx.rootDir, status.uid);
      d.pleg.forget(status.uid);
    } catch (err) {
      d.log.warn({ podUID: status.uid, err: errorLine(err) }, 'Failed to remove orphaned pod');
    }
  }));
  removeOrphanedPodDirs(d, inRuntime);
}

/** Directories of pods that are neither desired nor in the runtime. */
function removeOrphanedPodDirs(d: OrphanDeps, inRuntime: ReadonlySet<string>): void {
  let uids: string[];
  try {
    uids = readdirSync(join(d.ctx.rootDir, 'pods'));
  } catch {
    return; // no pods directory yet
  }
  for (const uid of uids) {
    if (inRuntime.has(uid) || d.pods.get(uid) || d.cache.get(uid)?.containers.length || d.cache.get(uid)?.sandboxes.length) continue;
    d.log.info({ podUID: uid }, 'Removing the directory of a pod that no longer exists');
    removePodDir(d.ctx.rootDir, uid);
  }
}
