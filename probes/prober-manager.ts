// probes/prober-manager.ts — the kubelet's prober manager: the set of probe workers and what they mean.
//
// Owns: worker creation per pod (regular containers and sidecars), removal and cleanup, the three results
// caches, the started/ready derivation for the status generator (UpdatePodStatus), and change
// notifications to the agent. Called by the agent's pod syncer and status generator. Never kills or
// restarts containers and never writes pod status: it reports, the agent acts.
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import {
  type Clock, type EventSink, type LifecycleSink, type Logger, type PodStatusProvider, type ProbeType,
  type RandomSource, type ResultValue, mathRandom, noopLogger, systemClock,
} from './types.js';
import type { ExecRunner } from './check/exec.js';
import { ProbeMetrics } from './metrics.js';
import { Prober } from './prober.js';
import { ResultsManager, type ResultUpdate } from './results.js';
import { ProbeWorker, type WorkerHost } from './worker.js';

export interface ProberManagerDeps {
  readonly runtime: ExecRunner;
  readonly statusProvider: PodStatusProvider;
  readonly events: EventSink;
  readonly lifecycle: LifecycleSink;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly metrics?: ProbeMetrics;
  /** ms epoch; defaults to the clock's now at construction. */
  readonly agentStartTime?: number;
  readonly log?: Logger;
  /** Replaces the prober (tests); defaults to one built from runtime and events. */
  readonly prober?: Pick<Prober, 'probe'>;
}

/** What the status generator passes per container: its current instance and whether it runs. */
export interface ContainerRunState {
  readonly name: string;
  readonly containerID?: string;
  readonly running: boolean;
}

export type LivenessOrStartupFailureListener =
  (podUID: string, containerName: string, probeType: 'Liveness' | 'Startup', probe: Probe, containerID: string) => void;
export type ReadinessListener = (podUID: string, containerName: string, containerID: string, ready: boolean) => void;

const TYPES: readonly ProbeType[] = ['Startup', 'Readiness', 'Liveness'];

function probeOf(c: Container, t: ProbeType): Probe | undefined {
  return t === 'Startup' ? c.startupProbe : t === 'Readiness' ? c.readinessProbe : c.livenessProbe;
}

function key(uid: string, name: string, t: ProbeType): string {
  return `${uid}\u0000${name}\u0000${t}`;
}

export class ProberManager {
  readonly metrics: ProbeMetrics;
  readonly results: Readonly<Record<ProbeType, ResultsManager>> = {
    Liveness: new ResultsManager('Liveness'),
    Readiness: new ResultsManager('Readiness'),
    Startup: new ResultsManager('Startup'),
  };
  readonly #workers = new Map<string, ProbeWorker>();
  readonly #host: WorkerHost;
  readonly #failureListeners = new Set<LivenessOrStartupFailureListener>();
  readonly #readinessListeners = new Set<ReadinessListener>();

  constructor(deps: ProberManagerDeps) {
    const clock = deps.clock ?? systemClock;
    this.metrics = deps.metrics ?? new ProbeMetrics();
    this.#host = {
      clock,
      random: deps.random ?? mathRandom,
      statusProvider: deps.statusProvider,
      prober: deps.prober ?? new Prober({ runtime: deps.runtime, events: deps.events }),
      lifecycle: deps.lifecycle,
      metrics: this.metrics,
      agentStartTime: deps.agentStartTime ?? clock.now(),
      log: deps.log ?? noopLogger,
      isStarted: (uid, name, id) => this.isContainerStarted(uid, name, id, true),
      onExit: (w) => {
        const k = key(w.spec.pod.uid, w.spec.container.name, w.probeType);
        if (this.#workers.get(k) === w) this.#workers.delete(k);
      },
    };
    this.results.Liveness.subscribe((u) => this.#onFailure(u));
    this.results.Startup.subscribe((u) => this.#onFailure(u));
    this.results.Readiness.subscribe((u) => {
      for (const l of [...this.#readinessListeners]) l(u.podUID, u.containerName, u.containerID, u.result === 'success');
    });
  }

  /** Only a probe verdict condemns a container; a Failure set because it stopped running does not. */
  #onFailure(u: ResultUpdate): void {
    if (u.result !== 'failure' || u.cause !== 'probe') return;
    const w = this.#workers.get(key(u.podUID, u.containerName, u.probeType));
    if (!w) return;
    for (const l of [...this.#failureListeners]) l(u.podUID, u.containerName, u.probeType as 'Liveness' | 'Startup', w.spec.probe, u.containerID);
  }

  /**
   * Starts the missing workers for every probe of the pod's containers and sidecars (restartable init
   * containers). Idempotent: existing workers are kept, so calling it on every sync is fine.
   */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    const ref = { uid, name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default' };
    const targets: [Container, 'container' | 'init'][] = [
      ...(pod.spec?.containers ?? []).map((c): [Container, 'container'] => [c, 'container']),
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c): [Container, 'init'] => [c, 'init']),
    ];
    for (const [container, containerKind] of targets) {
      for (const probeType of TYPES) {
        const probe = probeOf(container, probeType);
        const k = key(uid, container.name, probeType);
        if (!probe || this.#workers.has(k)) continue;
        const w = new ProbeWorker(this.#host, this.results[probeType], { pod: ref, container, containerKind, probeType, probe });
        this.#workers.set(k, w);
        w.start();
      }
    }
  }

  /** Stops every worker of the pod. */
  removePod(uid: string): void {
    for (const w of [...this.#workers.values()]) if (w.spec.pod.uid === uid) w.stop();
  }

  /** Stops the workers of every pod not in desiredUIDs. */
  cleanupPods(desiredUIDs: Iterable<string>): void {
    const keep = new Set(desiredUIDs);
    for (const w of [...this.#workers.values()]) if (!keep.has(w.spec.pod.uid)) w.stop();
  }

  /** Stops every worker (agent shutdown). */
  stop(): void {
    for (const w of [...this.#workers.values()]) w.stop();
  }

  /** The kubelet's isContainerStarted. */
  isContainerStarted(uid: string, name: string, containerID: string | undefined, running: boolean): boolean {
    if (!running) return false;
    const r = containerID ? this.results.Startup.get(containerID) : undefined;
    if (r !== undefined) return r === 'success';
    return !this.#workers.has(key(uid, name, 'Startup'));
  }

  /**
   * UpdatePodStatus for probed containers: `started`, then `ready` (false until started; true on a
   * readiness success or when there is no readiness probe). A readiness worker with no success yet is
   * triggered to run now. Regular init containers are the caller's (ready = exited 0).
   */
  updatePodStatus(uid: string, containers: readonly ContainerRunState[]): Map<string, { started: boolean; ready: boolean }> {
    const out = new Map<string, { started: boolean; ready: boolean }>();
    for (const c of containers) {
      const started = this.isContainerStarted(uid, c.name, c.containerID, c.running);
      let ready = false;
      if (started) {
        if (c.containerID && this.results.Readiness.get(c.containerID) === 'success') {
          ready = true;
        } else {
          const w = this.#workers.get(key(uid, c.name, 'Readiness'));
          ready = !w;
          w?.trigger();
        }
      }
      out.set(c.name, { started, ready });
    }
    return out;
  }

  getResult(probeType: ProbeType, containerID: string): ResultValue | undefined {
    return this.results[probeType].get(containerID);
  }

  /** The probe whose published Failure condemns this instance (liveness first), as computePodActions asks. */
  failedProbe(containerID: string): 'Liveness' | 'Startup' | undefined {
    if (this.results.Liveness.get(containerID) === 'failure') return 'Liveness';
    if (this.results.Startup.get(containerID) === 'failure') return 'Startup';
    return undefined;
  }

  hasWorker(uid: string, containerName: string, probeType: ProbeType): boolean {
    return this.#workers.has(key(uid, containerName, probeType));
  }

  get workerCount(): number {
    return this.#workers.size;
  }

  onLivenessOrStartupFailure(cb: LivenessOrStartupFailureListener): () => void {
    this.#failureListeners.add(cb);
    return () => this.#failureListeners.delete(cb);
  }

  onReadinessChange(cb: ReadinessListener): () => void {
    this.#readinessListeners.add(cb);
    return () => this.#readinessListeners.delete(cb);
  }

  /** Every published change of any probe type (the kubelet's three Updates channels in one). */
  onResultChange(cb: (u: ResultUpdate) => void): () => void {
    const offs = TYPES.map((t) => this.results[t].subscribe(cb));
    return () => offs.forEach((off) => off());
  }

  /** The probe series in Prometheus text format. */
  metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
