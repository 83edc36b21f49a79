// cri/docker/pod-files.ts — the pod's managed /etc/hosts (the kubelet's exact format, semantics §10) and,
// when the pod has a dnsConfig, its /etc/resolv.conf.
//
// Owns: the files' content (hosts: pod network and host network variants, HostAliases block) and their
// place, <rootDir>/pods/<uid>/etc-hosts and …/resolv.conf. Called by sandbox.ts (write after the pause
// container starts, remove with the last sandbox of the pod) and containers.ts (bind-mount them, rewrite
// them if they went missing). Never touches Docker and never deletes anything else in the pod dir (the
// agent owns it). resolv.conf is bind-mounted rather than left to Docker because Docker points containers
// on a user-defined network at its embedded DNS (127.0.0.11), and a pod must see its own nameservers.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DNSConfig, HostAlias } from '../api.js';

const HEADER = '# Kubernetes-managed hosts file.\n';
const HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

export function podDirOf(rootDir: string, uid: string): string {
  return join(rootDir, 'pods', uid);
}

export function etcHostsPath(rootDir: string, uid: string): string {
  return join(podDirOf(rootDir, uid), 'etc-hosts');
}

/** The HostAliases block: an empty line, a comment, then one line per alias IP with its names TAB-joined. */
export function hostAliasesBlock(aliases: readonly HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  return out;
}

/** The hosts file of a pod on the pod network: boilerplate, one line per pod IP, then the aliases. */
export function managedHostsContent(podIPs: readonly string[], hostname: string, domain: string | undefined, aliases?: readonly HostAlias[]): string {
  let out = HEADER
    + '127.0.0.1\tlocalhost\n'
    + '::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\n'
    + 'fe00::0\tip6-mcastprefix\n'
    + 'fe00::1\tip6-allnodes\n'
    + 'fe00::2\tip6-allrouters\n';
  // A kernel hostname that is already the FQDN (setHostnameAsFQDN) is listed by its short name, as the kubelet does.
  const short = domain && hostname.endsWith(`.${domain}`) ? hostname.slice(0, -(domain.length + 1)) : hostname;
  for (const ip of podIPs) out += domain ? `${ip}\t${short}.${domain}\t${short}\n` : `${ip}\t${short}\n`;
  return out + hostAliasesBlock(aliases);
}

/** The hosts file of a host-network pod: the node's /etc/hosts under its own header, then the aliases. */
export function hostNetworkHostsContent(nodeHosts: string, aliases?: readonly HostAlias[]): string {
  return HEADER_HOST_NETWORK + nodeHosts + hostAliasesBlock(aliases);
}

/**
 * Writes the file in place (truncate + write, mode 0644) so containers that already bind-mount it see the
 * new content; a rename would leave them on the old inode.
 */
export function writeEtcHosts(rootDir: string, uid: string, content: string): string {
  const path = etcHostsPath(rootDir, uid);
  mkdirSync(podDirOf(rootDir, uid), { recursive: true, mode: 0o750 });
  writeFileSync(path, content, { mode: 0o644 });
  return path;
}

export function readNodeHosts(path = '/etc/hosts'): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

export function etcHostsExists(rootDir: string, uid: string): boolean {
  return existsSync(etcHostsPath(rootDir, uid));
}

export function resolvConfPath(rootDir: string, uid: string): string {
  return join(podDirOf(rootDir, uid), 'resolv.conf');
}

/** resolv.conf lines: one `nameserver` per server, then `search` and `options` when non-empty. */
export function resolvConfContent(dns: DNSConfig): string {
  const lines = dns.servers.map((s) => `nameserver ${s}`);
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Writes the pod's resolv.conf (in place, 0644); returns its path. */
export function writeResolvConf(rootDir: string, uid: string, dns: DNSConfig): string {
  const path = resolvConfPath(rootDir, uid);
  mkdirSync(podDirOf(rootDir, uid), { recursive: true, mode: 0o750 });
  writeFileSync(path, resolvConfContent(dns), { mode: 0o644 });
  return path;
}

/** Removes the pod's etc-hosts and resolv.conf, and the pod dir too when nothing else is left in it. */
export function removePodFiles(rootDir: string, uid: string): void {
  rmSync(etcHostsPath(rootDir, uid), { force: true });
  rmSync(resolvConfPath(rootDir, uid), { force: true });
  try { rmdirSync(podDirOf(rootDir, uid)); } catch { /* not empty or already gone: the agent owns the rest */ }
}
