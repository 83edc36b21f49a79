// bench/report.ts — figures: how a benchmark records them, how they are printed (each with its goal beside
// it) and how docs/benchmarks.md is written from them.
//
// docs/benchmarks.md is generated: a machine description, how to reproduce, one table per benchmark. The
// figures of every benchmark are also kept as JSON in a comment at the end of the file, so a run of one
// benchmark (`--only status`) replaces that benchmark's table and keeps the others. Text between the
// `<!-- notes:start -->` and `<!-- notes:end -->` markers is written by people and kept across runs. When a
// benchmark is replaced by a new one (its title changes), the old one's last recorded run is kept, as recorded,
// after the current tables.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';

export const BENCH_IDS = ['start', 'idle', '110', 'status', 'probes', 'soak', 'api', 'workloads'] as const;
export type BenchId = (typeof BENCH_IDS)[number];

export interface Figure {
  readonly name: string;
  readonly value: string;
  readonly goal?: string;
  /** undefined: no goal (a context figure). */
  readonly met?: boolean;
}

export interface SectionResult {
  readonly id: BenchId;
  readonly title: string;
  readonly how: string;
  readonly figures: Figure[];
  readonly notes: string[];
  readonly mode: string;
  readonly date: string;
  readonly seconds: number;
  readonly error?: string;
}

const TITLES: Record<BenchId, string> = {
  start: '1. Pod start (issue 10): manifest moved in → /pods Running, step by step',
  idle: "2. The agent's own cost, idle",
  '110': '3. 110 pods with exec readiness and http liveness probes',
  status: '4. Status latency (container exit → /pods)',
  probes: '5. Probe timing (issue 4): 50 pods probing every second',
  soak: '6. Soak: creating and deleting pods in a loop',
  api: '7. The API (issue 11): pod start through kubectl, watch latency, kubectl get, 10,000 ConfigMaps',
  workloads: '8. Workload controllers (issue 12): Deployment apply, scale and rolling update; idle with 18 workloads',
};

/** Collects the figures of one benchmark and prints each as it is recorded. */
export class Section {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  readonly #t0 = Date.now();
  constructor(readonly id: BenchId, readonly how: string, readonly mode: string) {
    process.stdout.write(`\n== ${TITLES[id]} ==\n`);
  }

  figure(name: string, value: string, goal?: string, met?: boolean): void {
    const f: Figure = { name, value, ...(goal !== undefined ? { goal } : {}), ...(met !== undefined ? { met } : {}) };
    this.figures.push(f);
    const verdict = met === undefined ? '' : met ? '  MET' : '  MISSED';
    process.stdout.write(`  ${name.padEnd(64)} ${value.padStart(20)}${goal ? `   goal ${goal}${verdict}` : ''}\n`);
  }

  note(text: string): void {
    this.notes.push(text);
    process.stdout.write(`  · ${text}\n`);
  }

  /** Progress line (printed, not recorded). */
  say(text: string): void {
    process.stdout.write(`    ${text}\n`);
  }

  result(error?: string): SectionResult {
    return {
      id: this.id, title: TITLES[this.id], how: this.how, figures: this.figures, notes: this.notes, mode: this.mode,
      date: new Date().toISOString(), seconds: Math.round((Date.now() - this.#t0) / 1000), ...(error ? { error } : {}),
    };
  }
}

function sh(cmd: string, args: string[]): string {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return '?'; }
}

export function machine(): Record<string, string> {
  return {
    CPU: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    RAM: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    Kernel: release(),
    Docker: sh('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']),
    Node: process.version,
    Commit: `${sh('git', ['rev-parse', '--short', 'HEAD'])}${sh('git', ['status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : ''}`,
  };
}

const DATA_START = '<!-- bench-data';
const NOTES_START = '<!-- notes:start -->';
const NOTES_END = '<!-- notes:end -->';

interface DocData { machine: Record<string, string>; sections: Partial<Record<BenchId, SectionResult>>; kept?: SectionResult[] }

function readData(text: string): DocData | undefined {
  const at = text.lastIndexOf(DATA_START);
  if (at < 0) return undefined;
  const end = text.indexOf('-->', at);
  try { return JSON.parse(Buffer.from(text.slice(at + DATA_START.length, end).trim(), 'base64').toString('utf8')) as DocData; } catch { return undefined; }
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

function renderSection(s: SectionResult): string {
  const out = [`## ${s.title}`, '', `_${s.mode} run, ${s.date.slice(0, 16).replace('T', ' ')} UTC, ${s.seconds} s._ ${s.how}`, ''];
  if (s.error) out.push(`**The run failed:** ${esc(s.error)}`, '');
  if (s.figures.length) {
    out.push('| Figure | Measured | Goal | |', '|---|---:|---|---|');
    for (const f of s.figures) out.push(`| ${esc(f.name)} | ${esc(f.value)} | ${esc(f.goal ?? '')} | ${f.met === undefined ? '' : f.met ? 'met' : '**missed**'} |`);
    out.push('');
  }
  for (const n of s.notes) out.push(`- ${n}`);
  if (s.notes.length) out.push('');
  return out.join('\n');
}

const DEFAULT_NOTES = `${NOTES_START}
## Reading the figures

(Nothing yet.)
${NOTES_END}`;

/** Merges these results into docs/benchmarks.md (keeping other benchmarks' tables and the notes). */
export function writeDocs(path: string, results: readonly SectionResult[]): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const data: DocData = readData(old) ?? { machine: {}, sections: {} };
  data.machine = machine();
  for (const r of results) {
    const old = data.sections[r.id];
    if (old && old.title !== r.title) data.kept = [...(data.kept ?? []).filter((k) => k.title !== old.title), old];
    data.sections[r.id] = r;
  }
  const ns = old.indexOf(NOTES_START);
  const ne = old.indexOf(NOTES_END);
  const notes = ns >= 0 && ne > ns ? old.slice(ns, ne + NOTES_END.length) : DEFAULT_NOTES;
  const summary: string[] = ['| Benchmark | Figure | Measured | Goal | |', '|---|---|---:|---|---|'];
  for (const id of BENCH_IDS) {
    const s = data.sections[id];
    if (s?.error) summary.push(`| ${id} | the run failed or was disturbed | ${esc(s.error)} | | **failed** |`);
    for (const f of s?.figures ?? []) if (f.goal) summary.push(`| ${id} | ${esc(f.name)} | ${esc(f.value)} | ${esc(f.goal)} | ${f.met ? 'met' : '**missed**'} |`);
  }
  const text = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.ts); the "Reading the figures" part is written by hand and kept across runs.',
    'Timing claims live here, never in timed tests.',
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm ci                        # builds dist/ (npm run bench builds again first)',
    'npm run bench                 # every benchmark, about 25 minutes on 2 cores; rewrites this file',
    'npm run bench -- --quick      # smaller N and fewer pods, a few minutes; prints only (add --write to record)',
    'npm run bench -- --only start # one of: start idle 110 status probes soak api (records only that table)',
    'npm run soak -- --minutes 60  # the soak alone (default 60 minutes; stops by itself)',
    '```',
    '',
    'The agent runs as a separate process (`node bin/mini-kubelet agent`), so its CPU time and RSS are read from',
    '`/proc/<pid>/stat` and `/proc/<pid>/status`. CPU% is one core = 100%. Each run uses its own node name',
    '(`--hostname-override mkb-<random>`); everything it made is removed at the end with `mini-kubelet reset` and',
    'by the label `io.mini-kubelet.node=<node>`. Other work on the machine (e.g. tests running concurrently) shows up',
    'in the figures; the machine of the recorded run:',
    '',
    '| | |', '|---|---|',
    ...Object.entries(data.machine).map(([k, v]) => `| ${k} | ${esc(v)} |`),
    '',
    '## Summary (figures with a goal)',
    '',
    ...summary,
    '',
    ...BENCH_IDS.map((id) => data.sections[id]).filter((s): s is SectionResult => !!s).map(renderSection),
    ...(data.kept ?? []).map((s) => renderSection({ ...s, title: `${s.title} — an earlier benchmark, kept as recorded` })),
    notes,
    '',
    `${DATA_START}`,
    Buffer.from(JSON.stringify(data)).toString('base64').replace(/(.{100})/g, '$1\n'),
    '-->',
    '',
  ].join('\n');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
