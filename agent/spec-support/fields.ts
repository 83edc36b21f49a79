// agent/spec-support/fields.ts — the table: every Pod field, and whether mini-kubelet honours it (as the
// kubelet does), approximates it (works, with a stated difference), or ignores it (accepted, no effect —
// mostly fields that need a cluster: a scheduler, controllers, storage provisioners, an API server).
//
// A node either classifies a value (a leaf), or describes an object's fields (`obj`) or each item of a list
// (`list`); an object with none of its fields set (`emptyDir: {}`) counts as honoured itself. `'*'` matches
// any other key of an object; keys the table does not know are reported as ignored. A leaf may decide by
// its value (`decide`), and a value for which `isDefault` holds is not counted as used (API defaulting fills
// some fields in). Read by classify.ts; the table is data only.
import { isSafeSysctl, sysctlNamespace } from './sysctls.js';

export type Support = 'honoured' | 'approximated' | 'ignored';

export interface Leaf {
  readonly kind: 'leaf';
  readonly support: Support;
  readonly note?: string;
  readonly isDefault?: (v: unknown) => boolean;
  /** Classifies by the value (and its parent object) instead of support/note. */
  readonly decide?: (v: unknown, parent: Record<string, unknown>) => { support: Support; note?: string } | undefined;
  /** Not reported at all (bookkeeping set by sources or servers). */
  readonly silent?: boolean;
}
export interface ObjNode { readonly kind: 'obj'; readonly fields: Readonly<Record<string, Node>>; readonly reportEmpty?: boolean }
export interface ListNode { readonly kind: 'list'; readonly item: Node }
export type Node = Leaf | ObjNode | ListNode;

const ok = (note?: string, extra: Partial<Leaf> = {}): Leaf => ({ kind: 'leaf', support: 'honoured', note, ...extra });
const approx = (note: string, extra: Partial<Leaf> = {}): Leaf => ({ kind: 'leaf', support: 'approximated', note, ...extra });
const ignored = (note: string, extra: Partial<Leaf> = {}): Leaf => ({ kind: 'leaf', support: 'ignored', note, ...extra });
const silent: Leaf = { kind: 'leaf', support: 'honoured', silent: true };
const obj = (fields: Record<string, Node>, reportEmpty = false): ObjNode => ({ kind: 'obj', fields, reportEmpty });
const is = (d: unknown) => (v: unknown) => v === d;
const list = (item: Node): ListNode => ({ kind: 'list', item });
const all = <T extends Node>(names: string, leaf: T): Record<string, T> => Object.fromEntries(names.split(' ').map((n) => [n, leaf]));

const SCHEDULER = 'needs a scheduler: a static pod runs on this node whatever it says';
const NO_API = 'needs an API server';
const SE_LINUX = 'SELinux labels are not passed to Docker';
const WINDOWS = 'Windows only';
const CLUSTER_VOLUME = 'needs a storage provisioner or a cluster volume plugin: an empty directory stands in so the pod can start';

const profile = ok('seccomp: RuntimeDefault → Docker\'s default profile, Unconfined (also when unset, as the kubelet\'s seccompDefault: false), Localhost → <root-dir>/seccomp/<file>');
const runAs = all('runAsUser runAsGroup runAsNonRoot', ok());

const podSecurityContext = obj({
  ...runAs,
  ...all('fsGroup supplementalGroups', ok()),
  fsGroupChangePolicy: approx('ownership is set on the volume files the agent writes and on emptyDirs, whatever the policy; hostPath content is never changed'),
  supplementalGroupsPolicy: ok(undefined, { decide: (v) => (v === 'Strict' ? { support: 'ignored', note: 'Docker always adds the groups the image lists for the user (Merge)' } : undefined) }),
  sysctls: list(obj({
    name: ok(undefined, {
      decide: (v) => {
        const name = String(v);
        if (!sysctlNamespace(name)) return { support: 'ignored', note: 'not namespaced: refused at admission (SysctlForbidden)' };
        return isSafeSysctl(name) ? undefined : { support: 'approximated', note: 'unsafe for the kubelet (needs --allowed-unsafe-sysctls); applied, since Docker can set it inside the pod' };
      },
    }),
    value: silent,
  })),
  seccompProfile: profile,
  appArmorProfile: ok('applied when the host has AppArmor'),
  seLinuxOptions: ignored(SE_LINUX), seLinuxChangePolicy: ignored(SE_LINUX), windowsOptions: ignored(WINDOWS),
});

const containerSecurityContext = obj({
  ...runAs,
  ...all('privileged capabilities readOnlyRootFilesystem allowPrivilegeEscalation', ok()),
  seccompProfile: profile,
  appArmorProfile: ok('applied when the host has AppArmor'),
  procMount: ignored('Unmasked needs user namespaces (hostUsers: false)', { isDefault: (v) => v === 'Default' }),
  seLinuxOptions: ignored(SE_LINUX), windowsOptions: ignored(WINDOWS),
});

const resourceList = obj({
  cpu: ok(), memory: ok(),
  'ephemeral-storage': approx('not enforced: the kubelet evicts a pod over it, nothing watches it here'),
  '*': ignored('extended resources and hugepages need a device plugin or node allocation'),
});

const container = obj({
  ...all('name image command args workingDir env envFrom imagePullPolicy livenessProbe readinessProbe startupProbe', ok()),
  ...all('stdin stdinOnce tty restartPolicy', ok()),
  terminationMessagePath: ok(undefined, { isDefault: is('/dev/termination-log') }),
  terminationMessagePolicy: ok(undefined, { isDefault: is('File') }),
  ports: list(obj({ ...all('containerPort name protocol hostIP', ok()), hostPort: ok('forwarded from the host by Docker') })),
  lifecycle: obj({ postStart: ok(), preStop: ok(), stopSignal: ok('alpha in Kubernetes 1.33 (ContainerStopSignals, needs spec.os.name there)') }),
  resources: obj({ limits: resourceList, requests: resourceList, claims: ignored('dynamic resource allocation needs a cluster') }),
  securityContext: containerSecurityContext,
  volumeMounts: list(obj({
    ...all('name mountPath readOnly subPath subPathExpr mountPropagation', ok()),
    recursiveReadOnly: ignored('read-only mounts are not made recursively read-only', { isDefault: (v) => v === 'Disabled' }),
  })),
  resizePolicy: ignored('in-place resize goes through the API'),
  restartPolicyRules: ignored('alpha in Kubernetes 1.34'),
  volumeDevices: ignored('raw block devices come from PVCs'),
});

const keyItems = list(obj(all('key path mode', ok())));
const defaultMode = ok(undefined, { isDefault: is(0o644) });
const downwardItems = list(obj(all('path fieldRef resourceFieldRef mode', ok())));

const volume = obj({
  name: silent,
  emptyDir: obj({
    medium: ok('Memory: a tmpfs shared by the pod\'s containers'),
    sizeLimit: ok('the tmpfs size', {
      decide: (_v, parent) => (parent.medium === 'Memory' ? undefined : { support: 'approximated', note: 'not enforced on disk: the kubelet evicts a pod over it, nothing watches it here' }),
    }),
  }, true),
  hostPath: obj({ path: ok(), type: ok('with the kubelet\'s type checks', { isDefault: is('') }) }),
  configMap: obj({ ...all('name optional', ok()), defaultMode, items: keyItems }),
  secret: obj({ secretName: approx('the files are written to disk under the root dir (the kubelet keeps secret volumes on a tmpfs)'), optional: ok(), defaultMode, items: keyItems }),
  downwardAPI: obj({ items: downwardItems, defaultMode }),
  projected: obj({
    defaultMode,
    sources: list(obj({
      configMap: obj({ ...all('name optional', ok()), items: keyItems }),
      secret: obj({ ...all('name optional', ok()), items: keyItems }),
      downwardAPI: obj({ items: downwardItems }),
      serviceAccountToken: approx('an empty placeholder file: no API server issues service account tokens here'),
      clusterTrustBundle: ignored(NO_API),
      podCertificate: ignored(NO_API),
    })),
  }),
  persistentVolumeClaim: ignored(CLUSTER_VOLUME),
  ephemeral: ignored(CLUSTER_VOLUME),
  image: ignored('image volumes (alpha) are not mounted: an empty directory stands in'),
  gitRepo: ignored('deprecated; not cloned: an empty directory stands in'),
  '*': ignored(CLUSTER_VOLUME),
});

const metadata = obj({
  ...all('name labels annotations', ok()),
  namespace: ok(undefined, { isDefault: is('default') }),
  ...all('uid resourceVersion creationTimestamp managedFields generation selfLink deletionTimestamp deletionGracePeriodSeconds', silent),
  generateName: ignored('a static pod needs a name'),
  ownerReferences: ignored('no controllers or garbage collector on one node'),
  finalizers: ignored('no controllers on one node'),
});

const spec = obj({
  ...all('containers initContainers', list(container)),
  ...all('activeDeadlineSeconds hostNetwork hostPID hostIPC shareProcessNamespace', ok()),
  restartPolicy: ok(undefined, { isDefault: is('Always') }),
  terminationGracePeriodSeconds: ok(undefined, { isDefault: is(30) }),
  ...all('hostname subdomain setHostnameAsFQDN hostAliases dnsConfig imagePullSecrets', ok()),
  dnsPolicy: ok(undefined, {
    decide: (v) => (v === 'ClusterFirst' || v === 'ClusterFirstWithHostNet' ? { support: 'approximated', note: 'no cluster DNS on one node: resolves as Default (the node\'s resolv.conf)' } : undefined),
  }),
  securityContext: podSecurityContext,
  volumes: list(volume),
  nodeName: ok('a static pod runs on this node (the kubelet sets it)'),
  os: ok(undefined, { decide: (v) => ((v as { name?: string })?.name === 'windows' ? { support: 'ignored', note: 'this node runs Linux containers' } : undefined) }),
  enableServiceLinks: ok('no Services on one node: no service variables either way', { isDefault: (v) => v === true }),
  readinessGates: approx('Ready waits for the gate\'s condition as with the kubelet; only the API (a status patch) can set it here'),
  ...all('nodeSelector affinity tolerations topologySpreadConstraints schedulingGates', ignored(SCHEDULER)),
  schedulerName: ignored(SCHEDULER, { isDefault: (v) => v === 'default-scheduler' }),
  ...all('priority priorityClassName preemptionPolicy', ignored('priority and preemption need a scheduler')),
  ...all('serviceAccountName serviceAccount', ignored('no service account token is mounted: there is no API server to issue one')),
  automountServiceAccountToken: ignored('no service account token is mounted either way', { decide: (v) => (v === false ? { support: 'honoured' } : undefined) }),
  runtimeClassName: ignored('one runtime (Docker) on this node'),
  overhead: ignored('pod overhead is set by RuntimeClass admission'),
  resourceClaims: ignored('dynamic resource allocation needs a cluster'),
  resources: ignored('pod-level resources (alpha) are not applied; container resources are'),
  hostUsers: ignored('user namespaces are a Docker daemon setting (userns-remap)', { isDefault: (v) => v === true }),
  hostnameOverride: ignored('alpha in Kubernetes 1.34'),
  ephemeralContainers: ignored('ephemeral containers are added through an API subresource not served here'),
});

/** The whole Pod. */
export const POD_FIELDS: ObjNode = obj({ apiVersion: silent, kind: silent, metadata, spec, status: silent });
