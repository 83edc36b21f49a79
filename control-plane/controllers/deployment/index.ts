// control-plane/controllers/deployment/index.ts — the Deployment controller: startDeploymentController
// (controller.ts) and its pure decisions: syncDeployment (decide.ts: one sync step), the hash and naming
// (hash.ts), the rolling-update arithmetic (arithmetic.ts), status and conditions (status.ts), revisions
// (revision.ts).
export { startDeploymentController, DEPLOYMENT_CONTROLLER, type DeploymentController, type DeploymentControllerOptions } from './controller.js';
export { syncDeployment, type SyncDecision, type SyncInput } from './decide.js';
export { computeHash, replicaSetName, equalIgnoreHash, findNewReplicaSet } from './hash.js';
export { maxSurge, maxUnavailable, resolveFenceposts, newRSNewReplicas } from './arithmetic.js';
export type { Deployment, ReplicaSet as DeploymentReplicaSet } from './types.js';
