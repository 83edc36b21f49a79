// bench/start.ts — benchmark 1 (issue 10): pod start, manifest moved into the folder → /pods shows it Running.
//
// The pod: an init container that exits at once and two long-running containers, image present
// (imagePullPolicy IfNotPresent); and the same pod without the init container. Arms, alternating in one run
// (the order rotates each round, one untimed warm-up round first), N rounds, medians:
//   agent  — the manifest is moved (temp file + rename) into the agent's folder; the clock stops when the
//            agent publishes the status Running with both containers running (seen through the API's watch,
//            which pushes each status change: polling /pods every few ms would load the 2 cores the engine
//            needs), and one /pods read then confirms it.
//   direct — what the pod needs from Docker, called directly (bench/raw-docker.ts): a pause container on the
//            default bridge, the init container created, started and waited for, the two containers created
//            and started joined to it; the clock stops when the last start returns.
//   api    — context: the pod POSTed to the agent's API instead of moved into the folder.
//   poll   — context (init+2 only): the agent arm with the clock stopped by polling /pods every 10 ms, as the
//            issue's measurement did (the polling's own cost shows against the agent arm).
//   user   — context (init+2 only): the direct calls with the pause container on a user-defined network.
//   podman — `podman kube play` of the same manifest when podman is installed (bench/podman.ts).
// Goal: agent median ≤ 1.05 × direct median. Each agent start of the file arm is taken apart step by step
// (bench/start-steps.ts) beside the direct calls' own steps, with the runtime calls the start made.
import { AgentProc, allRunning } from './agent-proc.js';
import { RawDocker, rawStartPodSpec, type RawStep } from './raw-docker.js';
import { startPod } from './pods.js';
import { havePodman, Podman, type PodmanSteps } from './podman.js';
import type { Section } from './report.js';
import {
  AgentLog, agentSteps, directSteps, logMarks, opsDelta, parseRuntimeOps, stepDefs, stepMedians, type RuntimeOps,
} from './start-steps.js';
import type { Pod } from '../agent/api/v1.js';
import { median, percentile, ms, ratio, waitUntil } from './util.js';

interface Opts { readonly rounds: number }

type Arm = 'agent' | 'direct' | 'api' | 'poll' | 'user' | 'podman';
type Via = 'file' | 'api' | 'poll';

const GOAL = 1.05;

interface AgentRun { readonly ms: number; readonly steps?: number[]; readonly ops?: RuntimeOps }

/** The first time the pod's published status shows it Running, confirmed by /pods. */
async function running(agent: AgentProc, name: string, seen: Promise<{ at: number; pod: Pod }>): Promise<{ at: number; uid: string }> {
  const { at, pod } = await seen;
  const listed = (await agent.pods()).find((x) => x.metadata?.uid === pod.metadata?.uid);
  if (!listed || !allRunning(listed)) throw new Error(`the watch showed pod ${name} Running, /pods does not`);
  return { at, uid: pod.metadata!.uid! };
}

/** The first /pods read (polled every 10 ms) that shows the pod Running. */
async function polledRunning(agent: AgentProc, name: string): Promise<{ at: number; uid: string }> {
  return waitUntil(`pod ${name} Running`, async () => {
    const p = (await agent.pods()).find((x) => x.metadata?.name === name);
    return p && allRunning(p) ? { at: Date.now(), uid: p.metadata!.uid! } : undefined;
  }, 60_000, 10);
}

async function runtimeOps(agent: AgentProc): Promise<RuntimeOps> {
  return parseRuntimeOps(await (await agent.get('/metrics')).text());
}

async function agentOnce(agent: AgentProc, log: AgentLog, name: string, withInit: boolean, via: Via): Promise<AgentRun> {
  const manifest = startPod(name, withInit);
  const ops0 = via === 'file' ? await runtimeOps(agent) : undefined;
  log.read();
  const watch = via === 'poll' ? undefined : await agent.watchPod(name, (p) => allRunning(p), 60_000);
  const t0 = Date.now();
  if (via !== 'api') agent.write(name, manifest);
  else {
    const r = await fetch(`${agent.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(manifest) });
    if (r.status !== 201) throw new Error(`POST pod answered ${r.status}: ${await r.text()}`);
  }
  const { at: seen, uid } = watch ? await running(agent, name, watch.until).finally(() => watch.close()) : await polledRunning(agent, name);
  let run: AgentRun = { ms: seen - t0 };
  if (ops0) {
    const ops = opsDelta(await runtimeOps(agent), ops0);
    const lines = log.read();
    const steps = agentSteps({ t0, seen, entries: await agent.lifecycle(name), ...logMarks(lines, uid) }, withInit ? ['init'] : [], ['a', 'b']);
    run = { ...run, steps, ops };
  }
  if (via !== 'api') agent.remove(name);
  else await fetch(`${agent.url}/api/v1/namespaces/default/pods/${name}`, { method: 'DELETE' });
  await agent.waitGone([name], 60_000);
  return run;
}

async function directOnce(raw: RawDocker, name: string, withInit: boolean): Promise<{ ms: number; steps: RawStep[] }> {
  const t0 = performance.now();
  const steps = await raw.startPod(rawStartPodSpec(name, withInit));
  const dt = performance.now() - t0;
  raw.removeAll();
  return { ms: dt, steps };
}

function reportSteps(sec: Section, shape: string, withInit: boolean, agentRuns: readonly AgentRun[], direct: readonly RawStep[][]): void {
  const defs = stepDefs(withInit ? ['init'] : [], ['a', 'b']);
  const a = stepMedians(agentRuns.map((r) => r.steps ?? []), defs.length);
  const d = stepMedians(direct.map((r) => directSteps(r, defs)), defs.length);
  defs.forEach((s, i) => sec.figure(`[${shape}] step: ${s.name}`, `${ms(a[i]!)} · ${s.direct.length ? ms(d[i]!) : '—'}`));
  const ops = new Set(agentRuns.flatMap((r) => Object.keys(r.ops ?? {})));
  const parts = [...ops].sort().map((op) => {
    const counts = agentRuns.map((r) => r.ops?.[op]?.count ?? 0);
    const secs = agentRuns.map((r) => (r.ops?.[op]?.seconds ?? 0) * 1000);
    return `${op} ${median(counts)}× ${ms(median(secs))}`;
  });
  sec.note(`[${shape}] runtime calls of one start (median count × median summed time; calls overlap): ${parts.join(', ')}.`);
}

export async function benchStart(sec: Section, o: Opts): Promise<void> {
  const podman = havePodman() ? new Podman() : undefined;
  if (!podman) sec.note('podman not installed: skipped');
  else {
    podman.setup();
    for (const n of podman.setupNotes) sec.note(`podman: ${n}.`);
  }
  const agent = await AgentProc.start({ agentArgs: ['-v', '2'] });
  const log = new AgentLog(agent.logFile);
  const direct = new RawDocker({ network: 'bridge' });
  const user = new RawDocker({ network: 'user' });
  sec.note('Step figures read "agent · direct": the agent\'s time for the step, and the direct Docker calls doing the same work ("—": the direct calls have no such step).');
  try {
    await direct.setup();
    await user.setup();
    for (const withInit of [true, false]) {
      const shape = withInit ? 'init+2' : 'no-init';
      const arms: Arm[] = ['agent', 'direct', 'api', ...(withInit ? ['poll' as const, 'user' as const] : []), ...(podman ? ['podman' as const] : [])];
      const times: Record<Arm, number[]> = { agent: [], direct: [], api: [], poll: [], user: [], podman: [] };
      const agentRuns: AgentRun[] = [];
      const directRuns: RawStep[][] = [];
      const podmanFailures: string[] = [];
      const podmanSteps: PodmanSteps[] = [];
      sec.say(`${withInit ? 'init container + 2 containers' : '2 containers, no init container'}: ${o.rounds} rounds of ${arms.join(', ')} (+1 warm-up)`);
      for (let round = -1; round < o.rounds; round++) {
        const order = arms.map((_, i) => arms[(i + Math.max(round, 0)) % arms.length]!);
        for (const arm of order) {
          const name = `s${withInit ? 'i' : 'n'}-${arm}-${round + 1}`;
          let t: number;
          if (arm === 'agent' || arm === 'api' || arm === 'poll') {
            const r = await agentOnce(agent, log, name, withInit, arm === 'agent' ? 'file' : arm);
            t = r.ms;
            if (round >= 0 && arm === 'agent') agentRuns.push(r);
          } else if (arm === 'direct' || arm === 'user') {
            const r = await directOnce(arm === 'direct' ? direct : user, name, withInit);
            t = r.ms;
            if (round >= 0 && arm === 'direct') directRuns.push(r.steps);
          } else {
            // podman is a peer, not the subject: a failed play is counted and reported, never fatal.
            try {
              const r = podman!.playOnce(name, startPod(name, withInit));
              t = r.ms;
              if (round >= 0 && r.steps) podmanSteps.push(r.steps);
            } catch (err) {
              if (round >= 0) podmanFailures.push((err as Error).message);
              continue;
            }
          }
          if (round >= 0) times[arm].push(t);
        }
      }
      const a = median(times.agent);
      const d = median(times.direct);
      sec.figure(`[${shape}] agent (manifest → /pods Running), median / p90`, `${ms(a)} / ${ms(percentile(times.agent, 90))}`);
      sec.figure(`[${shape}] direct Docker calls, median / p90`, `${ms(d)} / ${ms(percentile(times.direct, 90))}`);
      sec.figure(`[${shape}] agent / direct, ratio of medians (N=${o.rounds})`, ratio(a / d), `≤ ${GOAL}×`, a / d <= GOAL);
      sec.figure(`[${shape}] agent (API POST), median; / direct`, `${ms(median(times.api))}; ${ratio(median(times.api) / d)}`);
      if (withInit) {
        sec.figure(`[${shape}] agent, clock stopped by polling /pods every 10 ms, median; / direct`, `${ms(median(times.poll))}; ${ratio(median(times.poll) / d)}`);
        sec.figure(`[${shape}] direct calls, pause on a user-defined network, median; / direct`, `${ms(median(times.user))}; ${ratio(median(times.user) / d)}`);
      }
      reportSteps(sec, shape, withInit, agentRuns, directRuns);
      if (podman) reportPodman(sec, shape, a, times.podman, podmanFailures, podmanSteps, o.rounds);
    }
  } finally {
    await agent.stop();
    await direct.teardown();
    await user.teardown();
    podman?.teardown();
  }
}

function reportPodman(sec: Section, shape: string, agentMs: number, times: readonly number[], failures: readonly string[], steps: readonly PodmanSteps[], rounds: number): void {
  if (failures.length) sec.note(`[${shape}] podman kube play failed ${failures.length} of ${rounds} times; first: ${failures[0]}`);
  if (!times.length) return;
  const p = median(times);
  sec.figure(`[${shape}] podman kube play, median (N=${times.length}) / p90`, `${ms(p)} / ${ms(percentile(times, 90))}`);
  sec.figure(`[${shape}] agent / podman`, ratio(agentMs / p), '< 1× (faster)', agentMs < p);
  if (!steps.length) return;
  const m = (k: keyof PodmanSteps) => ms(median(steps.map((s) => s[k])));
  sec.figure(`[${shape}] podman steps: CLI start · infra (pause) start · per container · CLI exit`, `${m('cli')} · ${m('infra')} · ${m('containers')} · ${m('exit')}`);
}
