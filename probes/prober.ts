// probes/prober.ts — one probe run as the kubelet's prober.go does it: pick the handler, retry on error,
// map the check's result to the published one, and emit the Unhealthy / ProbeWarning events.
//
// Owns: the probe defaults, handler dispatch (exec/httpGet/tcpSocket/grpc), maxProbeRetries, and the exact
// event texts. Called by probes/worker.ts once per doProbe. Never counts thresholds or touches results.
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import {
  type CheckOutcome, type EventSink, type ProbeResult, type ProbeType, type ResultValue,
  PROBE_USER_AGENT, ProbeCheckError, formatPod,
} from './types.js';
import { type ExecRunner, execCheck, expandCommand } from './check/exec.js';
import { buildHttpGetRequest, httpCheck } from './check/http.js';
import { tcpCheck } from './check/tcp.js';
import { grpcCheck } from './check/grpc.js';
import { resolvePort } from './check/port.js';
import { messageOf } from './check/go-text.js';

/** pkg/kubelet/prober maxProbeRetries: tries per doProbe when the prober errors (not when the check fails). */
export const MAX_PROBE_RETRIES = 3;

export interface ProbeTiming {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** SetDefaults_Probe: 0 or unset → timeout 1, period 10, success 1, failure 3; initialDelay 0. */
export function probeTiming(p: Probe): ProbeTiming {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds || 10,
    timeoutSeconds: p.timeoutSeconds || 1,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

/** Which container to probe, and where. */
export interface ProbeTarget {
  readonly pod: { readonly uid: string; readonly name: string; readonly namespace: string };
  readonly container: Container;
  readonly containerID: string;
  readonly podIP: string;
  /** `spec.containers{name}` or `spec.initContainers{name}` for the events. */
  readonly fieldPath: string;
}

export interface ProbeAttempt {
  /** What the worker counts; undefined when the prober errored (the attempt is discarded). */
  readonly verdict?: ResultValue;
  /** The last check result, or `error`. */
  readonly result: ProbeResult | 'error';
  readonly output: string;
  /** The error text when the prober errored on every try. */
  readonly error?: string;
  readonly attempts: number;
}

export interface ProberDeps {
  readonly runtime: ExecRunner;
  readonly events: EventSink;
  /** Defaults to `kube-probe/1.33`. */
  readonly userAgent?: string;
}

export class Prober {
  constructor(readonly deps: ProberDeps) {}

  /** prober.probe: run with retries, record the event, and return what the worker should count. */
  async probe(probeType: ProbeType, spec: Probe, t: ProbeTarget): Promise<ProbeAttempt> {
    let last: CheckOutcome | undefined;
    let lastErr: unknown;
    let attempts = 0;
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      attempts++;
      try {
        last = await this.runOnce(spec, t);
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
      }
    }
    const warn = (reason: string, message: string) =>
      this.deps.events.event(t.pod.uid, { type: 'Warning', reason, message, fieldPath: t.fieldPath });
    if (lastErr !== undefined || !last) {
      const result = lastErr instanceof ProbeCheckError ? lastErr.result : 'unknown';
      const error = messageOf(lastErr);
      warn('Unhealthy', `${probeType} probe errored and resulted in ${result} state: ${error}`);
      return { result: 'error', output: '', error, attempts };
    }
    switch (last.result) {
      case 'success':
        return { verdict: 'success', ...last, attempts };
      case 'warning':
        warn('ProbeWarning', `${probeType} probe warning: ${last.output}`);
        return { verdict: 'success', ...last, attempts };
      case 'failure':
        warn('Unhealthy', `${probeType} probe failed: ${last.output}`);
        return { verdict: 'failure', ...last, attempts };
      default:
        return { verdict: 'failure', ...last, attempts };
    }
  }

  /** prober.runProbe: one check with the probe's handler. Throws when the prober itself broke. */
  async runOnce(spec: Probe, t: ProbeTarget): Promise<CheckOutcome> {
    const timeoutSeconds = spec.timeoutSeconds || 1;
    const ua = this.deps.userAgent ?? PROBE_USER_AGENT;
    if (spec.exec) {
      const cmd = expandCommand(spec.exec.command ?? [], t.container.env);
      return execCheck(this.deps.runtime, t.containerID, cmd, timeoutSeconds);
    }
    if (spec.httpGet) {
      const req = buildHttpGetRequest(spec.httpGet, t.container, t.podIP, ua);
      return httpCheck(req, timeoutSeconds * 1000);
    }
    if (spec.tcpSocket) {
      const port = resolvePort(spec.tcpSocket.port, t.container);
      return tcpCheck(spec.tcpSocket.host || t.podIP, port, timeoutSeconds * 1000);
    }
    if (spec.grpc) {
      return grpcCheck(t.podIP, spec.grpc.port, spec.grpc.service ?? '', timeoutSeconds, ua);
    }
    throw new ProbeCheckError('unknown', `missing probe handler for ${formatPod(t.pod)}:${t.container.name}`);
  }
}
