// test/contract/cases-containers.ts — contract cases for application containers: create, start, status,
// list with filters, exits with their code and reason (Completed, Error, OOMKilled, ContainerCannotRun),
// new attempts, start of a running or an exited container, removal of a running one.
import { describe } from 'vitest';
import { hasCode, isAlreadyExists, isNotFound } from '../../cri/errors.js';
import { BUSYBOX } from './harness.js';
import type { ContractTest } from './context.js';

const CONTAINER_NAME = 'io.kubernetes.container.name';

export function containerCases(it: ContractTest): void {
  describe('containers', () => {
    it('create → CREATED with its config; start → RUNNING with a pid; exit 0 → Completed; times in order', async ({ c, expect }) => {
      const pod = await c.pod('ctr-life');
      const m = pod.config.metadata;
      const t0 = c.h.now();
      const id = await c.create(pod, 'life', { output: 'hello', exitAfterMs: 1500 }, { metadata: { name: 'life', attempt: 2 } });
      const t1 = c.h.now();
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      const created = await c.h.rt.containerStatus(id);
      expect(created).toMatchObject({
        id, podSandboxId: pod.id, metadata: { name: 'life', attempt: 2 }, image: BUSYBOX, state: 'CONTAINER_CREATED',
        startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', pid: 0, oomKilled: false,
        annotations: { 'io.kubernetes.container.hash': 'h-life' },
      });
      expect(created.imageRef).toBe((await c.h.rt.imageStatus(BUSYBOX))!.id);
      expect(created.labels).toEqual({
        tier: 'life', ...c.h.extraLabels, 'io.kubernetes.pod.name': m.name, 'io.kubernetes.pod.namespace': m.namespace,
        'io.kubernetes.pod.uid': m.uid, [CONTAINER_NAME]: 'life', 'io.mini-kubelet.managed': 'true',
      });
      expect(created.createdAt).toBeGreaterThanOrEqual(t0);
      expect(created.createdAt).toBeLessThanOrEqual(t1);

      await c.h.rt.startContainer(id);
      const running = await c.h.rt.containerStatus(id);
      expect(running).toMatchObject({ state: 'CONTAINER_RUNNING', finishedAt: 0, exitCode: 0, reason: '' });
      expect(running.pid).toBeGreaterThan(0);
      expect(running.startedAt).toBeGreaterThanOrEqual(running.createdAt);

      const done = await c.exited(id);
      expect(done).toMatchObject({ exitCode: 0, reason: 'Completed', oomKilled: false, pid: 0, message: '', startedAt: running.startedAt });
      expect(done.finishedAt - done.startedAt).toBeGreaterThanOrEqual(1500);
      expect(await c.logs(id)).toBe('hello\n');
    });

    it('an exit code other than 0 is reason Error with that code', async ({ c, expect }) => {
      const pod = await c.pod('ctr-error');
      const id = await c.run(pod, 'fails', { exitAfterMs: 100, exitCode: 3 });
      expect(await c.exited(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 3, reason: 'Error', oomKilled: false });
    });

    it('a container over its memory limit is OOMKilled, 137', async ({ c, expect }) => {
      const pod = await c.pod('ctr-oom');
      const id = await c.run(pod, 'hog', { hogMemory: true }, { linux: { resources: { memoryLimitInBytes: 8 * 1024 * 1024 } } });
      const st = await c.exited(id, 30_000);
      expect({ oomKilled: st.oomKilled, reason: st.reason, exitCode: st.exitCode }).toEqual({ oomKilled: true, reason: 'OOMKilled', exitCode: 137 });
    });

    it('a command the image lacks: RunContainerError; EXITED ContainerCannotRun with a message; list agrees', async ({ c, expect }) => {
      const pod = await c.pod('ctr-cannot');
      const id = await c.create(pod, 'nope', { missingBinary: true });
      await expect(c.h.rt.startContainer(id)).rejects.toSatisfy((e: unknown) => hasCode(e, 'RunContainerError'));
      const st = await c.h.rt.containerStatus(id);
      expect(st).toMatchObject({ state: 'CONTAINER_EXITED', reason: 'ContainerCannotRun', exitCode: 127, startedAt: st.createdAt, finishedAt: st.createdAt });
      expect(st.message).toMatch(/no such file or directory/);
      expect((await c.h.rt.listContainers({ id }))[0]?.state).toBe('CONTAINER_EXITED');
    });

    it('listContainers filters by sandbox, state, label selector and id prefix; entries agree with the status', async ({ c, expect }) => {
      const pod = await c.pod('ctr-list');
      const a = await c.run(pod, 'a', {});
      const b = await c.run(pod, 'b', { exitAfterMs: 0 });
      await c.exited(b);
      const ids = async (f: Parameters<typeof c.h.rt.listContainers>[0]) => (await c.h.rt.listContainers(f)).map((x) => x.id).sort();
      const uid = pod.config.metadata.uid;
      expect(await ids({ podSandboxId: pod.id })).toEqual([a, b].sort());
      expect(await ids({ podSandboxId: pod.id, state: 'CONTAINER_RUNNING' })).toEqual([a]);
      expect(await ids({ podSandboxId: pod.id, state: 'CONTAINER_EXITED' })).toEqual([b]);
      expect(await ids({ labelSelector: { 'io.kubernetes.pod.uid': uid, tier: 'b' } })).toEqual([b]);
      expect(await ids({ labelSelector: { 'io.kubernetes.pod.uid': uid, [CONTAINER_NAME]: 'a' } })).toEqual([a]);
      expect(await ids({ id: a.slice(0, 12), podSandboxId: pod.id })).toEqual([a]);
      const [listed] = await c.h.rt.listContainers({ id: a });
      const st = await c.h.rt.containerStatus(a);
      expect(Object.keys(listed!).sort()).toEqual(['annotations', 'createdAt', 'id', 'image', 'imageRef', 'labels', 'metadata', 'podSandboxId', 'state']);
      expect(listed).toMatchObject({ id: a, podSandboxId: pod.id, metadata: st.metadata, image: st.image, imageRef: st.imageRef, state: st.state, labels: st.labels, annotations: st.annotations });
      // Docker lists creation times in whole seconds; the status has them to the millisecond.
      expect(listed!.createdAt).toBeLessThanOrEqual(st.createdAt);
      expect(st.createdAt - listed!.createdAt).toBeLessThan(1000);
    });

    it('a restart is a new attempt: the same name and attempt again is AlreadyExists, attempt + 1 is a new container', async ({ c, expect }) => {
      const pod = await c.pod('ctr-attempt');
      const first = await c.run(pod, 'app', { exitAfterMs: 0, exitCode: 1 });
      await c.exited(first);
      await expect(c.create(pod, 'app', { exitAfterMs: 0, exitCode: 1 })).rejects.toSatisfy(isAlreadyExists);
      const second = await c.run(pod, 'app', {}, { metadata: { name: 'app', attempt: 1 } });
      expect(second).not.toBe(first);
      expect((await c.h.rt.containerStatus(second)).state).toBe('CONTAINER_RUNNING');
      const listed = await c.h.rt.listContainers({ labelSelector: { 'io.kubernetes.pod.uid': pod.config.metadata.uid, [CONTAINER_NAME]: 'app' } });
      expect(listed.map((x) => [x.metadata.attempt, x.state]).sort()).toEqual([[0, 'CONTAINER_EXITED'], [1, 'CONTAINER_RUNNING']]);
    });

    it('starting a running container is a no-op', async ({ c, expect }) => {
      const pod = await c.pod('ctr-start-twice');
      const id = await c.run(pod, 'app', {});
      const before = await c.h.rt.containerStatus(id);
      await c.h.rt.startContainer(id);
      expect(await c.h.rt.containerStatus(id)).toMatchObject({ state: 'CONTAINER_RUNNING', startedAt: before.startedAt, pid: before.pid });
    });

    it('starting an exited container runs it again: RUNNING, a later startedAt', async ({ c, expect }) => {
      const pod = await c.pod('ctr-restart');
      const id = await c.run(pod, 'app', {});
      await c.h.settle(c.h.rt.stopContainer(id, 10));
      const first = await c.exited(id);
      expect(first.exitCode).toBe(143);
      await c.h.advance(20);
      await c.h.rt.startContainer(id);
      const again = await c.h.rt.containerStatus(id);
      expect(again).toMatchObject({ state: 'CONTAINER_RUNNING', exitCode: 0, reason: '', finishedAt: 0 });
      expect(again.startedAt).toBeGreaterThan(first.startedAt);
    });

    it('createContainer with an image that is not present is CreateContainerError', async ({ c, expect }) => {
      const pod = await c.pod('ctr-no-image');
      await expect(c.create(pod, 'app', {}, { image: 'mk-contract/absent:nope' })).rejects.toSatisfy((e: unknown) => hasCode(e, 'CreateContainerError'));
      expect(await c.h.rt.listContainers({ podSandboxId: pod.id })).toEqual([]);
    });

    it('starting a container in a stopped sandbox is RunContainerError', async ({ c, expect }) => {
      const pod = await c.pod('ctr-stopped-pod');
      const id = await c.create(pod, 'late', {});
      await c.h.settle(c.h.rt.stopPodSandbox(pod.id));
      await expect(c.h.rt.startContainer(id)).rejects.toSatisfy((e: unknown) => hasCode(e, 'RunContainerError'));
    });

    it('removeContainer kills and removes a running container; removing it again is fine', async ({ c, expect }) => {
      const pod = await c.pod('ctr-remove');
      const id = await c.run(pod, 'app', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      await c.h.settle(c.h.rt.removeContainer(id));
      await expect(c.h.rt.containerStatus(id)).rejects.toSatisfy(isNotFound);
      expect(await c.h.rt.listContainers({ podSandboxId: pod.id })).toEqual([]);
      await c.h.rt.removeContainer(id);
    });
  });
}
