// bench/api-http.ts — the API benchmark's clients of the agent's API server: plain requests over kept-alive
// loopback connections (node:http, lighter than fetch on the 2 cores the server needs), a watch read as
// newline-delimited JSON events with each event's arrival time, and the real kubectl run with its own
// empty HOME (its own discovery cache, no kubeconfig), as test/helpers/kubectl.ts runs it.
//
// Nothing is timed here except the arrival of watch events; the benchmarks time around these calls.
import { Agent, request, type IncomingMessage } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Answer { readonly status: number; readonly body: Buffer }

export interface WatchEvent { readonly type: string; readonly object: { metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> }; [k: string]: unknown } }

/** Requests to one API server over up to `sockets` kept-alive connections. */
export class ApiClient {
  readonly #agent: Agent;
  constructor(readonly base: string, sockets = 1) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** One request; the whole answer body is read before it resolves. */
  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(`${this.base}${path}`, {
        method, agent: this.#agent,
        headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}), ...headers },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });
  }

  /** send(), failing unless the status is the expected one. */
  async must(method: string, path: string, body: unknown, status: number): Promise<Answer> {
    const a = await this.send(method, path, body);
    if (a.status !== status) throw new Error(`${method} ${path} answered ${a.status}: ${a.body.toString('utf8').slice(0, 300)}`);
    return a;
  }

  close(): void { this.#agent.destroy(); }
}

export interface Watcher {
  /** Resolves when the stream ends (close() included). */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * Opens a watch (path with ?watch=true…) on its own connection; resolves once the answer's headers arrived
 * (the server has registered the watcher by then). onEvent gets each event with performance.now() at the
 * moment its line was read.
 */
export function openWatch(base: string, path: string, onEvent: (ev: WatchEvent, at: number) => void): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { accept: 'application/json' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) { reject(new Error(`watch ${path} answered ${res.statusCode}`)); res.resume(); return; }
      let pending = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => { res.on('end', done); res.on('close', done); res.on('error', () => done()); });
      res.on('data', (chunk: string) => {
        const at = performance.now();
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line) as WatchEvent, at);
        }
      });
      resolve({ ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface KubectlRun { readonly ms: number; readonly stdout: string }

/** The real kubectl against one server, with its own HOME; run() fails on a non-zero exit. */
export class Kubectl {
  readonly #home = mkdtempSync(join(tmpdir(), 'mkb-kubectl-home-'));
  constructor(readonly server: string) {}

  /** Runs kubectl with the arguments; ms is the wall time from just before the spawn to its exit. */
  run(...args: string[]): Promise<KubectlRun> {
    const env = { PATH: process.env.PATH ?? '', HOME: this.#home, KUBECONFIG: join(this.#home, 'none') };
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      execFile('kubectl', ['--server', this.server, ...args], { env, timeout: 90_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
        const ms = performance.now() - t0;
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${err.message} ${stderr}`.trim()));
        else resolve({ ms, stdout });
      });
    });
  }

  /** Writes a manifest into kubectl's HOME (for `apply -f`); returns its path. */
  file(name: string, manifest: object): string {
    const path = join(this.#home, `${name}.json`);
    writeFileSync(path, JSON.stringify(manifest));
    return path;
  }

  dispose(): void { rmSync(this.#home, { recursive: true, force: true }); }
}
