// bench/start.ts — benchmark 1: pod start latency, manifest written → Running.
//
// The pod: an init container that exits at once and two long-running containers, image present
// (imagePullPolicy IfNotPresent); and the same pod without the init container. Arms, alternating in one run
// (the order rotates each round, one untimed warm-up round first), N rounds:
//   agent  — the manifest is written (atomic rename) into the agent's folder; the clock stops at the first
//            /pods read (polled every 10 ms) that shows phase Running with every container running.
//   raw    — the same Docker calls issued directly (bench/raw-docker.ts); the clock stops when the last
//            container's start returns.
//   api    — context: the pod POSTed to the agent's API instead of written as a file (no manifest-folder
//            debounce and settle), clock stopped the same way.
//   podman — `podman kube play` of the same manifest when podman is installed (its wall time; it returns
//            once the pod's containers are started).
// Goal: agent median ≤ 1.15 × raw median. Each agent start is split with its lifecycle record into
// "manifest → first Docker call" (the folder's debounce + settle), "Docker work" (sandbox → last start)
// and "last start → /pods shows Running".
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentProc, allRunning, type LifecycleEntry } from './agent-proc.js';
import { RawDocker, rawStartPodSpec } from './raw-docker.js';
import { startPod } from './pods.js';
import type { Section } from './report.js';
import { median, percentile, ms, ratio, waitUntil } from './util.js';

interface Opts { readonly rounds: number }
interface Split { detect: number; docker: number; report: number }

type Arm = 'agent' | 'raw' | 'api' | 'podman';

function havePodman(): boolean {
  return spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0;
}

async function waitRunning(agent: AgentProc, name: string): Promise<number> {
  return waitUntil(`pod ${name} Running`, async () => {
    const p = (await agent.pods()).find((x) => x.metadata?.name === name);
    return p && allRunning(p) ? Date.now() : undefined;
  }, 60_000, 10);
}

function split(entries: readonly LifecycleEntry[], t0: number, seen: number): Split | undefined {
  const sb = entries.find((e) => e.kind === 'sandbox');
  const starts = entries.filter((e) => e.kind === 'start');
  if (!sb || !starts.length) return undefined;
  const first = typeof sb.startedAt === 'number' ? sb.startedAt : sb.time;
  const last = Math.max(...starts.map((e) => e.time));
  return { detect: first - t0, docker: last - first, report: seen - last };
}

async function agentOnce(agent: AgentProc, name: string, withInit: boolean, via: 'file' | 'api'): Promise<{ ms: number; split?: Split }> {
  const manifest = startPod(name, withInit);
  const t0 = Date.now();
  if (via === 'file') agent.write(name, manifest);
  else {
    const r = await fetch(`${agent.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(manifest) });
    if (r.status !== 201) throw new Error(`POST pod answered ${r.status}: ${await r.text()}`);
  }
  const seen = await waitRunning(agent, name);
  const s = split(await agent.lifecycle(name), t0, seen);
  if (via === 'file') agent.remove(name);
  else await fetch(`${agent.url}/api/v1/namespaces/default/pods/${name}`, { method: 'DELETE' });
  await agent.waitGone([name], 60_000);
  return { ms: seen - t0, ...(s ? { split: s } : {}) };
}

async function rawOnce(raw: RawDocker, name: string, withInit: boolean): Promise<number> {
  const t0 = performance.now();
  await raw.startPod(rawStartPodSpec(name, withInit));
  const dt = performance.now() - t0;
  raw.removeAll();
  return dt;
}

function podmanOnce(dir: string, name: string, withInit: boolean): number {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(startPod(name, withInit)));
  const t0 = performance.now();
  const r = spawnSync('podman', ['kube', 'play', file], { encoding: 'utf8', timeout: 120_000 });
  const dt = performance.now() - t0;
  spawnSync('podman', ['kube', 'down', file], { stdio: 'ignore', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`podman kube play failed: ${(r.stderr ?? '').slice(-500)}`);
  return dt;
}

export async function benchStart(sec: Section, o: Opts): Promise<void> {
  const podman = havePodman();
  if (!podman) sec.note('podman not installed: skipped');
  const agent = await AgentProc.start();
  const raw = new RawDocker();
  const podmanDir = mkdtempSync(join(tmpdir(), 'mkb-podman-'));
  try {
    await raw.setup();
    for (const withInit of [true, false]) {
      const shape = withInit ? 'init+2' : 'no-init';
      const arms: Arm[] = ['agent', 'raw', 'api', ...(podman ? ['podman' as const] : [])];
      let podmanFailed: string | undefined;
      const times: Record<Arm, number[]> = { agent: [], raw: [], api: [], podman: [] };
      const splits: Record<'agent' | 'api', Split[]> = { agent: [], api: [] };
      sec.say(`${withInit ? 'init container + 2 containers' : '2 containers, no init container'}: ${o.rounds} rounds of ${arms.join(', ')} (+1 warm-up)`);
      for (let round = -1; round < o.rounds; round++) {
        const order = arms.map((_, i) => arms[(i + Math.max(round, 0)) % arms.length]!);
        for (const arm of order) {
          const name = `s${withInit ? 'i' : 'n'}-${arm}-${round + 1}`;
          let t: number;
          if (arm === 'agent' || arm === 'api') {
            const r = await agentOnce(agent, name, withInit, arm === 'agent' ? 'file' : 'api');
            t = r.ms;
            if (round >= 0 && r.split) splits[arm].push(r.split);
          } else if (arm === 'raw') t = await rawOnce(raw, name, withInit);
          else if (podmanFailed) continue;
          else {
            // podman is a peer, not the subject: when it cannot run this shape, say why and go on without it.
            try { t = podmanOnce(podmanDir, name, withInit); } catch (err) {
              podmanFailed = (err as Error).message.replace(/\s+/g, ' ').slice(0, 300);
              continue;
            }
          }
          if (round >= 0) times[arm].push(t);
        }
      }
      const a = median(times.agent);
      const r = median(times.raw);
      const api = median(times.api);
      sec.figure(`[${shape}] agent (file), median / p90`, `${ms(a)} / ${ms(percentile(times.agent, 90))}`);
      sec.figure(`[${shape}] raw Docker calls, median / p90`, `${ms(r)} / ${ms(percentile(times.raw, 90))}`);
      sec.figure(`[${shape}] agent / raw, ratio of medians (N=${o.rounds})`, ratio(a / r), '≤ 1.15×', a / r <= 1.15);
      sec.figure(`[${shape}] agent (API POST), median; / raw`, `${ms(api)}; ${ratio(api / r)}`);
      for (const via of ['agent', 'api'] as const) {
        const sp = splits[via];
        if (!sp.length) continue;
        const f = (k: keyof Split) => ms(median(sp.map((s) => s[k])));
        sec.figure(`[${shape}] ${via === 'agent' ? 'file' : 'API'} split: to 1st Docker call / Docker / to /pods`, `${f('detect')} / ${f('docker')} / ${f('report')}`);
      }
      if (podmanFailed) sec.note(`[${shape}] podman kube play failed on this machine, left out: ${podmanFailed}`);
      else if (podman) {
        const p = median(times.podman);
        sec.figure(`[${shape}] podman kube play median`, ms(p));
        sec.figure(`[${shape}] agent / podman`, ratio(a / p), '< 1× (faster)', a < p);
      }
    }
  } finally {
    await agent.stop();
    await raw.teardown();
    rmSync(podmanDir, { recursive: true, force: true });
  }
}
