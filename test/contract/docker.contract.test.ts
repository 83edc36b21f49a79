// The runtime contract on cri/docker against the real engine: one test runtime (run and rig labels, own
// network and root dir) for the file, removed afterwards by label. No engine: every case fails with the
// message naming `npm run setup` (requireDocker), as the other Docker tests do; nothing is skipped.
import { afterAll } from 'vitest';
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { cleanupTestRuntime, newTestRuntime, requireDocker } from '../helpers/docker-rig.js';
import { dockerHarness } from './docker-harness.js';
import { runtimeContract } from './cases.js';

/** Asked once for the file; every case awaits it, so an absent engine fails each case at once. */
const engine = requireDocker();
engine.catch(() => undefined);
let rt: DockerRuntime | undefined;

afterAll(async () => { if (rt) await cleanupTestRuntime(rt); });

runtimeContract('docker', async () => {
  await engine;
  rt ??= newTestRuntime();
  return dockerHarness(rt);
});
