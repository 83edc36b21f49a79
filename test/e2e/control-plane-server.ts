// test/e2e/control-plane-server.ts — the standalone control plane as the e2e tests run it: `node
// dist/control-plane/main.js --root-dir DIR --port 0` in its own process (the URL read from its first line),
// killed gently or with SIGKILL, restartable on the same directory; and the REAL kubectl against it with
// its own empty HOME (own discovery cache, no kubeconfig) and optional extra environment (KUBE_EDITOR).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';

const MAIN = resolve('dist/control-plane/main.js');

export interface ControlPlane {
  readonly url: string;
  readonly rootDir: string;
  readonly proc: ChildProcess;
  /** SIGKILL (a crash) or SIGTERM; resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the control plane on `rootDir` (a fresh temporary one by default) and waits until it serves. */
export async function startControlPlane(rootDir = mkdtempSync(join(tmpdir(), 'mk-cp-'))): Promise<ControlPlane> {
  const proc = spawn(process.execPath, [MAIN, '--root-dir', rootDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the control plane did not start within 20 s: ${stderr}`)), 20_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); ok(m[1]!); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); fail(new Error(`the control plane exited with ${code}: ${stderr}`)); });
  });
  const gone = new Promise<void>((ok) => proc.once('exit', () => ok()));
  return {
    url, rootDir, proc,
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await gone;
    },
  };
}

export interface KubectlResult { stdout: string; stderr: string; exitCode: number }

export interface Kubectl {
  run(...args: string[]): Promise<KubectlResult>;
  /** Same, with extra environment (KUBE_EDITOR …). */
  runEnv(env: Record<string, string>, ...args: string[]): Promise<KubectlResult>;
  /** A long-running kubectl (get -w); kill it when done. */
  spawn(...args: string[]): ResultPromise;
  server: string;
  dispose(): void;
}

export function kubectlAt(server: () => string): Kubectl {
  const home = mkdtempSync(join(tmpdir(), 'mk-cp-kubectl-'));
  const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH!, HOME: home, KUBECONFIG: join(home, 'none'), ...extra });
  const runEnv = async (extra: Record<string, string>, ...args: string[]): Promise<KubectlResult> => {
    const r = await execa('kubectl', ['--server', server(), ...args], { env: env(extra), extendEnv: false, reject: false, stripFinalNewline: false, timeout: 90_000, stdin: 'ignore' });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  };
  return {
    run: (...args) => runEnv({}, ...args),
    runEnv,
    spawn: (...args) => execa('kubectl', ['--server', server(), ...args], { env: env(), extendEnv: false, reject: false, stdin: 'ignore', timeout: 90_000 }),
    get server() { return server(); },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** A fresh control plane and kubectl for one test file (started before its tests, stopped after). */
export function controlPlaneSuite(hooks: { beforeAll(fn: () => Promise<void>): void; afterAll(fn: () => Promise<void>): void }): { cp(): ControlPlane; k(): Kubectl } {
  let cp: ControlPlane | undefined;
  let k: Kubectl | undefined;
  hooks.beforeAll(async () => { cp = await startControlPlane(); k = kubectlAt(() => cp!.url); });
  hooks.afterAll(async () => { await cp?.kill(); k?.dispose(); });
  return { cp: () => cp!, k: () => k! };
}

/** Writes manifests into a temporary folder: `file(name, text)` → its path. */
export function manifestFolder(prefix: string): (name: string, text: string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name, text) => { const f = join(dir, name); writeFileSync(f, text); return f; };
}
