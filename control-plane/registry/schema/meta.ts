// control-plane/registry/schema/meta.ts — OpenAPI definitions of the apimachinery types every kind embeds:
// ObjectMeta (owner references, managed fields), LabelSelector, Condition, and the scalars Time, MicroTime,
// Quantity, IntOrString, RawExtension.
//
// PURE data (descriptions are this project's own).
import {
  INT_OR_STRING, QUANTITY, RAW_EXTENSION, bool, def, i64, list, meta, str, strMap, strs, time, type Definitions,
} from './build.js';

export const META_DEFINITIONS: Definitions = {
  [meta('Time')]: { type: 'string', format: 'date-time', description: 'A point in time, written in RFC 3339 form with whole seconds.' },
  [meta('MicroTime')]: { type: 'string', format: 'date-time', description: 'A point in time, written in RFC 3339 form with microseconds.' },
  [QUANTITY]: {
    description: 'A fixed-point amount written as a string with an optional suffix ("100m", "64Mi", "2").',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: { description: 'Either an integer or a string (a number, a named port, or a percentage like "25%").', 'x-kubernetes-int-or-string': true },
  [RAW_EXTENSION]: { type: 'object', description: 'An embedded object of any kind, kept as it was written.', 'x-kubernetes-preserve-unknown-fields': true },

  [meta('ObjectMeta')]: def('Metadata every stored object has: identity, labels, annotations, ownership and lifecycle.', {
    name: str('The object\'s name, unique in its namespace for its kind; cannot be changed.'),
    generateName: str('A prefix the server completes with random characters when name is empty.'),
    namespace: str('The namespace the object lives in; empty for cluster-scoped kinds.'),
    uid: str('The unique id the server gives the object at creation; never reused.'),
    resourceVersion: str('An opaque version of the object, changed on every write; used for optimistic concurrency and watches.'),
    generation: i64('A counter of changes to the desired state (spec), set by the server.'),
    creationTimestamp: time('When the server created the object.'),
    deletionTimestamp: time('When the object will be gone: set when a graceful deletion is requested.'),
    deletionGracePeriodSeconds: i64('The seconds the object was given to terminate when its deletion was requested.'),
    labels: strMap('Key/value pairs that selectors match objects by.'),
    annotations: strMap('Key/value pairs of non-identifying data for tools and people.'),
    ownerReferences: list(meta('OwnerReference'), 'The objects this one belongs to; it is garbage-collected when they are gone.', 'uid'),
    finalizers: strs('Names of cleanups that must finish (and be removed) before the object is deleted.', 'set'),
    managedFields: list(meta('ManagedFieldsEntry'), 'Which field manager owns which fields (server-side apply bookkeeping).'),
  }),
  [meta('OwnerReference')]: def('A pointer to the object that owns this one.', {
    apiVersion: str('The API version of the owner.'),
    kind: str('The kind of the owner.'),
    name: str('The name of the owner.'),
    uid: str('The uid of the owner.'),
    controller: bool('True when the owner is the managing controller of this object (at most one owner is).'),
    blockOwnerDeletion: bool('True when a foreground deletion of the owner waits for this object to be deleted.'),
  }, ['apiVersion', 'kind', 'name', 'uid']),
  [meta('ManagedFieldsEntry')]: def('The set of fields one manager owns, from one operation.', {
    manager: str('The name of the field manager (usually the client program).'),
    operation: str('The kind of write that set the fields: Apply or Update.'),
    apiVersion: str('The API version the field set is written in.'),
    time: time('When the fields were last changed by this manager.'),
    fieldsType: str('The format of fieldsV1: always "FieldsV1".'),
    fieldsV1: { type: 'object', description: 'The owned fields, as a nested set of field keys.' },
    subresource: str('The subresource the write went to ("status", "scale"), empty for the main resource.'),
  }),
  [meta('LabelSelector')]: def('A query over labels: every matchLabels pair and every expression must match.', {
    matchLabels: strMap('Labels that must be present with exactly these values.'),
    matchExpressions: list(meta('LabelSelectorRequirement'), 'Requirements on label keys with an operator and values.'),
  }),
  [meta('LabelSelectorRequirement')]: def('One requirement of a label selector.', {
    key: str('The label key the requirement applies to.'),
    operator: str('How key and values relate: In, NotIn, Exists or DoesNotExist.'),
    values: strs('The values for In and NotIn; empty for Exists and DoesNotExist.'),
  }, ['key', 'operator']),
  [meta('Condition')]: def('One aspect of an object\'s current state.', {
    type: str('The aspect this condition reports, in CamelCase.'),
    status: str('True, False or Unknown.'),
    observedGeneration: i64('The metadata.generation the condition was computed from.'),
    lastTransitionTime: time('When status last changed.'),
    reason: str('A CamelCase word saying why the condition has its status.'),
    message: str('A human-readable explanation of the condition.'),
  }, ['type', 'status', 'lastTransitionTime', 'reason', 'message']),
};
