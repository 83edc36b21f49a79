// agent/metrics/metrics.ts — the agent's one Prometheus registry (prom-client), with the kubelet's names.
//
// Owns the registry and what is written to it: process_* and nodejs_* (prom-client's default collectors),
// the gauges read from snapshots at scrape time (kubelet_running_pods, kubelet_running_containers,
// kubelet_desired_pods), the pod counters and histograms (kubelet_started_pods_total,
// kubelet_started_containers_total, kubelet_pod_start_duration_seconds, kubelet_pod_worker_duration_seconds),
// the runtime operation series fed by agent/kuberuntime/instrumented-runtime.ts, and the prober series
// (probes/metrics.ts, in this same registry). Observers only: nothing reads these to decide anything.
import { collectDefaultMetrics, Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import { ProbeMetrics } from '../../probes/metrics.js';
import type { PodStatus } from '../api/v1.js';
import { PodStartTracker } from './pod-start.js';

/** The kubelet's podStartupDurationBuckets (seconds). */
const POD_START_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];
/** The kubelet's runtime operation buckets: ExponentialBuckets(.005, 2.5, 14). */
const RUNTIME_BUCKETS = exponentialBuckets(0.005, 2.5, 14);
const CONTAINER_STATES = ['created', 'running', 'exited', 'unknown'] as const;
/** Pods from the API are the only ones that are not static (the kubelet's `static` label). */
const API_SOURCE = 'api';

/** A pod worker step, as agent/pod-workers reports it. */
export type PodWorkerKind = 'create' | 'update' | 'sync' | 'terminating' | 'terminated';
/** The kubelet's operation_type values: a terminating step is its "kill". */
const WORKER_OPERATION: Record<PodWorkerKind, string> = { create: 'create', update: 'update', sync: 'sync', terminating: 'kill', terminated: 'terminated' };

/** The snapshots the gauges read at scrape time (PodManager and PodCache fit). */
export interface MetricsState {
  readonly pods: { all(): readonly { readonly source: string }[] };
  readonly cache: { all(): Iterable<{ readonly sandboxes: readonly { readonly state: string }[]; readonly containers: readonly { readonly state: string }[] }> };
}

export interface KubeletMetricsOptions {
  /** ms clock of the pod workers (pod start and worker durations); default Date.now. */
  readonly now?: () => number;
  /** prom-client's process_* / nodejs_* collectors (default on). */
  readonly defaultMetrics?: boolean;
}

/** Also the instrumented runtime's sink (its RuntimeMetricsSink, structurally: no import of kuberuntime here). */
export class KubeletMetrics {
  readonly registry = new Registry();
  readonly probes: ProbeMetrics;
  readonly #now: () => number;
  #state?: MetricsState;
  readonly #startedPods: Counter;
  readonly #startedPodsErrors: Counter;
  readonly #startedContainers: Counter<'container_type'>;
  readonly #startedContainersErrors: Counter<'container_type' | 'code'>;
  readonly #podStartDuration: Histogram;
  readonly #podWorkerDuration: Histogram<'operation_type'>;
  readonly #runtimeOps: Counter<'operation_type'>;
  readonly #runtimeOpsErrors: Counter<'operation_type'>;
  readonly #runtimeOpsDuration: Histogram<'operation_type'>;
  readonly #podStart: PodStartTracker;

  constructor(o: KubeletMetricsOptions = {}) {
    this.#now = o.now ?? Date.now;
    const registers = [this.registry];
    // process_* and nodejs_*; the event-loop delay histogram samples every 100 ms (prom-client's 10 ms default
    // costs an idle agent ~0.6% of a core here: 100 wake-ups a second).
    if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    this.#gauges();
    this.#startedPods = new Counter({ name: 'kubelet_started_pods_total', help: 'Cumulative number of pods started', registers });
    this.#startedPodsErrors = new Counter({ name: 'kubelet_started_pods_errors_total', help: 'Cumulative number of errors when starting pods', registers });
    this.#startedContainers = new Counter({ name: 'kubelet_started_containers_total', help: 'Cumulative number of containers started', labelNames: ['container_type'], registers });
    this.#startedContainersErrors = new Counter({
      name: 'kubelet_started_containers_errors_total', help: 'Cumulative number of errors when starting containers', labelNames: ['container_type', 'code'], registers,
    });
    this.#podStartDuration = new Histogram({
      name: 'kubelet_pod_start_duration_seconds', help: 'Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
      buckets: POD_START_BUCKETS, registers,
    });
    this.#podWorkerDuration = new Histogram({
      name: 'kubelet_pod_worker_duration_seconds', help: 'Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync',
      labelNames: ['operation_type'], registers,
    });
    this.#runtimeOps = new Counter({ name: 'kubelet_runtime_operations_total', help: 'Cumulative number of runtime operations by operation type.', labelNames: ['operation_type'], registers });
    this.#runtimeOpsErrors = new Counter({
      name: 'kubelet_runtime_operations_errors_total', help: 'Cumulative number of runtime operation errors by operation type.', labelNames: ['operation_type'], registers,
    });
    this.#runtimeOpsDuration = new Histogram({
      name: 'kubelet_runtime_operations_duration_seconds', help: 'Duration in seconds of runtime operations. Broken down by operation type.',
      labelNames: ['operation_type'], buckets: RUNTIME_BUCKETS, registers,
    });
    this.probes = new ProbeMetrics(this.registry);
    this.#podStart = new PodStartTracker((s) => this.#podStartDuration.observe(s));
  }

  /** The snapshots the gauges read (set once the pod manager and cache exist). */
  watch(state: MetricsState): void {
    this.#state = state;
  }

  /** Everything, in Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  // The instrumented runtime's sink.
  runtimeOperation(operationType: string, seconds: number, failed: boolean): void {
    this.#runtimeOps.inc({ operation_type: operationType });
    this.#runtimeOpsDuration.observe({ operation_type: operationType }, seconds);
    if (failed) this.#runtimeOpsErrors.inc({ operation_type: operationType });
  }

  startedPod(failed: boolean): void {
    this.#startedPods.inc();
    if (failed) this.#startedPodsErrors.inc();
  }

  startedContainer(containerType: string): void {
    this.#startedContainers.inc({ container_type: containerType });
  }

  startedContainerFailed(containerType: string, code: string): void {
    this.#startedContainersErrors.inc({ container_type: containerType, code });
  }

  /** A pod worker step of `ms` has just ended (the pod workers' onSyncDone). */
  podSynced(kind: PodWorkerKind, ms: number, uid: string): void {
    this.#podWorkerDuration.observe({ operation_type: WORKER_OPERATION[kind] }, ms / 1000);
    if (kind === 'create') this.#podStart.firstSync(uid, this.#now() - ms);
    if (kind === 'terminated') this.#podStart.forget(uid);
  }

  /** The status manager published a new status for the pod. */
  podStatusChanged(uid: string, status: PodStatus): void {
    this.#podStart.statusChanged(uid, status, this.#now());
  }

  /** Pods whose start is still tracked (tests: nothing is kept for pods that are gone). */
  get trackedPods(): number {
    return this.#podStart.size;
  }

  #gauges(): void {
    const registers = [this.registry];
    const state = () => this.#state;
    new Gauge({
      name: 'kubelet_running_pods', help: 'Number of pods that have a running pod sandbox', registers,
      collect() {
        let n = 0;
        for (const s of state()?.cache.all() ?? []) if (s.sandboxes.some((sb) => sb.state === 'SANDBOX_READY')) n++;
        this.set(n);
      },
    });
    new Gauge({
      name: 'kubelet_running_containers', help: 'Number of containers currently running', labelNames: ['container_state'], registers,
      collect() {
        const counts = new Map<string, number>(CONTAINER_STATES.map((k) => [k, 0]));
        for (const s of state()?.cache.all() ?? []) {
          for (const c of s.containers) {
            const k = c.state.replace('CONTAINER_', '').toLowerCase();
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
        }
        for (const [k, v] of counts) this.set({ container_state: k }, v);
      },
    });
    new Gauge({
      name: 'kubelet_desired_pods', help: 'The number of pods the kubelet is being instructed to run. static is true if the pod is not from the apiserver.',
      labelNames: ['static'], registers,
      collect() {
        const pods = state()?.pods.all() ?? [];
        const api = pods.filter((m) => m.source === API_SOURCE).length;
        this.set({ static: 'true' }, pods.length - api);
        this.set({ static: '' }, api);
      },
    });
  }
}
