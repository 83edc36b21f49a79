// agent/spec-support/sysctls.ts — which pod sysctls mini-kubelet applies, as the kubelet's sysctl admission
// (pkg/kubelet/sysctl) decides, with one deliberate difference: every sysctl Docker can set inside the
// pod's namespaces is allowed, as if the kubelet's --allowed-unsafe-sysctls listed them all.
//
// Namespaced (Docker can set them): kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* (IPC namespace) and
// net.* (network namespace). Others would change the whole node and are refused with the kubelet's
// admission message (reason SysctlForbidden), as are net.* with hostNetwork and IPC ones with hostIPC.
import type { Pod } from '../api/v1.js';
import { normalizeSysctlName } from '../kuberuntime/sandbox-config.js';

/** The kubelet's safe set (allowed without --allowed-unsafe-sysctls), Kubernetes 1.33. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
];

const IPC_NAMES = new Set(['kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem']);

/** The namespace a sysctl belongs to ('ipc' | 'net'), or undefined when it is node-wide. */
export function sysctlNamespace(name: string): 'ipc' | 'net' | undefined {
  const n = normalizeSysctlName(name);
  if (IPC_NAMES.has(n) || n.startsWith('fs.mqueue.')) return 'ipc';
  if (n.startsWith('net.')) return 'net';
  return undefined;
}

export function isSafeSysctl(name: string): boolean {
  return SAFE_SYSCTLS.includes(normalizeSysctlName(name));
}

/** The admission failure for the pod's sysctls (`forbidden sysctl: …`), or undefined when all can be set. */
export function forbiddenSysctl(pod: Pod): string | undefined {
  const spec = pod.spec;
  for (const s of spec?.securityContext?.sysctls ?? []) {
    const ns = sysctlNamespace(s.name);
    if (!ns) return `forbidden sysctl: "${s.name}" not allowlisted`;
    if (ns === 'net' && spec?.hostNetwork) return `forbidden sysctl: "${s.name}" not allowed with host net enabled`;
    if (ns === 'ipc' && spec?.hostIPC) return `forbidden sysctl: "${s.name}" not allowed with host ipc enabled`;
  }
  return undefined;
}

export const SYSCTL_FORBIDDEN_REASON = 'SysctlForbidden';
