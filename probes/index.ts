// probes/index.ts — the public surface of probes/ for agent/: one import path, nothing else.
//
// Owns no code. Called by the agent's wiring. Never re-exports check internals beyond what callers need.
export * from './types.js';
export { ProberManager, type ProberManagerDeps, type ContainerRunState, type LivenessOrStartupFailureListener, type ReadinessListener } from './prober-manager.js';
export { ResultsManager, type ResultUpdate, type UpdateCause } from './results.js';
export { ProbeMetrics, type ProbeMetricLabels, type ProbeMetricResult } from './metrics.js';
export { ProbeWorker, INITIAL_RESULT, type WorkerHost, type WorkerSpec } from './worker.js';
export { Prober, MAX_PROBE_RETRIES, probeTiming, type ProbeTarget, type ProbeAttempt, type ProbeTiming } from './prober.js';
export {
  HandlerRunner, HookError, handlerType, formatInvalidHandler, type HookContext, type HookKind, type HandlerType, type HandlerRunnerDeps,
  FAILED_POST_START_HOOK, FAILED_PRE_STOP_HOOK, POST_START_HOOK_ERROR, KILLING_MESSAGE_POST_START, LIFECYCLE_HTTP_FALLBACK, SLEEP_TERMINATED,
} from './hooks.js';
export { resolvePort } from './check/port.js';
export { execCheck, expandCommand } from './check/exec.js';
export { httpCheck, httpGet, buildHttpGetRequest, HttpGetError } from './check/http.js';
export { tcpCheck } from './check/tcp.js';
export { grpcCheck } from './check/grpc.js';
