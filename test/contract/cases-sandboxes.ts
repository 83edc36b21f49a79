// test/contract/cases-sandboxes.ts — contract cases for pod sandboxes: run, status, list with filters, stop,
// remove, names (AlreadyExists, new attempts). Pods whose IP a case reads are on the pod network, the others
// on the host's (faster on Docker). Lists always select by pod UID: on Docker other files' sandboxes show too.
import { describe } from 'vitest';
import { isAlreadyExists, isNotFound } from '../../cri/errors.js';
import type { ContractTest } from './context.js';
import { POD_NETWORK } from './harness.js';

const POD_UID = 'io.kubernetes.pod.uid';
const POD = { namespaceOptions: POD_NETWORK };

export function sandboxCases(it: ContractTest): void {
  describe('pod sandboxes', () => {
    it('runPodSandbox: ready, with an IP, its metadata, labels, annotations and namespace options', async ({ c, expect }) => {
      const before = c.h.now();
      const pod = await c.pod('sb-run', POD);
      const after = c.h.now();
      expect(pod.id).toMatch(/^[0-9a-f]{64}$/);
      const st = await c.h.rt.podSandboxStatus(pod.id);
      const m = pod.config.metadata;
      expect(st).toMatchObject({ id: pod.id, state: 'SANDBOX_READY', metadata: m, hostname: 'sb-run', namespaceOptions: pod.config.namespaceOptions });
      expect(st.createdAt).toBeGreaterThanOrEqual(before);
      expect(st.createdAt).toBeLessThanOrEqual(after);
      expect(st.network.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(st.labels).toEqual({
        app: 'sb-run', ...c.h.extraLabels,
        'io.kubernetes.pod.name': m.name, 'io.kubernetes.pod.namespace': m.namespace, [POD_UID]: m.uid, 'io.mini-kubelet.managed': 'true',
      });
      expect(st.annotations).toEqual(pod.config.annotations);
    });

    it('a host-network sandbox has the node IP, also once stopped, and its namespace options', async ({ c, expect }) => {
      const pod = await c.pod('sb-hostnet');
      const st = await c.h.rt.podSandboxStatus(pod.id);
      expect(st).toMatchObject({ state: 'SANDBOX_READY', namespaceOptions: { network: 'NODE', pid: 'POD', ipc: 'POD' } });
      expect(st.network.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      await c.h.settle(c.h.rt.stopPodSandbox(pod.id));
      expect(await c.h.rt.podSandboxStatus(pod.id)).toMatchObject({ state: 'SANDBOX_NOTREADY', network: { ip: st.network.ip } });
    });

    it('listPodSandbox filters by label selector, state and id prefix; entries agree with the status', async ({ c, expect }) => {
      const a = await c.pod('sb-list-a');
      const b = await c.pod('sb-list-b');
      const uids = [a, b].map((p) => p.config.metadata.uid);
      const ids = async (f: Parameters<typeof c.h.rt.listPodSandbox>[0]) => (await c.h.rt.listPodSandbox(f)).map((s) => s.id).sort();
      expect(await ids({ labelSelector: { [POD_UID]: uids[0]! } })).toEqual([a.id]);
      expect(await ids({ labelSelector: { [POD_UID]: uids[0]!, app: 'sb-list-b' } })).toEqual([]);
      expect(await ids({ id: b.id.slice(0, 12), labelSelector: { app: 'sb-list-b', [POD_UID]: uids[1]! } })).toEqual([b.id]);
      await c.h.settle(c.h.rt.stopPodSandbox(b.id));
      for (const uid of uids) {
        expect(await ids({ labelSelector: { [POD_UID]: uid }, state: 'SANDBOX_READY' })).toEqual(uid === uids[0] ? [a.id] : []);
        expect(await ids({ labelSelector: { [POD_UID]: uid }, state: 'SANDBOX_NOTREADY' })).toEqual(uid === uids[1] ? [b.id] : []);
      }
      const [listed] = await c.h.rt.listPodSandbox({ labelSelector: { [POD_UID]: uids[0]! } });
      const st = await c.h.rt.podSandboxStatus(a.id);
      expect(listed).toMatchObject({ id: a.id, metadata: st.metadata, state: 'SANDBOX_READY', labels: st.labels, annotations: st.annotations });
      // Docker lists creation times in whole seconds; the status has them to the millisecond.
      expect(listed!.createdAt).toBeLessThanOrEqual(st.createdAt);
      expect(st.createdAt - listed!.createdAt).toBeLessThan(1000);
    });

    it('stopPodSandbox: not ready, no IP, its containers killed without grace (137); idempotent', async ({ c, expect }) => {
      const pod = await c.pod('sb-stop', POD);
      const ctr = await c.run(pod, 'stubborn', { traps: { SIGTERM: 'ignore' }, output: 'ready' });
      await c.h.settle(c.h.rt.stopPodSandbox(pod.id));
      expect(await c.h.rt.containerStatus(ctr)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error', pid: 0 });
      expect(await c.h.rt.podSandboxStatus(pod.id)).toMatchObject({ state: 'SANDBOX_NOTREADY', network: { ip: '' } });
      await c.h.settle(c.h.rt.stopPodSandbox(pod.id));
      expect((await c.h.rt.podSandboxStatus(pod.id)).state).toBe('SANDBOX_NOTREADY');
    });

    it('removePodSandbox takes its containers along and is idempotent', async ({ c, expect }) => {
      const pod = await c.pod('sb-remove');
      const running = await c.run(pod, 'running', {});
      const created = await c.create(pod, 'created', {});
      await c.h.rt.removePodSandbox(pod.id);
      await expect(c.h.rt.podSandboxStatus(pod.id)).rejects.toSatisfy(isNotFound);
      for (const id of [running, created]) await expect(c.h.rt.containerStatus(id)).rejects.toSatisfy(isNotFound);
      expect(await c.h.rt.listContainers({ podSandboxId: pod.id })).toEqual([]);
      expect(await c.h.rt.listPodSandbox({ labelSelector: { [POD_UID]: pod.config.metadata.uid } })).toEqual([]);
      await c.h.rt.removePodSandbox(pod.id);
    });

    it('a second sandbox with the same metadata is AlreadyExists; a new attempt is not', async ({ c, expect }) => {
      const pod = await c.pod('sb-twice');
      await expect(c.h.rt.runPodSandbox(pod.config)).rejects.toSatisfy(isAlreadyExists);
      const next = await c.pod('sb-twice', { metadata: { ...pod.config.metadata, attempt: 1 } });
      expect(next.id).not.toBe(pod.id);
      const listed = await c.h.rt.listPodSandbox({ labelSelector: { [POD_UID]: pod.config.metadata.uid } });
      expect(listed.map((s) => s.metadata.attempt).sort()).toEqual([0, 1]);
    });
  });
}
