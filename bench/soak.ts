// bench/soak.ts — benchmark 6: the soak. Creates and deletes pods in a loop for a fixed time, then checks
// that nothing piled up: containers, networks and volumes of the agent's node, and the agent's memory and
// open file descriptors.
//
// Each cycle writes a batch of soak pods (bench/pods.ts: init container, memory-backed emptyDir = a Docker
// tmpfs volume, exec readiness, http liveness, preStop hook, and in every other pod a container that
// crashes and is restarted), waits until each pod's web container is ready, holds them a few seconds,
// deletes the manifests and waits until /pods and Docker hold nothing of them. After each cycle the agent's
// RSS and fd count are read. Warm-up is the first fifth of the time (at least two cycles); "start" RSS is
// the mean of the three cycles after it, "end" the mean of the last three (smoothing the GC saw-tooth). The
// loop stops by itself when the time is up (`--minutes`). Engine-wide counts are printed for context only (other
// work on the machine changes them); the goals are on what this node made.
import { execFileSync } from 'node:child_process';
import { AgentProc, NODE_LABEL, dockerIds } from './agent-proc.js';
import { soakPod } from './pods.js';
import type { Section } from './report.js';
import { fdCount, mean, rssMB, slope, sleep, mb, secs } from './util.js';

interface Opts { readonly minutes: number; readonly batch: number; readonly holdMs: number }

function count(args: string[]): number {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean).length;
}

interface Snapshot { rss: number; fds: number; containers: number; volumes: number; networks: number; engineContainers: number; engineNetworks: number; engineVolumes: number }

function snapshot(agent: AgentProc): Snapshot {
  const label = `label=${NODE_LABEL}=${agent.node}`;
  return {
    rss: rssMB(agent.pid),
    fds: fdCount(agent.pid),
    containers: dockerIds(agent.node).length,
    volumes: count(['volume', 'ls', '-q', '--filter', label]),
    networks: count(['network', 'ls', '-q', '--filter', label]),
    engineContainers: count(['ps', '-aq']),
    engineNetworks: count(['network', 'ls', '-q']),
    engineVolumes: count(['volume', 'ls', '-q']),
  };
}

export async function benchSoak(sec: Section, o: Opts): Promise<void> {
  const agent = await AgentProc.start();
  const t0 = Date.now();
  const deadline = t0 + o.minutes * 60_000;
  const warmupUntil = t0 + o.minutes * 60_000 / 5;
  let warm = false;
  const rssAfter: [number, number][] = [];
  let start: Snapshot | undefined;
  let cycle = 0;
  let pods = 0;
  let failures = 0;
  let consecutive = 0;
  let peakContainers = 0;
  let peakVolumes = 0;
  let live: string[] = [];
  try {
    while (Date.now() < deadline || rssAfter.length < 6) {
      const names = Array.from({ length: o.batch }, (_, k) => `soak-${cycle}-${k}`);
      live = names;
      try {
        names.forEach((n, k) => agent.write(n, soakPod(n, cycle + k)));
        await agent.waitPods(names, (p) => (p.status?.containerStatuses ?? []).some((c) => c.name === 'web' && c.ready), 120_000, 'soak pods web ready', 200);
        await sleep(o.holdMs);
        peakContainers = Math.max(peakContainers, dockerIds(agent.node).length);
        peakVolumes = Math.max(peakVolumes, count(['volume', 'ls', '-q', '--filter', `label=${NODE_LABEL}=${agent.node}`]));
        consecutive = 0;
      } catch (err) {
        failures++;
        consecutive++;
        sec.say(`cycle ${cycle}: ${String(err)}`);
        if (consecutive >= 3) throw new Error(`three soak cycles failed in a row; last: ${String(err)}`);
      }
      for (const n of names) agent.remove(n);
      await agent.waitGone(names, 120_000);
      live = [];
      pods += names.length;
      cycle++;
      if (!warm && cycle >= 2 && Date.now() >= warmupUntil) { warm = true; start = snapshot(agent); }
      if (warm) rssAfter.push([(Date.now() - t0) / 60_000, rssMB(agent.pid)]);
      if (cycle % 10 === 0) sec.say(`${cycle} cycles, ${pods} pods, ${secs(Date.now() - t0)}, RSS ${mb(rssMB(agent.pid))}`);
    }
    await sleep(5000);
    const end = snapshot(agent);
    const s = start!;
    sec.figure('duration; cycles; pods created and deleted', `${secs(Date.now() - t0)}; ${cycle}; ${pods}`);
    sec.figure('cycles that failed (pods not ready in 120 s)', String(failures), '0', failures === 0);
    sec.figure('containers of the node, start → end (peak)', `${s.containers} → ${end.containers} (${peakContainers})`, 'end 0', end.containers === 0);
    sec.figure('tmpfs volumes of the node, start → end (peak)', `${s.volumes} → ${end.volumes} (${peakVolumes})`, 'end 0', end.volumes === 0);
    sec.figure('networks of the node, start → end', `${s.networks} → ${end.networks}`, 'end 0', end.networks === 0);
    sec.figure('engine-wide containers / networks / volumes, start → end', `${s.engineContainers}/${s.engineNetworks}/${s.engineVolumes} → ${end.engineContainers}/${end.engineNetworks}/${end.engineVolumes}`);
    const rssStart = mean(rssAfter.slice(0, 3).map((p) => p[1]));
    const rssEnd = mean(rssAfter.slice(-3).map((p) => p[1]));
    const growth = rssEnd - rssStart;
    sec.figure('agent RSS after warm-up → end (means of 3 cycles)', `${mb(rssStart)} → ${mb(rssEnd)}`, 'growth < 10 MB', growth < 10);
    sec.figure('agent RSS trend after warm-up (least squares)', `${slope(rssAfter).toFixed(2)} MB/min`);
    sec.figure('agent open fds after warm-up → end', `${s.fds} → ${end.fds}`, 'growth ≤ 5', end.fds - s.fds <= 5);
  } finally {
    for (const n of live) agent.remove(n);
    try { await agent.waitGone(live, 120_000); } finally { await agent.stop(); }
  }
}
