// cri/docker/oom-score.ts — whether this Docker engine may lower a container's oom_score_adj below 0.
//
// The kubelet gives Guaranteed containers −997. An engine without CAP_SYS_RESOURCE (some VMs and sandboxes,
// rootless setups) cannot: runc then fails every start ("can't get final child's PID from pipe"). Asked once
// per engine, lazily, by starting a throwaway pause container with OomScoreAdj −1; where the answer is no,
// negative scores are raised to 0, as containerd clamps them in a user namespace. The probe container
// carries only the runtime's extra labels (never a pod's), so the agent never lists it, and is removed.
import { randomBytes } from 'node:crypto';
import type { DockerContext } from './context.js';

const answers = new WeakMap<object, Promise<boolean>>();

async function probe(ctx: DockerContext): Promise<boolean> {
  const name = `k8s_oomprobe_${randomBytes(4).toString('hex')}`;
  let id: string | undefined;
  try {
    const c = await ctx.docker.createContainer({
      name, Image: ctx.pauseImage(), Labels: { ...ctx.extraLabels },
      HostConfig: { OomScoreAdj: -1, NetworkMode: 'none', LogConfig: { Type: 'none', Config: {} } },
    });
    id = c.id;
    await c.start();
    return true;
  } catch {
    return false;
  } finally {
    if (id) await ctx.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  }
}

/** True when the engine can set a negative oom_score_adj (asked once per Docker client). */
export function canLowerOomScore(ctx: DockerContext): Promise<boolean> {
  let p = answers.get(ctx.docker);
  if (!p) {
    p = probe(ctx);
    answers.set(ctx.docker, p);
  }
  return p;
}

/** The OOM score to give Docker: the requested one, or 0 for a negative one the engine cannot apply. */
export async function effectiveOomScoreAdj(ctx: DockerContext, adj: number | undefined): Promise<number | undefined> {
  if (adj === undefined || adj >= 0) return adj;
  return (await canLowerOomScore(ctx)) ? adj : 0;
}
