// agent/wiring/status.ts — binds the pure status generator (agent/status/generate.ts) to the prober's
// started/ready verdicts and the reason cache, giving the pod syncer a one-argument `generate`.
import type { PodStatus } from '../api/v1.js';
import { generateAPIPodStatus } from '../status/generate.js';
import type { ReasonCache } from '../kuberuntime/context.js';
import { shouldContainerBeRestarted } from '../kuberuntime/compute-pod-actions.js';
import { findContainer } from '../kuberuntime/types.js';
import type { GenerateArgs } from '../pod-syncer.js';
import type { AgentProber } from './prober.js';

export function createStatusGenerator(d: { prober: AgentProber; reasons: ReasonCache; hostIP: string; now: () => number }): (a: GenerateArgs) => PodStatus {
  return ({ pod, runtime, previous, podIsTerminal, evict }) => {
    const uid = pod.metadata!.uid!;
    const probed = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    const verdicts = d.prober.manager.updatePodStatus(uid, probed.map((c) => {
      const s = findContainer(runtime, c.name);
      return { name: c.name, containerID: s?.id, running: s?.state === 'CONTAINER_RUNNING' };
    }));
    return generateAPIPodStatus({
      pod,
      runtime,
      probe: (name) => verdicts.get(name),
      reasonCache: (name) => d.reasons.get(uid, name),
      shouldRestart: (name) => {
        const sidecar = (pod.spec?.initContainers ?? []).find((c) => c.name === name && c.restartPolicy === 'Always');
        if (sidecar) return !pod.metadata?.deletionTimestamp;
        return shouldContainerBeRestarted(pod, findContainer(runtime, name));
      },
      previous,
      podIsTerminal,
      isStaticPod: pod.metadata?.annotations?.['kubernetes.io/config.source'] !== 'api',
      evict,
      hostIP: d.hostIP,
      now: d.now(),
    });
  };
}
