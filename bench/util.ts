// bench/util.ts — the small tools every benchmark shares: statistics (median, percentiles), waiting, and
// reading a process's CPU time and resident memory from /proc.
//
// CPU% is (utime + stime) from /proc/<pid>/stat, in clock ticks (getconf CLK_TCK), over a wall-clock window:
// 100% is one core busy for the whole window. RSS is VmRSS from /proc/<pid>/status, sampled every 500 ms.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Linear-interpolated percentile (q in 0..100) of an unsorted sample; NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * (q / 100);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (v: readonly number[]): number => percentile(v, 50);
export const mean = (v: readonly number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

/** Least-squares slope of y over x (per unit of x); 0 with fewer than two points. */
export function slope(points: readonly [number, number][]): number {
  if (points.length < 2) return 0;
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  let num = 0;
  let den = 0;
  for (const [x, y] of points) { num += (x - mx) * (y - my); den += (x - mx) ** 2; }
  return den === 0 ? 0 : num / den;
}

/** Polls `probe` every intervalMs until it returns a value other than undefined; throws after timeoutMs. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) { lastErr = err; }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ''}`);
    await sleep(intervalMs);
  }
}

let clkTck: number | undefined;
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try { clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { clkTck = 100; }
  }
  return clkTck;
}

/** CPU seconds (user + system, the process itself) used so far by pid. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/** Resident set size of pid in MB (VmRSS). */
export function rssMB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Open file descriptors of pid. */
export function fdCount(pid: number): number {
  try { return execFileSync('ls', [`/proc/${pid}/fd`], { encoding: 'utf8' }).split('\n').filter(Boolean).length; } catch { return NaN; }
}

export interface ProcSample {
  /** CPU% of one core over the window. */
  readonly cpuPct: number;
  readonly rssMeanMB: number;
  readonly rssMaxMB: number;
  readonly rssEndMB: number;
  readonly seconds: number;
}

/** Samples pid for windowMs: CPU% over the window and RSS every 500 ms. */
export async function sampleProcess(pid: number, windowMs: number): Promise<ProcSample> {
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  const rss: number[] = [rssMB(pid)];
  while (performance.now() - t0 < windowMs) {
    await sleep(Math.min(500, windowMs - (performance.now() - t0)));
    rss.push(rssMB(pid));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuPct = ((cpuSeconds(pid) - c0) / seconds) * 100;
  return { cpuPct, rssMeanMB: mean(rss), rssMaxMB: Math.max(...rss), rssEndMB: rss[rss.length - 1]!, seconds };
}

/** The pids of the Docker engine's daemons (dockerd, containerd) for context figures; empty if not found. */
export function enginePids(): number[] {
  const out: number[] = [];
  for (const name of ['dockerd', 'containerd']) {
    try { out.push(...execFileSync('pidof', [name], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number)); } catch { /* not running under that name */ }
  }
  return out;
}

/** CPU% of a set of processes together over windowMs (for the engine's share of a workload). */
export async function sampleCpuOf(pids: readonly number[], windowMs: number): Promise<number> {
  const total = () => pids.reduce((s, p) => { try { return s + cpuSeconds(p); } catch { return s; } }, 0);
  const t0 = performance.now();
  const c0 = total();
  await sleep(windowMs);
  return ((total() - c0) / ((performance.now() - t0) / 1000)) * 100;
}

/**
 * How late this (nearly idle) process's own 50 ms timers fire over windowMs: the machine's scheduling
 * noise, as a reference for timing figures of the agent measured at the same time. Returns p99 lateness.
 */
export async function timerLateness(windowMs: number): Promise<number> {
  const late: number[] = [];
  const end = performance.now() + windowMs;
  while (performance.now() < end) {
    const due = performance.now() + 50;
    await sleep(50);
    late.push(performance.now() - due);
  }
  return percentile(late, 99);
}

export const ms = (v: number): string => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');
export const secs = (v: number): string => (Number.isFinite(v) ? `${(v / 1000).toFixed(1)} s` : 'n/a');
export const pct = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)}%` : 'n/a');
export const mb = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} MB` : 'n/a');
export const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');
