// Vitest global setup: one run id for the whole test run, and a teardown that removes every container,
// volume and network this run labelled, even when tests failed or were interrupted. Docker availability is checked by
// the Docker tests themselves (test/helpers/docker-rig.ts), so unit tests still run without Docker. The other
// programs tests run (kubectl, python3: test/helpers/required-tools.ts) are checked here, before any test, when
// the run includes a test file that runs them.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { missingTools } from './required-tools.js';

export const RUN_LABEL = 'io.mini-kubelet.test-run';

/** The test files of this run (absolute paths), as Vitest selects them from the command line's filters. */
async function testFilesOfRun(project: TestProject): Promise<string[]> {
  // The filters are not part of Vitest's public API; without them every test file counts (a stricter check).
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  return (await project.globTestFiles(filters)).testFiles;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const missing = missingTools(await testFilesOfRun(project));
  if (missing.length) throw new Error(`these tests need programs this machine lacks:\n  ${missing.join('\n  ')}`);
  const runId = process.env.MK_TEST_RUN ?? `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.MK_TEST_RUN = runId;
  return () => removeLabelled(runId);
}

function removeLabelled(runId: string): void {
  const filter = `label=${RUN_LABEL}=${runId}`;
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', filter], { encoding: 'utf8', timeout: 30_000 }).split('\n').filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 60_000 });
    const vols = execFileSync('docker', ['volume', 'ls', '-q', '--filter', filter], { encoding: 'utf8', timeout: 30_000 }).split('\n').filter(Boolean);
    if (vols.length) execFileSync('docker', ['volume', 'rm', '-f', ...vols], { stdio: 'ignore', timeout: 60_000 });
    const nets = execFileSync('docker', ['network', 'ls', '-q', '--filter', filter], { encoding: 'utf8', timeout: 30_000 }).split('\n').filter(Boolean);
    if (nets.length) execFileSync('docker', ['network', 'rm', ...nets], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // Docker unreachable: nothing of ours can be running there.
  }
}
