// control-plane/controllers/job/index.ts — the Job controller (controller.ts: startJobController), the
// TTL-after-finished controller (ttl.ts), and their pure decisions (decide.ts, end.ts, tracking.ts, backoff.ts,
// failure-policy.ts, per-index.ts, success-policy.ts, indexes.ts, pods.ts) for tests and the CronJob controller.
export { startJobController, JOB_CONTROLLER, type JobController, type JobControllerOptions } from './controller.js';
export { startTtlAfterFinishedController, ttlRemainingMs, TTL_CONTROLLER } from './ttl.js';
export { decideJob, MAX_CREATES_PER_SYNC, type JobPlan, type DecideOptions } from './decide.js';
export { backoffDelayMs, backoffRecord, remainingBackoffMs } from './backoff.js';
export { matchPodFailurePolicy } from './failure-policy.js';
export { failureCountAnnotations, indexFailureCounts, isIndexFailed, lastFailedPerIndex, nextFailureCounts, remainingIndexBackoffMs, type IndexFailureCounts } from './per-index.js';
export { matchSuccessPolicy } from './success-policy.js';
export { formatIndexes, parseIndexes } from './indexes.js';
export { podFromJob } from './pods.js';
export * from './types.js';
