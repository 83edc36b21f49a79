// The runtime contract on cri/docker against the real engine: one test runtime (run and rig labels, own
// network and root dir) for the file, removed afterwards by label. No engine: every case fails, naming
// `npm run setup` (requireDocker), as the other Docker tests do; nothing is skipped.
import { afterAll, beforeAll } from 'vitest';
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { cleanupTestRuntime, newTestRuntime, requireDocker } from '../helpers/docker-rig.js';
import { dockerHarness } from './docker-harness.js';
import { runtimeContract } from './cases.js';

let rt: DockerRuntime | undefined;

beforeAll(async () => {
  await requireDocker();
  rt = newTestRuntime();
});
afterAll(async () => { if (rt) await cleanupTestRuntime(rt); });

runtimeContract('docker', async () => {
  await requireDocker();
  return dockerHarness(rt!);
});
