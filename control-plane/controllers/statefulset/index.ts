// control-plane/controllers/statefulset/index.ts — the StatefulSet controller: startStatefulSetController
// (controller.ts, writes.ts) and its pure decisions: syncStatefulSet (decide.ts: one sync), identity.ts (names,
// ordinals, the pod and claims of an ordinal, claim ownerReferences per retention policy), revision.ts
// (ControllerRevisions), pods.ts (pod predicates).
export { startStatefulSetController, type StatefulSetController, type StatefulSetControllerOptions } from './controller.js';
export { STATEFULSET_CONTROLLER } from './writes.js';
export { syncStatefulSet, type Action, type Revision, type SyncDecision, type SyncInput } from './decide.js';
export { claimName, claimOwnerRefs, claimsFor, newPod, ordinalOf, parentAndOrdinal, podName } from './identity.js';
export { fnv32, hashRevision, newRevision, planRevisions, revisionsToDelete, templateOf } from './revision.js';
export * from './types.js';
