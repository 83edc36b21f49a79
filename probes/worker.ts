// probes/worker.ts — one probe worker per (pod UID, container name, probe type), as the kubelet's
// prober/worker.go runs them.
//
// Owns: the timer chain (jitter after an agent restart, a period ticker aligned to its start, reset by a
// manual trigger), doProbe's ordered steps (initial result per container ID, onHold, non-running, deletion,
// initialDelay, startup gating), threshold counting, and per-attempt records, events and metrics.
// Created and stopped by probes/prober-manager.ts. Never kills or restarts anything: it only publishes.
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type {
  Clock, LifecycleSink, Logger, PodStatusProvider, ProbeType, RandomSource, ResultValue, Timer,
} from './types.js';
import type { ProbeMetricLabels, ProbeMetrics } from './metrics.js';
import type { ResultsManager, UpdateCause } from './results.js';
import { type Prober, type ProbeTiming, probeTiming } from './prober.js';

export { ProbeMetrics } from './metrics.js';

/** The value a new container instance starts with, before any probe ran. */
export const INITIAL_RESULT: Record<ProbeType, ResultValue> = {
  Readiness: 'failure',
  Liveness: 'success',
  Startup: 'unknown',
};

/** What a worker needs from its manager. */
export interface WorkerHost {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly statusProvider: PodStatusProvider;
  readonly prober: Pick<Prober, 'probe'>;
  readonly lifecycle: LifecycleSink;
  readonly metrics: ProbeMetrics;
  /** ms epoch when the agent started: jitter applies only within one period of it. */
  readonly agentStartTime: number;
  readonly log: Logger;
  /** The container instance is started (running, and its startup probe succeeded or it has none). */
  isStarted(podUID: string, containerName: string, containerID: string): boolean;
  /** Called once, after the worker exited and cleaned up. */
  onExit(w: ProbeWorker): void;
}

export interface WorkerSpec {
  readonly pod: { readonly uid: string; readonly name: string; readonly namespace: string };
  readonly container: Container;
  /** `init` for restartable init containers (sidecars). */
  readonly containerKind: 'container' | 'init';
  readonly probeType: ProbeType;
  readonly probe: Probe;
}

type Phase = 'new' | 'jitter' | 'idle' | 'running' | 'stopped';

export class ProbeWorker {
  readonly timing: ProbeTiming;
  readonly fieldPath: string;
  readonly #labels: ProbeMetricLabels;
  #phase: Phase = 'new';
  #timer: Timer | undefined;
  #manualScheduled = false;
  #pendingManual = false;
  #stopRequested = false;
  #nextTick = 0;
  #containerID: string | undefined;
  #lastResult: ResultValue | undefined;
  #resultRun = 0;
  #onHold = false;

  constructor(
    readonly host: WorkerHost,
    readonly results: ResultsManager,
    readonly spec: WorkerSpec,
  ) {
    this.timing = probeTiming(spec.probe);
    const name = spec.container.name;
    this.fieldPath = spec.containerKind === 'init' ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
    this.#labels = { probeType: spec.probeType, container: name, pod: spec.pod.name, namespace: spec.pod.namespace, podUID: spec.pod.uid };
  }

  get probeType(): ProbeType { return this.spec.probeType; }
  get containerID(): string | undefined { return this.#containerID; }
  get stopped(): boolean { return this.#phase === 'stopped'; }

  #period(): number {
    return this.timing.periodSeconds * 1000;
  }

  /** Starts the loop: after a random part of a period if the agent started less than a period ago. */
  start(): void {
    if (this.#phase !== 'new') return;
    const { clock, agentStartTime, random } = this.host;
    const delay = this.#period() > clock.now() - agentStartTime ? random() * this.#period() : 0;
    this.#phase = 'jitter';
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      this.#nextTick = clock.now() + this.#period();
      this.#run();
    }, delay);
  }

  /** Runs the probe as soon as possible and restarts the period from then (the kubelet's manualTriggerCh). */
  trigger(): void {
    if (this.#phase === 'jitter' || this.#phase === 'running') { this.#pendingManual = true; return; }
    if (this.#phase !== 'idle' || this.#manualScheduled) return;
    this.#timer?.cancel();
    this.#manualScheduled = true;
    this.#timer = this.host.clock.setTimeout(() => this.#runManual(), 0);
  }

  /** Stops the worker; an attempt in flight finishes first and its result is dropped. Idempotent. */
  stop(): void {
    this.#stopRequested = true;
    if (this.#phase === 'running') return;
    this.#exit();
  }

  #runManual(): void {
    this.#timer = undefined;
    this.#manualScheduled = false;
    this.#nextTick = this.host.clock.now() + this.#period();
    this.#run();
  }

  #run(): void {
    this.#phase = 'running';
    void this.doProbe().then((keep) => keep, (err: unknown) => {
      this.host.log.warn({ podUID: this.spec.pod.uid, containerName: this.spec.container.name, probeType: this.probeType, err: String(err) }, 'Probe worker crashed; continuing');
      return true;
    }).then((keepGoing) => this.#afterRun(keepGoing));
  }

  #afterRun(keepGoing: boolean): void {
    if (this.#stopRequested || !keepGoing) { this.#exit(); return; }
    this.#phase = 'idle';
    const { clock } = this.host;
    const now = clock.now();
    if (this.#pendingManual) {
      this.#pendingManual = false;
      this.#manualScheduled = true;
      this.#timer = clock.setTimeout(() => this.#runManual(), 0);
      return;
    }
    // Like a Go ticker: a tick missed while probing is delivered at once, later ones are dropped.
    const due = this.#nextTick <= now;
    if (due) while (this.#nextTick <= now) this.#nextTick += this.#period();
    const wait = due ? 0 : this.#nextTick - now;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      if (!due) this.#nextTick += this.#period();
      this.#run();
    }, wait);
  }

  #exit(): void {
    if (this.#phase === 'stopped') return;
    this.#phase = 'stopped';
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#containerID) this.results.remove(this.#containerID);
    this.host.metrics.deleteSeries(this.#labels);
    this.host.onExit(this);
  }

  #set(result: ResultValue, cause: UpdateCause): void {
    this.results.set(this.#containerID!, result, this.spec.pod.uid, this.spec.container.name, cause);
  }

  /** One doProbe, in the kubelet's order. Resolves whether the worker should keep going. */
  async doProbe(): Promise<boolean> {
    const { clock, statusProvider } = this.host;
    const { pod, container, probeType } = this.spec;
    const startTime = clock.now();
    // Step 1: no status yet → wait; a terminal pod ends the worker.
    const status = statusProvider.getPodStatus(pod.uid);
    if (!status) return true;
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return false;
    // Step 2: the container's current instance; none yet → wait.
    const c = status.containers.find((s) => s.name === container.name && !!s.containerID);
    if (!c || !c.containerID) return true;
    // Step 3: a new instance starts from the initial value and leaves onHold.
    if (this.#containerID !== c.containerID) {
      if (this.#containerID) this.results.remove(this.#containerID);
      this.#containerID = c.containerID;
      this.#set(INITIAL_RESULT[probeType], 'initial');
      this.#onHold = false;
    }
    // Step 4: after a liveness/startup verdict, wait for the next instance.
    if (this.#onHold) return true;
    // Step 5: not running → failure; stop for good only if it will never run again.
    if (c.state !== 'running') {
      this.#set('failure', 'notRunning');
      return c.state !== 'terminated' || !c.restartPolicyNever;
    }
    // Step 6: a terminating pod keeps readiness probing; liveness/startup report success and end quietly.
    if (status.deleting && (probeType === 'Liveness' || probeType === 'Startup')) {
      this.#set('success', 'terminating');
      return false;
    }
    // Step 7: initialDelaySeconds counts from the instance's start, in whole seconds.
    if (c.startedAt !== undefined && Math.trunc((clock.now() - c.startedAt) / 1000) < this.timing.initialDelaySeconds) return true;
    // Step 8: startup gating.
    const started = this.host.isStarted(pod.uid, container.name, c.containerID);
    if (started ? probeType === 'Startup' : probeType !== 'Startup') return true;
    // Step 9: run it; a prober error discards the attempt.
    const probeStart = clock.now();
    const attempt = await this.host.prober.probe(probeType, this.spec.probe, {
      pod, container, containerID: c.containerID, podIP: status.podIP, fieldPath: this.fieldPath,
    });
    if (this.#stopRequested) return false;
    const record = (published?: ResultValue) => this.host.lifecycle.record({
      time: probeStart, podUID: pod.uid, container: container.name, kind: 'probe', probeType,
      result: attempt.result, output: attempt.output, durationMs: clock.now() - probeStart, containerId: c.containerID,
      attempts: attempt.attempts, ...(attempt.error ? { message: attempt.error } : {}), ...(published ? { published } : {}),
    });
    const result = attempt.verdict;
    if (!result) { record(); return true; }
    const seconds = (clock.now() - startTime) / 1000;
    if (result === 'success') { this.host.metrics.inc(this.#labels, 'successful'); this.host.metrics.observeDuration(this.#labels, seconds); }
    else if (result === 'failure') this.host.metrics.inc(this.#labels, 'failed');
    else { this.host.metrics.inc(this.#labels, 'unknown'); this.host.metrics.observeDuration(this.#labels, seconds); }
    // Step 10: consecutive counting against the thresholds.
    if (this.#lastResult === result) this.#resultRun++;
    else { this.#lastResult = result; this.#resultRun = 1; }
    if ((result === 'failure' && this.#resultRun < this.timing.failureThreshold)
      || (result === 'success' && this.#resultRun < this.timing.successThreshold)) {
      record();
      return true;
    }
    record(result);
    this.#set(result, 'probe');
    // Step 11: liveness failure, or any startup verdict (1.32+), holds until a new container instance.
    if ((probeType === 'Liveness' && result === 'failure') || probeType === 'Startup') {
      this.#onHold = true;
      this.#resultRun = 0;
    }
    return true;
  }
}
