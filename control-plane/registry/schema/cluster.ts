// control-plane/registry/schema/cluster.ts — OpenAPI definitions of the configuration and cluster kinds:
// ConfigMap, Secret, Namespace, Node, Lease, and Event in both its core/v1 and events.k8s.io/v1 forms.
//
// PURE data (descriptions are this project's own).
import {
  conditionDef, bool, bytesMap, core, def, i32, i64, kindDef, list, microTime, qtyMap, ref, str, strMap, strs, time, type Definitions,
} from './build.js';

const LEASE = 'io.k8s.api.coordination.v1.';
const EVENTS = 'io.k8s.api.events.v1.';

const NODE_DEFINITIONS: Definitions = {
  [core('Node')]: kindDef('A machine that runs pods; registered and kept up to date by its kubelet.', {
    spec: ref(core('NodeSpec'), 'How the node may be used.'),
    status: ref(core('NodeStatus'), 'What the kubelet last reported of the node.'),
  }),
  [core('NodeSpec')]: def('How a node may be used.', {
    podCIDR: str('The pod address range given to the node.'),
    podCIDRs: strs('The pod address ranges given to the node (one per IP family).', 'set'),
    providerID: str('The node\'s id at its cloud provider.'),
    unschedulable: bool('Keep new pods off the node (kubectl cordon).'),
    taints: list(core('Taint'), 'Taints that repel pods that do not tolerate them.'),
  }),
  [core('Taint')]: def('A mark on a node that pods must tolerate.', {
    key: str('The taint key.'),
    value: str('The taint value.'),
    effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
    timeAdded: time('When a NoExecute taint was added.'),
  }, ['key', 'effect']),
  [core('NodeStatus')]: def('The reported state of a node.', {
    capacity: qtyMap('The total resources of the node.'),
    allocatable: qtyMap('The resources pods may use.'),
    phase: str('Old lifecycle phase of the node (unused).'),
    conditions: list(core('NodeCondition'), 'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.', 'type'),
    addresses: list(core('NodeAddress'), 'The node\'s addresses (InternalIP, Hostname, …).', 'type'),
    daemonEndpoints: ref(core('NodeDaemonEndpoints'), 'The ports the node\'s daemons listen on.'),
    nodeInfo: ref(core('NodeSystemInfo'), 'Versions and ids of the node\'s software.'),
    images: list(core('ContainerImage'), 'Images present on the node.'),
  }),
  [core('NodeCondition')]: conditionDef('a node', 'Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.', {
    lastHeartbeatTime: time('When the kubelet last confirmed the condition.'),
  }),
  [core('NodeAddress')]: def('One address of a node.', {
    type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: str('The address.'),
  }, ['type', 'address']),
  [core('NodeDaemonEndpoints')]: def('Ports of the node\'s daemons.', {
    kubeletEndpoint: ref(core('DaemonEndpoint'), 'The kubelet\'s port.'),
  }),
  [core('DaemonEndpoint')]: def('A port.', { Port: i32('The port number.') }, ['Port']),
  [core('NodeSystemInfo')]: def('Software of a node.', {
    machineID: str('The machine id.'),
    systemUUID: str('The system UUID.'),
    bootID: str('The id of the current boot.'),
    kernelVersion: str('The kernel version (uname -r).'),
    osImage: str('The operating system release.'),
    containerRuntimeVersion: str('The container runtime, as <name>://<version>.'),
    kubeletVersion: str('The kubelet version.'),
    kubeProxyVersion: str('The kube-proxy version (unused).'),
    operatingSystem: str('linux or windows.'),
    architecture: str('The CPU architecture (amd64, arm64, …).'),
  }, ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture']),
  [core('ContainerImage')]: def('An image on a node.', {
    names: strs('Its names and digests.'),
    sizeBytes: i64('Its size.'),
  }),
};

const SERIES = { count: i32('How many times it has happened.'), lastObservedTime: microTime('When it last happened.') };

const EVENT_DEFINITIONS: Definitions = {
  [core('ObjectReference')]: def('A reference to an object, possibly to a field of it.', {
    kind: str('The object\'s kind.'),
    namespace: str('The object\'s namespace.'),
    name: str('The object\'s name.'),
    uid: str('The object\'s uid.'),
    apiVersion: str('The object\'s API version.'),
    resourceVersion: str('The object\'s resourceVersion when the reference was made.'),
    fieldPath: str('A part of the object, e.g. "spec.containers{web}".'),
  }),
  [core('EventSource')]: def('The component that reported an event.', {
    component: str('The reporting component (kubelet, deployment-controller, …).'),
    host: str('The node it runs on.'),
  }),
  [core('EventSeries')]: def('A repeated event\'s running count.', SERIES),
  [core('Event')]: kindDef('A report of something that happened to an object.', {
    involvedObject: ref(core('ObjectReference'), 'The object the event is about.'),
    reason: str('A CamelCase word for what happened (Pulled, Started, ScalingReplicaSet, …).'),
    message: str('A human-readable description of what happened.'),
    source: ref(core('EventSource'), 'The component that reported it.'),
    firstTimestamp: time('When it first happened.'),
    lastTimestamp: time('When it last happened.'),
    count: i32('How many times it has happened.'),
    type: str('Normal or Warning.'),
    eventTime: microTime('When it first happened, with microseconds (newer reporters).'),
    series: ref(core('EventSeries'), 'The running count of a repeated event.'),
    action: str('What the reporter did or failed to do.'),
    related: ref(core('ObjectReference'), 'A second object involved.'),
    reportingComponent: str('The controller that reported it (e.g. kubernetes.io/kubelet).'),
    reportingInstance: str('The instance of that controller (e.g. the node name).'),
  }, ['metadata', 'involvedObject']),
  [`${EVENTS}EventSeries`]: def('A repeated event\'s running count.', SERIES, ['count', 'lastObservedTime']),
  [`${EVENTS}Event`]: kindDef('A report of something that happened to an object (events.k8s.io form).', {
    eventTime: microTime('When it first happened.'),
    series: ref(`${EVENTS}EventSeries`, 'The running count of a repeated event.'),
    reportingController: str('The controller that reported it (e.g. kubernetes.io/kubelet).'),
    reportingInstance: str('The instance of that controller (e.g. the node name).'),
    action: str('What the reporter did or failed to do.'),
    reason: str('A CamelCase word for what happened.'),
    regarding: ref(core('ObjectReference'), 'The object the event is about.'),
    related: ref(core('ObjectReference'), 'A second object involved.'),
    note: str('A human-readable description of what happened.'),
    type: str('Normal or Warning.'),
    deprecatedSource: ref(core('EventSource'), 'The core/v1 source field.'),
    deprecatedFirstTimestamp: time('The core/v1 firstTimestamp field.'),
    deprecatedLastTimestamp: time('The core/v1 lastTimestamp field.'),
    deprecatedCount: i32('The core/v1 count field.'),
  }, ['eventTime']),
};

export const CLUSTER_DEFINITIONS: Definitions = {
  ...NODE_DEFINITIONS,
  ...EVENT_DEFINITIONS,
  [core('ConfigMap')]: kindDef('Configuration data as key/value pairs for pods to read.', {
    data: strMap('Text values by key.'),
    binaryData: bytesMap('Binary values by key, base64 in JSON.'),
    immutable: bool('Refuse every change to data and binaryData.'),
  }),
  [core('Secret')]: kindDef('Sensitive data as key/value pairs for pods to read.', {
    data: bytesMap('Values by key, base64 in JSON.'),
    stringData: strMap('Plain-text values by key, merged into data on write (never read back).'),
    type: str('What the data is for (Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson, …).'),
    immutable: bool('Refuse every change to data.'),
  }),
  [core('Namespace')]: kindDef('A scope for the names of namespaced objects.', {
    spec: ref(core('NamespaceSpec'), 'The namespace\'s finalizers.'),
    status: ref(core('NamespaceStatus'), 'Whether the namespace is active or being deleted.'),
  }),
  [core('NamespaceSpec')]: def('The desired state of a namespace.', {
    finalizers: strs('Cleanups that must finish before the namespace is removed.'),
  }),
  [core('NamespaceStatus')]: def('The state of a namespace.', {
    phase: str('Active or Terminating.'),
    conditions: list(core('NamespaceCondition'), 'Progress of the namespace\'s deletion.', 'type'),
  }),
  [core('NamespaceCondition')]: conditionDef('a namespace', 'The aspect of the deletion this condition reports.'),
  [`${LEASE}Lease`]: kindDef('A lock with a holder and a renewal time (node heartbeats, leader election).', {
    spec: ref(`${LEASE}LeaseSpec`, 'Who holds the lease and until when.'),
  }),
  [`${LEASE}LeaseSpec`]: def('The holder and timing of a lease.', {
    holderIdentity: str('Who holds the lease.'),
    leaseDurationSeconds: i32('Seconds the holder keeps it without renewing.'),
    acquireTime: microTime('When the current holder took it.'),
    renewTime: microTime('When the holder last renewed it.'),
    leaseTransitions: i32('How many times the holder changed.'),
    strategy: str('How a new holder is chosen (coordinated leader election).'),
    preferredHolder: str('The holder the strategy would like next.'),
  }),
};
