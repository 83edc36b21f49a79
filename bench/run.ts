// bench/run.ts — `npm run bench`: runs the benchmarks of issue 7 (issue 4's probe timing, issue 10's start) against a
// separately running agent process and real Docker, prints every figure with its goal beside it, and
// records the run in docs/benchmarks.md.
//
//   npm run bench                         all eight, about 30 minutes on 2 cores; writes docs/benchmarks.md
//   npm run bench -- --quick              smaller N and fewer pods; prints only (--write records it anyway)
//   npm run bench -- --only start,status  some of: start idle 110 status probes soak api workloads
//   npm run bench -- --minutes 3          soak length (default 3 in the suite)
//   npm run soak -- --minutes N           the soak alone (`--soak`: default 60 minutes), recorded
//   --no-write                            never touch docs/benchmarks.md
// Exit code 0 when every benchmark ran (goals missed are reported, not failures), 1 when one broke.
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { REPO, sweepCreatedNodes } from './agent-proc.js';
import { BENCH_IDS, Section, writeDocs, type BenchId, type SectionResult } from './report.js';
import { benchStart } from './start.js';
import { benchIdle } from './idle.js';
import { benchMaxPods } from './max-pods.js';
import { benchStatus } from './status.js';
import { benchProbes } from './probes.js';
import { benchSoak } from './soak.js';
import { benchApi } from './api.js';
import { benchWorkloads } from './workloads.js';

interface Args { quick: boolean; only: BenchId[]; write: boolean; minutes: number; soak: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, only: [], write: true, minutes: NaN, soak: false };
  let writeFlag: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    switch (flag) {
      case '--quick': a.quick = true; break;
      case '--only':
        for (const id of value().split(',').filter(Boolean)) {
          if (!(BENCH_IDS as readonly string[]).includes(id)) throw new Error(`--only: unknown benchmark "${id}" (one of ${BENCH_IDS.join(', ')})`);
          a.only.push(id as BenchId);
        }
        break;
      case '--minutes': a.minutes = Number(value()); if (!(a.minutes > 0)) throw new Error('--minutes needs a positive number'); break;
      case '--soak': a.soak = true; break;
      case '--write': writeFlag = true; break;
      case '--no-write': writeFlag = false; break;
      case '--help': case '-h':
        process.stdout.write(`usage: npm run bench -- [--quick] [--only ${BENCH_IDS.join('|')}[,...]] [--minutes N] [--write|--no-write]\n       npm run soak -- [--minutes N]\n`);
        process.exit(0);
        break;
      default: throw new Error(`unknown argument "${argv[i]}"`);
    }
  }
  if (a.soak) { a.only = ['soak']; if (Number.isNaN(a.minutes)) a.minutes = 60; }
  if (Number.isNaN(a.minutes)) a.minutes = a.quick ? 1 : 3;
  a.write = writeFlag ?? !a.quick;
  return a;
}

function plan(args: Args) {
  const q = args.quick;
  return {
    start: { rounds: q ? 3 : 7 },
    idle: { counts: q ? [0, 10, 30] : [0, 10, 110], windowMs: q ? 10_000 : 20_000, settleMs: q ? 3000 : 5000 },
    '110': { pods: q ? 30 : 110, windowMs: q ? 10_000 : 30_000, settleMs: q ? 5000 : 15_000 },
    status: { pods: q ? 5 : 6, containersPerPod: 6 },
    probes: { pods: q ? 20 : 50, windowMs: q ? 10_000 : 20_000, settleMs: 5000 },
    soak: { minutes: args.minutes, batch: q ? 3 : 5, holdMs: 3000 },
    api: { rounds: q ? 3 : 7, writes: q ? 100 : 500, pods: 110, tableReps: 50, configMaps: q ? 2000 : 10_000 },
    workloads: { scale: q ? 10 : 30, rolling: 10, windowMs: q ? 10_000 : 20_000, settleMs: q ? 3000 : 5000 },
  };
}

function describe(id: BenchId, p: ReturnType<typeof plan>): string {
  switch (id) {
    case 'start': return `N=${p.start.rounds} alternating rounds per arm and pod shape (agent, direct Docker calls, API, podman), after one warm-up round; medians.`;
    case 'idle': return `Pod counts ${p.idle.counts.join(', ')}; each sampled for ${p.idle.windowMs / 1000} s after a ${p.idle.settleMs / 1000} s settle.`;
    case '110': return `${p['110'].pods} pods; steady state sampled for ${p['110'].windowMs / 1000} s after a ${p['110'].settleMs / 1000} s settle.`;
    case 'status': return `${p.status.pods} pods × ${p.status.containersPerPod} containers = ${p.status.pods * p.status.containersPerPod} exits.`;
    case 'probes': return `${p.probes.pods} pods with a readiness probe every 1 s, exec then httpGet (a fresh agent each), ${p.probes.windowMs / 1000} s window after a ${p.probes.settleMs / 1000} s settle.`;
    case 'api': return `Pod start: N=${p.api.rounds} alternating rounds per arm (folder, kubectl apply, POST) after one warm-up round, medians; ${p.api.writes} ConfigMap creates then ${p.api.writes} updates one at a time under a watch; ${p.api.pods} pods bound to a node no kubelet runs, the Table list ${p.api.tableReps} times; ${p.api.configMaps.toLocaleString('en-US')} ConfigMaps on a fresh agent.`;
    case 'workloads': return `One agent; the real kubectl; pod moments from a watch on the API. apply: 3 replicas → Ready. scale: 0 → ${p.workloads.scale} Running against ${p.workloads.scale} folder pods, one run each. rolling: ${p.workloads.rolling} replicas rolled by \`kubectl set env\`. idle: ${p.workloads.windowMs / 1000} s window after a ${p.workloads.settleMs / 1000} s settle.`;
    case 'soak': return `Ran for ${p.soak.minutes} minute${p.soak.minutes === 1 ? '' : 's'} (\`npm run soak -- --minutes ${p.soak.minutes}\`; the default soak is 60), batches of ${p.soak.batch} pods held ${p.soak.holdMs / 1000} s.`;
  }
}

async function runOne(id: BenchId, sec: Section, p: ReturnType<typeof plan>): Promise<void> {
  switch (id) {
    case 'start': return benchStart(sec, p.start);
    case 'idle': return benchIdle(sec, p.idle);
    case '110': return benchMaxPods(sec, p['110']);
    case 'status': return benchStatus(sec, p.status);
    case 'probes': return benchProbes(sec, p.probes);
    case 'soak': return benchSoak(sec, p.soak);
    case 'api': return benchApi(sec, p.api);
    case 'workloads': return benchWorkloads(sec, p.workloads);
  }
}

function dockerdPid(): string {
  try { return execFileSync('pidof', ['dockerd'], { encoding: 'utf8' }).trim(); } catch { return ''; }
}

/** Waits (up to 3 minutes) until the Docker engine answers: other work on the machine may restart it. */
async function dockerAnswers(): Promise<void> {
  for (let i = 0; i < 180; i++) {
    try { execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 10_000 }); return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the Docker engine did not answer for 3 minutes');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const p = plan(args);
  const ids = args.only.length ? BENCH_IDS.filter((id) => args.only.includes(id)) : [...BENCH_IDS];
  const mode = args.quick ? 'quick' : 'full';
  execFileSync('docker', ['image', 'inspect', 'busybox:latest', 'mini-kubelet/pause:local'], { stdio: 'ignore' });
  process.stdout.write(`mini-kubelet benchmarks (${mode}): ${ids.join(', ')}\n`);
  const onSignal = () => { process.stdout.write('\ninterrupted: removing what the benchmark made\n'); sweepCreatedNodes(); process.exit(130); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const t0 = Date.now();
  const results: SectionResult[] = [];
  let broke = false;
  for (const id of ids) {
    // A run during which the Docker daemon restarted (other work on the machine, e.g. fault tests) measures
    // nothing useful: it is repeated (twice at most) and, failing that, recorded as disturbed.
    for (let attempt = 1; ; attempt++) {
      await dockerAnswers();
      const pid = dockerdPid();
      const sec = new Section(id, describe(id, p), mode);
      const load0 = loadavg()[0]!;
      let error: string | undefined;
      try {
        await runOne(id, sec, p);
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
        error = err instanceof Error ? `${err.message}${cause}` : String(err);
      }
      sweepCreatedNodes();
      sec.note(`Machine load average (1 min) at the start / end of this benchmark: ${load0.toFixed(1)} / ${loadavg()[0]!.toFixed(1)} (2 cores).`);
      const restarted = dockerdPid() !== pid;
      if (restarted && attempt < 3) {
        process.stdout.write(`  !! the Docker daemon restarted during this run (not by the benchmark): running ${id} again\n`);
        continue;
      }
      if (restarted) error = `${error ? `${error}; ` : ''}the Docker daemon restarted during the run (other work on the machine): figures disturbed`;
      if (error) { broke = true; process.stdout.write(`  !! ${id} failed: ${error}\n`); }
      results.push(sec.result(error));
      break;
    }
  }
  sweepCreatedNodes();
  const missed = results.flatMap((r) => r.figures.filter((f) => f.met === false).map((f) => `${r.id}: ${f.name} = ${f.value} (goal ${f.goal})`));
  process.stdout.write(`\nDone in ${Math.round((Date.now() - t0) / 1000)} s. Goals missed: ${missed.length ? `\n  ${missed.join('\n  ')}` : 'none'}\n`);
  if (args.write) {
    const path = join(REPO, 'docs/benchmarks.md');
    writeDocs(path, results);
    process.stdout.write(`Recorded in ${path}\n`);
  }
  return broke ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  sweepCreatedNodes();
  process.exit(2);
});
