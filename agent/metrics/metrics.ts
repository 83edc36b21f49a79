// agent/metrics/metrics.ts — the agent's Prometheus metrics, with the kubelet's names where they exist.
//
// Computed from snapshots at scrape time (running pods/containers, desired pods) plus counters the agent
// increments (started pods/containers, pod start durations). Text exposition format 0.0.4.
import type { PodCache } from '../pleg/pod-cache.js';
import type { PodManager } from '../pod-manager.js';

const BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];

export class Histogram {
  readonly counts = new Array<number>(BUCKETS.length).fill(0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    BUCKETS.forEach((b, i) => { if (seconds <= b) this.counts[i]!++; });
  }
  render(name: string, help: string): string {
    let out = `# HELP ${name} ${help}\n# TYPE ${name} histogram\n`;
    BUCKETS.forEach((b, i) => { out += `${name}_bucket{le="${b}"} ${this.counts[i]}\n`; });
    out += `${name}_bucket{le="+Inf"} ${this.count}\n${name}_sum ${this.sum}\n${name}_count ${this.count}\n`;
    return out;
  }
}

export const agentMetrics = {
  podStartDuration: new Histogram(),
  podWorkerDuration: new Histogram(),
  startedPods: 0,
  startedContainers: 0,
};

export function renderMetrics(d: { pods: PodManager; cache: PodCache }): string {
  let running = 0;
  const states: Record<string, number> = { created: 0, running: 0, exited: 0, unknown: 0 };
  for (const s of d.cache.all()) {
    if (s.sandboxes.some((sb) => sb.state === 'SANDBOX_READY')) running++;
    for (const c of s.containers) {
      const k = c.state.replace('CONTAINER_', '').toLowerCase();
      states[k] = (states[k] ?? 0) + 1;
    }
  }
  let out = '# HELP kubelet_running_pods Number of pods that have a running pod sandbox\n# TYPE kubelet_running_pods gauge\n';
  out += `kubelet_running_pods ${running}\n`;
  out += '# HELP kubelet_running_containers Number of containers currently running\n# TYPE kubelet_running_containers gauge\n';
  for (const [k, v] of Object.entries(states)) out += `kubelet_running_containers{container_state="${k}"} ${v}\n`;
  out += '# HELP kubelet_desired_pods The number of pods the kubelet is being instructed to run\n# TYPE kubelet_desired_pods gauge\n';
  out += `kubelet_desired_pods{static=""} ${d.pods.all().length}\n`;
  out += '# HELP kubelet_started_pods_total Cumulative number of pods started\n# TYPE kubelet_started_pods_total counter\n';
  out += `kubelet_started_pods_total ${agentMetrics.startedPods}\n`;
  out += '# HELP kubelet_started_containers_total Cumulative number of containers started\n# TYPE kubelet_started_containers_total counter\n';
  out += `kubelet_started_containers_total ${agentMetrics.startedContainers}\n`;
  out += agentMetrics.podStartDuration.render('kubelet_pod_start_duration_seconds', 'Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run');
  out += agentMetrics.podWorkerDuration.render('kubelet_pod_worker_duration_seconds', 'Duration in seconds to sync a single pod');
  return out;
}
