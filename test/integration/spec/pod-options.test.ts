// Real Docker: pod-level options, observed from inside — hostNetwork/hostPID/hostIPC (the host's
// namespaces), shareProcessNamespace, hostname/subdomain/setHostnameAsFQDN and hostAliases in /etc/hosts,
// dnsPolicy/dnsConfig in /etc/resolv.conf, enableServiceLinks, terminationGracePeriodSeconds,
// activeDeadlineSeconds.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { parseResolvConf } from '../../../agent/kuberuntime/sandbox-config.js';
import { execIn, pod, runningContainer } from './helpers.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

const ns = (id: string) => execIn(rig, id, 'main', ['sh', '-c', 'for n in net pid ipc; do readlink /proc/self/ns/$n; done']);
const hostNs = () => ['net', 'pid', 'ipc'].map((n) => readlinkSync(`/proc/self/ns/${n}`)).join('\n') + '\n';

describe.concurrent('pod options', () => {
  it('hostNetwork, hostPID and hostIPC put the container in the host\'s namespaces; the default pod has its own', async ({ expect }) => {
    rig.write('host-ns.yaml', pod('host-ns', { spec: 'hostNetwork: true\nhostPID: true\nhostIPC: true' }));
    rig.write('own-ns.yaml', pod('own-ns', {}));
    expect(await ns('host-ns')).toBe(hostNs());
    const own = (await ns('own-ns')).trim().split('\n');
    hostNs().trim().split('\n').forEach((h, i) => expect(own[i]).not.toBe(h));
    expect(await execIn(rig, 'host-ns', 'main', ['hostname'])).toBe(`${hostname()}\n`);
    const p = (await rig.pod('host-ns'))!;
    expect(p.status!.podIP).toBe(p.status!.hostIP);
  });

  it('shareProcessNamespace: containers see each other\'s processes, the pause process is PID 1', async ({ expect }) => {
    rig.write('share-pid.yaml', pod('share-pid', { spec: 'shareProcessNamespace: true' }).replace(/\n$/, '') + `
  - name: other
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3601']
`);
    await runningContainer(rig, 'share-pid', 'other');
    const ps = await execIn(rig, 'share-pid', 'main', ['ps', '-o', 'pid,args']);
    expect(ps).toMatch(/sleep 3601/);
    expect(ps).toMatch(/^\s*1\s+\/catatonit|^\s*1\s+\/pause/m);
    const alone = await execIn(rig, 'share-pid', 'other', ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
    expect(alone).toMatch(/catatonit|pause/);
  });

  it('hostname, subdomain and hostAliases in /etc/hosts, the kubelet\'s format', async ({ expect }) => {
    rig.write('named.yaml', pod('named', { spec: 'hostname: web-0\nsubdomain: svc-a\nhostAliases:\n- {ip: 10.1.2.3, hostnames: [foo.local, bar.local]}' }));
    const id = await runningContainer(rig, 'named', 'main');
    expect(id).toBeTruthy();
    const ip = (await rig.pod('named'))!.status!.podIP!;
    expect(await execIn(rig, 'named', 'main', ['hostname'])).toBe('web-0\n');
    expect(await execIn(rig, 'named', 'main', ['cat', '/etc/hosts'])).toBe('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n'
      + '::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n'
      + `${ip}\tweb-0.svc-a.default.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n`);
  });

  it('setHostnameAsFQDN makes the kernel hostname the FQDN', async ({ expect }) => {
    rig.write('fqdn.yaml', pod('fqdn', { spec: 'hostname: db\nsubdomain: data\nsetHostnameAsFQDN: true' }));
    expect(await execIn(rig, 'fqdn', 'main', ['hostname'])).toBe('db.data.default.svc.cluster.local\n');
    expect(await execIn(rig, 'fqdn', 'main', ['sh', '-c', 'grep -c "	db.data.default.svc.cluster.local	db$" /etc/hosts'])).toBe('1\n');
  });

  it('dnsPolicy and dnsConfig shape /etc/resolv.conf (ClusterFirst behaves as Default: no cluster DNS)', async ({ expect }) => {
    rig.write('dns-none.yaml', pod('dns-none', { spec: 'dnsPolicy: None\ndnsConfig:\n  nameservers: [1.2.3.4]\n  searches: [my.domain]\n  options: [{name: ndots, value: "2"}, {name: edns0}]' }));
    rig.write('dns-default.yaml', pod('dns-default', { spec: 'dnsPolicy: Default\ndnsConfig:\n  searches: [extra.domain]\n  options: [{name: ndots, value: "3"}]' }));
    rig.write('dns-cluster.yaml', pod('dns-cluster', {}));
    expect(await execIn(rig, 'dns-none', 'main', ['cat', '/etc/resolv.conf'])).toBe('nameserver 1.2.3.4\nsearch my.domain\noptions ndots:2 edns0\n');
    const host = parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8'));
    const servers = host.servers.filter((s) => !/^(127\.|::1$)/.test(s));
    const def = parseResolvConf(await execIn(rig, 'dns-default', 'main', ['cat', '/etc/resolv.conf']));
    expect(def.servers).toEqual(servers.slice(0, 3));
    expect(def.searches).toEqual([...host.searches, 'extra.domain']);
    expect(def.options).toContain('ndots:3');
    // ClusterFirst resolves as Default: the same nameservers as the Default pod (the host's, checked above).
    expect(parseResolvConf(await execIn(rig, 'dns-cluster', 'main', ['cat', '/etc/resolv.conf'])).servers).toEqual(def.servers);
  });

  it('enableServiceLinks is accepted and changes nothing: no Services, no service variables', async ({ expect }) => {
    rig.write('links.yaml', pod('links', { spec: 'enableServiceLinks: true' }));
    expect(await execIn(rig, 'links', 'main', ['sh', '-c', 'env | grep -c _SERVICE_HOST; true'])).toBe('0\n');
  });

  it('terminationGracePeriodSeconds: a container ignoring SIGTERM is killed after the grace (at least 2 s)', async ({ expect }) => {
    rig.write('grace.yaml', pod('grace', { cmd: 'trap "" TERM; while true; do sleep 0.2; done' }));
    await runningContainer(rig, 'grace', 'main');
    const t0 = Date.now();
    rig.remove('grace.yaml');
    await rig.waitForGone('grace', 60_000);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(30_000);
  });

  it('activeDeadlineSeconds: the pod fails with DeadlineExceeded and its container is stopped', async ({ expect }) => {
    rig.write('deadline.yaml', pod('deadline', { spec: 'activeDeadlineSeconds: 2' }));
    const p = await rig.waitForPod('deadline', (x) => x.status?.phase === 'Failed', 90_000, 'Failed');
    expect(p.status).toMatchObject({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    const q = await rig.waitForPod('deadline', (x) => !!containerStatus(x, 'main')?.state?.terminated, 60_000, 'container terminated');
    expect(containerStatus(q, 'main')!.state!.terminated!.exitCode).toBeGreaterThan(0);
  });
});
