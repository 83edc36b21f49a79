// agent/kuberuntime/sandbox-config.ts — PURE: a pod → the CRI PodSandboxConfig.
//
// Hostname (spec.hostname or the pod name, ≤63 chars; the FQDN with setHostnameAsFQDN), domain from
// spec.subdomain, DNS by dnsPolicy (no cluster DNS on one node: ClusterFirst behaves as Default, i.e. the
// host's resolv.conf, whose loopback nameservers cannot answer inside a pod's network namespace and are left
// out; with none left the runtime's resolver stays), dnsConfig merged on top, hostAliases, hostPorts,
// namespace modes (hostNetwork / hostPID / hostIPC / shareProcessNamespace), sysctls (names normalised),
// labels/annotations.
import type { PodSandboxConfig, DNSConfig, PortMapping } from '../../cri/api.js';
import type { Pod } from '../api/v1.js';
import { sandboxAnnotations, sandboxLabels } from './labels.js';

export const CLUSTER_DOMAIN = 'cluster.local';

export function podHostname(pod: Pod): string {
  const h = pod.spec?.hostname || pod.metadata?.name || '';
  return h.slice(0, 63).replace(/[-.]+$/, '');
}

export function podDomain(pod: Pod): string | undefined {
  const sub = pod.spec?.subdomain;
  return sub ? `${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}` : undefined;
}

const LOOPBACK = /^(127\.|::1$|0:0:0:0:0:0:0:1$)/;

/** systemd-resolved's list of the real upstream servers (what kubeadm gives the kubelet as --resolv-conf). */
export const SYSTEMD_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';

/**
 * Which host resolv.conf pods inherit: /etc/resolv.conf, unless all its nameservers are loopback stubs (a
 * systemd-resolved host: 127.0.0.53 cannot answer inside a pod's network) and systemd-resolved's own list
 * exists — then that one, as the kubelet is configured on such hosts. `read` returns undefined for a missing file.
 */
export function hostResolvConf(read: (path: string) => string | undefined): DNSConfig {
  const etc = parseResolvConf(read('/etc/resolv.conf') ?? '');
  if (etc.servers.length > 0 && etc.servers.every((s) => LOOPBACK.test(s))) {
    const upstream = read(SYSTEMD_RESOLV_CONF);
    if (upstream !== undefined) return parseResolvConf(upstream);
  }
  return etc;
}
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/** The search list within the kubelet's limits (32 domains, 2048 characters). */
function fitSearches(searches: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of [...new Set(searches)].slice(0, MAX_SEARCHES)) {
    if (chars + s.length + (out.length ? 1 : 0) > MAX_SEARCH_CHARS) break;
    chars += s.length + (out.length ? 1 : 0);
    out.push(s);
  }
  return out;
}

/**
 * The pod's resolv.conf, or undefined for the runtime's own (host-network pods without dnsConfig, or a
 * host whose nameservers are all loopback addresses).
 */
export function podDNSConfig(pod: Pod, hostResolv: DNSConfig): DNSConfig | undefined {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const extra = pod.spec?.dnsConfig;
  if (policy !== 'None' && !extra && pod.spec?.hostNetwork) return undefined;
  const hostServers = hostResolv.servers.filter((s) => !LOOPBACK.test(s));
  const base: DNSConfig = policy === 'None' ? { servers: [], searches: [], options: [] } : { ...hostResolv, servers: hostServers };
  const servers = [...base.servers, ...(extra?.nameservers ?? [])];
  if (!servers.length && policy !== 'None') return undefined;
  const searches = [...base.searches, ...(extra?.searches ?? [])];
  const opts = new Map<string, string>();
  for (const o of base.options) opts.set(o.split(':')[0]!, o);
  for (const o of extra?.options ?? []) opts.set(o.name ?? '', o.value !== undefined ? `${o.name}:${o.value}` : o.name ?? '');
  return { servers: [...new Set(servers)].slice(0, MAX_NAMESERVERS), searches: fitSearches(searches), options: [...opts.values()] };
}

/** sysctl names with `/` separators (`net/ipv4/ip_forward`) in the dotted form. */
export function normalizeSysctlName(name: string): string {
  const dot = name.indexOf('.');
  const slash = name.indexOf('/');
  if (slash < 0 || (dot >= 0 && dot < slash)) return name;
  return name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** Every hostPort of the pod's containers (init and regular) as a port mapping. */
export function podPortMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIp: p.hostIP } : {}) });
    }
  }
  return out;
}

export function generatePodSandboxConfig(pod: Pod, attempt: number, hostResolv: DNSConfig): PodSandboxConfig {
  const spec = pod.spec!;
  const md = pod.metadata!;
  const dns = podDNSConfig(pod, hostResolv);
  const sysctls: Record<string, string> = {};
  for (const s of spec.securityContext?.sysctls ?? []) sysctls[normalizeSysctlName(s.name)] = s.value;
  const domain = podDomain(pod);
  const fqdn = domain ? `${podHostname(pod)}.${domain}` : undefined;
  const ports = spec.hostNetwork ? [] : podPortMappings(pod);
  return {
    metadata: { name: md.name!, namespace: md.namespace ?? 'default', uid: md.uid!, attempt },
    // setHostnameAsFQDN: the kernel hostname is the FQDN (the kubelet refuses one over 64 characters; here
    // the short name stays then).
    hostname: spec.setHostnameAsFQDN && fqdn && fqdn.length <= 64 ? fqdn : podHostname(pod),
    ...(domain ? { domain } : {}),
    ...(dns ? { dnsConfig: dns } : {}),
    hostAliases: (spec.hostAliases ?? []).map((a) => ({ ip: a.ip ?? '', hostnames: a.hostnames ?? [] })),
    ...(ports.length ? { portMappings: ports } : {}),
    namespaceOptions: {
      network: spec.hostNetwork ? 'NODE' : 'POD',
      pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
      ipc: spec.hostIPC ? 'NODE' : 'POD',
    },
    ...(Object.keys(sysctls).length ? { sysctls } : {}),
    labels: sandboxLabels(pod),
    annotations: sandboxAnnotations(pod),
  };
}

/** Parses resolv.conf text into servers/searches/options. */
export function parseResolvConf(text: string): DNSConfig {
  const servers: string[] = [];
  const searches: string[] = [];
  const options: string[] = [];
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0]) servers.push(rest[0]);
    else if (k === 'search' || k === 'domain') searches.push(...rest);
    else if (k === 'options') options.push(...rest);
  }
  return { servers, searches, options };
}
