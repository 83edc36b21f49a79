// agent/kuberuntime/security.ts — PURE: the pod and container securityContext → the CRI Linux security
// context, and the kubelet's runAsNonRoot check (verifyRunAsNonRoot) with its exact messages.
//
// Container fields override the pod's for runAsUser, runAsGroup, runAsNonRoot, seccompProfile and
// appArmorProfile (DetermineEffectiveSecurityContext). fsGroup and supplementalGroups become supplementary
// groups. Without a seccompProfile the container runs Unconfined, as the kubelet does with its default
// `seccompDefault: false`; without an appArmorProfile the runtime's default applies.
import { join } from 'node:path';
import type { LinuxContainerSecurityContext, SecurityProfile } from '../../cri/api.js';
import type { Container, Pod } from '../api/v1.js';
import { formatPod } from './context.js';
import { ContainerConfigError } from './errors.js';

interface ProfileSpec { type?: string; localhostProfile?: string }

/** The effective runAs* fields: the container's, else the pod's. */
export function effectiveRunAs(pod: Pod, c: Container): { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean } {
  const p = pod.spec?.securityContext ?? {};
  const s = c.securityContext ?? {};
  return {
    runAsUser: s.runAsUser ?? p.runAsUser,
    runAsGroup: s.runAsGroup ?? p.runAsGroup,
    runAsNonRoot: s.runAsNonRoot ?? p.runAsNonRoot,
  };
}

/** An image USER as cri-dockerd reports it: a numeric uid, a user name, or nothing (= root). */
export function parseImageUser(user: string): { uid?: number; username?: string } {
  const name = user.split(':')[0] ?? '';
  if (name === '') return { uid: 0 };
  return /^\d+$/.test(name) ? { uid: Number(name) } : { username: name };
}

/** Whether generating the config needs the image's USER (runAsNonRoot to verify, or runAsGroup to pair). */
export function needsImageUser(pod: Pod, c: Container): boolean {
  const e = effectiveRunAs(pod, c);
  return e.runAsUser === undefined && (e.runAsNonRoot === true || e.runAsGroup !== undefined);
}

/** The kubelet's verifyRunAsNonRoot; throws ContainerConfigError (→ CreateContainerConfigError). */
export function verifyRunAsNonRoot(pod: Pod, c: Container, imageUser: string | undefined): void {
  const e = effectiveRunAs(pod, c);
  if (e.runAsNonRoot !== true) return;
  const where = `(pod: ${JSON.stringify(formatPod(pod))}, container: ${c.name})`;
  if (e.runAsUser !== undefined) {
    if (e.runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  const u = parseImageUser(imageUser ?? '');
  if (u.uid === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
  if (u.uid === undefined && u.username) {
    throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${u.username}), cannot verify user is non-root ${where}`);
  }
}

function profileOf(p: ProfileSpec | undefined, localhost: (name: string) => string): SecurityProfile | undefined {
  if (!p?.type) return undefined;
  if (p.type === 'Localhost') return { profileType: 'Localhost', localhostRef: localhost(p.localhostProfile ?? '') };
  if (p.type === 'Unconfined' || p.type === 'RuntimeDefault') return { profileType: p.type };
  return undefined;
}

/** The CRI security context of one container. `seccompRoot` is <rootDir>/seccomp (Localhost profiles). */
export function linuxSecurityContext(pod: Pod, c: Container, imageUser: string | undefined, seccompRoot: string): LinuxContainerSecurityContext {
  const podSc = pod.spec?.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const e = effectiveRunAs(pod, c);
  let runAsUser = e.runAsUser;
  let runAsUsername: string | undefined;
  if (runAsUser === undefined && e.runAsGroup !== undefined && imageUser !== undefined) {
    // The kubelet pairs runAsGroup with the image's user.
    const u = parseImageUser(imageUser);
    runAsUser = u.uid;
    runAsUsername = u.username;
  }
  const groups = [...(podSc.supplementalGroups ?? []), ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : [])];
  const caps = sc.capabilities;
  const seccomp = profileOf((sc as { seccompProfile?: ProfileSpec }).seccompProfile ?? (podSc as { seccompProfile?: ProfileSpec }).seccompProfile, (n) => join(seccompRoot, n))
    ?? { profileType: 'Unconfined' as const };
  const apparmor = profileOf((sc as { appArmorProfile?: ProfileSpec }).appArmorProfile ?? (podSc as { appArmorProfile?: ProfileSpec }).appArmorProfile, (n) => n);
  return {
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsUsername ? { runAsUsername } : {}),
    ...(e.runAsGroup !== undefined ? { runAsGroup: e.runAsGroup } : {}),
    ...(groups.length ? { supplementalGroups: [...new Set(groups)] } : {}),
    ...(sc.privileged ? { privileged: true } : {}),
    ...(caps ? { capabilities: { addCapabilities: caps.add, dropCapabilities: caps.drop } } : {}),
    ...(sc.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
    seccomp,
    ...(apparmor ? { apparmor } : {}),
  };
}
