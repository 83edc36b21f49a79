// agent/wiring/node.ts — the kubelet's node-level writes to the API (agent/node/): its Node with status and
// Lease, and its events, connected to the runtime (version, PLEG health) and to the mirror pods (a static
// pod's events name its mirror pod, so `kubectl describe` of the mirror shows them). No decisions here.
import { hostname } from 'node:os';
import type { Clock } from '../../cri/clock.js';
import type { Runtime } from '../../cri/api.js';
import type { Pod } from '../api/v1.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Logger } from '../log.js';
import type { PodManager } from '../pod-manager.js';
import type { Pleg } from '../pleg/pleg.js';
import { startNodeAgent, type NodeAgent } from '../node/index.js';
import { API_SOURCE } from '../api-client/pod-source.js';
import type { KubeClient } from '../../client/types.js';

/** How often PLEG health is checked for a flip (a flip rewrites the Node's Ready condition at once). */
const HEALTH_CHECK_MS = 1000;

export function startKubeletNode(d: {
  client: KubeClient; nodeName: string; nodeIP: string; port: number; maxPods: number; rootDir: string;
  runtime: Pick<Runtime, 'version'>; pleg: Pick<Pleg, 'healthy'>; pods: Pick<PodManager, 'get'>; events: EventRecorder;
  mirrorOf: (staticPod: Pod) => Pod | undefined; clock: Clock; log: Logger;
}): NodeAgent {
  let runtimeVersion: string | undefined;
  const node = startNodeAgent({
    client: d.client, nodeName: d.nodeName, nodeIP: d.nodeIP, hostname: hostname(), port: d.port, maxPods: d.maxPods, rootDir: d.rootDir,
    clock: d.clock, log: d.log, events: d.events,
    healthy: () => d.pleg.healthy,
    runtimeVersion: () => runtimeVersion,
    rewriteInvolved: (ref) => {
      const m = ref.uid ? d.pods.get(ref.uid) : undefined;
      const mirror = m && m.source !== API_SOURCE ? d.mirrorOf(m.pod) : undefined;
      return mirror ? { ...ref, uid: mirror.metadata!.uid } : ref;
    },
  });
  void d.runtime.version().then((v) => { runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`; node.poke(); }).catch(() => undefined);
  let wasHealthy = d.pleg.healthy;
  const timer = setInterval(() => { if (d.pleg.healthy !== wasHealthy) { wasHealthy = d.pleg.healthy; node.poke(); } }, HEALTH_CHECK_MS);
  timer.unref();
  return { ...node, stop: async () => { clearInterval(timer); await node.stop(); } };
}
