// control-plane/registry/schema/container.ts — OpenAPI definitions of core/v1 Container and what it holds:
// ports, env and envFrom with their sources, resources, volume mounts, probes and their handlers, lifecycle
// hooks, the security context.
//
// PURE data (descriptions are this project's own).
import {
  bool, core, def, i32, i64, intOrStr, list, qty, qtyMap, ref, str, strs, type Definitions,
} from './build.js';

const handlers = {
  exec: ref(core('ExecAction'), 'Run a command inside the container.'),
  httpGet: ref(core('HTTPGetAction'), 'Send an HTTP GET request to the container.'),
  tcpSocket: ref(core('TCPSocketAction'), 'Open a TCP connection to a port of the container.'),
};

export const CONTAINER_DEFINITIONS: Definitions = {
  [core('Container')]: def('One container of a pod: an image, how to run it, and how the kubelet checks it.', {
    name: str('The container\'s name, unique in the pod (a DNS label).'),
    image: str('The image to run, e.g. "busybox:1.36".'),
    command: strs('The entrypoint (replaces the image\'s ENTRYPOINT); $(VAR) references are expanded.'),
    args: strs('The arguments (replace the image\'s CMD); $(VAR) references are expanded.'),
    workingDir: str('The working directory of the command (default: the image\'s).'),
    ports: list(core('ContainerPort'), 'Ports the container listens on (informational, and named ports for probes).', { merge: 'containerPort', mapKeys: ['containerPort', 'protocol'] }),
    envFrom: list(core('EnvFromSource'), 'Sources whose every key becomes an environment variable.'),
    env: list(core('EnvVar'), 'Environment variables to set in the container.', 'name'),
    resources: ref(core('ResourceRequirements'), 'CPU and memory the container requests and is limited to.'),
    resizePolicy: list(core('ContainerResizePolicy'), 'Whether a resize of each resource needs a restart.'),
    restartPolicy: str('Only for init containers: "Always" makes it a sidecar that keeps running.'),
    volumeMounts: list(core('VolumeMount'), 'Volumes of the pod mounted into the container.', 'mountPath'),
    livenessProbe: ref(core('Probe'), 'Check that the container is alive; on failure it is restarted.'),
    readinessProbe: ref(core('Probe'), 'Check that the container can serve; on failure the pod is not Ready.'),
    startupProbe: ref(core('Probe'), 'Check that the container has started; the other probes wait until it succeeds.'),
    lifecycle: ref(core('Lifecycle'), 'Hooks run right after the container starts and before it is stopped.'),
    terminationMessagePath: str('The file in the container whose contents become the termination message.'),
    terminationMessagePolicy: str('File, or FallbackToLogsOnError to use the log tail when the file is empty.'),
    imagePullPolicy: str('Always, IfNotPresent or Never (default: Always for :latest, else IfNotPresent).'),
    securityContext: ref(core('SecurityContext'), 'Security settings of this container (user, capabilities, privileges).'),
    stdin: bool('Keep a stdin open for the container.'),
    stdinOnce: bool('Close stdin after the first attached client disconnects.'),
    tty: bool('Give the container a terminal (needs stdin).'),
  }, ['name']),
  [core('ContainerPort')]: def('One network port of a container.', {
    name: str('A name for the port (an IANA service name), usable by probes and services.'),
    hostPort: i32('A port on the node forwarded to this one.'),
    containerPort: i32('The port number inside the container.'),
    protocol: str('TCP, UDP or SCTP (default TCP).'),
    hostIP: str('The node address a hostPort is bound to.'),
  }, ['containerPort']),
  [core('EnvVar')]: def('One environment variable: a literal value or one read from a source.', {
    name: str('The variable\'s name.'),
    value: str('The literal value; $(VAR) references to earlier variables are expanded.'),
    valueFrom: ref(core('EnvVarSource'), 'Where to read the value from when no literal value is given.'),
  }, ['name']),
  [core('EnvVarSource')]: def('Where an environment variable\'s value comes from (exactly one).', {
    fieldRef: ref(core('ObjectFieldSelector'), 'A field of the pod (metadata.name, status.podIP, …).'),
    resourceFieldRef: ref(core('ResourceFieldSelector'), 'A resource limit or request of a container.'),
    configMapKeyRef: ref(core('ConfigMapKeySelector'), 'One key of a ConfigMap.'),
    secretKeyRef: ref(core('SecretKeySelector'), 'One key of a Secret.'),
  }),
  [core('ObjectFieldSelector')]: def('A field of the pod, by path.', {
    apiVersion: str('The version the path is written against (default "v1").'),
    fieldPath: str('The path of the field, e.g. "metadata.labels[\'app\']".'),
  }, ['fieldPath']),
  [core('ResourceFieldSelector')]: def('A resource amount of a container, by name.', {
    containerName: str('The container (default: the one the variable or file is for).'),
    resource: str('limits.cpu, limits.memory, requests.cpu, requests.memory, …'),
    divisor: qty('The unit the amount is divided by (default 1).'),
  }, ['resource']),
  [core('ConfigMapKeySelector')]: def('One key of a ConfigMap in the pod\'s namespace.', {
    name: str('The ConfigMap\'s name.'),
    key: str('The key to read.'),
    optional: bool('Do not fail when the ConfigMap or key is missing.'),
  }, ['key']),
  [core('SecretKeySelector')]: def('One key of a Secret in the pod\'s namespace.', {
    name: str('The Secret\'s name.'),
    key: str('The key to read.'),
    optional: bool('Do not fail when the Secret or key is missing.'),
  }, ['key']),
  [core('EnvFromSource')]: def('A ConfigMap or Secret whose keys all become environment variables.', {
    prefix: str('A string put before every key to make the variable name.'),
    configMapRef: ref(core('ConfigMapEnvSource'), 'The ConfigMap to read.'),
    secretRef: ref(core('SecretEnvSource'), 'The Secret to read.'),
  }),
  [core('ConfigMapEnvSource')]: def('A ConfigMap read as environment variables.', {
    name: str('The ConfigMap\'s name.'),
    optional: bool('Do not fail when the ConfigMap is missing.'),
  }),
  [core('SecretEnvSource')]: def('A Secret read as environment variables.', {
    name: str('The Secret\'s name.'),
    optional: bool('Do not fail when the Secret is missing.'),
  }),
  [core('ResourceRequirements')]: def('Compute resources of a container.', {
    limits: qtyMap('The most of each resource the container may use (cpu, memory, …).'),
    requests: qtyMap('The amount of each resource the scheduler reserves for the container.'),
    claims: list(core('ResourceClaim'), 'Dynamic resource claims of the pod this container uses.', 'name'),
  }),
  [core('ResourceClaim')]: def('A claim of pod.spec.resourceClaims used by a container.', {
    name: str('The name of the claim in pod.spec.resourceClaims.'),
    request: str('One request of the claim (default: all of them).'),
  }, ['name']),
  [core('ContainerResizePolicy')]: def('What a resize of one resource does to the container.', {
    resourceName: str('cpu or memory.'),
    restartPolicy: str('NotRequired or RestartContainer.'),
  }, ['resourceName', 'restartPolicy']),
  [core('VolumeMount')]: def('A volume of the pod mounted at a path of the container.', {
    name: str('The name of the pod volume.'),
    readOnly: bool('Mount read-only.'),
    recursiveReadOnly: str('Disabled, IfPossible or Enabled: make sub-mounts read-only too.'),
    mountPath: str('The path in the container; must not contain ":".'),
    subPath: str('A path inside the volume to mount instead of its root.'),
    mountPropagation: str('None, HostToContainer or Bidirectional.'),
    subPathExpr: str('Like subPath, with $(VAR) references to the container\'s environment expanded.'),
  }, ['name', 'mountPath']),
  [core('Probe')]: def('A periodic check of a container and the thresholds that turn its results into a state.', {
    ...handlers,
    grpc: ref(core('GRPCAction'), 'Call the gRPC health checking service of the container.'),
    initialDelaySeconds: i32('Seconds after the container starts before the first check.'),
    timeoutSeconds: i32('Seconds a check may take before it counts as failed (default 1).'),
    periodSeconds: i32('Seconds between checks (default 10).'),
    successThreshold: i32('Consecutive successes that make a failed probe succeed again (default 1).'),
    failureThreshold: i32('Consecutive failures that make the probe fail (default 3).'),
    terminationGracePeriodSeconds: i64('A grace period for a restart this probe causes, overriding the pod\'s.'),
  }),
  [core('ExecAction')]: def('A command run inside the container; exit status 0 is success.', {
    command: strs('The command and its arguments (not run in a shell).'),
  }),
  [core('HTTPGetAction')]: def('An HTTP GET request; a status from 200 to 399 is success.', {
    path: str('The path of the request.'),
    port: intOrStr('The port number or the name of a container port.'),
    host: str('The host to connect to (default: the pod IP).'),
    scheme: str('HTTP or HTTPS (default HTTP).'),
    httpHeaders: list(core('HTTPHeader'), 'Extra headers sent with the request.'),
  }, ['port']),
  [core('HTTPHeader')]: def('One HTTP header.', { name: str('The header name.'), value: str('The header value.') }, ['name', 'value']),
  [core('TCPSocketAction')]: def('A TCP connection attempt; an accepted connection is success.', {
    port: intOrStr('The port number or the name of a container port.'),
    host: str('The host to connect to (default: the pod IP).'),
  }, ['port']),
  [core('GRPCAction')]: def('A call of the gRPC health checking protocol.', {
    port: i32('The port of the gRPC service.'),
    service: str('The service name sent in the health check request.'),
  }, ['port']),
  [core('SleepAction')]: def('A pause of the hook.', { seconds: i64('How many seconds to sleep.') }, ['seconds']),
  [core('Lifecycle')]: def('Hooks the kubelet runs around the container\'s life.', {
    postStart: ref(core('LifecycleHandler'), 'Run right after the container is created; the container is killed if it fails.'),
    preStop: ref(core('LifecycleHandler'), 'Run before the container is stopped; the grace period covers it.'),
    stopSignal: str('The signal that stops the container (default: the image\'s STOPSIGNAL or SIGTERM).'),
  }),
  [core('LifecycleHandler')]: def('What a lifecycle hook does (exactly one).', {
    ...handlers,
    sleep: ref(core('SleepAction'), 'Wait for a number of seconds.'),
  }),
  [core('SecurityContext')]: def('Security settings of one container; they win over the pod\'s.', {
    capabilities: ref(core('Capabilities'), 'Linux capabilities to add to and drop from the default set.'),
    privileged: bool('Run with all host privileges.'),
    runAsUser: i64('The user id the process runs as.'),
    runAsGroup: i64('The group id the process runs as.'),
    runAsNonRoot: bool('Refuse to start the container if it would run as user 0.'),
    readOnlyRootFilesystem: bool('Mount the container\'s root filesystem read-only.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent (no_new_privs off).'),
    procMount: str('Default or Unmasked /proc.'),
    seccompProfile: ref(core('SeccompProfile'), 'The seccomp filter of the container.'),
  }),
  [core('Capabilities')]: def('Linux capabilities to add and drop.', {
    add: strs('Capabilities to add, e.g. NET_ADMIN.'),
    drop: strs('Capabilities to drop, e.g. ALL.'),
  }),
  [core('SeccompProfile')]: def('A seccomp profile.', {
    type: str('RuntimeDefault, Unconfined or Localhost.'),
    localhostProfile: str('The profile file on the node, for type Localhost.'),
  }, ['type']),
};
