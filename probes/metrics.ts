// probes/metrics.ts — the kubelet's prober metrics, kept in memory and rendered as Prometheus text.
//
// Owns: prober_probe_total{probe_type,result,container,pod,namespace,pod_uid} and
// prober_probe_duration_seconds{probe_type,container,pod,namespace} (successful and unknown results only).
// Written by probe workers; read by the agent's /metrics/probes endpoint. Nothing decides from it.

export type ProbeMetricResult = 'successful' | 'failed' | 'unknown';

export interface ProbeMetricLabels {
  readonly probeType: string;
  readonly container: string;
  readonly pod: string;
  readonly namespace: string;
  readonly podUID: string;
}

/** Prometheus' default histogram buckets (seconds). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function totalKey(l: ProbeMetricLabels, result: ProbeMetricResult): string {
  return `container="${esc(l.container)}",namespace="${esc(l.namespace)}",pod="${esc(l.pod)}",pod_uid="${esc(l.podUID)}",probe_type="${esc(l.probeType)}",result="${result}"`;
}

function durationKey(l: ProbeMetricLabels): string {
  return `container="${esc(l.container)}",namespace="${esc(l.namespace)}",pod="${esc(l.pod)}",probe_type="${esc(l.probeType)}"`;
}

export class ProbeMetrics {
  readonly #totals = new Map<string, number>();
  readonly #durations = new Map<string, Histogram>();

  inc(labels: ProbeMetricLabels, result: ProbeMetricResult): void {
    const k = totalKey(labels, result);
    this.#totals.set(k, (this.#totals.get(k) ?? 0) + 1);
  }

  observeDuration(labels: ProbeMetricLabels, seconds: number): void {
    const k = durationKey(labels);
    let h = this.#durations.get(k);
    if (!h) this.#durations.set(k, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => { if (seconds <= b) h.counts[i]!++; });
    h.sum += seconds;
    h.count++;
  }

  /** Drops a worker's series when it exits, as the kubelet's worker does. */
  deleteSeries(labels: ProbeMetricLabels): void {
    for (const r of ['successful', 'failed', 'unknown'] as const) this.#totals.delete(totalKey(labels, r));
    this.#durations.delete(durationKey(labels));
  }

  get(labels: ProbeMetricLabels, result: ProbeMetricResult): number {
    return this.#totals.get(totalKey(labels, result)) ?? 0;
  }

  render(): string {
    const lines: string[] = [
      '# HELP prober_probe_total Cumulative number of a liveness, readiness or startup probe for a container by result.',
      '# TYPE prober_probe_total counter',
    ];
    for (const [k, v] of [...this.#totals].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`prober_probe_total{${k}} ${v}`);
    lines.push(
      '# HELP prober_probe_duration_seconds Duration in seconds for a probe response.',
      '# TYPE prober_probe_duration_seconds histogram',
    );
    for (const [k, h] of [...this.#durations].sort(([a], [b]) => (a < b ? -1 : 1))) {
      BUCKETS.forEach((b, i) => lines.push(`prober_probe_duration_seconds_bucket{${k},le="${b}"} ${h.counts[i]}`));
      lines.push(`prober_probe_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      lines.push(`prober_probe_duration_seconds_sum{${k}} ${h.sum}`);
      lines.push(`prober_probe_duration_seconds_count{${k}} ${h.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
