// Real Docker: securityContext (pod and container), observed from inside — runAsUser/runAsGroup (`id`),
// runAsNonRoot (refused with the kubelet's messages), fsGroup/supplementalGroups, capabilities,
// privileged, readOnlyRootFilesystem, allowPrivilegeEscalation, seccomp, sysctls (and a refused one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../agent/api/v1.js';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';
import { docker, dockerExec, execIn, makeImage, pod, removeImage, runTag, runningContainer } from './helpers.js';

let rig: AgentRig;
const nobodyImage = runTag('user-nobody');
const uidImage = runTag('user-1000');
beforeAll(async () => {
  rig = await startAgentRig();
  await makeImage(nobodyImage, ['USER nobody']);
  await makeImage(uidImage, ['USER 1000']);
});
afterAll(async () => {
  await rig?.stop();
  await removeImage(nobodyImage);
  await removeImage(uidImage);
});

const status = async (id: string, field: string) => ((await dockerExec(id, ['grep', `^${field}:`, '/proc/1/status'])).stdout.split(':')[1] ?? '').trim();
const withImage = (yaml: string, image: string) => yaml.replace('image: busybox\n    imagePullPolicy: IfNotPresent', `image: ${image}\n    imagePullPolicy: Never`);
/** The privileged pod from inside: every bounding capability is effective, and the host's devices are there. */
async function privilegedInside(): Promise<{ allCapabilities: boolean; hostDevices: boolean }> {
  const priv = await runningContainer(rig, 'privileged', 'main');
  return {
    allCapabilities: (await status(priv, 'CapEff')) === (await status(priv, 'CapBnd')),
    hostDevices: Number((await dockerExec(priv, ['sh', '-c', 'ls /dev | wc -l'])).stdout) > 20,
  };
}
/** The privileged pod as the status shows the runtime's refusal. */
async function privilegedRefusal(): Promise<{ reason?: string; exitCode?: number; capsRefused: boolean }> {
  const p = await rig.waitForPod('privileged', (x) => !!containerStatus(x, 'main')?.lastState?.terminated, 90_000, 'refused by the runtime');
  const t = containerStatus(p, 'main')!.lastState!.terminated!;
  return { reason: t.reason, exitCode: t.exitCode, capsRefused: /unable to apply caps/.test(t.message ?? '') };
}
const configError = (name: string) => rig.waitForPod(name, (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError', 90_000, 'CreateContainerConfigError');

describe.concurrent('securityContext', () => {
  it('runAsUser and runAsGroup (container overrides pod); fsGroup and supplementalGroups join the groups and own the volumes', async ({ expect }) => {
    rig.write('ids.yaml', pod('ids', {
      docs: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ids-cm}\ndata: {k: v}',
      spec: 'securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}\nvolumes:\n- {name: scratch, emptyDir: {}}\n- {name: cfg, configMap: {name: ids-cm, defaultMode: 0400}}',
      container: 'securityContext: {runAsUser: 1001}\nvolumeMounts:\n- {name: scratch, mountPath: /scratch}\n- {name: cfg, mountPath: /cfg}',
    }));
    const id = await runningContainer(rig, 'ids', 'main');
    const sh = async (c: string) => (await dockerExec(id, ['sh', '-c', c])).stdout;
    expect(await sh('id -u; id -g')).toBe('1001\n3000\n');
    expect((await sh('id -G')).trim().split(' ')).toEqual(expect.arrayContaining(['3000', '2000', '4000']));
    // emptyDir: group fsGroup with setgid, so new files belong to the group; ConfigMap files readable by it.
    expect(await sh('stat -c "%g %a" /scratch; touch /scratch/f; stat -c %g /scratch/f')).toBe('2000 2777\n2000\n');
    expect(await sh('stat -L -c "%g %a" /cfg/k; cat /cfg/k')).toBe('2000 440\nv');
  });

  it('runAsNonRoot refuses an image that runs as root, with the kubelet\'s message', async ({ expect }) => {
    rig.write('nonroot-root.yaml', pod('nonroot-root', { spec: 'securityContext: {runAsNonRoot: true}' }));
    const p = await configError('nonroot-root');
    expect(containerStatus(p, 'main')!.state!.waiting!.message)
      .toBe(`container has runAsNonRoot and image will run as root (pod: "nonroot-root_default(${p.metadata!.uid})", container: main)`);
  });

  it('runAsNonRoot with runAsUser 0, and with an image whose user is a name: refused', async ({ expect }) => {
    rig.write('nonroot-uid0.yaml', pod('nonroot-uid0', { container: 'securityContext: {runAsNonRoot: true, runAsUser: 0}' }));
    rig.write('nonroot-name.yaml', withImage(pod('nonroot-name', { spec: 'securityContext: {runAsNonRoot: true}' }), nobodyImage));
    const a = await configError('nonroot-uid0');
    expect(containerStatus(a, 'main')!.state!.waiting!.message).toBe(`container's runAsUser breaks non-root policy (pod: "nonroot-uid0_default(${a.metadata!.uid})", container: main)`);
    const b = await configError('nonroot-name');
    expect(containerStatus(b, 'main')!.state!.waiting!.message)
      .toBe(`container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: "nonroot-name_default(${b.metadata!.uid})", container: main)`);
  });

  it('runAsNonRoot accepts a numeric non-root image user and a non-root runAsUser', async ({ expect }) => {
    rig.write('nonroot-ok.yaml', withImage(pod('nonroot-ok', { spec: 'securityContext: {runAsNonRoot: true, runAsGroup: 5000}' }), uidImage));
    rig.write('nonroot-ok2.yaml', pod('nonroot-ok2', { spec: 'securityContext: {runAsNonRoot: true, runAsUser: 4242}' }));
    expect(await execIn(rig, 'nonroot-ok', 'main', ['sh', '-c', 'id -u; id -g'])).toBe('1000\n5000\n');
    expect(await execIn(rig, 'nonroot-ok2', 'main', ['id', '-u'])).toBe('4242\n');
  });

  it('capabilities add/drop, privileged', async ({ expect }) => {
    rig.write('caps-add.yaml', pod('caps-add', { container: 'securityContext: {capabilities: {add: [NET_ADMIN], drop: [CHOWN]}}' }));
    rig.write('caps-none.yaml', pod('caps-none', { container: 'securityContext: {capabilities: {drop: [ALL]}}' }));
    rig.write('privileged.yaml', pod('privileged', { container: 'securityContext: {privileged: true}' }));
    const add = BigInt(`0x${await status(await runningContainer(rig, 'caps-add', 'main'), 'CapEff')}`);
    expect(add & (1n << 12n)).toBe(1n << 12n); // CAP_NET_ADMIN
    expect(add & 1n).toBe(0n); // CAP_CHOWN dropped
    expect(BigInt(`0x${await status(await runningContainer(rig, 'caps-none', 'main'), 'CapEff')}`)).toBe(0n);
    // An engine that lacks capabilities itself (some VMs) cannot run privileged containers at all; the pod
    // then shows the runtime's refusal, as the kubelet would. Elsewhere: every capability and the host's devices.
    const canPrivileged = await docker('run', '--rm', '--label', `io.mini-kubelet.test-run=${process.env.MK_TEST_RUN}`, '--privileged', 'busybox:latest', 'true').then(() => true, () => false);
    const seen = canPrivileged ? await privilegedInside() : await privilegedRefusal();
    expect(seen).toEqual(canPrivileged
      ? { allCapabilities: true, hostDevices: true }
      : { reason: 'ContainerCannotRun', exitCode: 128, capsRefused: true });
  });

  it('readOnlyRootFilesystem: writes to the root fail, mounted paths stay writable', async ({ expect }) => {
    rig.write('rofs.yaml', pod('rofs', { container: 'securityContext: {readOnlyRootFilesystem: true}\nvolumeMounts:\n- {name: tmp, mountPath: /tmp}', spec: 'volumes:\n- {name: tmp, emptyDir: {}}' }));
    const id = await runningContainer(rig, 'rofs', 'main');
    const w = await dockerExec(id, ['touch', '/root-file']);
    expect(w.code).not.toBe(0);
    expect(w.stderr).toMatch(/Read-only file system/);
    expect((await dockerExec(id, ['sh', '-c', 'touch /tmp/ok && echo msg > /dev/termination-log && echo fine'])).stdout).toBe('fine\n');
  });

  it('allowPrivilegeEscalation: false sets no_new_privs; seccomp: Unconfined by default, RuntimeDefault filters', async ({ expect }) => {
    rig.write('nnp.yaml', pod('nnp', { container: 'securityContext: {allowPrivilegeEscalation: false, seccompProfile: {type: RuntimeDefault}}' }));
    rig.write('plain.yaml', pod('plain', {}));
    const nnp = await runningContainer(rig, 'nnp', 'main');
    const plain = await runningContainer(rig, 'plain', 'main');
    expect(await status(nnp, 'NoNewPrivs')).toBe('1');
    expect(await status(plain, 'NoNewPrivs')).toBe('0');
    expect(await status(nnp, 'Seccomp')).toBe('2');
    expect(await status(plain, 'Seccomp')).toBe('0');
  });

  it('namespaced sysctls are applied (safe and unsafe); a node-wide one is refused at admission', async ({ expect }) => {
    rig.write('sysctl.yaml', pod('sysctl', { spec: 'securityContext:\n  sysctls:\n  - {name: kernel.shm_rmid_forced, value: "1"}\n  - {name: net.core.somaxconn, value: "1234"}\n  - {name: net/ipv4/ip_unprivileged_port_start, value: "80"}' }));
    rig.write('sysctl-bad.yaml', pod('sysctl-bad', { spec: 'securityContext:\n  sysctls:\n  - {name: vm.swappiness, value: "10"}' }));
    expect(await execIn(rig, 'sysctl', 'main', ['cat', '/proc/sys/kernel/shm_rmid_forced', '/proc/sys/net/core/somaxconn', '/proc/sys/net/ipv4/ip_unprivileged_port_start'])).toBe('1\n1234\n80\n');
    // Refused at admission: once the Warning event says so, the pod is not listed and has no container.
    const refusal = await waitFor(async () => {
      const { items } = (await (await fetch(`${rig.url}/api/v1/namespaces/default/events`)).json()) as { items: Event[] };
      return items.find((e) => e.involvedObject.name === 'sysctl-bad' && e.type === 'Warning');
    }, { timeoutMs: 30_000, message: 'a Warning event refusing sysctl-bad' });
    expect(refusal.reason).toBe('SysctlForbidden');
    expect(await rig.pod('sysctl-bad')).toBeUndefined();
    expect(rig.dockerContainers().some((n) => n.includes('_sysctl-bad_'))).toBe(false);
  });
});
