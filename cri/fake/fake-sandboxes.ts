// cri/fake/fake-sandboxes.ts — the pod sandbox calls of the fake runtime, on a FakeWorld.
//
// Owns: dockershim-style sandbox names (AlreadyExists on a second sandbox of the same metadata), fake pod IPs
// (the host's for host-network pods, kept when stopped as cri/docker does), stop = every container killed
// (137) at once, remove = its containers removed too, both idempotent. Called by fake-runtime.ts after it
// recorded the call. Never waits: nothing here takes time on the clock.
import type { PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus } from '../api.js';
import { CriError } from '../errors.js';
import { matchesLabels, podSandboxOf, sandboxStatusOf, sha256, type FakeWorld, type SandboxRec } from './fake-world.js';

export function runPodSandbox(w: FakeWorld, config: PodSandboxConfig, hostIP: string): string {
  const m = config.metadata;
  const name = `k8s_POD_${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
  if ([...w.sandboxes.values()].some((s) => s.name === name)) throw new CriError('AlreadyExists', `sandbox name "${name}" is already in use`);
  const id = sha256(`fake-sandbox-${++w.seq}`);
  const ip = config.namespaceOptions.network === 'NODE' ? hostIP : `10.88.${Math.floor(w.seq / 254) % 256}.${(w.seq % 254) + 1}`;
  w.sandboxes.set(id, { id, name, config, state: 'SANDBOX_READY', createdAt: w.clock.now(), labels: w.labels(config, config.labels), ip });
  w.events.emit('CONTAINER_CREATED_EVENT', id, true, m.uid);
  w.events.emit('CONTAINER_STARTED_EVENT', id, true, m.uid);
  return id;
}

export function stopPodSandbox(w: FakeWorld, id: string): void {
  const sb = w.sandboxes.get(id);
  if (!sb) return;
  for (const c of w.containersOf(sb.id)) w.exit(c, 137, {});
  if (sb.state === 'SANDBOX_READY') {
    // As cri/docker: a stopped sandbox has no IP, but one on the host network keeps the host's.
    Object.assign(sb, { state: 'SANDBOX_NOTREADY', ip: sb.config.namespaceOptions.network === 'NODE' ? sb.ip : '' } satisfies Partial<SandboxRec>);
    w.events.emit('CONTAINER_STOPPED_EVENT', sb.id, true, sb.config.metadata.uid);
  }
}

export function removePodSandbox(w: FakeWorld, id: string): void {
  const sb = w.sandboxes.get(id);
  if (!sb) return;
  for (const c of w.containersOf(sb.id)) w.remove(c);
  if (sb.state === 'SANDBOX_READY') w.events.emit('CONTAINER_STOPPED_EVENT', sb.id, true, sb.config.metadata.uid);
  w.sandboxes.delete(sb.id);
  w.events.emit('CONTAINER_DELETED_EVENT', sb.id, true, sb.config.metadata.uid);
}

export function podSandboxStatus(w: FakeWorld, id: string): PodSandboxStatus {
  const sb = w.sandboxes.get(id);
  if (!sb) throw new CriError('NotFound', `pod sandbox "${id}" not found`);
  return sandboxStatusOf(sb);
}

/** The id filter matches a prefix, as Docker's does. */
export function listPodSandbox(w: FakeWorld, filter: PodSandboxFilter): PodSandbox[] {
  return [...w.sandboxes.values()]
    .filter((s) => (!filter.id || s.id.startsWith(filter.id)) && (!filter.state || s.state === filter.state) && matchesLabels(s.labels, filter.labelSelector))
    .map(podSandboxOf);
}
