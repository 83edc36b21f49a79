// agent/kuberuntime/gc.ts — container garbage collection (the kubelet's containerGC).
//
// Per pod and container name, dead instances beyond the most recent one are removed (the newest dead one
// stays: it is `lastState` and its logs are `kubectl logs --previous`). Dead sandboxes that are not the
// pod's newest, with no containers left in them, are removed too. Pods no source wants are the orphan
// path's business (orphans.ts), not GC's.
import { errorLine, isNotFound } from '../../cri/errors.js';
import type { Logger, RuntimeContext } from './context.js';
import type { RuntimePodStatus } from './types.js';

/** What GC walks: the pods as the agent last read them from the runtime (PLEG's cache is one). */
export interface RuntimePodList {
  all(): readonly RuntimePodStatus[];
}

/** PURE: the container and sandbox ids GC would remove from this pod. */
export function gcCandidates(status: RuntimePodStatus, maxDeadPerContainer = 1): { containers: string[]; sandboxes: string[] } {
  const containers: string[] = [];
  const seen = new Map<string, number>();
  for (const c of status.containers) { // newest first
    if (c.state === 'CONTAINER_RUNNING') continue;
    const key = `${c.type}/${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > maxDeadPerContainer) containers.push(c.id);
  }
  const removed = new Set(containers);
  const sandboxes = status.sandboxes.slice(1)
    .filter((s) => s.state !== 'SANDBOX_READY')
    .filter((s) => !status.containers.some((c) => c.podSandboxId === s.id && !removed.has(c.id)))
    .map((s) => s.id);
  return { containers, sandboxes };
}

export async function collectGarbage(ctx: RuntimeContext, cache: RuntimePodList, log: Logger): Promise<number> {
  let n = 0;
  for (const status of cache.all()) {
    const { containers, sandboxes } = gcCandidates(status);
    for (const id of containers) {
      try { await ctx.runtime.removeContainer(id); n++; } catch (err) { if (!isNotFound(err)) log.warn({ containerId: id, err: errorLine(err) }, 'Container GC failed'); }
    }
    for (const id of sandboxes) {
      try { await ctx.runtime.removePodSandbox(id); n++; } catch (err) { if (!isNotFound(err)) log.warn({ sandboxId: id, err: errorLine(err) }, 'Sandbox GC failed'); }
    }
  }
  return n;
}
