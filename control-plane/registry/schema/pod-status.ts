// control-plane/registry/schema/pod-status.ts — OpenAPI definitions of core/v1 Pod and its status: phase,
// conditions, addresses, and the container statuses with their states.
//
// PURE data (descriptions are this project's own).
import {
  conditionDef, bool, core, def, i32, i64, kindDef, list, qtyMap, ref, str, time, type Definitions,
} from './build.js';

export const POD_STATUS_DEFINITIONS: Definitions = {
  [core('Pod')]: kindDef('A group of containers that run together on one node, sharing network and volumes.', {
    spec: ref(core('PodSpec'), 'What the pod should run.'),
    status: ref(core('PodStatus'), 'What the kubelet last observed of the pod.'),
  }),
  [core('PodStatus')]: def('The observed state of a pod, written by the kubelet.', {
    phase: str('Pending, Running, Succeeded, Failed or Unknown: a summary of where the pod is in its life.'),
    conditions: list(core('PodCondition'), 'The current conditions (PodScheduled, Initialized, ContainersReady, Ready).', 'type'),
    message: str('A human-readable note on why the pod is in this state.'),
    reason: str('A CamelCase word saying why the pod is in this state (Evicted, …).'),
    nominatedNodeName: str('The node a preemption freed room on for this pod.'),
    hostIP: str('The primary address of the node the pod runs on.'),
    hostIPs: list(core('HostIP'), 'The addresses of the node the pod runs on.'),
    podIP: str('The primary address of the pod.'),
    podIPs: list(core('PodIP'), 'The addresses of the pod.', 'ip'),
    startTime: time('When the kubelet accepted the pod.'),
    initContainerStatuses: list(core('ContainerStatus'), 'The state of each init container.'),
    containerStatuses: list(core('ContainerStatus'), 'The state of each container.'),
    qosClass: str('Guaranteed, Burstable or BestEffort, from the containers\' requests and limits.'),
  }),
  [core('PodCondition')]: conditionDef('a pod', 'PodScheduled, Initialized, ContainersReady, Ready, or a readiness gate.', {
    observedGeneration: i64('The pod generation the condition was computed from.'),
    lastProbeTime: time('When the condition was last checked.'),
  }),
  [core('PodIP')]: def('One address of a pod.', { ip: str('The address.') }, ['ip']),
  [core('HostIP')]: def('One address of a node.', { ip: str('The address.') }, ['ip']),
  [core('ContainerStatus')]: def('The observed state of one container.', {
    name: str('The container\'s name.'),
    state: ref(core('ContainerState'), 'What the container is doing now.'),
    lastState: ref(core('ContainerState'), 'How the previous run of the container ended.'),
    ready: bool('Whether the container passes its readiness probe.'),
    restartCount: i32('How many times the container was restarted.'),
    image: str('The image the container runs.'),
    imageID: str('The image\'s id (digest) as the runtime reports it.'),
    containerID: str('The runtime\'s id of the container, as <type>://<id>.'),
    started: bool('Whether the container has started and passed its startup probe.'),
    allocatedResources: qtyMap('The resources the node has allocated to the container.'),
    resources: ref(core('ResourceRequirements'), 'The resources the container runs with now.'),
  }, ['name', 'ready', 'restartCount', 'image', 'imageID']),
  [core('ContainerState')]: def('The state of a container: one of waiting, running or terminated.', {
    waiting: ref(core('ContainerStateWaiting'), 'Not running yet (pulling, backing off, …).'),
    running: ref(core('ContainerStateRunning'), 'Running.'),
    terminated: ref(core('ContainerStateTerminated'), 'Exited.'),
  }),
  [core('ContainerStateWaiting')]: def('A container that is not running.', {
    reason: str('Why it waits (ContainerCreating, CrashLoopBackOff, ImagePullBackOff, …).'),
    message: str('A human-readable explanation.'),
  }),
  [core('ContainerStateRunning')]: def('A running container.', { startedAt: time('When it started.') }),
  [core('ContainerStateTerminated')]: def('An exited container.', {
    exitCode: i32('The exit status of its process.'),
    signal: i32('The signal that ended it, if one did.'),
    reason: str('Why it ended (Completed, Error, OOMKilled, …).'),
    message: str('The termination message or another explanation.'),
    startedAt: time('When it started.'),
    finishedAt: time('When it ended.'),
    containerID: str('The runtime\'s id of the container.'),
  }, ['exitCode']),
};
