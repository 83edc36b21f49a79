// test/helpers/kubectl.ts — runs the REAL kubectl against a server URL with its own empty HOME (its own
// discovery cache, no kubeconfig), never throwing: the exit code, stdout and stderr are returned as they are.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface KubectlResult { stdout: string; stderr: string; exitCode: number }

export interface Kubectl {
  run(server: string, ...args: string[]): Promise<KubectlResult>;
  /** Removes the HOME it used. */
  dispose(): void;
}

export function kubectlClient(): Kubectl {
  const home = mkdtempSync(join(tmpdir(), 'mk-kubectl-home-'));
  return {
    async run(server, ...args) {
      const r = await execa('kubectl', ['--server', server, ...args], {
        env: { PATH: process.env.PATH!, HOME: home, KUBECONFIG: join(home, 'none') }, extendEnv: false, reject: false, stripFinalNewline: false, timeout: 90_000, stdin: 'ignore',
      });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    dispose() { rmSync(home, { recursive: true, force: true }); },
  };
}
