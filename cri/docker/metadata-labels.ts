// cri/docker/metadata-labels.ts — CRI metadata ↔ Docker names and labels (dockershim's naming.go + labels).
//
// Owns: the only copy of the cri-level label keys, the container naming scheme, and the rules that store
// CRI labels and annotations on Docker objects and read them back. Called by sandbox.ts, containers.ts and
// events.ts. Never talks to Docker: everything here is a pure function of its inputs, so a fresh process can
// rebuild sandbox and container metadata (name, namespace, uid, attempt, labels, annotations) from Docker
// labels alone.
import type { ContainerConfig, ContainerMetadata, PodSandboxConfig, PodSandboxMetadata } from '../api.js';

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_DOCKER_TYPE = 'io.kubernetes.docker.type';
export const LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';
export const LABEL_MANAGED = 'io.mini-kubelet.managed';
export const LABEL_ATTEMPT = 'io.mini-kubelet.attempt';
/** The sandbox's PID namespace mode (POD / CONTAINER / NODE), which Docker cannot tell for POD. */
export const LABEL_PID_MODE = 'io.mini-kubelet.pid-namespace';
export const ANNOTATION_PREFIX = 'annotation.';

export const TYPE_SANDBOX = 'podsandbox';
export const TYPE_CONTAINER = 'container';
export type DockerObjectType = typeof TYPE_SANDBOX | typeof TYPE_CONTAINER;

/** Labels kept out of `labels` when read back: they are this layer's bookkeeping, not the caller's. */
const INTERNAL = new Set([LABEL_DOCKER_TYPE, LABEL_SANDBOX_ID, LABEL_ATTEMPT, LABEL_PID_MODE]);

const NAME_PREFIX = 'k8s';
const DELIM = '_';

export function sandboxName(m: PodSandboxMetadata): string {
  return [NAME_PREFIX, 'POD', m.name, m.namespace, m.uid, String(m.attempt)].join(DELIM);
}

export function containerName(c: ContainerMetadata, pod: PodSandboxMetadata): string {
  return [NAME_PREFIX, c.name, pod.name, pod.namespace, pod.uid, String(c.attempt)].join(DELIM);
}

/**
 * The Docker labels of one object: the caller's labels, its annotations (prefixed), the extra labels, then
 * ours last, so that no pod label can override them.
 */
function dockerLabels(
  cri: { readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> },
  extra: Readonly<Record<string, string>>,
  pod: PodSandboxMetadata,
  attempt: number,
  ours: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = { ...cri.labels };
  for (const [k, v] of Object.entries(cri.annotations)) out[ANNOTATION_PREFIX + k] = v;
  return {
    ...out,
    ...extra,
    [LABEL_POD_NAME]: pod.name,
    [LABEL_POD_NAMESPACE]: pod.namespace,
    [LABEL_POD_UID]: pod.uid,
    [LABEL_MANAGED]: 'true',
    [LABEL_ATTEMPT]: String(attempt),
    ...ours,
  };
}

/** Docker labels of a pause container. */
export function sandboxDockerLabels(config: PodSandboxConfig, extra: Readonly<Record<string, string>>): Record<string, string> {
  return dockerLabels(config, extra, config.metadata, config.metadata.attempt, {
    [LABEL_DOCKER_TYPE]: TYPE_SANDBOX,
    [LABEL_PID_MODE]: config.namespaceOptions.pid,
  });
}

/** Docker labels of an application container of the sandbox `sandboxId`. */
export function containerDockerLabels(
  sandboxId: string,
  config: ContainerConfig,
  sandbox: PodSandboxConfig,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  return dockerLabels(config, extra, sandbox.metadata, config.metadata.attempt, {
    [LABEL_CONTAINER_NAME]: config.metadata.name,
    [LABEL_DOCKER_TYPE]: TYPE_CONTAINER,
    [LABEL_SANDBOX_ID]: sandboxId,
  });
}

/** Splits Docker labels back into CRI labels and annotations (`annotation.` prefix stripped). */
export function splitLabels(docker: Readonly<Record<string, string>> | null | undefined): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(docker ?? {})) {
    if (k.startsWith(ANNOTATION_PREFIX)) annotations[k.slice(ANNOTATION_PREFIX.length)] = v;
    else if (!INTERNAL.has(k)) labels[k] = v;
  }
  return { labels, annotations };
}

function attemptOf(labels: Readonly<Record<string, string>>): number {
  const n = Number(labels[LABEL_ATTEMPT]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export function sandboxMetadataOf(labels: Readonly<Record<string, string>>): PodSandboxMetadata {
  return {
    name: labels[LABEL_POD_NAME] ?? '',
    namespace: labels[LABEL_POD_NAMESPACE] ?? '',
    uid: labels[LABEL_POD_UID] ?? '',
    attempt: attemptOf(labels),
  };
}

export function containerMetadataOf(labels: Readonly<Record<string, string>>): ContainerMetadata {
  return { name: labels[LABEL_CONTAINER_NAME] ?? '', attempt: attemptOf(labels) };
}

export function dockerTypeOf(labels: Readonly<Record<string, string>> | null | undefined): DockerObjectType | undefined {
  const t = labels?.[LABEL_DOCKER_TYPE];
  return t === TYPE_SANDBOX || t === TYPE_CONTAINER ? t : undefined;
}

/** Docker `label` filters: our type and managed marker, plus the caller's selector. */
export function labelFilters(type: DockerObjectType, selector?: Readonly<Record<string, string>>): string[] {
  const sel: Record<string, string> = { ...(selector ?? {}), [LABEL_DOCKER_TYPE]: type, [LABEL_MANAGED]: 'true' };
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`);
}
