// test/contract/cases-errors.ts — contract cases for ids the runtime does not know (NotFound, or the
// idempotent no-op of remove and stop-sandbox) and for abort signals (DeadlineExceeded, before a call and
// during a stop's grace).
import { describe } from 'vitest';
import { isDeadlineExceeded } from '../../cri/errors.js';
import { codeOf, type ContractTest } from './context.js';

const UNKNOWN = 'f'.repeat(64);

export function errorCases(it: ContractTest): void {
  describe('unknown ids', () => {
    it('status, start, stop, exec and logs of an unknown container are NotFound', async ({ c, expect }) => {
      const rt = c.h.rt;
      expect({
        containerStatus: await codeOf(rt.containerStatus(UNKNOWN)),
        startContainer: await codeOf(rt.startContainer(UNKNOWN)),
        stopContainer: await codeOf(c.h.settle(rt.stopContainer(UNKNOWN, 1))),
        execSync: await codeOf(c.h.settle(rt.execSync(UNKNOWN, ['true'], 1000))),
        containerLogs: await codeOf(rt.containerLogs(UNKNOWN, {})),
        podSandboxStatus: await codeOf(rt.podSandboxStatus(UNKNOWN)),
      }).toEqual({
        containerStatus: 'NotFound', startContainer: 'NotFound', stopContainer: 'NotFound', execSync: 'NotFound', containerLogs: 'NotFound',
        podSandboxStatus: 'NotFound',
      });
    });

    it('remove of an unknown container, stop and remove of an unknown sandbox succeed; lists are empty', async ({ c, expect }) => {
      const rt = c.h.rt;
      expect([
        await codeOf(rt.removeContainer(UNKNOWN)), await codeOf(c.h.settle(rt.stopPodSandbox(UNKNOWN))), await codeOf(rt.removePodSandbox(UNKNOWN)),
      ]).toEqual(['resolved', 'resolved', 'resolved']);
      expect(await rt.listContainers({ id: UNKNOWN })).toEqual([]);
      expect(await rt.listPodSandbox({ id: UNKNOWN })).toEqual([]);
    });

    it('createContainer in a sandbox that was removed is NotFound', async ({ c, expect }) => {
      const pod = await c.pod('gone-sandbox');
      await c.h.rt.removePodSandbox(pod.id);
      expect(await codeOf(c.create(pod, 'orphan', {}))).toBe('NotFound');
      expect(await c.h.rt.listContainers({ podSandboxId: pod.id })).toEqual([]);
    });
  });

  describe('abort signals', () => {
    it('a signal aborted before the call fails it with DeadlineExceeded', async ({ c, expect }) => {
      const pod = await c.pod('abort-before');
      const ac = new AbortController();
      ac.abort();
      const rt = c.h.rt;
      expect({
        listContainers: await codeOf(rt.listContainers({ podSandboxId: pod.id }, ac.signal)),
        podSandboxStatus: await codeOf(rt.podSandboxStatus(pod.id, ac.signal)),
        listPodSandbox: await codeOf(rt.listPodSandbox({ id: pod.id }, ac.signal)),
        containerStatus: await codeOf(rt.containerStatus(pod.id, ac.signal)),
      }).toEqual({ listContainers: 'DeadlineExceeded', podSandboxStatus: 'DeadlineExceeded', listPodSandbox: 'DeadlineExceeded', containerStatus: 'DeadlineExceeded' });
      // Not imageStatus: cri/docker answers it although the signal aborted (dockerode's image inspect takes no signal).
    });

    it('aborting a stop during its grace fails the call with DeadlineExceeded; the container is killed at the timeout', async ({ c, expect }) => {
      const pod = await c.pod('abort-stop');
      const id = await c.run(pod, 'stubborn', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      const ac = new AbortController();
      const t0 = c.h.now();
      // A 4 s grace: the status read after the abort must come before the kill even on a loaded machine.
      const call = c.h.rt.stopContainer(id, 4, undefined, ac.signal).catch((e: unknown) => e);
      await c.h.advance(300);
      ac.abort();
      expect(isDeadlineExceeded(await c.h.settle(call))).toBe(true);
      expect((await c.h.rt.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
      const st = await c.exited(id);
      expect(st.exitCode).toBe(137);
      expect(st.finishedAt).toBeGreaterThanOrEqual(t0 + 4000);
    });
  });
}
