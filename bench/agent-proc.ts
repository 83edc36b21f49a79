// bench/agent-proc.ts — runs the agent as a separate process (`node bin/mini-kubelet agent ...`) on a temp
// manifest folder, with a node name of its own, and gives the benchmarks what they need from it: writing and
// removing manifests (atomically, as editors do), reading /pods and /lifecycle, the process id for /proc
// sampling, and a stop that leaves nothing behind (SIGTERM, `mini-kubelet reset --hostname-override <node>`,
// then `docker rm -f` of anything still labelled with the node).
//
// Nothing is timed here; the benchmarks time around these calls.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Pod } from '../agent/api/v1.js';
import { sleep, waitUntil } from './util.js';

export const NODE_LABEL = 'io.mini-kubelet.node';
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin/mini-kubelet');
/** The agents' logs (one file per node name), kept for diagnosis. */
export const LOG_DIR = join(tmpdir(), 'mkb-logs');

export interface LifecycleEntry { readonly time: number; readonly kind: string; readonly container?: string; readonly [k: string]: unknown }

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

/** Every node name this process made up: the final sweep (also on Ctrl-C) removes their objects. */
export const createdNodes = new Set<string>();

export function uniqueNode(prefix = 'mkb'): string {
  const n = `${prefix}-${randomBytes(4).toString('hex')}`;
  createdNodes.add(n);
  return n;
}

/** Removes every container and network labelled with a node this process made (last-resort cleanup). */
export function sweepCreatedNodes(): void {
  for (const a of AgentProc.live) a.kill();
  for (const node of createdNodes) {
    try {
      const ids = dockerIds(node);
      if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 300_000 });
      const nets = execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      for (const n of nets) execFileSync('docker', ['network', 'rm', n], { stdio: 'ignore' });
    } catch { /* best effort */ }
  }
}

export interface AgentOptions {
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/x']. */
  readonly nodeArgs?: readonly string[];
  /** Extra agent flags, e.g. ['-v', '4'] (MKB_AGENT_ARGS adds more, space-separated, for diagnosis). */
  readonly agentArgs?: readonly string[];
}

export class AgentProc {
  /** Agents not yet stopped: an interrupted run kills them before sweeping their containers. */
  static readonly live = new Set<AgentProc>();
  readonly dir = mkdtempSync(join(tmpdir(), 'mkb-manifests-'));
  readonly rootDir = mkdtempSync(join(tmpdir(), 'mkb-root-'));
  readonly node = uniqueNode();
  readonly logFile = join(LOG_DIR, `${this.node}.log`);
  #child: ChildProcess | undefined;
  #port = 0;
  #exited = false;

  get pid(): number { return this.#child!.pid!; }
  get url(): string { return `http://127.0.0.1:${this.#port}`; }
  get alive(): boolean { return !this.#exited; }

  static async start(o: AgentOptions = {}): Promise<AgentProc> {
    const a = new AgentProc();
    AgentProc.live.add(a);
    await a.#spawn(o);
    return a;
  }

  async #spawn(o: AgentOptions, port?: number, intervalMs = 100): Promise<void> {
    this.#port = port ?? await freePort();
    mkdirSync(LOG_DIR, { recursive: true });
    const log = openSync(this.logFile, 'a');
    const nodeArgs = [...(o.nodeArgs ?? []), ...(process.env.MKB_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    this.#child = spawn(process.execPath, [...nodeArgs, BIN, 'agent',
      '--pod-manifest-path', this.dir, '--root-dir', this.rootDir, '--hostname-override', this.node,
      '--read-only-port', String(this.#port), '--pod-infra-container-image', 'mini-kubelet/pause:local',
      ...(o.agentArgs ?? []), ...(process.env.MKB_AGENT_ARGS ?? '').split(' ').filter(Boolean)], {
      stdio: ['ignore', log, log], cwd: REPO,
    });
    this.#child.once('exit', () => { this.#exited = true; });
    await waitUntil(`the agent to answer on ${this.url} (log: ${this.logFile})`, async () => {
      if (this.#exited) throw new Error(`the agent exited; log:\n${readFileSync(this.logFile, 'utf8').slice(-2000)}`);
      const r = await fetch(`${this.url}/healthz`).catch(() => undefined);
      return r?.ok ? true : undefined;
    }, 30_000, intervalMs);
  }

  /** SIGTERM, and waits for the exit (10 s, then SIGKILL); the folder, root dir, node and port are kept. */
  async terminate(): Promise<void> {
    if (this.#child && !this.#exited) {
      this.#child.kill('SIGTERM');
      for (let i = 0; i < 1000 && !this.#exited; i++) await sleep(10);
      if (!this.#exited) this.#child.kill('SIGKILL');
      for (let i = 0; i < 200 && !this.#exited; i++) await sleep(10);
    }
  }

  /** Starts the process again after terminate(), same everything; resolves when /healthz answers (polled every 10 ms). */
  async respawn(o: AgentOptions = {}): Promise<void> {
    this.#exited = false;
    await this.#spawn(o, this.#port, 10);
  }

  /** Writes a manifest atomically (temp dot-file, then rename): the agent never sees it half-written. */
  write(name: string, pod: object): void {
    const tmp = join(this.dir, `.${name}.tmp`);
    writeFileSync(tmp, JSON.stringify(pod));
    renameSync(tmp, join(this.dir, `${name}.json`));
  }

  remove(name: string): void {
    const f = join(this.dir, `${name}.json`);
    if (existsSync(f)) unlinkSync(f);
  }

  /** GET on the agent, tried once more when the connection fails (a kept-alive socket the agent just closed). */
  async get(path: string): Promise<Response> {
    try { return await fetch(`${this.url}${path}`); } catch { return fetch(`${this.url}${path}`); }
  }

  async pods(): Promise<Pod[]> {
    const r = await this.get('/pods');
    return ((await r.json()) as { items: Pod[] }).items;
  }

  async lifecycle(name: string, namespace = 'default'): Promise<LifecycleEntry[]> {
    const r = await this.get(`/lifecycle/${namespace}/${name}`);
    if (!r.ok) return [];
    return ((await r.json()) as { entries: LifecycleEntry[] }).entries;
  }

  /**
   * Watches one pod through the agent's API (a status change is pushed at once, nothing is polled, so the
   * watch adds no load while a start is timed). `until` resolves with the time the first event whose pod
   * satisfies pred arrived; close() ends the watch.
   */
  async watchPod(name: string, pred: (p: Pod) => boolean, timeoutMs: number, namespace = 'default'): Promise<{ until: Promise<{ at: number; pod: Pod }>; close(): void }> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s watching pod ${name}`)), timeoutMs);
    const r = await fetch(`${this.url}/api/v1/namespaces/${namespace}/pods?watch=true&fieldSelector=metadata.name%3D${name}`, { signal: ac.signal });
    if (!r.ok || !r.body) throw new Error(`watch of pod ${name} answered ${r.status}`);
    const body = r.body;
    const until = (async () => {
      const dec = new TextDecoder();
      let pending = '';
      for await (const chunk of body) {
        pending += dec.decode(chunk as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          const ev = line ? JSON.parse(line) as { type: string; object: Pod } : undefined;
          if (ev && ev.type !== 'DELETED' && pred(ev.object)) return { at: Date.now(), pod: ev.object };
        }
      }
      throw new Error(`the watch of pod ${name} ended`);
    })().finally(() => { clearTimeout(timer); ac.abort(); });
    until.catch(() => undefined);
    return { until, close: () => ac.abort() };
  }

  /** Waits until every named pod satisfies pred (one /pods read per poll). */
  async waitPods(names: readonly string[], pred: (p: Pod) => boolean, timeoutMs: number, what: string, intervalMs = 100): Promise<void> {
    const want = new Set(names);
    await waitUntil(what, async () => {
      const ok = (await this.pods()).filter((p) => want.has(p.metadata!.name!) && pred(p)).length;
      return ok === want.size ? true : undefined;
    }, timeoutMs, intervalMs);
  }

  /** Waits until /pods lists none of the names and Docker holds no container of this node. */
  async waitGone(names: readonly string[], timeoutMs: number): Promise<void> {
    const want = new Set(names);
    await waitUntil('pods to be deleted', async () => ((await this.pods()).some((p) => want.has(p.metadata!.name!)) ? undefined : true), timeoutMs, 100);
    await waitUntil('containers of deleted pods to be removed', () => (dockerIds(this.node).length === 0 || names.length === 0 ? true : undefined), timeoutMs, 200).catch(() => undefined);
  }

  /** Interrupted run: SIGKILL at once (the sweep removes the pods). */
  kill(): void {
    if (this.#child && !this.#exited) this.#child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.rootDir, { recursive: true, force: true });
  }

  /** SIGTERM, wait for exit; then reset the node and remove whatever is left. Idempotent. */
  async stop(): Promise<void> {
    AgentProc.live.delete(this);
    await this.terminate();
    cleanupNode(this.node, this.rootDir);
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}

/** Ids of every container (any state) labelled with this node. */
export function dockerIds(node: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** `mini-kubelet reset` for the node, then `docker rm -f -v` of anything still labelled with it. */
export function cleanupNode(node: string, rootDir?: string): void {
  try {
    execFileSync(process.execPath, [BIN, 'reset', '--hostname-override', node, '--grace-period', '0', ...(rootDir ? ['--root-dir', rootDir] : [])], { stdio: 'ignore', timeout: 300_000 });
  } catch { /* the label sweep below still runs */ }
  const ids = dockerIds(node);
  if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 300_000 });
}

/** A pod's containers all running (and, with ready, all ready). */
export function allRunning(p: Pod, ready = false): boolean {
  const cs = p.status?.containerStatuses ?? [];
  return p.status?.phase === 'Running' && cs.length === (p.spec?.containers?.length ?? -1)
    && cs.every((c) => !!c.state?.running && (!ready || c.ready === true));
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
