// control-plane/controllers/replicaset/index.ts — the ReplicaSet controller: startReplicaSetController
// (controller.ts), the same controller over ReplicationControllers (startReplicationManager, kinds.ts), and
// its pure decisions (decide.ts, rank.ts, pods.ts) for the Deployment controller to reuse.
export {
  startReplicaController, startReplicaSetController, startReplicationManager, REPLICASET_CONTROLLER, REPLICATION_MANAGER,
  type ReplicaSetController, type ReplicaSetControllerOptions,
} from './controller.js';
export { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, REPLICATIONCONTROLLERS, type ReplicaKind } from './kinds.js';
export { adoptedRefs, BURST_REPLICAS, claimPods, computeStatus, desiredReplicas, podFromTemplate, releasedRefs, replicaDiff, slowStartBatches, type ReplicaSet, type RSStatus, type RSCondition, type PodTemplate } from './decide.js';
export { isPodActive, isPodAvailable, isPodReady, nextAvailableAt, selectorMatches, type Pod } from './pods.js';
export { podsToDelete, DELETION_COST_ANNOTATION } from './rank.js';
