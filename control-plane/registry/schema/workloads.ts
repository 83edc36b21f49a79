// control-plane/registry/schema/workloads.ts — OpenAPI definitions of the replicated workloads: apps/v1
// Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision and core/v1 ReplicationController, with
// their specs, update strategies and statuses.
//
// PURE data (descriptions are this project's own).
import {
  conditionDef, RAW_EXTENSION, apps, bool, core, def, i32, i64, intOrStr, kindDef, list, meta, ref, str, strMap, time, type Definitions, type Schema,
} from './build.js';

const selector = ref(meta('LabelSelector'), 'The label query over pods the controller owns; must match the template\'s labels.');
const template = ref(core('PodTemplateSpec'), 'The pod every replica is created from.');
const minReady = i32('Seconds a new pod must be Ready, with no container crashing, to count as available (default 0).');
const historyLimit = i32('How many old revisions are kept for rollbacks (default 10).');
const generation = i64('The metadata.generation the status was computed from.');
/** A controller condition; Deployment's also says when it was last written (lastUpdateTime). */
const condition = (kind: string, updated = false): Schema => conditionDef(`a ${kind}`, 'The aspect this condition reports.',
  updated ? { lastUpdateTime: time('When the condition was last written.') } : {});
const conditions = (n: string): Schema => list(n, 'The latest observations of the object\'s state.', 'type');
const rollingStatus = {
  replicas: i32('How many pods the controller has (any template).'),
  readyReplicas: i32('How many of its pods are Ready.'),
  availableReplicas: i32('How many of its pods have been Ready for minReadySeconds.'),
  observedGeneration: generation,
};

export const WORKLOAD_DEFINITIONS: Definitions = {
  [apps('Deployment')]: kindDef('Declarative rollouts of a pod template through ReplicaSets.', {
    spec: ref(apps('DeploymentSpec'), 'The desired pods and how to roll out changes to them.'),
    status: ref(apps('DeploymentStatus'), 'The observed progress of the Deployment.'),
  }),
  [apps('DeploymentSpec')]: def('What a Deployment should run and how it rolls out changes.', {
    replicas: i32('The number of pods wanted (default 1).'),
    selector, template,
    strategy: ref(apps('DeploymentStrategy'), 'How old pods are replaced by new ones.'),
    minReadySeconds: minReady,
    revisionHistoryLimit: historyLimit,
    paused: bool('Stop rolling out changes of the template until unpaused.'),
    progressDeadlineSeconds: i32('Seconds without progress after which the rollout is marked failed (default 600).'),
  }, ['selector', 'template']),
  [apps('DeploymentStrategy')]: def('How a Deployment replaces pods.', {
    type: str('RollingUpdate (default) or Recreate (all old pods go before new ones start).'),
    rollingUpdate: ref(apps('RollingUpdateDeployment'), 'The bounds of a RollingUpdate.'),
  }),
  [apps('RollingUpdateDeployment')]: def('The bounds of a rolling update.', {
    maxUnavailable: intOrStr('How many pods (or what percentage, rounded down) may be unavailable during the update (default 25%).'),
    maxSurge: intOrStr('How many pods (or what percentage, rounded up) may exist above replicas during the update (default 25%).'),
  }),
  [apps('DeploymentStatus')]: def('The observed state of a Deployment.', {
    ...rollingStatus,
    updatedReplicas: i32('How many pods run the current template.'),
    unavailableReplicas: i32('How many pods are still missing to have replicas available.'),
    terminatingReplicas: i32('How many of its pods are terminating.'),
    collisionCount: i32('Bumped when a ReplicaSet name collides, to give the next one a new hash.'),
    conditions: conditions(apps('DeploymentCondition')),
  }),
  [apps('DeploymentCondition')]: condition('Deployment (Available, Progressing, ReplicaFailure)', true),

  [apps('ReplicaSet')]: kindDef('Keeps a number of pods of one template running.', {
    spec: ref(apps('ReplicaSetSpec'), 'The wanted number of pods and their template.'),
    status: ref(apps('ReplicaSetStatus'), 'The observed pods of the ReplicaSet.'),
  }),
  [apps('ReplicaSetSpec')]: def('What a ReplicaSet keeps running.', {
    replicas: i32('The number of pods wanted (default 1).'),
    minReadySeconds: minReady,
    selector, template,
  }, ['selector']),
  [apps('ReplicaSetStatus')]: def('The observed state of a ReplicaSet.', {
    ...rollingStatus,
    fullyLabeledReplicas: i32('How many pods carry all the template\'s labels.'),
    terminatingReplicas: i32('How many of its pods are terminating.'),
    conditions: conditions(apps('ReplicaSetCondition')),
  }, ['replicas']),
  [apps('ReplicaSetCondition')]: condition('ReplicaSet (ReplicaFailure)'),

  [core('ReplicationController')]: kindDef('The older form of ReplicaSet, with an equality-only selector.', {
    spec: ref(core('ReplicationControllerSpec'), 'The wanted number of pods and their template.'),
    status: ref(core('ReplicationControllerStatus'), 'The observed pods of the controller.'),
  }),
  [core('ReplicationControllerSpec')]: def('What a ReplicationController keeps running.', {
    replicas: i32('The number of pods wanted (default 1).'),
    minReadySeconds: minReady,
    selector: strMap('Labels the owned pods have (default: the template\'s labels).'),
    template,
  }),
  [core('ReplicationControllerStatus')]: def('The observed state of a ReplicationController.', {
    ...rollingStatus,
    fullyLabeledReplicas: i32('How many pods carry all the template\'s labels.'),
    conditions: conditions(core('ReplicationControllerCondition')),
  }, ['replicas']),
  [core('ReplicationControllerCondition')]: condition('ReplicationController (ReplicaFailure)'),

  [apps('DaemonSet')]: kindDef('Runs one copy of a pod on every (selected) node.', {
    spec: ref(apps('DaemonSetSpec'), 'The pod to run and how updates roll out.'),
    status: ref(apps('DaemonSetStatus'), 'The observed spread of the pods over the nodes.'),
  }),
  [apps('DaemonSetSpec')]: def('What a DaemonSet runs on each node.', {
    selector, template,
    updateStrategy: ref(apps('DaemonSetUpdateStrategy'), 'How pods are replaced when the template changes.'),
    minReadySeconds: minReady,
    revisionHistoryLimit: historyLimit,
  }, ['selector', 'template']),
  [apps('DaemonSetUpdateStrategy')]: def('How a DaemonSet replaces pods.', {
    type: str('RollingUpdate (default) or OnDelete (new pods only when old ones are deleted).'),
    rollingUpdate: ref(apps('RollingUpdateDaemonSet'), 'The bounds of a RollingUpdate.'),
  }),
  [apps('RollingUpdateDaemonSet')]: def('The bounds of a DaemonSet rolling update.', {
    maxUnavailable: intOrStr('How many nodes (or what percentage) may be without an available pod during the update (default 1).'),
    maxSurge: intOrStr('How many nodes (or what percentage) may run an old and a new pod at once (default 0).'),
  }),
  [apps('DaemonSetStatus')]: def('The observed state of a DaemonSet.', {
    currentNumberScheduled: i32('Nodes running a pod that should.'),
    numberMisscheduled: i32('Nodes running a pod that should not.'),
    desiredNumberScheduled: i32('Nodes that should run a pod.'),
    numberReady: i32('Nodes whose pod is Ready.'),
    observedGeneration: generation,
    updatedNumberScheduled: i32('Nodes running a pod of the current template.'),
    numberAvailable: i32('Nodes whose pod has been Ready for minReadySeconds.'),
    numberUnavailable: i32('Nodes that should run an available pod and do not.'),
    collisionCount: i32('Bumped when a revision name collides.'),
    conditions: conditions(apps('DaemonSetCondition')),
  }, ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']),
  [apps('DaemonSetCondition')]: condition('DaemonSet'),

  [apps('StatefulSet')]: kindDef('Pods with stable names, ordinals and storage, started and updated in order.', {
    spec: ref(apps('StatefulSetSpec'), 'The wanted pods, their claims and how updates roll out.'),
    status: ref(apps('StatefulSetStatus'), 'The observed pods and revisions of the StatefulSet.'),
  }),
  [apps('StatefulSetSpec')]: def('What a StatefulSet runs.', {
    replicas: i32('The number of pods wanted, named <name>-0 to <name>-(replicas-1) (default 1).'),
    selector, template,
    volumeClaimTemplates: list(core('PersistentVolumeClaim'), 'Claims made for each pod (<claim>-<pod>) and mounted by the template\'s volumeMounts.'),
    serviceName: str('The headless Service that gives the pods their DNS names (<pod>.<serviceName>).'),
    podManagementPolicy: str('OrderedReady (default: one pod at a time, in ordinal order) or Parallel.'),
    updateStrategy: ref(apps('StatefulSetUpdateStrategy'), 'How pods are replaced when the template changes.'),
    revisionHistoryLimit: historyLimit,
    minReadySeconds: minReady,
    persistentVolumeClaimRetentionPolicy: ref(apps('StatefulSetPersistentVolumeClaimRetentionPolicy'), 'Whether the claims are deleted with the StatefulSet or on scale-down.'),
    ordinals: ref(apps('StatefulSetOrdinals'), 'The number the first pod gets.'),
  }, ['selector', 'template']),
  [apps('StatefulSetUpdateStrategy')]: def('How a StatefulSet replaces pods.', {
    type: str('RollingUpdate (default: highest ordinal first) or OnDelete.'),
    rollingUpdate: ref(apps('RollingUpdateStatefulSetStrategy'), 'The bounds of a RollingUpdate.'),
  }),
  [apps('RollingUpdateStatefulSetStrategy')]: def('The bounds of a StatefulSet rolling update.', {
    partition: i32('Only pods with an ordinal at least this are updated (default 0).'),
    maxUnavailable: intOrStr('How many pods (or what percentage) may be unavailable during the update (default 1).'),
  }),
  [apps('StatefulSetPersistentVolumeClaimRetentionPolicy')]: def('What happens to the claims of a StatefulSet\'s pods.', {
    whenDeleted: str('Retain (default) or Delete: when the StatefulSet is deleted.'),
    whenScaled: str('Retain (default) or Delete: when a pod goes away on scale-down.'),
  }),
  [apps('StatefulSetOrdinals')]: def('The numbering of a StatefulSet\'s pods.', {
    start: i32('The ordinal of the first pod (default 0).'),
  }),
  [apps('StatefulSetStatus')]: def('The observed state of a StatefulSet.', {
    ...rollingStatus,
    currentReplicas: i32('How many pods run currentRevision.'),
    updatedReplicas: i32('How many pods run updateRevision.'),
    currentRevision: str('The ControllerRevision of the pods before the update in progress.'),
    updateRevision: str('The ControllerRevision of the current template.'),
    collisionCount: i32('Bumped when a revision name collides.'),
    conditions: conditions(apps('StatefulSetCondition')),
  }, ['replicas']),
  [apps('StatefulSetCondition')]: condition('StatefulSet'),

  [apps('ControllerRevision')]: kindDef('An immutable snapshot of a controller\'s template, for rollouts and rollbacks.', {
    data: ref(RAW_EXTENSION, 'The recorded state (a patch of the controller\'s template).'),
    revision: i64('The revision number of this snapshot.'),
  }, ['revision']),
};
