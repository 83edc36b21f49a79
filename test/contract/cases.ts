// test/contract/cases.ts — the runtime contract: one list of cases that every Runtime must pass the same way,
// declared once and run against cri/fake (fake.contract.test.ts) and cri/docker (docker.contract.test.ts),
// so the fake that the unit tests drive cannot drift from what Docker does.
//
// Each case sees only the Runtime interface and a harness (harness.ts) for time and programs; where the two
// runtimes could differ, the case asserts what Docker does, and cri/fake follows it.
import { describe } from 'vitest';
import { contractTest, type MakeHarness } from './context.js';
import { sandboxCases } from './cases-sandboxes.js';
import { containerCases } from './cases-containers.js';
import { stopCases } from './cases-stop.js';
import { execCases } from './cases-exec.js';
import { imageCases } from './cases-images.js';
import { errorCases } from './cases-errors.js';

export type { MakeHarness } from './context.js';

/**
 * Declares the whole contract for the runtime `name`; `make` gives a fresh harness for every case. The cases
 * run concurrently (each has its own pods, and on the fake its own runtime and clock): on Docker most of a
 * case is waiting for the engine.
 */
export function runtimeContract(name: string, make: MakeHarness): void {
  const it = contractTest(make);
  describe.concurrent(`runtime contract: ${name}`, () => {
    sandboxCases(it);
    containerCases(it);
    stopCases(it);
    execCases(it);
    imageCases(it);
    errorCases(it);
  });
}
