// agent/kuberuntime/labels.ts — the kubelet-owned labels and annotations on sandboxes and containers.
//
// The only place these keys live (the kubelet's kuberuntime/labels.go). They are what lets the agent rebuild
// its state from Docker alone after a restart: which container of which pod, which instance (restart count),
// which spec (hash), how to kill it (grace period, preStop). cri/docker stores annotations as Docker labels.
import type { Container, Pod } from '../api/v1.js';
import type { RuntimeContainerStatus, ContainerType } from './types.js';
import type { ContainerStatus } from '../../cri/api.js';

export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_UID = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME = 'io.kubernetes.container.name';

export const A_HASH = 'io.kubernetes.container.hash';
export const A_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const A_TERM_MSG_PATH = 'io.kubernetes.container.terminationMessagePath';
export const A_TERM_MSG_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
export const A_POD_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
export const A_PRESTOP = 'io.kubernetes.container.preStopHandler';
export const A_PORTS = 'io.kubernetes.container.ports';
export const A_TYPE = 'io.kubernetes.container.type';
/** mini-kubelet: the host file bind-mounted at terminationMessagePath, read after exit. */
export const A_TERM_MSG_HOST_PATH = 'io.mini-kubelet.container.terminationMessageHostPath';
/** mini-kubelet: the image as written in the spec, to report `image` like the kubelet. */
export const A_SPEC_IMAGE = 'io.mini-kubelet.container.image';
/** mini-kubelet: which source the pod came from (file/http/api), on the sandbox. */
export const A_POD_SOURCE = 'kubernetes.io/config.source';
/** Marks every object the agent made (also set by cri/docker). */
export const MANAGED = 'io.mini-kubelet.managed';

export function sandboxLabels(pod: Pod): Record<string, string> {
  return { ...(pod.metadata?.labels ?? {}) };
}

export function sandboxAnnotations(pod: Pod): Record<string, string> {
  const a: Record<string, string> = { ...(pod.metadata?.annotations ?? {}) };
  a[A_POD_GRACE] = String(pod.spec?.terminationGracePeriodSeconds ?? 30);
  return a;
}

export function containerLabels(): Record<string, string> {
  return {};
}

export function containerAnnotations(
  pod: Pod,
  container: Container,
  type: ContainerType,
  restartCount: number,
  termMsgHostPath: string,
): Record<string, string> {
  const a: Record<string, string> = {
    [A_HASH]: hashContainer(container),
    [A_RESTART_COUNT]: String(restartCount),
    [A_TERM_MSG_PATH]: container.terminationMessagePath ?? '/dev/termination-log',
    [A_TERM_MSG_POLICY]: container.terminationMessagePolicy ?? 'File',
    [A_POD_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    [A_TYPE]: type,
    [A_SPEC_IMAGE]: container.image ?? '',
    [A_TERM_MSG_HOST_PATH]: termMsgHostPath,
  };
  if (container.lifecycle?.preStop) a[A_PRESTOP] = JSON.stringify(container.lifecycle.preStop);
  if (container.ports?.length) a[A_PORTS] = JSON.stringify(container.ports);
  return a;
}

/** FNV-1a (32 bit) over a canonical JSON of the container spec, as hex: a changed spec ⇒ a changed hash. */
export function hashContainer(container: Container): string {
  const text = canonicalJSON(container);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function intOr(v: string | undefined, d: number): number {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : d;
}

/** Rebuilds the agent's view of one container instance from the runtime status and its annotations. */
export function toRuntimeContainerStatus(s: ContainerStatus, termMessage: string): RuntimeContainerStatus {
  const a = s.annotations;
  const message = [s.message, termMessage].filter(Boolean).join(': ');
  return {
    id: s.id,
    name: s.labels[CONTAINER_NAME] ?? s.metadata.name,
    type: a[A_TYPE] === 'init' ? 'init' : 'container',
    state: s.state,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    exitCode: s.exitCode,
    reason: s.reason,
    message,
    image: a[A_SPEC_IMAGE] || s.image,
    imageRef: s.imageRef,
    restartCount: intOr(a[A_RESTART_COUNT], s.metadata.attempt),
    hash: a[A_HASH] ?? '',
    podSandboxId: s.podSandboxId,
    terminationGracePeriod: a[A_POD_GRACE] !== undefined ? intOr(a[A_POD_GRACE], 30) : undefined,
    preStopHandler: a[A_PRESTOP],
  };
}

/** The node (agent instance) that owns an object; every list is filtered by it. */
export const NODE_LABEL = 'io.mini-kubelet.node';
