// probes/types.ts — the vocabulary of probes/ and the narrow interfaces it needs from the outside world.
//
// Owns: probe and result names, the Clock / random / logger / sink interfaces, and the read-only view of a
// pod's status the probe workers consult. Called by: every file in probes/ and by agent/, which passes its
// own objects in (structural typing), so probes/ never imports agent/. Never holds state or does I/O.

/** The kubelet's probe type names, exactly as they appear in events and metrics. */
export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

/** What one check returns (pkg/probe Result): `warning` counts as success, `unknown` as failure. */
export type ProbeResult = 'success' | 'warning' | 'failure' | 'unknown';

/** What the kubelet publishes per container (prober/results): the state other parts of the agent read. */
export type ResultValue = 'success' | 'failure' | 'unknown';

export interface CheckOutcome {
  readonly result: ProbeResult;
  readonly output: string;
}

/**
 * Thrown by a check when the prober itself broke (bad port name, runtime error, unreadable body): the
 * kubelet's probe "error". The caller retries up to 3 times, then discards the attempt with an
 * `Unhealthy` event `<Type> probe errored and resulted in <result> state: <message>`.
 */
export class ProbeCheckError extends Error {
  override readonly name = 'ProbeCheckError';
  constructor(
    readonly result: ProbeResult,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The Kubernetes minor version whose behaviour (and User-Agent) we mirror. */
export const KUBE_VERSION = '1.33';
export const PROBE_USER_AGENT = `kube-probe/${KUBE_VERSION}`;
export const LIFECYCLE_USER_AGENT = `kube-lifecycle/${KUBE_VERSION}`;

/** The one injected clock of the agent (cri/clock.ts, a neutral module): now, one-shot timers, sleep. */
export type { Clock, Timer } from '../cri/clock.js';
export { systemClock } from '../cri/clock.js';

/** Uniform in [0, 1), like Math.random. */
export type RandomSource = () => number;

export const mathRandom: RandomSource = () => Math.random();

/** The subset of a pino logger probes/ uses (object first, message second). */
export interface Logger {
  debug(o: object, msg: string): void;
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

export const noopLogger: Logger = { debug() {}, info() {}, warn() {} };

/** One line of a pod's lifecycle record (agent/timeline): what happened, when (ms), for how long. */
export interface LifecycleEntry {
  readonly time: number;
  readonly podUID: string;
  readonly container?: string;
  readonly kind: 'probe' | 'hook' | (string & {});
  readonly probeType?: ProbeType;
  readonly hook?: 'postStart' | 'preStop';
  readonly phase?: 'start' | 'end';
  /** Probe: the check's result (`success|warning|failure|unknown`) or `error`; hook: `success|failure`. */
  readonly result?: string;
  readonly output?: string;
  readonly durationMs?: number;
  readonly message?: string;
  readonly containerId?: string;
  /** Probe: the value published to the results cache by this attempt, when it changed the count's outcome. */
  readonly published?: ResultValue;
  /** Probe: tries made (more than 1 only when the prober errored). Hook: the handler type. */
  readonly attempts?: number;
  readonly handler?: 'exec' | 'httpGet' | 'sleep' | 'tcpSocket' | 'none';
}

export interface LifecycleSink {
  record(e: LifecycleEntry): void;
}

export interface ProbeEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  /** `spec.containers{name}` / `spec.initContainers{name}`; absent for pod-level events. */
  readonly fieldPath?: string;
}

export interface EventSink {
  event(podUID: string, e: ProbeEvent): void;
}

/** One container as the probe workers see it (regular and init containers in one list; names are unique). */
export interface ProbeContainerStatus {
  readonly name: string;
  /** Runtime id, optionally `docker://`-prefixed as in v1 status. Absent before the first create. */
  readonly containerID?: string;
  readonly state: 'running' | 'waiting' | 'terminated';
  /** ms since the epoch when the current instance started running. */
  readonly startedAt?: number;
  /** True when a terminated instance of this container will not be restarted (policy Never, not a sidecar). */
  readonly restartPolicyNever?: boolean;
}

export interface ProbePodStatus {
  readonly phase?: string;
  /** The pod has a deletionTimestamp (it is terminating). */
  readonly deleting: boolean;
  readonly podIP: string;
  readonly containers: readonly ProbeContainerStatus[];
}

/** The kubelet's status manager as the workers read it: undefined until the pod has a status. */
export interface PodStatusProvider {
  getPodStatus(uid: string): ProbePodStatus | undefined;
}

/** `<name>_<namespace>(<uid>)`, the kubelet's format.Pod. */
export function formatPod(pod: { readonly name: string; readonly namespace: string; readonly uid: string }): string {
  return `${pod.name}_${pod.namespace}(${pod.uid})`;
}

/** The runtime id without a `<runtime>://` prefix. */
export function runtimeId(containerID: string): string {
  const i = containerID.indexOf('://');
  return i >= 0 ? containerID.slice(i + 3) : containerID;
}
