// test/contract/cases-stop.ts — contract cases for StopContainer: the stop signal (default, from the
// config, given by the caller, SIGKILL), the timeout after which SIGKILL follows, the exit codes a user sees
// (143, 137, the handler's own code), and stops of containers that are not running.
import { describe } from 'vitest';
import type { ContractTest } from './context.js';

export function stopCases(it: ContractTest): void {
  describe('stopContainer', () => {
    it('a process ignoring SIGTERM is killed when the timeout ends: 137, not before the timeout', async ({ c, expect }) => {
      const pod = await c.pod('stop-ignore');
      const id = await c.run(pod, 'stubborn', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      const t0 = c.h.now();
      await c.h.settle(c.h.rt.stopContainer(id, 1));
      const st = await c.h.rt.containerStatus(id);
      expect(st).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error', oomKilled: false, pid: 0 });
      expect(st.finishedAt).toBeGreaterThanOrEqual(t0 + 1000);
    });

    it('a process SIGTERM kills exits 143 before the timeout; one that handles it exits with its own code', async ({ c, expect }) => {
      const pod = await c.pod('stop-term');
      const dies = await c.run(pod, 'dies', { output: 'ready' });
      const handles = await c.run(pod, 'handles', { traps: { SIGTERM: 0 }, output: 'ready' });
      const t0 = c.h.now();
      await c.h.settle(Promise.all([c.h.rt.stopContainer(dies, 10), c.h.rt.stopContainer(handles, 10)]));
      const [d, h] = [await c.h.rt.containerStatus(dies), await c.h.rt.containerStatus(handles)];
      expect(d).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 143, reason: 'Error' });
      expect(h).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
      for (const s of [d, h]) expect(s.finishedAt).toBeLessThan(t0 + 10_000);
    });

    it('the config stop signal is sent by default; a signal given by the caller wins; SIGKILL is 137', async ({ c, expect }) => {
      const pod = await c.pod('stop-signal');
      const usr2 = await c.run(pod, 'usr2', { traps: { SIGUSR2: 9 }, output: 'ready' }, { stopSignal: 'SIGUSR2' });
      const usr1 = await c.run(pod, 'usr1', { traps: { SIGUSR1: 7, SIGTERM: 'ignore' }, output: 'ready' });
      const plain = await c.run(pod, 'plain', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      const killed = await c.run(pod, 'killed', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      const t0 = c.h.now();
      await c.h.settle(Promise.all([
        c.h.rt.stopContainer(usr2, 10), c.h.rt.stopContainer(usr1, 10, 'SIGUSR1'),
        c.h.rt.stopContainer(plain, 10, 'SIGUSR1'), c.h.rt.stopContainer(killed, 10, 'SIGKILL'),
      ]));
      const codes = await Promise.all([usr2, usr1, plain, killed].map(async (id) => (await c.h.rt.containerStatus(id)).exitCode));
      expect(codes).toEqual([9, 7, 128 + 10, 137]);
      for (const id of [usr2, usr1, plain, killed]) expect((await c.h.rt.containerStatus(id)).finishedAt).toBeLessThan(t0 + 10_000);
    });

    it('timeout 0: a process ignoring SIGTERM is killed at once (137)', async ({ c, expect }) => {
      const pod = await c.pod('stop-zero');
      const id = await c.run(pod, 'stubborn', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      await c.h.settle(c.h.rt.stopContainer(id, 0), 5000);
      expect(await c.h.rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137 });
    });

    it('stopping an exited or a never started container is fine and changes nothing', async ({ c, expect }) => {
      const pod = await c.pod('stop-stopped');
      const exited = await c.run(pod, 'exited', { exitAfterMs: 0, exitCode: 4 });
      const before = await c.exited(exited);
      const created = await c.create(pod, 'created', {});
      await c.h.settle(c.h.rt.stopContainer(exited, 1));
      await c.h.settle(c.h.rt.stopContainer(created, 1));
      expect(await c.h.rt.containerStatus(exited)).toEqual(before);
      expect(await c.h.rt.containerStatus(created)).toMatchObject({ state: 'CONTAINER_CREATED', startedAt: 0, finishedAt: 0 });
    });
  });
}
