// control-plane/controllers/framework/index.ts — the controller framework every workload controller is built
// on (controllers talk to the API only through client/):
//
// - Controller (controller.ts): new Controller({ name, reconcile(key) → { requeueAfter? } | void, workers?,
//   clock?, log? }); .informer(client, ref, opts, handlers) registers an Informer whose first list gates the
//   workers; .enqueueHandlers() enqueue the object's own `ns/name`; .enqueue(key), .enqueueAfter(key, ms);
//   .run(signal) → runs informers, waits for sync, then workers until abort; .processOne(key) for tests.
//   Errors (409 included) requeue with 5 ms · 2ⁿ back-off up to 1000 s; one key never on two workers.
// - WorkQueue (queue.ts): add, addAfter, addRateLimited, forget, numRequeues, get/done, shutDown; itemBackoffMs.
// - Expectations (expectations.ts): expectCreations(key, n), creationObserved(key), expectDeletions(key,
//   podKeys), deletionObserved(key, podKey), satisfied(key) (5 min timeout), delete(key).
// - owners.ts: controllerRefOf(obj), controllerKeyOf(obj, kind, group) → owner `ns/name` (map a pod event to
//   its ReplicaSet), controllerRefTo(owner) (controller + blockOwnerDeletion), isControlledBy, keyOf, splitKey.
// - EventRecorder (events.ts): .event(obj, 'Normal'|'Warning', reason, message) → a core/v1 Event.
// - ControllerClock + realClock + rfc3339 (clock.ts); REPLICASETS, DEPLOYMENTS, CONTROLLERREVISIONS refs (refs.ts).
export { realClock, rfc3339, type ControllerClock } from './clock.js';
export { Controller, type ControllerLog, type ControllerOptions, type ReconcileResult } from './controller.js';
export { EventRecorder, type EventType } from './events.js';
export { Expectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
export { controllerKeyOf, controllerRefOf, controllerRefTo, isControlledBy, keyOf, splitKey, type OwnerRef } from './owners.js';
export { WorkQueue, itemBackoffMs, BACKOFF_BASE_MS, BACKOFF_MAX_MS } from './queue.js';
export { REPLICASETS, DEPLOYMENTS, CONTROLLERREVISIONS } from './refs.js';
