// Hand-built fixtures for the status generator tests: pods, runtime instances, runtime views and a
// generateAPIPodStatus wrapper with kubelet-like defaults (no probe verdicts, empty reason cache,
// ShouldContainerBeRestarted from the runtime view).
import type { Container, Pod, PodStatus } from '../../../agent/api/v1.js';
import { shouldContainerBeRestarted } from '../../../agent/kuberuntime/compute-pod-actions.js';
import type { RuntimeContainerStatus, RuntimePodStatus, RuntimeSandboxStatus } from '../../../agent/kuberuntime/types.js';
import { generateAPIPodStatus, type GenerateInput } from '../../../agent/status/generate.js';

export const NOW = Date.parse('2026-11-23T09:41:58.734Z');
export const NOW_S = '2026-11-23T09:41:58Z';
export const HOST_IP = '192.168.1.10';
export const POD_IP = '172.17.0.5';

/** ms offset from NOW → RFC3339 at second precision, as the status shows it. */
export function at(offsetMs: number): string {
  return new Date(Math.floor((NOW + offsetMs) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function makePod(spec: { containers?: Container[]; initContainers?: Container[]; restartPolicy?: string; hostNetwork?: boolean; readinessGates?: { conditionType: string }[] } = {}, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', creationTimestamp: at(-60_000), ...meta },
    spec: {
      restartPolicy: spec.restartPolicy ?? 'Always',
      containers: spec.containers ?? [{ name: 'web', image: 'busybox' }],
      ...(spec.initContainers ? { initContainers: spec.initContainers } : {}),
      ...(spec.hostNetwork ? { hostNetwork: true } : {}),
      ...(spec.readinessGates ? { readinessGates: spec.readinessGates } : {}),
    },
  };
}

let seq = 0;

/** One runtime instance. Times are offsets from NOW (ms); createdAt orders instances. */
export function inst(name: string, state: RuntimeContainerStatus['state'], o: Partial<RuntimeContainerStatus> & { started?: number; finished?: number } = {}): RuntimeContainerStatus {
  seq++;
  const { started, finished, ...rest } = o;
  const exited = state === 'CONTAINER_EXITED';
  const exitCode = rest.exitCode ?? 0;
  return {
    id: `${name}${seq}`.padEnd(64, '0'), name, type: 'container', state,
    createdAt: NOW + (started ?? -30_000) - 100, startedAt: NOW + (started ?? -30_000), finishedAt: exited ? NOW + (finished ?? -10_000) : 0,
    exitCode, reason: exited ? (exitCode === 0 ? 'Completed' : 'Error') : '', message: '',
    image: 'docker.io/library/busybox:latest', imageRef: 'docker-pullable://busybox@sha256:abc', restartCount: 0, hash: 'h',
    podSandboxId: 'sb1', ...rest,
  };
}

export function sandbox(o: Partial<RuntimeSandboxStatus> = {}): RuntimeSandboxStatus {
  return { id: 'sb1', attempt: 0, state: 'SANDBOX_READY', createdAt: NOW - 40_000, ip: POD_IP, hostNetwork: false, ...o };
}

export function rt(containers: RuntimeContainerStatus[], sandboxes: RuntimeSandboxStatus[] = [sandbox()]): RuntimePodStatus {
  return {
    uid: 'uid-1', name: 'web', namespace: 'default', timestamp: NOW, sandboxes,
    containers: [...containers].sort((a, b) => b.createdAt - a.createdAt),
  };
}

export type GenArgs = Partial<Omit<GenerateInput, 'reasonCache'>> & { pod: Pod; reasons?: Record<string, { reason: string; message: string }> };

export function gen(a: GenArgs): PodStatus {
  const runtime = 'runtime' in a ? a.runtime : rt([]);
  const pod = a.pod;
  return generateAPIPodStatus({
    pod,
    runtime,
    probe: a.probe ?? (() => undefined),
    reasonCache: (n) => a.reasons?.[n],
    shouldRestart: a.shouldRestart ?? ((n) => shouldContainerBeRestarted(pod, runtime?.containers.find((c) => c.name === n))),
    previous: a.previous,
    podIsTerminal: a.podIsTerminal ?? false,
    isStaticPod: a.isStaticPod ?? false,
    evict: a.evict,
    hostIP: HOST_IP,
    now: a.now ?? NOW,
  });
}

export function cond(s: PodStatus, type: string): { status?: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  const c = s.conditions?.find((x) => x.type === type);
  return c && { status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime };
}

export function cs(s: PodStatus, name: string) {
  return [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])].find((x) => x.name === name)!;
}
