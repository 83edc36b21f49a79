// control-plane/controllers/daemonset/index.ts — the DaemonSet controller: startDaemonSetController
// (controller.ts) and its pure decisions (decide.ts, placement.ts, history.ts, backoff.ts) for tests.
export { startDaemonSetController, DAEMONSET_CONTROLLER, type DaemonSetController, type DaemonSetControllerOptions } from './controller.js';
export { computeStatus, isPodUpdated, manage, podsByNode, rollingUpdate, surgeAndUnavailable, type FailedGate, type Plan } from './decide.js';
export * from './backoff.js';
export { daemonTolerations, podForNode, shouldRun, targetNode } from './placement.js';
export { currentHash, historyToDelete, planHistory, revisionData, revisionHash, revisionMatches } from './history.js';
export * from './types.js';
