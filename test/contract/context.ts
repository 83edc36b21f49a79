// test/contract/context.ts — the per-case context of the contract suite: a fresh harness for each case, the
// pods and containers a case makes through it, and their removal after the case (also when it failed).
//
// Used by the case files (cases-*.ts) through the `c` fixture of contractTest; runtimeContract (cases.ts)
// makes the test function. Everything here goes through the Runtime interface, the same on both runtimes.
import type { Readable } from 'node:stream';
import { test } from 'vitest';
import type { ContainerStatus, PodSandboxConfig } from '../../cri/api.js';
import { CriError } from '../../cri/errors.js';
import { containerConfig, podConfig, type ContractHarness, type Program } from './harness.js';

export type MakeHarness = () => ContractHarness | Promise<ContractHarness>;

export interface TestPod {
  readonly id: string;
  readonly config: PodSandboxConfig;
}

type Over = Parameters<typeof containerConfig>[2];

export interface Contract {
  /** The harness of the running case. */
  readonly h: ContractHarness;
  /** Runs a pod sandbox that is removed after the case. */
  pod(name: string, over?: Parameters<typeof podConfig>[1]): Promise<TestPod>;
  /** Creates a container running `program` in the pod (not started). */
  create(pod: TestPod, name: string, program: Program, over?: Over): Promise<string>;
  /** Creates and starts it; with `output` in the program, returns once the output is in the log. */
  run(pod: TestPod, name: string, program: Program, over?: Over): Promise<string>;
  /** Waits until the container has exited; its status. */
  exited(id: string, timeoutMs?: number): Promise<ContainerStatus>;
  /** The container's whole log. */
  logs(id: string): Promise<string>;
}

/** The code of the CriError p rejects with, 'resolved' when it fulfils (for one assertion over many calls). */
export function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'resolved', (e: unknown) => (e instanceof CriError ? e.code : `not a CriError: ${String(e)}`));
}

export async function readAll(r: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks).toString('utf8');
}

function newContract(h: ContractHarness, pods: string[]): Contract {
  const c: Contract = {
    h,
    async pod(name, over) {
      const config = podConfig(name, over);
      const id = await h.rt.runPodSandbox(config);
      pods.push(id);
      return { id, config };
    },
    create: (pod, name, program, over) => h.rt.createContainer(pod.id, containerConfig(name, h.command(program), over), pod.config),
    async run(pod, name, program, over) {
      const id = await c.create(pod, name, program, over);
      await h.rt.startContainer(id);
      if (program.output !== undefined) {
        await h.waitFor(async () => (await c.logs(id)).includes(program.output!), `${name} did not print ${program.output}`);
      }
      return id;
    },
    exited: (id, timeoutMs) => h.waitFor(async () => {
      const s = await h.rt.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    }, `container ${id.slice(0, 12)} did not exit`, timeoutMs),
    logs: async (id) => readAll(await h.rt.containerLogs(id, {})),
  };
  return c;
}

/**
 * Vitest's `it` with the fixture `c`: a fresh harness per case, and the case's pods removed after it (also
 * when it failed). A fixture, not beforeEach state, so that cases may run concurrently; cases take `expect`
 * from their context too, so each assertion counts for its own case.
 */
export function contractTest(make: MakeHarness) {
  return test.extend<{ c: Contract }>({
    // eslint-disable-next-line no-empty-pattern -- Vitest reads the fixtures a fixture needs from this pattern
    c: async ({}, use) => {
      const pods: string[] = [];
      const h = await make();
      try {
        await use(newContract(h, pods));
      } finally {
        for (const id of pods) await h.rt.removePodSandbox(id);
      }
    },
  });
}

export type ContractTest = ReturnType<typeof contractTest>;
