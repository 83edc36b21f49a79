// test/contract/harness.ts — what a contract case sees of the runtime under test: the Runtime itself, its
// time, and programs described by what they do rather than by how.
//
// Owns: the ContractHarness interface, the Program / ExecProgram descriptions and their one spelling as
// busybox shell (both runtimes are handed the same command; Docker runs it, the fake is scripted to act as
// it would), and the pod and container configs the cases use. Implemented by docker-harness.ts (real time,
// real processes) and fake-harness.ts (FakeClock, scripted processes). Never asserts anything itself.
import { randomUUID } from 'node:crypto';
import type { ContainerConfig, PodSandboxConfig, Runtime } from '../../cri/api.js';

export const BUSYBOX = 'busybox:latest';

/** What a container's main process does. Without exitAfterMs and hogMemory it runs until it is stopped. */
export interface Program {
  /** One line written to stdout as it starts, after its traps are set: once it is in the log, they are. */
  readonly output?: string;
  /** Exits by itself this many ms after it started, with exitCode (default 0). */
  readonly exitAfterMs?: number;
  readonly exitCode?: number;
  /** Signal → 'ignore', or the exit code its handler exits with. A signal not named here kills it (128 + n). */
  readonly traps?: Readonly<Record<string, 'ignore' | number>>;
  /** Allocates memory until the kernel kills it (give the container a memory limit). */
  readonly hogMemory?: boolean;
  /** Names a binary the image does not have: the start fails. */
  readonly missingBinary?: boolean;
}

/** What an exec'd command does: write, take its time, exit. */
export interface ExecProgram {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  readonly durationMs?: number;
}

export interface ContractHarness {
  readonly rt: Runtime;
  /** Labels the runtime stamps on everything it makes (a test's run and rig labels on Docker). */
  readonly extraLabels: Readonly<Record<string, string>>;
  /** The runtime's time (ms since the epoch): the system clock for Docker, the FakeClock for the fake. */
  now(): number;
  /** Lets ms pass: a real sleep on Docker, a clock advance on the fake. */
  advance(ms: number): Promise<void>;
  /** Lets time pass until fn returns something other than undefined/false; fails after timeoutMs of it. */
  waitFor<T>(fn: () => Promise<T | undefined | false>, message: string, timeoutMs?: number): Promise<T>;
  /** Lets time pass until p settles (at most timeoutMs), then returns or throws what p did. */
  settle<T>(p: Promise<T>, timeoutMs?: number): Promise<T>;
  /** A command that behaves as `program` says. */
  command(program: Program): string[];
  /** An exec command that behaves as `e` says. */
  execCommand(e: ExecProgram): string[];
  /** An image reference that must be pulled from a registry that does not answer. */
  unreachableImage(): string;
}

/** Default budget of waitFor/settle, in the runtime's time. */
export const WAIT_MS = 15_000;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sig = (s: string) => s.replace(/^SIG/, '');

/** The busybox shell spelling of a program; the polling loop lets traps run within 50 ms of a signal. */
export function programCommand(p: Program): string[] {
  if (p.missingBinary) return ['/no/such/binary'];
  const parts = Object.entries(p.traps ?? {}).map(([s, r]) => (r === 'ignore' ? `trap '' ${sig(s)}` : `trap 'exit ${r}' ${sig(s)}`));
  if (p.output !== undefined) parts.push(`echo ${q(p.output)}`);
  if (p.hogMemory) parts.push('sleep 0.5; x=a; while true; do x=$x$x; done');
  else if (p.exitAfterMs !== undefined) {
    parts.push(`i=0; while [ $i -lt ${Math.ceil(p.exitAfterMs / 50)} ]; do sleep 0.05; i=$((i+1)); done; exit ${p.exitCode ?? 0}`);
  } else parts.push('while true; do sleep 0.05; done');
  return ['sh', '-c', parts.join('; ')];
}

export function execProgramCommand(e: ExecProgram): string[] {
  const parts: string[] = [];
  if (e.stdout) parts.push(`printf %s ${q(e.stdout)}`);
  if (e.stderr) parts.push(`printf %s ${q(e.stderr)} >&2`);
  if (e.durationMs) parts.push(`sleep ${e.durationMs / 1000}`);
  parts.push(`exit ${e.exitCode ?? 0}`);
  return ['sh', '-c', parts.join('; ')];
}

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** A pod on the bridge network with its own IP; the PID namespace shared with the pause process. */
export const POD_NETWORK = { network: 'POD', pid: 'POD', ipc: 'POD' } as const;
/** The same on the host's network: Docker starts its pause container 2–4× faster (no bridge endpoint). */
export const HOST_NETWORK = { network: 'NODE', pid: 'POD', ipc: 'POD' } as const;

/**
 * A pod with a fresh UID, on the host network unless `over` says otherwise: only the sandbox cases look at
 * the pod network. The PID namespace is shared with the pause process, so a container's main process is not
 * PID 1 of its namespace and the kernel applies default signal actions to it, as the Program contract says
 * (a PID 1 without a handler would ignore SIGTERM).
 */
export function podConfig(name: string, over: Mutable<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'contract', uid: randomUUID(), attempt: 0 },
    hostname: name,
    namespaceOptions: HOST_NETWORK,
    labels: { app: name },
    annotations: { 'example.com/note': name },
    ...over,
  } as PodSandboxConfig;
}

export function containerConfig(name: string, command: string[], over: Mutable<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: BUSYBOX,
    command,
    labels: { tier: name },
    annotations: { 'io.kubernetes.container.hash': `h-${name}` },
    ...over,
  } as ContainerConfig;
}
