// bench/max-pods.ts — benchmark 3: 110 pods (the kubelet's default max-pods), each a busybox httpd with an
// exec readiness probe and an http liveness probe (Kubernetes default timings: every 10 s).
//
// Raw: the same Docker calls for every pod (pause + web container, bench/raw-docker.ts), all pods
// concurrently, timed until the last start returns; then removed. Run before and after the agent (the
// machine's load drifts; the mean of the two is the baseline). The agent (started, then left alone
// for one probe period so no initial probe jitter applies — a long-running agent's case): all manifests
// written at once, timed until /pods (polled every 250 ms) shows every pod Ready. Goal: ≤ 1.5 × raw.
// Then steady state: after the start burst settles, the agent process is sampled (CPU%, RSS) over the
// window; goals RSS < 150 MB and CPU < 5% of a core. The Docker engine's CPU (dockerd + containerd) over the
// same window is given for context: exec probes cost the engine more than the agent.
import { AgentProc, isReady } from './agent-proc.js';
import { RawDocker, rawProbedPodSpec } from './raw-docker.js';
import { probedPod } from './pods.js';
import type { Section } from './report.js';
import { enginePids, sampleCpuOf, sampleProcess, sleep, pct, mb, secs, ratio } from './util.js';

interface Opts { readonly pods: number; readonly windowMs: number; readonly settleMs: number }

async function rawStart(n: number): Promise<number> {
  const raw = new RawDocker();
  await raw.setup();
  try {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => raw.startPod(rawProbedPodSpec(`p${i}`))));
    return performance.now() - t0;
  } finally {
    await raw.teardown();
  }
}

export async function benchMaxPods(sec: Section, o: Opts): Promise<void> {
  sec.say(`raw Docker: starting ${o.pods} pods concurrently`);
  const rawBefore = await rawStart(o.pods);
  let agentMs = NaN;
  const agent = await AgentProc.start();
  const names = Array.from({ length: o.pods }, (_, i) => `web-${i}`);
  try {
    await sleep(11_000); // one probe period: the agent is past its start-up probe jitter
    const t0 = Date.now();
    for (const n of names) agent.write(n, probedPod(n));
    await agent.waitPods(names, isReady, 10 * 60_000, `${o.pods} pods Ready`, 250);
    agentMs = Date.now() - t0;
    sec.say(`agent: ${o.pods} pods all Ready after ${secs(agentMs)}`);

    sec.say(`settling ${secs(o.settleMs)}, then sampling ${secs(o.windowMs)}`);
    await sleep(o.settleMs);
    const engine = enginePids();
    const [s, engineCpu] = await Promise.all([sampleProcess(agent.pid, o.windowMs), sampleCpuOf(engine, o.windowMs)]);
    sec.figure(`steady state: agent CPU (mean over ${Math.round(s.seconds)} s)`, pct(s.cpuPct), '< 5% of a core', s.cpuPct < 5);
    sec.figure('steady state: agent RSS mean (max)', `${mb(s.rssMeanMB)} (${mb(s.rssMaxMB)})`, '< 150 MB', s.rssMaxMB < 150);
    sec.figure('steady state: Docker engine CPU (dockerd + containerd)', engine.length ? pct(engineCpu) : 'n/a');
    const pods = await agent.pods();
    const ready = pods.filter(isReady).length;
    const restarts = pods.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0);
    sec.figure('after the window: pods Ready; container restarts', `${ready}/${o.pods}; ${restarts}`);
    sec.note(`Probes: ${o.pods} exec readiness + ${o.pods} http liveness probes every 10 s = ${(o.pods * 2 / 10).toFixed(0)} probes/s.`);
  } finally {
    const t0 = Date.now();
    for (const n of names) agent.remove(n);
    try {
      await agent.waitGone(names, 5 * 60_000);
      sec.say(`${o.pods} pods deleted in ${secs(Date.now() - t0)}`);
    } finally {
      await agent.stop();
    }
  }
  sec.say(`raw Docker again: starting ${o.pods} pods concurrently`);
  const rawAfter = await rawStart(o.pods);
  const rawMs = (rawBefore + rawAfter) / 2;
  sec.figure(`raw Docker calls: ${o.pods} pods started (before; after)`, `${secs(rawBefore)}; ${secs(rawAfter)}`);
  sec.figure(`agent: manifests written → ${o.pods} pods all Ready`, secs(agentMs));
  sec.figure('agent all Ready / mean raw Docker start', ratio(agentMs / rawMs), '≤ 1.5×', agentMs / rawMs <= 1.5);
}
