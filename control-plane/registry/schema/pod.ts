// control-plane/registry/schema/pod.ts — OpenAPI definitions of core/v1 PodSpec and PodTemplateSpec: the
// containers (container.ts), volumes with the common sources, scheduling (nodeSelector, tolerations,
// affinity), the pod security context, DNS and host settings.
//
// PURE data (descriptions are this project's own).
import {
  bool, core, def, i32, i64, list, meta, qty, ref, str, strMap, strs, type Definitions,
} from './build.js';

const NODE_TERM = core('NodeSelectorTerm');
const POD_TERM = core('PodAffinityTerm');

const VOLUME_DEFINITIONS: Definitions = {
  [core('Volume')]: def('A named volume of the pod and where its data comes from (one source).', {
    name: str('The volume\'s name, which volumeMounts refer to (a DNS label).'),
    hostPath: ref(core('HostPathVolumeSource'), 'A file or directory of the node.'),
    emptyDir: ref(core('EmptyDirVolumeSource'), 'An empty directory that lives as long as the pod.'),
    secret: ref(core('SecretVolumeSource'), 'The keys of a Secret as files.'),
    configMap: ref(core('ConfigMapVolumeSource'), 'The keys of a ConfigMap as files.'),
    persistentVolumeClaim: ref(core('PersistentVolumeClaimVolumeSource'), 'The volume bound to a PersistentVolumeClaim.'),
    downwardAPI: ref(core('DownwardAPIVolumeSource'), 'Fields of the pod as files.'),
    projected: ref(core('ProjectedVolumeSource'), 'Several sources merged into one directory.'),
  }, ['name']),
  [core('HostPathVolumeSource')]: def('A path on the node.', {
    path: str('The path on the node.'),
    type: str('What must be there: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.'),
  }, ['path']),
  [core('EmptyDirVolumeSource')]: def('A scratch directory.', {
    medium: str('"" for the node\'s disk or "Memory" for a tmpfs.'),
    sizeLimit: qty('The most data the directory may hold.'),
  }),
  [core('KeyToPath')]: def('One key projected to a file path.', {
    key: str('The key to project.'),
    path: str('The relative path of the file.'),
    mode: i32('The permission bits of the file (octal 0400 is 256).'),
  }, ['key', 'path']),
  [core('SecretVolumeSource')]: def('A Secret as a directory of files.', {
    secretName: str('The Secret\'s name.'),
    items: list(core('KeyToPath'), 'Only these keys, at these paths (default: every key at its name).'),
    defaultMode: i32('The permission bits of the files (default 0644).'),
    optional: bool('Do not fail when the Secret or a key is missing.'),
  }),
  [core('ConfigMapVolumeSource')]: def('A ConfigMap as a directory of files.', {
    name: str('The ConfigMap\'s name.'),
    items: list(core('KeyToPath'), 'Only these keys, at these paths (default: every key at its name).'),
    defaultMode: i32('The permission bits of the files (default 0644).'),
    optional: bool('Do not fail when the ConfigMap or a key is missing.'),
  }),
  [core('PersistentVolumeClaimVolumeSource')]: def('A claim in the pod\'s namespace.', {
    claimName: str('The PersistentVolumeClaim\'s name.'),
    readOnly: bool('Mount the volume read-only.'),
  }, ['claimName']),
  [core('DownwardAPIVolumeSource')]: def('Pod fields as files.', {
    items: list(core('DownwardAPIVolumeFile'), 'The files to write.'),
    defaultMode: i32('The permission bits of the files (default 0644).'),
  }),
  [core('DownwardAPIVolumeFile')]: def('One file holding a pod field or a resource amount.', {
    path: str('The relative path of the file.'),
    fieldRef: ref(core('ObjectFieldSelector'), 'A field of the pod (metadata labels, annotations, name, namespace, uid).'),
    resourceFieldRef: ref(core('ResourceFieldSelector'), 'A resource limit or request of a container.'),
    mode: i32('The permission bits of the file.'),
  }, ['path']),
  [core('ProjectedVolumeSource')]: def('Several volume sources in one directory.', {
    sources: list(core('VolumeProjection'), 'The sources to merge.'),
    defaultMode: i32('The permission bits of the files (default 0644).'),
  }),
  [core('VolumeProjection')]: def('One source of a projected volume.', {
    secret: ref(core('SecretProjection'), 'Keys of a Secret.'),
    configMap: ref(core('ConfigMapProjection'), 'Keys of a ConfigMap.'),
    downwardAPI: ref(core('DownwardAPIProjection'), 'Fields of the pod.'),
    serviceAccountToken: ref(core('ServiceAccountTokenProjection'), 'A token of the pod\'s service account.'),
  }),
  [core('SecretProjection')]: def('Keys of a Secret in a projected volume.', {
    name: str('The Secret\'s name.'),
    items: list(core('KeyToPath'), 'Only these keys, at these paths.'),
    optional: bool('Do not fail when the Secret or a key is missing.'),
  }),
  [core('ConfigMapProjection')]: def('Keys of a ConfigMap in a projected volume.', {
    name: str('The ConfigMap\'s name.'),
    items: list(core('KeyToPath'), 'Only these keys, at these paths.'),
    optional: bool('Do not fail when the ConfigMap or a key is missing.'),
  }),
  [core('DownwardAPIProjection')]: def('Pod fields in a projected volume.', {
    items: list(core('DownwardAPIVolumeFile'), 'The files to write.'),
  }),
  [core('ServiceAccountTokenProjection')]: def('A service account token file.', {
    audience: str('The audience the token is for (default: the API server).'),
    expirationSeconds: i64('How long the token is valid (default one hour).'),
    path: str('The relative path of the file.'),
  }, ['path']),
};

const SCHEDULING_DEFINITIONS: Definitions = {
  [core('Toleration')]: def('Lets the pod be scheduled on (or stay on) nodes with a matching taint.', {
    key: str('The taint key matched; empty with operator Exists matches every taint.'),
    operator: str('Equal (default) or Exists.'),
    value: str('The taint value matched with operator Equal.'),
    effect: str('The taint effect matched: NoSchedule, PreferNoSchedule or NoExecute (empty: all).'),
    tolerationSeconds: i64('For NoExecute: how long the pod stays once the taint appears.'),
  }),
  [core('Affinity')]: def('Scheduling preferences and constraints relative to nodes and other pods.', {
    nodeAffinity: ref(core('NodeAffinity'), 'Rules on the labels of the node.'),
    podAffinity: ref(core('PodAffinity'), 'Rules to run near pods with given labels.'),
    podAntiAffinity: ref(core('PodAntiAffinity'), 'Rules to run away from pods with given labels.'),
  }),
  [core('NodeAffinity')]: def('Node label rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: ref(core('NodeSelector'), 'Terms one of which a node must match for the pod to go there.'),
    preferredDuringSchedulingIgnoredDuringExecution: list(core('PreferredSchedulingTerm'), 'Weighted terms that make a node more attractive.'),
  }),
  [core('NodeSelector')]: def('A set of node selector terms, any of which may match.', {
    nodeSelectorTerms: list(NODE_TERM, 'The terms (ORed).'),
  }, ['nodeSelectorTerms']),
  [NODE_TERM]: def('Requirements that must all hold for a node (ANDed).', {
    matchExpressions: list(core('NodeSelectorRequirement'), 'Requirements on node labels.'),
    matchFields: list(core('NodeSelectorRequirement'), 'Requirements on node fields (metadata.name).'),
  }),
  [core('NodeSelectorRequirement')]: def('One requirement on a node label or field.', {
    key: str('The label key or field name.'),
    operator: str('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
    values: strs('The values compared with (one integer for Gt and Lt).'),
  }, ['key', 'operator']),
  [core('PreferredSchedulingTerm')]: def('A node selector term with a weight.', {
    weight: i32('How much a match counts, 1 to 100.'),
    preference: ref(NODE_TERM, 'The term a node should match.'),
  }, ['weight', 'preference']),
  [core('PodAffinity')]: def('Rules to co-locate the pod with other pods.', {
    requiredDuringSchedulingIgnoredDuringExecution: list(POD_TERM, 'Terms that must all hold.'),
    preferredDuringSchedulingIgnoredDuringExecution: list(core('WeightedPodAffinityTerm'), 'Weighted terms that make a node more attractive.'),
  }),
  [core('PodAntiAffinity')]: def('Rules to keep the pod away from other pods.', {
    requiredDuringSchedulingIgnoredDuringExecution: list(POD_TERM, 'Terms that must all hold.'),
    preferredDuringSchedulingIgnoredDuringExecution: list(core('WeightedPodAffinityTerm'), 'Weighted terms that make a node less attractive.'),
  }),
  [POD_TERM]: def('Pods (by labels and namespaces) and the topology domain they are counted in.', {
    labelSelector: ref(meta('LabelSelector'), 'The pods the term is about.'),
    namespaces: strs('The namespaces those pods are looked for in (default: the pod\'s own).'),
    topologyKey: str('The node label whose value defines a domain ("kubernetes.io/hostname": one node).'),
    namespaceSelector: ref(meta('LabelSelector'), 'Namespaces, by their labels, to look for the pods in.'),
    matchLabelKeys: strs('Label keys whose values from this pod are added to labelSelector.'),
    mismatchLabelKeys: strs('Label keys whose values from this pod must differ in the matched pods.'),
  }, ['topologyKey']),
  [core('WeightedPodAffinityTerm')]: def('A pod affinity term with a weight.', {
    weight: i32('How much a match counts, 1 to 100.'),
    podAffinityTerm: ref(POD_TERM, 'The term.'),
  }, ['weight', 'podAffinityTerm']),
};

export const POD_SPEC_DEFINITIONS: Definitions = {
  ...VOLUME_DEFINITIONS,
  ...SCHEDULING_DEFINITIONS,
  [core('PodTemplateSpec')]: def('The pod a controller creates: its metadata and spec.', {
    metadata: ref(meta('ObjectMeta'), 'Labels and annotations every created pod gets.'),
    spec: ref(core('PodSpec'), 'The spec of every created pod.'),
  }),
  [core('PodSpec')]: def('The desired state of a pod: its containers, volumes and how and where it runs.', {
    volumes: list(core('Volume'), 'Volumes the containers can mount.', 'name'),
    initContainers: list(core('Container'), 'Containers run to completion, in order, before the others start.', 'name'),
    containers: list(core('Container'), 'The containers of the pod (at least one).', 'name'),
    restartPolicy: str('Always, OnFailure or Never: when exited containers are restarted (default Always).'),
    terminationGracePeriodSeconds: i64('Seconds between the stop signal and the kill at deletion (default 30).'),
    activeDeadlineSeconds: i64('Seconds the pod may be active before the kubelet fails it.'),
    dnsPolicy: str('ClusterFirst (default), ClusterFirstWithHostNet, Default or None.'),
    nodeSelector: strMap('Labels a node must have for the pod to be scheduled there.'),
    serviceAccountName: str('The service account the pod runs as.'),
    serviceAccount: str('Old name of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether the service account token is mounted.'),
    nodeName: str('The node the pod runs on; set by the scheduler, or directly to skip it.'),
    hostNetwork: bool('Use the node\'s network namespace.'),
    hostPID: bool('Use the node\'s process namespace.'),
    hostIPC: bool('Use the node\'s IPC namespace.'),
    shareProcessNamespace: bool('Put all containers of the pod in one process namespace.'),
    securityContext: ref(core('PodSecurityContext'), 'Security settings of every container (users, groups, fsGroup, sysctls).'),
    imagePullSecrets: list(core('LocalObjectReference'), 'Secrets with registry credentials for pulling the images.', 'name'),
    hostname: str('The pod\'s hostname (default: the pod name).'),
    subdomain: str('With hostname, gives the pod the name <hostname>.<subdomain>.<namespace>.svc.'),
    affinity: ref(core('Affinity'), 'Node and pod affinity rules for scheduling.'),
    schedulerName: str('The scheduler that places the pod (default "default-scheduler").'),
    tolerations: list(core('Toleration'), 'The node taints the pod tolerates.'),
    hostAliases: list(core('HostAlias'), 'Extra lines for the pod\'s /etc/hosts.', 'ip'),
    priorityClassName: str('The PriorityClass that gives the pod its priority.'),
    priority: i32('The priority value, resolved from priorityClassName.'),
    dnsConfig: ref(core('PodDNSConfig'), 'DNS settings merged into those of dnsPolicy.'),
    readinessGates: list(core('PodReadinessGate'), 'Extra conditions that must be True for the pod to be Ready.'),
    runtimeClassName: str('The RuntimeClass to run the pod with.'),
    enableServiceLinks: bool('Whether service environment variables are injected (default true).'),
    preemptionPolicy: str('PreemptLowerPriority (default) or Never.'),
    setHostnameAsFQDN: bool('Make the pod\'s hostname its fully qualified domain name.'),
    os: ref(core('PodOS'), 'The operating system the containers need.'),
    hostUsers: bool('Use the node\'s user namespace (default true).'),
  }, ['containers']),
  [core('LocalObjectReference')]: def('A reference to an object in the same namespace, by name.', {
    name: str('The object\'s name.'),
  }),
  [core('PodSecurityContext')]: def('Security settings applied to every container of the pod.', {
    runAsUser: i64('The user id processes run as.'),
    runAsGroup: i64('The group id processes run as.'),
    runAsNonRoot: bool('Refuse to start containers that would run as user 0.'),
    supplementalGroups: { type: 'array', items: { type: 'integer', format: 'int64' }, 'x-kubernetes-list-type': 'atomic', description: 'Extra group ids of the first process of each container.' },
    supplementalGroupsPolicy: str('Merge (default) or Strict: whether the image\'s groups are added.'),
    fsGroup: i64('A group that owns the pod\'s volumes and is added to every process.'),
    sysctls: list(core('Sysctl'), 'Namespaced kernel parameters set for the pod.'),
    fsGroupChangePolicy: str('OnRootMismatch or Always: when volume ownership is changed to fsGroup.'),
    seccompProfile: ref(core('SeccompProfile'), 'The seccomp filter of every container.'),
  }),
  [core('Sysctl')]: def('One kernel parameter.', { name: str('The parameter.'), value: str('Its value.') }, ['name', 'value']),
  [core('HostAlias')]: def('An /etc/hosts line.', { ip: str('The address.'), hostnames: strs('The names for it.') }, ['ip']),
  [core('PodDNSConfig')]: def('Resolver settings of the pod.', {
    nameservers: strs('Extra name server addresses.'),
    searches: strs('Extra search domains.'),
    options: list(core('PodDNSConfigOption'), 'Resolver options (ndots, …).'),
  }),
  [core('PodDNSConfigOption')]: def('One resolver option.', { name: str('The option.'), value: str('Its value, if it takes one.') }),
  [core('PodReadinessGate')]: def('A pod condition that readiness waits for.', {
    conditionType: str('The type of the condition in the pod\'s status.'),
  }, ['conditionType']),
  [core('PodOS')]: def('An operating system.', { name: str('linux or windows.') }, ['name']),
};
