// probes/check/exec.ts — the exec probe: a command in the container through the runtime's ExecSync.
//
// Owns: $(VAR) expansion from the container's static env, the 10 KiB output cap, and the mapping of exit
// code / timeout / runtime error to a CheckOutcome (pkg/probe/exec). Called by probes/prober.ts.
// Never retries (the caller does) and never decides thresholds.
import type { RuntimeService } from '../../cri/api.js';
import { isDeadlineExceeded } from '../../cri/errors.js';
import type { EnvVar } from 'kubernetes-types/core/v1.js';
import { type CheckOutcome, ProbeCheckError, runtimeId } from '../types.js';
import { goQuote, messageOf } from './go-text.js';

/** pkg/probe/exec maxReadLength. */
export const MAX_EXEC_OUTPUT_BYTES = 10 * 1024;

export type ExecRunner = Pick<RuntimeService, 'execSync'>;

/**
 * The kubelet's ExpandContainerCommandOnlyStatic: `$(NAME)` takes the value of env NAME (valueFrom entries
 * expand to ''), `$$` is a literal `$`, unknown or unterminated references stay as written.
 */
export function expandCommand(cmd: readonly string[], env: readonly EnvVar[] | undefined): string[] {
  const values = new Map<string, string>();
  for (const e of env ?? []) values.set(e.name, e.value ?? '');
  return cmd.map((arg) => expandOne(arg, values));
}

function expandOne(s: string, values: Map<string, string>): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch !== '$' || i + 1 >= s.length) { out += ch; i++; continue; }
    const next = s[i + 1]!;
    if (next === '$') { out += '$'; i += 2; continue; }
    if (next === '(') {
      const close = s.indexOf(')', i + 2);
      if (close < 0) { out += '$('; i += 2; continue; }
      const name = s.slice(i + 2, close);
      out += values.has(name) ? values.get(name)! : `$(${name})`;
      i = close + 1;
      continue;
    }
    out += `$${next}`;
    i += 2;
  }
  return out;
}

/** stdout then stderr, at most `limit` bytes (the kubelet's LimitWriter over the combined output). */
export function combinedOutput(stdout: string, stderr: string, limit = MAX_EXEC_OUTPUT_BYTES): string {
  const buf = Buffer.from(stdout + stderr, 'utf8');
  return buf.length <= limit ? stdout + stderr : buf.subarray(0, limit).toString('utf8');
}

/**
 * Runs cmd in the container with the probe's timeout. exit 0 → success, other exit → failure (output =
 * combined output), timeout → failure with `command "<cmd>" timed out`; any other runtime error is thrown
 * as a ProbeCheckError (`unknown`).
 */
export async function execCheck(
  runtime: ExecRunner,
  containerID: string,
  cmd: readonly string[],
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  let res;
  try {
    res = await runtime.execSync(runtimeId(containerID), cmd, timeoutSeconds * 1000, signal);
  } catch (err) {
    if (isDeadlineExceeded(err)) return { result: 'failure', output: `command ${goQuote(cmd.join(' '))} timed out` };
    throw new ProbeCheckError('unknown', messageOf(err), { cause: err });
  }
  const output = combinedOutput(res.stdout, res.stderr);
  return { result: res.exitCode === 0 ? 'success' : 'failure', output };
}
