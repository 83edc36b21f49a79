// bench/idle.ts — benchmark 2: the agent's own cost when nothing happens, with 0, 10 and 110 pods.
//
// One agent process; pods are single long-running busybox containers without probes. For each pod count:
// write the manifests, wait until every pod is Running, let the start burst settle, then sample the agent
// process for the window (CPU% of one core from /proc/<pid>/stat, RSS from /proc/<pid>/status every 500 ms).
// No goal of its own in issue 7; the figures are set against benchmark 3's budget (RSS < 150 MB, CPU < 5%).
import { AgentProc, allRunning } from './agent-proc.js';
import { idlePod } from './pods.js';
import type { Section } from './report.js';
import { sampleProcess, sleep, pct, mb, secs } from './util.js';

interface Opts { readonly counts: readonly number[]; readonly windowMs: number; readonly settleMs: number }

export async function benchIdle(sec: Section, o: Opts): Promise<void> {
  const agent = await AgentProc.start();
  const names: string[] = [];
  try {
    await sleep(o.settleMs);
    for (const count of o.counts) {
      const add: string[] = [];
      for (let i = names.length; i < count; i++) add.push(`idle-${i}`);
      if (add.length) {
        const t0 = Date.now();
        for (const n of add) agent.write(n, idlePod(n));
        names.push(...add);
        await agent.waitPods(names, (p) => allRunning(p), 10 * 60_000, `${count} idle pods Running`, 250);
        sec.say(`${count} pods Running after ${secs(Date.now() - t0)} (adding ${add.length}); settling ${secs(o.settleMs)}`);
        await sleep(o.settleMs);
      }
      const s = await sampleProcess(agent.pid, o.windowMs);
      sec.figure(`${count} pods: agent CPU (mean over ${Math.round(s.seconds)} s)`, pct(s.cpuPct), '< 5% (budget of 3)', s.cpuPct < 5);
      sec.figure(`${count} pods: agent RSS mean (max)`, `${mb(s.rssMeanMB)} (${mb(s.rssMaxMB)})`, '< 150 MB (budget of 3)', s.rssMaxMB < 150);
    }
  } finally {
    const t0 = Date.now();
    for (const n of names) agent.remove(n);
    try {
      await agent.waitGone(names, 5 * 60_000);
      sec.say(`${names.length} pods deleted in ${secs(Date.now() - t0)}`);
    } finally {
      await agent.stop();
    }
  }
}
