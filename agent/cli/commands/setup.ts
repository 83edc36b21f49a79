// agent/cli/commands/setup.ts — `mini-kubelet setup`: runs scripts/setup.mjs (Docker engine + local images).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function runSetup(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`Usage: mini-kubelet setup [--verbose]

Makes sure a Docker engine answers (on Debian as root: installs docker.io and starts dockerd) and that the
images the examples and tests use exist (pulled, or built locally from busybox-static and catatonit).
Idempotent; quiet when everything is in place.
`);
    return 0;
  }
  const script = fileURLToPath(new URL('../../../../scripts/setup.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, ...argv], { stdio: 'inherit' });
  return r.status ?? 1;
}
