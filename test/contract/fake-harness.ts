// test/contract/fake-harness.ts — the contract harness on cri/fake: every case runs on a FakeClock, and the
// fake is scripted to act as the busybox program of the same command would on Docker.
//
// Owns: time that moves only when a case waits (advance / waitFor / settle step the clock), and the
// translation of a Program or ExecProgram into the fake's scripts (scriptExit, scriptSignal, failStart,
// onExec), keyed by the command, so the case text is the same for both runtimes. A fresh FakeRuntime per
// case. Never reads the real clock.
import { FakeClock, flushMicrotasks } from '../../cri/fake/fake-clock.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import type { ContainerConfig, ExecSyncResult } from '../../cri/api.js';
import { execProgramCommand, programCommand, WAIT_MS, type ContractHarness, type ExecProgram, type Program } from './harness.js';

/** How far the clock moves between two looks at a condition. */
const STEP_MS = 10;
const EXTRA_LABELS = { 'io.mini-kubelet.test-run': 'contract-fake' };

export function fakeHarness(): ContractHarness & { readonly rt: FakeRuntime; readonly clock: FakeClock } {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock, extraLabels: EXTRA_LABELS });
  const execs = new Map<string, ExecProgram>();
  rt.onExec((_id, cmd) => {
    const e = execs.get(JSON.stringify(cmd)) ?? {};
    const result: ExecSyncResult = { exitCode: e.exitCode ?? 0, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    if (!e.durationMs) return result;
    return new Promise((resolve) => clock.setTimeout(() => resolve(result), e.durationMs!));
  });

  const runFor = async (timeoutMs: number, done: () => Promise<boolean>, message: () => string): Promise<void> => {
    const deadline = clock.now() + timeoutMs;
    await flushMicrotasks();
    while (!(await done())) {
      if (clock.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms (fake clock): ${message()}`);
      await clock.advance(STEP_MS);
    }
  };

  return {
    rt,
    clock,
    extraLabels: EXTRA_LABELS,
    now: () => clock.now(),
    advance: (ms) => clock.advance(ms),
    async waitFor(fn, message, timeoutMs = WAIT_MS) {
      let value: Awaited<ReturnType<typeof fn>> = undefined;
      await runFor(timeoutMs, async () => { value = await fn(); return value !== undefined && value !== false; }, () => message);
      return value as never;
    },
    async settle(p, timeoutMs = WAIT_MS) {
      let settled = false;
      p.then(() => { settled = true; }, () => { settled = true; });
      await runFor(timeoutMs, async () => settled, () => 'the call did not settle');
      return p;
    },
    command(program) {
      const cmd = programCommand(program);
      scriptProgram(rt, cmd, program);
      return cmd;
    },
    execCommand(e) {
      const cmd = execProgramCommand(e);
      execs.set(JSON.stringify(cmd), e);
      return cmd;
    },
    unreachableImage() {
      rt.registryUnavailable = true;
      return '127.0.0.1:1/mk-contract/absent:1';
    },
  };
}

/** Scripts the fake so that containers running `cmd` do what `p` does. */
function scriptProgram(rt: FakeRuntime, cmd: readonly string[], p: Program): void {
  const key = JSON.stringify(cmd);
  const runs = (cfg: ContainerConfig) => JSON.stringify(cfg.command ?? []) === key;
  if (p.missingBinary) {
    rt.failStart(runs, { exitCode: 127, message: `exec: "${cmd[0]}": stat ${cmd[0]}: no such file or directory` });
    return;
  }
  for (const [signal, reaction] of Object.entries(p.traps ?? {})) {
    rt.scriptSignal(runs, signal, reaction === 'ignore' ? 'ignore' : { exitCode: reaction });
  }
  if (p.output !== undefined) rt.scriptOutput(runs, `${p.output}\n`);
  if (p.hogMemory) {
    rt.scriptExit((cfg) => runs(cfg) && !!cfg.linux?.resources?.memoryLimitInBytes, { afterMs: 500, exitCode: 137, oomKilled: true });
  } else if (p.exitAfterMs !== undefined) {
    rt.scriptExit(runs, { afterMs: p.exitAfterMs, exitCode: p.exitCode ?? 0 });
  }
}
