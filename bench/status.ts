// bench/status.ts — benchmark 4: status latency, container exit → /pods shows it terminated.
//
// Pods with restartPolicy Never whose containers sleep for staggered times and exit (one exit every ~170 ms
// across all pods, so each is timed on its own). /pods is polled every 10 ms; for each container the first
// response showing state.terminated is stamped with the time that response arrived. The exit itself is
// Docker's State.FinishedAt of that container (nanosecond RFC 3339, same host clock). Latency = seen − exit,
// p50/p99/max over every exit. Goal: p99 < 200 ms. The 10 ms poll adds up to ~10 ms to each figure.
import Dockerode from 'dockerode';
import { AgentProc } from './agent-proc.js';
import { exitingPod } from './pods.js';
import type { Section } from './report.js';
import { percentile, ms, waitUntil } from './util.js';

interface Opts { readonly pods: number; readonly containersPerPod: number }

/** RFC 3339 with nanoseconds → ms since the epoch, keeping the sub-millisecond part. */
export function parseDockerTime(t: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return Date.parse(t);
  const frac = Number(`0.${m[2] ?? '0'}`);
  return Date.parse(`${m[1]}${m[3]}`) + frac * 1000;
}

export async function benchStatus(sec: Section, o: Opts): Promise<void> {
  const agent = await AgentProc.start();
  const docker = new Dockerode();
  const names = Array.from({ length: o.pods }, (_, i) => `exit-${i}`);
  const step = 170;
  try {
    // Pod j's container i exits at ~3 s + (i * pods + j) * step after it starts: exits interleave across pods.
    names.forEach((n, j) => agent.write(n, exitingPod(n, o.containersPerPod, 3000 + j * step, o.pods * step)));
    const total = o.pods * o.containersPerPod;
    const seen = new Map<string, { at: number; id: string }>();
    sec.say(`${total} container exits, polling /pods every 10 ms`);
    await waitUntil(`${total} container exits seen in /pods`, async () => {
      const pods = await agent.pods();
      const at = Date.now();
      for (const p of pods) {
        for (const c of p.status?.containerStatuses ?? []) {
          const key = `${p.metadata!.name}/${c.name}`;
          if (c.state?.terminated && !seen.has(key)) seen.set(key, { at, id: (c.containerID ?? '').replace(/^docker:\/\//, '') });
        }
      }
      return seen.size >= total ? true : undefined;
    }, 120_000, 10);
    const lat: number[] = [];
    for (const [key, s] of seen) {
      const info = await docker.getContainer(s.id).inspect();
      const finished = parseDockerTime(info.State.FinishedAt);
      if (!Number.isFinite(finished)) throw new Error(`no FinishedAt for ${key}`);
      lat.push(s.at - finished);
    }
    const p99 = percentile(lat, 99);
    sec.figure(`exits timed`, String(lat.length), '≥ 30', lat.length >= 30);
    sec.figure('exit → /pods terminated, p50', ms(percentile(lat, 50)));
    sec.figure('exit → /pods terminated, p99', ms(p99), '< 200 ms', p99 < 200);
    sec.figure('exit → /pods terminated, max', ms(Math.max(...lat)));
  } finally {
    for (const n of names) agent.remove(n);
    try { await agent.waitGone(names, 120_000); } finally { await agent.stop(); }
  }
}
