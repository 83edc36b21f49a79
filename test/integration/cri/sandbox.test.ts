// Real Docker: pod sandboxes (pause containers) — create, status, list, stop, remove, idempotency, the
// managed /etc/hosts file (pod network and host network), DNS, and what a container sees of them.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isAlreadyExists, isNotFound } from '../../../cri/errors.js';
import { etcHostsPath } from '../../../cri/docker/pod-files.js';
import { requireDocker, testRuntimeInfo } from '../../helpers/docker-rig.js';
import { containerConfig, runContainer, sandboxConfig, useRuntime } from './fixtures.js';

const env = useRuntime();

describe('pod sandbox lifecycle', () => {
  it('creates a ready sandbox with an IP, lists it by labels, stops and removes it idempotently', async () => {
    const sb = sandboxConfig('lifecycle', { annotations: { 'example.com/note': 'hello' } });
    const id = await env.rt.runPodSandbox(sb);
    const st = await env.rt.podSandboxStatus(id);
    expect(st.state).toBe('SANDBOX_READY');
    expect(st.metadata).toEqual(sb.metadata);
    expect(st.network.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(st.hostname).toBe('lifecycle');
    expect(st.labels.app).toBe('lifecycle');
    expect(st.annotations['example.com/note']).toBe('hello');
    expect(st.namespaceOptions).toEqual(sb.namespaceOptions);

    const listed = await env.rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': sb.metadata.uid } });
    expect(listed.map((s) => s.id)).toEqual([id]);
    expect(listed[0]!.metadata).toEqual(sb.metadata);
    expect(await env.rt.listPodSandbox({ id, state: 'SANDBOX_NOTREADY' })).toEqual([]);

    // The network is ours and labelled.
    const net = await (await requireDocker()).getNetwork(testRuntimeInfo(env.rt).networkName).inspect();
    expect(net.Labels?.['io.mini-kubelet.managed']).toBe('true');

    const started = Date.now();
    await env.rt.stopPodSandbox(id);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await env.rt.podSandboxStatus(id)).state).toBe('SANDBOX_NOTREADY');
    expect((await env.rt.podSandboxStatus(id)).network.ip).toBe('');
    await env.rt.stopPodSandbox(id); // idempotent
    expect((await env.rt.listPodSandbox({ id, state: 'SANDBOX_NOTREADY' })).length).toBe(1);

    await env.rt.removePodSandbox(id);
    await env.rt.removePodSandbox(id); // idempotent
    await expect(env.rt.podSandboxStatus(id)).rejects.toSatisfy(isNotFound);
    expect(existsSync(etcHostsPath(testRuntimeInfo(env.rt).rootDir, sb.metadata.uid))).toBe(false);
  });

  it('refuses a second sandbox with the same metadata (AlreadyExists)', async () => {
    const sb = sandboxConfig('twice');
    const id = await env.rt.runPodSandbox(sb);
    await expect(env.rt.runPodSandbox(sb)).rejects.toSatisfy(isAlreadyExists);
    await env.rt.removePodSandbox(id);
  });

  it('stop kills the sandbox containers at once; remove takes them along', async () => {
    const sb = sandboxConfig('stopall');
    const id = await env.rt.runPodSandbox(sb);
    // A container that ignores TERM: only a kill stops it.
    const c = await runContainer(env.rt, id, sb, containerConfig('stubborn', ['sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']));
    const started = Date.now();
    await env.rt.stopPodSandbox(id);
    expect(Date.now() - started).toBeLessThan(10_000);
    const cs = await env.rt.containerStatus(c);
    expect(cs.state).toBe('CONTAINER_EXITED');
    expect(cs.exitCode).toBe(137);
    await env.rt.removePodSandbox(id);
    expect(await env.rt.listContainers({ id: c })).toEqual([]);
  });
});

describe('/etc/hosts and DNS', () => {
  it('a container sees the kubelet-format hosts file with the pod IP, hostname, domain and hostAliases', async () => {
    const sb = sandboxConfig('hosts', {
      hostname: 'web-0',
      domain: 'sub.default.svc.cluster.local',
      hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }, { ip: '127.0.0.1', hostnames: ['me'] }],
    });
    const id = await env.rt.runPodSandbox(sb);
    const ip = (await env.rt.podSandboxStatus(id)).network.ip;
    const expected = [
      '# Kubernetes-managed hosts file.',
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      'fe00::0\tip6-localnet',
      'fe00::0\tip6-mcastprefix',
      'fe00::1\tip6-allnodes',
      'fe00::2\tip6-allrouters',
      `${ip}\tweb-0.sub.default.svc.cluster.local\tweb-0`,
      '',
      '# Entries added by HostAliases.',
      '10.1.2.3\tfoo.local\tbar.local',
      '127.0.0.1\tme',
      '',
    ].join('\n');
    expect(readFileSync(etcHostsPath(testRuntimeInfo(env.rt).rootDir, sb.metadata.uid), 'utf8')).toBe(expected);
    const c = await runContainer(env.rt, id, sb, containerConfig('main', ['sleep', '60']));
    const r = await env.rt.execSync(c, ['cat', '/etc/hosts'], 5000);
    expect(r.stdout).toBe(expected);
    expect((await env.rt.execSync(c, ['hostname'], 5000)).stdout.trim()).toBe('web-0');
    await env.rt.removePodSandbox(id);
  });

  it('a container mounting its own /etc/hosts keeps it', async () => {
    const sb = sandboxConfig('ownhosts');
    const id = await env.rt.runPodSandbox(sb);
    const c = await runContainer(env.rt, id, sb, containerConfig('main', ['sleep', '60'], {
      mounts: [{ containerPath: '/etc/hosts', hostPath: '/etc/hostname', readonly: true }],
    }));
    expect((await env.rt.execSync(c, ['cat', '/etc/hosts'], 5000)).stdout).toBe(readFileSync('/etc/hostname', 'utf8'));
    await env.rt.removePodSandbox(id);
  });

  it('host network: the node hosts file under the host-network header, the node IP and hostname', async () => {
    const sb = sandboxConfig('hostnet', {
      namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
      hostAliases: [{ ip: '10.9.9.9', hostnames: ['alias'] }],
    });
    const id = await env.rt.runPodSandbox(sb);
    const st = await env.rt.podSandboxStatus(id);
    expect(st.namespaceOptions.network).toBe('NODE');
    expect(st.network.ip).not.toBe('');
    const expected = `# Kubernetes-managed hosts file (host network).\n${readFileSync('/etc/hosts', 'utf8')}\n# Entries added by HostAliases.\n10.9.9.9\talias\n`;
    const c = await runContainer(env.rt, id, sb, containerConfig('main', ['sleep', '60']));
    expect((await env.rt.execSync(c, ['cat', '/etc/hosts'], 5000)).stdout).toBe(expected);
    expect((await env.rt.execSync(c, ['hostname'], 5000)).stdout.trim()).toBe(hostname());
    await env.rt.removePodSandbox(id);
  });

  it('namespaced sysctls apply to the pod', async () => {
    const sb = sandboxConfig('sysctl', { sysctls: { 'net.core.somaxconn': '1234' } });
    const id = await env.rt.runPodSandbox(sb);
    const c = await runContainer(env.rt, id, sb, containerConfig('main', ['sleep', '60']));
    expect((await env.rt.execSync(c, ['cat', '/proc/sys/net/core/somaxconn'], 5000)).stdout.trim()).toBe('1234');
    await env.rt.removePodSandbox(id);
  });

  it('dnsConfig becomes the pod resolv.conf', async () => {
    const sb = sandboxConfig('dns', { dnsConfig: { servers: ['10.0.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] } });
    const id = await env.rt.runPodSandbox(sb);
    const c = await runContainer(env.rt, id, sb, containerConfig('main', ['sleep', '60']));
    const resolv = (await env.rt.execSync(c, ['cat', '/etc/resolv.conf'], 5000)).stdout;
    expect(resolv).toMatch(/^nameserver 10\.0\.0\.10$/m);
    expect(resolv).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local$/m);
    expect(resolv).toMatch(/^options ndots:5$/m);
    await env.rt.removePodSandbox(id);
  });
});
