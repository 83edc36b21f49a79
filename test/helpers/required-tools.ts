// test/helpers/required-tools.ts — the programs some tests run besides Docker, checked before any test
// starts (from global-setup.ts), so a machine that lacks one fails at once with a message naming the
// program and how to get it, instead of a test failing half-way.
//
// Docker itself is scripts/setup.mjs's business (`npm test` runs it first; it installs docker.io, and
// python3, on Debian as root). kubectl is not installed by setup: Debian's package (kubernetes-client) is
// kubectl 1.20 in bookworm, too old for `kubectl exec` over WebSocket, which the e2e tests use.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface RequiredTool {
  readonly name: string;
  /** Undefined when usable, else why not. */
  problem(): string | undefined;
  /** How to get it. */
  readonly install: string;
}

function output(cmd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
}

export const KUBECTL_MIN_MINOR = 30;

/** The client version of `kubectl version --client -o json` as [major, minor], or undefined. */
export function kubectlVersion(json: string | undefined): [number, number] | undefined {
  try {
    const m = /^v(\d+)\.(\d+)/.exec((JSON.parse(json ?? '') as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '');
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  } catch {
    return undefined;
  }
}

export const REQUIRED_TOOLS: readonly RequiredTool[] = [
  {
    name: 'kubectl',
    problem() {
      const out = output('kubectl', ['version', '--client', '-o', 'json']);
      if (out === undefined) return 'kubectl is not installed (or does not run)';
      const v = kubectlVersion(out);
      if (!v) return 'kubectl did not say its client version';
      return v[0] > 1 || v[1] >= KUBECTL_MIN_MINOR ? undefined : `kubectl is ${v.join('.')}; the tests need 1.${KUBECTL_MIN_MINOR} or newer (exec over WebSocket)`;
    },
    install: 'install kubectl 1.30 or newer from https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ '
      + '(e.g. curl -LO https://dl.k8s.io/release/v1.33.0/bin/linux/amd64/kubectl && sudo install -m 0755 kubectl /usr/local/bin/kubectl)',
  },
  {
    name: 'python3',
    problem: () => (output('python3', ['--version']) === undefined ? 'python3 is not installed (it gives kubectl exec -it a terminal)' : undefined),
    install: '`npm run setup` installs it on Debian as root; elsewhere `sudo apt-get install python3` (or your system\'s package)',
  },
];

/** Does this file run `program` (execa/execFile/spawn…('program', …)), itself or through a relative import? */
export function runsProgram(file: string, program: string, seen = new Set<string>()): boolean {
  if (seen.has(file) || !existsSync(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (new RegExp(`\\b(execa|execaSync|execFile|execFileSync|spawn|spawnSync)\\(\\s*'${program}'`).test(text)) return true;
  const imports = [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) => normalize(join(dirname(file), `${m[1]}.ts`)));
  return imports.some((f) => runsProgram(f, program, seen));
}

/** One line per required tool that the given test files (absolute paths) run and that is missing or unusable. */
export function missingTools(testFiles: readonly string[], tools: readonly RequiredTool[] = REQUIRED_TOOLS): string[] {
  return tools
    .filter((t) => testFiles.some((f) => runsProgram(f, t.name)))
    .flatMap((t) => {
      const why = t.problem();
      return why ? [`${t.name}: ${why}. To get it: ${t.install}`] : [];
    });
}
