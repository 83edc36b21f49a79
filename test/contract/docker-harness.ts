// test/contract/docker-harness.ts — the contract harness on real Docker: real time, real busybox processes.
//
// Owns: waiting in real time (the rig's waitFor), the registry that does not answer (a closed port on
// 127.0.0.1, so nothing leaves the machine) and the labels of the test runtime. The runtime itself comes from
// test/helpers/docker-rig.ts (newTestRuntime: run and rig labels, own network and root dir), which also
// cleans up. Never skips: the entry file's beforeAll fails every case when Docker does not answer.
import type { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { testRuntimeInfo, waitFor } from '../helpers/docker-rig.js';
import { execProgramCommand, programCommand, WAIT_MS, type ContractHarness } from './harness.js';

export function dockerHarness(rt: DockerRuntime): ContractHarness {
  return {
    rt,
    extraLabels: testRuntimeInfo(rt).labels,
    now: () => Date.now(),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    waitFor: (fn, message, timeoutMs = WAIT_MS) => waitFor(fn, { timeoutMs, intervalMs: 50, message }),
    settle: <T>(p: Promise<T>, timeoutMs = WAIT_MS) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not settled within ${timeoutMs} ms`)), timeoutMs);
      });
      return Promise.race([p, late]).finally(() => clearTimeout(timer));
    },
    command: programCommand,
    execCommand: execProgramCommand,
    unreachableImage: () => '127.0.0.1:1/mk-contract/absent:1',
  };
}
