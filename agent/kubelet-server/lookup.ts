// agent/kubelet-server/lookup.ts — which pod and which container instance a kubelet streaming request means,
// with the kubelet's texts when there is none (kubelet_pods.go validateContainerLogStatus, findContainer).
//
// Called by logs.ts and streams.ts. Reads the pod manager, PLEG's cache and the status manager; changes nothing.
import type { Pod, V1ContainerStatus } from '../api/v1.js';
import { findContainers, type RuntimeContainerStatus } from '../kuberuntime/types.js';
import { KubeletError } from './respond.js';
import type { KubeletStreamDeps } from './types.js';

type LookupDeps = Pick<KubeletStreamDeps, 'pods' | 'cache' | 'statuses'>;

/** The pod by namespace/name among those the kubelet runs; one not being deleted is preferred. */
export function podByName(deps: Pick<KubeletStreamDeps, 'pods'>, namespace: string, name: string): Pod | undefined {
  const all = deps.pods.byFullName(namespace, name);
  return (all.find((m) => !m.pod.metadata?.deletionTimestamp) ?? all[0])?.pod;
}

/** Is the container in the pod's spec (containers, init or ephemeral containers)? */
export function specHasContainer(pod: Pod, container: string): boolean {
  const s = pod.spec;
  return [...(s?.containers ?? []), ...(s?.initContainers ?? []), ...(s?.ephemeralContainers ?? [])].some((c) => c.name === container);
}

function instances(deps: LookupDeps, pod: Pod, container: string): RuntimeContainerStatus[] {
  const cached = deps.cache.get(pod.metadata?.uid ?? '');
  return cached ? findContainers(cached, container) : [];
}

function waitingReason(deps: LookupDeps, pod: Pod, container: string): string {
  const status = deps.statuses?.get(pod.metadata?.uid ?? '') ?? pod.status;
  const all: V1ContainerStatus[] = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  const reason = all.find((s) => s.name === container)?.state?.waiting?.reason;
  if (reason) return reason;
  const isInit = (pod.spec?.initContainers ?? []).some((c) => c.name === container);
  return !isInit && (pod.spec?.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
}

/** The instance whose log is read: the newest, or with `previous` the one before it. */
export function logInstance(deps: LookupDeps, pod: Pod, container: string, previous: boolean): RuntimeContainerStatus {
  const name = pod.metadata?.name ?? '';
  const found = instances(deps, pod, container);
  if (previous) {
    const prev = found[1];
    if (!prev) throw new KubeletError(400, `previous terminated container "${container}" in pod "${name}" not found`);
    return prev;
  }
  const cur = found[0];
  if (cur) return cur;
  const reason = waitingReason(deps, pod, container);
  const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  throw new KubeletError(400, `container "${container}" in pod "${name}" is waiting to start: ${why}`);
}

/** The container's running instance, which exec and attach reach; the kubelet's 500 when there is none. */
export function runningInstance(deps: LookupDeps, pod: Pod, container: string): RuntimeContainerStatus {
  const running = instances(deps, pod, container).find((c) => c.state === 'CONTAINER_RUNNING');
  if (!running) throw new KubeletError(500, `container not found ("${container}")`);
  return running;
}

/**
 * The pod an exec/attach path names: by namespace/name, and with the legacy UID segment the one with that UID
 * (the kubelet finds no container in another pod: its 500).
 */
export function streamPod(deps: LookupDeps, namespace: string, name: string, uid: string | undefined, container: string): Pod {
  const pod = podByName(deps, namespace, name);
  if (!pod) throw new KubeletError(404, 'pod does not exist');
  if (uid === undefined || pod.metadata?.uid === uid) return pod;
  const byUid = deps.pods.get(uid)?.pod;
  const same = byUid && byUid.metadata?.name === name && (byUid.metadata?.namespace ?? 'default') === namespace;
  if (!same) throw new KubeletError(500, `container not found ("${container}")`);
  return byUid;
}
