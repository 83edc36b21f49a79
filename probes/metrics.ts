// probes/metrics.ts — the kubelet's prober metrics, as prom-client series in a registry the caller gives.
//
// Owns: prober_probe_total{probe_type,result,container,pod,namespace,pod_uid} and
// prober_probe_duration_seconds{probe_type,container,pod,namespace} (successful and unknown results only).
// Written by probe workers; the agent passes its one registry (agent/metrics), so /metrics shows them beside
// the kubelet_* series and /metrics/probes shows them alone. Nothing decides from it.
import { Counter, Histogram, Registry } from 'prom-client';

export type ProbeMetricResult = 'successful' | 'failed' | 'unknown';

export interface ProbeMetricLabels {
  readonly probeType: string;
  readonly container: string;
  readonly pod: string;
  readonly namespace: string;
  readonly podUID: string;
}

const TOTAL = 'prober_probe_total';
const DURATION = 'prober_probe_duration_seconds';
const RESULTS: readonly ProbeMetricResult[] = ['successful', 'failed', 'unknown'];

type TotalLabel = 'container' | 'namespace' | 'pod' | 'pod_uid' | 'probe_type' | 'result';
type DurationLabel = 'container' | 'namespace' | 'pod' | 'probe_type';

function totalLabels(l: ProbeMetricLabels, result: ProbeMetricResult): Record<TotalLabel, string> {
  return { container: l.container, namespace: l.namespace, pod: l.pod, pod_uid: l.podUID, probe_type: l.probeType, result };
}

function durationLabels(l: ProbeMetricLabels): Record<DurationLabel, string> {
  return { container: l.container, namespace: l.namespace, pod: l.pod, probe_type: l.probeType };
}

export class ProbeMetrics {
  readonly #registry: Registry;
  readonly #total: Counter<TotalLabel>;
  readonly #duration: Histogram<DurationLabel>;

  /** `registry`: where the series live (the agent's one registry); a private one by default. */
  constructor(registry: Registry = new Registry()) {
    this.#registry = registry;
    this.#total = new Counter({
      name: TOTAL,
      help: 'Cumulative number of a liveness, readiness or startup probe for a container by result.',
      labelNames: ['container', 'namespace', 'pod', 'pod_uid', 'probe_type', 'result'],
      registers: [registry],
    });
    // Prometheus' default buckets, as the kubelet's.
    this.#duration = new Histogram({
      name: DURATION,
      help: 'Duration in seconds for a probe response.',
      labelNames: ['container', 'namespace', 'pod', 'probe_type'],
      registers: [registry],
    });
  }

  inc(labels: ProbeMetricLabels, result: ProbeMetricResult): void {
    this.#total.inc(totalLabels(labels, result));
  }

  observeDuration(labels: ProbeMetricLabels, seconds: number): void {
    this.#duration.observe(durationLabels(labels), seconds);
  }

  /** Drops a worker's series when it exits, as the kubelet's worker does. */
  deleteSeries(labels: ProbeMetricLabels): void {
    for (const r of RESULTS) this.#total.remove(totalLabels(labels, r));
    this.#duration.remove(durationLabels(labels));
  }

  /** The current value of one prober_probe_total series (0 when absent). */
  async get(labels: ProbeMetricLabels, result: ProbeMetricResult): Promise<number> {
    const want = totalLabels(labels, result);
    const { values } = await this.#total.get();
    const hit = values.find((v) => (Object.keys(want) as TotalLabel[]).every((k) => v.labels[k] === want[k]));
    return hit?.value ?? 0;
  }

  /** The probe series alone, in Prometheus text format (the /metrics/probes endpoint). */
  async render(): Promise<string> {
    const parts = await Promise.all([TOTAL, DURATION].map((n) => this.#registry.getSingleMetricAsString(n)));
    return `${parts.join('\n')}\n`;
  }
}
