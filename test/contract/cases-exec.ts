// test/contract/cases-exec.ts — contract cases for ExecSync: exit code and the two output streams apart, the
// deadline (DeadlineExceeded with the kubelet's message), an abort, and exec in a container not running.
import { describe } from 'vitest';
import { isDeadlineExceeded, type CriError } from '../../cri/errors.js';
import { codeOf, type Contract, type ContractTest, type TestPod } from './context.js';

/** A pod with one running container to exec in. */
async function box(c: Contract): Promise<{ pod: TestPod; id: string }> {
  const pod = await c.pod('exec');
  return { pod, id: await c.run(pod, 'box', {}) };
}

export function execCases(it: ContractTest): void {
  describe('execSync', () => {

    it('returns the exit code and stdout and stderr apart', async ({ c, expect }) => {
      const { id } = await box(c);
      const cmd = c.h.execCommand({ stdout: 'out\nmore\n', stderr: 'err\n', exitCode: 4 });
      expect(await c.h.settle(c.h.rt.execSync(id, cmd, 5000))).toEqual({ exitCode: 4, stdout: 'out\nmore\n', stderr: 'err\n' });
      expect(await c.h.settle(c.h.rt.execSync(id, c.h.execCommand({}), 5000))).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    });

    it('a command that outlives the timeout is DeadlineExceeded: command "<cmd>" timed out', async ({ c, expect }) => {
      const { id } = await box(c);
      const cmd = c.h.execCommand({ durationMs: 5000 });
      const t0 = c.h.now();
      const err = await c.h.settle(c.h.rt.execSync(id, cmd, 300).catch((e: unknown) => e));
      expect(c.h.now() - t0).toBeLessThan(5000);
      expect(isDeadlineExceeded(err)).toBe(true);
      expect((err as CriError).message).toBe(`command "${cmd.join(' ')}" timed out`);
    });

    it('a timeout of 0 means none: a slow command completes', async ({ c, expect }) => {
      const { id } = await box(c);
      const cmd = c.h.execCommand({ stdout: 'late', durationMs: 300 });
      expect(await c.h.settle(c.h.rt.execSync(id, cmd, 0))).toEqual({ exitCode: 0, stdout: 'late', stderr: '' });
    });

    it('an abort signal ends the call with DeadlineExceeded', async ({ c, expect }) => {
      const { id } = await box(c);
      const ac = new AbortController();
      const call = c.h.rt.execSync(id, c.h.execCommand({ durationMs: 5000 }), 0, ac.signal).catch((e: unknown) => e);
      await c.h.advance(200);
      ac.abort();
      expect(isDeadlineExceeded(await c.h.settle(call))).toBe(true);
    });

    it('exec in a container that is not running fails with the same code as on Docker', async ({ c, expect }) => {
      const { pod, id } = await box(c);
      const created = await c.create(pod, 'created', {});
      await c.h.settle(c.h.rt.stopContainer(id, 5));
      expect(await codeOf(c.h.settle(c.h.rt.execSync(id, c.h.execCommand({}), 2000)))).toBe('Unknown');
      expect(await codeOf(c.h.settle(c.h.rt.execSync(created, c.h.execCommand({}), 2000)))).toBe('Unknown');
    });
  });
}
