// PURE: the sandbox config (DNS by policy, FQDN hostname, host ports, sysctl names) and the validation of
// the spec parts mini-kubelet honours (securityContext shapes and rules, volumes, mounts, env field paths).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { generatePodSandboxConfig, hostResolvConf, normalizeSysctlName, podDNSConfig, SYSTEMD_RESOLV_CONF } from '../../../agent/kuberuntime/sandbox-config.js';
import { decodeManifest } from '../../../agent/sources/manifest.js';
import { managedHostsContent } from '../../../cri/docker/pod-files.js';

const host = { servers: ['127.0.0.53', '10.0.0.1', '10.0.0.2'], searches: ['corp.example'], options: ['ndots:1', 'timeout:2'] };
const pod = (spec: Record<string, unknown>): Pod => ({ metadata: { name: 'web', namespace: 'prod', uid: 'u' }, spec: { containers: [], ...spec } } as Pod);

describe('sandbox config', () => {
  it('DNS: Default and ClusterFirst use the host\'s resolv.conf without loopback servers; None only dnsConfig; dnsConfig merges', () => {
    expect(podDNSConfig(pod({ dnsPolicy: 'Default' }), host)).toEqual({ servers: ['10.0.0.1', '10.0.0.2'], searches: ['corp.example'], options: ['ndots:1', 'timeout:2'] });
    expect(podDNSConfig(pod({}), host)).toEqual(podDNSConfig(pod({ dnsPolicy: 'Default' }), host));
    expect(podDNSConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'edns0' }] } }), host)).toEqual({ servers: ['1.1.1.1'], searches: [], options: ['edns0'] });
    expect(podDNSConfig(pod({ dnsConfig: { nameservers: ['9.9.9.9', '8.8.8.8'], searches: ['a', 'corp.example'], options: [{ name: 'ndots', value: '5' }] } }), host))
      .toEqual({ servers: ['10.0.0.1', '10.0.0.2', '9.9.9.9'], searches: ['corp.example', 'a'], options: ['ndots:5', 'timeout:2'] });
    expect(podDNSConfig(pod({ hostNetwork: true }), host)).toBeUndefined();
    expect(podDNSConfig(pod({}), { servers: ['127.0.0.53'], searches: [], options: [] })).toBeUndefined();
  });

  it('hostname (FQDN with setHostnameAsFQDN), host ports of every container, normalised sysctl names', () => {
    const c = generatePodSandboxConfig(pod({
      hostname: 'db', subdomain: 'data', setHostnameAsFQDN: true,
      securityContext: { sysctls: [{ name: 'net/ipv4/ip_forward', value: '1' }] },
      initContainers: [{ name: 'i', ports: [{ containerPort: 53, hostPort: 5353, protocol: 'UDP' }] }],
      containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' }, { containerPort: 81 }] }],
    }), 0, host);
    expect(c.hostname).toBe('db.data.prod.svc.cluster.local');
    expect(c.domain).toBe('data.prod.svc.cluster.local');
    expect(c.portMappings).toEqual([{ protocol: 'UDP', containerPort: 53, hostPort: 5353 }, { protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }]);
    expect(c.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(normalizeSysctlName('kernel.shm_rmid_forced')).toBe('kernel.shm_rmid_forced');
    expect(normalizeSysctlName('net/ipv4/conf/eth0.100/forwarding')).toBe('net.ipv4.conf.eth0/100.forwarding');
    expect(managedHostsContent(['10.1.1.1'], c.hostname, c.domain)).toContain('10.1.1.1\tdb.data.prod.svc.cluster.local\tdb\n');
  });
});

const errors = (yaml: string) => decodeManifest('t.yaml', yaml).errors.map((e) => `${e.field}: ${e.message}`);
const podYaml = (spec: string, container = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}\n  containers:\n  - name: c\n    image: busybox\n${container}`;

describe('the host resolv.conf pods inherit', () => {
  const files = (m: Record<string, string>) => (path: string) => m[path];
  it('is /etc/resolv.conf when it names a real nameserver', () => {
    expect(hostResolvConf(files({ '/etc/resolv.conf': 'nameserver 10.0.0.2\nsearch lan\n', [SYSTEMD_RESOLV_CONF]: 'nameserver 9.9.9.9\n' })))
      .toEqual({ servers: ['10.0.0.2'], searches: ['lan'], options: [] });
  });
  it("is systemd-resolved's upstream list when /etc/resolv.conf only has the loopback stub", () => {
    expect(hostResolvConf(files({ '/etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0\n', [SYSTEMD_RESOLV_CONF]: 'nameserver 192.0.2.53\nsearch corp\n' })))
      .toEqual({ servers: ['192.0.2.53'], searches: ['corp'], options: [] });
  });
  it('stays the loopback stub when systemd-resolved keeps no list (the runtime resolver is used then)', () => {
    expect(hostResolvConf(files({ '/etc/resolv.conf': 'nameserver 127.0.0.53\n' })).servers).toEqual(['127.0.0.53']);
    expect(hostResolvConf(files({})).servers).toEqual([]);
  });
});

describe('validation of the honoured spec', () => {
  it('unknown fields inside securityContext, downwardAPI and projected get hints', () => {
    expect(errors(podYaml('', '    securityContext: {readOnlyRootFileSystem: true}\n'))).toEqual(['spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field "readOnlyRootFileSystem"; did you mean "readOnlyRootFilesystem"?']);
    expect(errors(podYaml('  securityContext: {runAsUsr: 1}'))).toEqual(['spec.securityContext.runAsUsr: unknown field "runAsUsr"; did you mean "runAsUser"?']);
    expect(errors(podYaml('  volumes:\n  - name: v\n    projected: {sources: [{configMap: {name: x, itemz: []}}]}'))).toEqual(['spec.volumes[0].projected.sources[0].configMap.itemz: unknown field "itemz"; did you mean "items"?']);
  });

  it('rules with Kubernetes\' messages', () => {
    expect(errors(podYaml('  securityContext:\n    runAsUser: -1\n    seccompProfile: {type: Localhost}\n    sysctls: [{name: "Bad Name", value: "1"}, {name: net.core.somaxconn, value: "1"}]\n  hostNetwork: true'))).toEqual([
      'spec.securityContext.runAsUser: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
      'spec.securityContext.sysctls[0].name: Invalid value: "Bad Name": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
      'spec.securityContext.sysctls[1].name: Invalid value: "net.core.somaxconn": may not be specified when \'hostNetwork\' is true',
    ]);
    expect(errors(podYaml('  volumes: [{name: v, emptyDir: {}}]', '    securityContext: {allowPrivilegeEscalation: false, privileged: true}\n    volumeMounts: [{name: v, mountPath: /v, subPath: a, subPathExpr: b, mountPropagation: Bidirectional}]\n    env: [{name: X, valueFrom: {fieldRef: {fieldPath: status.phase}}}]\n'))).toEqual([
      'spec.containers[0].securityContext: Invalid value: "": cannot set allowPrivilegeEscalation to false and privileged to true',
      'spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: "b": subPathExpr and subPath are mutually exclusive',
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ]);
    expect(errors(podYaml('  volumes:\n  - name: d\n    downwardAPI: {items: [{path: ../x, fieldRef: {fieldPath: spec.nodeName}}, {path: m, resourceFieldRef: {resource: limits.memory}}]}\n  - name: c\n    configMap: {name: x, items: [{key: k, path: /abs, mode: 01000}]}\n  hostAliases: [{ip: not-an-ip, hostnames: [a]}]'))).toEqual([
      'spec.hostAliases[0].ip: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'spec.volumes[0].downwardAPI.items[0].path: Invalid value: "../x": must not contain \'..\'',
      'spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      'spec.volumes[0].downwardAPI.items[1].resourceFieldRef.containerName: Required value',
      'spec.volumes[1].configMap.items[0].path: Invalid value: "/abs": must be a relative path',
      'spec.volumes[1].configMap.items[0].mode: must be a number between 0 and 0777 (octal), both inclusive',
    ]);
  });

  it('a valid pod that uses all of it decodes without errors', () => {
    expect(errors(podYaml(`  securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, supplementalGroups: [3000], seccompProfile: {type: RuntimeDefault}, sysctls: [{name: kernel.shm_rmid_forced, value: "1"}]}
  shareProcessNamespace: true
  volumes:
  - {name: d, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: mem, resourceFieldRef: {containerName: c, resource: limits.memory, divisor: 1Mi}}]}}
  - {name: p, projected: {sources: [{configMap: {name: a, items: [{key: k, path: k}]}}, {secret: {name: s}}, {serviceAccountToken: {path: token, expirationSeconds: 3600}}]}}`,
    `    securityContext: {capabilities: {add: [NET_ADMIN], drop: [ALL]}, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, procMount: Default}
    lifecycle: {stopSignal: SIGUSR1}
    volumeMounts: [{name: d, mountPath: /d, subPathExpr: "$(X)", mountPropagation: HostToContainer}]
    env: [{name: X, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}]
`))).toEqual([]);
  });
});
