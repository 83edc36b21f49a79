// cri/api.ts — the runtime boundary, shaped after the Kubernetes CRI (RuntimeService + ImageService).
//
// Owns: the method names and the plain data shapes that cross the boundary. Nothing of ours is imported
// here and no Docker detail leaks out: the agent speaks only this interface, cri/docker implements it on
// Docker, cri/fake implements it in memory for unit tests.
//
// Conventions: ids are runtime ids (Docker's 64-hex ids); times are milliseconds since the epoch, 0 when
// unset; every call takes an optional AbortSignal (Go's ctx). Failures are thrown as CriError (cri/errors.ts)
// whose `code` is the kubelet's reason string.
import type { Readable, Writable } from 'node:stream';

export interface PodSandboxMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly attempt: number;
}

export interface DNSConfig {
  readonly servers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

export interface HostAlias {
  readonly ip: string;
  readonly hostnames: readonly string[];
}

/** Namespace modes as in CRI: POD = shared by the pod, CONTAINER = own, NODE = the host's. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

export interface NamespaceOptions {
  readonly network: 'POD' | 'NODE';
  readonly pid: NamespaceMode;
  readonly ipc: 'POD' | 'NODE';
}

/** A host port forwarded to the pod (containers[].ports[].hostPort). */
export interface PortMapping {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly containerPort: number;
  readonly hostPort: number;
  /** Host address to bind ('' = all). */
  readonly hostIp?: string;
}

export interface PodSandboxConfig {
  readonly metadata: PodSandboxMetadata;
  /** Kernel hostname of the pod (spec.hostname or the pod name, ≤63 chars). */
  readonly hostname: string;
  /** Domain for the /etc/hosts entry (`<subdomain>.<ns>.svc.cluster.local`), if any. */
  readonly domain?: string;
  /** DNS for /etc/resolv.conf; undefined = the host's resolv.conf. */
  readonly dnsConfig?: DNSConfig;
  readonly hostAliases?: readonly HostAlias[];
  /** Host ports forwarded to the pod (ignored for host-network pods, whose ports are the host's). */
  readonly portMappings?: readonly PortMapping[];
  readonly namespaceOptions: NamespaceOptions;
  /** Kernel parameters for the pod (namespaced sysctls). */
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandbox {
  readonly id: string;
  readonly metadata: PodSandboxMetadata;
  readonly state: PodSandboxState;
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface PodSandboxStatus extends PodSandbox {
  /** Pod IP; for hostNetwork pods the host's IP. Empty when not ready. */
  readonly network: { readonly ip: string; readonly additionalIps: readonly string[] };
  readonly namespaceOptions: NamespaceOptions;
  readonly hostname: string;
}

export interface PodSandboxFilter {
  readonly id?: string;
  readonly state?: PodSandboxState;
  readonly labelSelector?: Readonly<Record<string, string>>;
}

export interface ContainerMetadata {
  readonly name: string;
  readonly attempt: number;
}

export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface Mount {
  readonly containerPath: string;
  /** Host path bind-mounted; for a tmpfs mount, the identity of the memory-backed volume. */
  readonly hostPath: string;
  readonly readonly?: boolean;
  /**
   * A memory-backed volume instead of a bind mount (emptyDir medium: Memory): one tmpfs per pod and
   * hostPath, shared by every container of the pod that mounts it, removed with the pod's last sandbox.
   * `mode`/`gid` set the root directory's permissions and group (fsGroup).
   */
  readonly tmpfs?: { readonly sizeBytes?: number; readonly mode?: number; readonly gid?: number };
  /** Only with tmpfs: mount this relative path inside the volume (subPath). */
  readonly subPath?: string;
  /** Bind propagation; undefined = private. */
  readonly propagation?: MountPropagation;
}

export interface LinuxContainerResources {
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  readonly cpuShares?: number;
  readonly memoryLimitInBytes?: number;
  readonly oomScoreAdj?: number;
}

export interface Capability {
  readonly addCapabilities?: readonly string[];
  readonly dropCapabilities?: readonly string[];
}

/** A seccomp or AppArmor profile as in CRI's SecurityProfile. */
export interface SecurityProfile {
  readonly profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /** Localhost: the profile's absolute path (seccomp) or name (AppArmor). */
  readonly localhostRef?: string;
}

export interface LinuxContainerSecurityContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  /** A user name instead of a uid (image USER), rarely used. */
  readonly runAsUsername?: string;
  readonly supplementalGroups?: readonly number[];
  readonly privileged?: boolean;
  readonly capabilities?: Capability;
  readonly readonlyRootfs?: boolean;
  readonly noNewPrivs?: boolean;
  /** undefined = the runtime's default profile. */
  readonly seccomp?: SecurityProfile;
  readonly apparmor?: SecurityProfile;
}

export interface ContainerConfig {
  readonly metadata: ContainerMetadata;
  /** Image reference as resolved by the image service (a tag or an image id). */
  readonly image: string;
  /** Overrides the image ENTRYPOINT when non-empty (Kubernetes `command`). */
  readonly command?: readonly string[];
  /** Overrides the image CMD when non-empty (Kubernetes `args`). */
  readonly args?: readonly string[];
  readonly workingDir?: string;
  readonly envs?: readonly { readonly key: string; readonly value: string }[];
  readonly mounts?: readonly Mount[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly stdin?: boolean;
  readonly stdinOnce?: boolean;
  readonly tty?: boolean;
  /** Signal sent by StopContainer; undefined = the image's STOPSIGNAL or SIGTERM. */
  readonly stopSignal?: string;
  readonly linux?: {
    readonly resources?: LinuxContainerResources;
    readonly securityContext?: LinuxContainerSecurityContext;
  };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface Container {
  readonly id: string;
  readonly podSandboxId: string;
  readonly metadata: ContainerMetadata;
  readonly image: string;
  readonly imageRef: string;
  readonly state: ContainerState;
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ContainerStatus extends Container {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  /** `Completed`, `Error`, `OOMKilled`, `ContainerCannotRun` (cri-dockerd's mapping), '' while running. */
  readonly reason: string;
  /** The runtime's error message (Docker State.Error). */
  readonly message: string;
  readonly oomKilled: boolean;
  readonly mounts: readonly Mount[];
  /** Host pid of the main process while running, else 0. */
  readonly pid: number;
}

export interface ContainerFilter {
  readonly id?: string;
  readonly podSandboxId?: string;
  readonly state?: ContainerState;
  readonly labelSelector?: Readonly<Record<string, string>>;
}

export interface ExecSyncResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecRequest {
  readonly cmd: readonly string[];
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** A streaming exec/attach session. With tty, stderr is null and stdout carries the terminal. */
export interface StreamSession {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  resize(width: number, height: number): Promise<void>;
  /** Resolves with the exit code when the process ends (attach: when the stream closes, -1 if unknown). */
  readonly exitCode: Promise<number>;
  close(): void;
}

export interface LogOptions {
  readonly follow?: boolean;
  readonly tailLines?: number;
  /** Only lines at or after this time (ms since the epoch). */
  readonly sinceTime?: number;
  /** Prefix each line with its RFC3339Nano timestamp and a space, as `kubectl logs --timestamps`. */
  readonly timestamps?: boolean;
  readonly limitBytes?: number;
}

export type ContainerEventType =
  | 'CONTAINER_CREATED_EVENT'
  | 'CONTAINER_STARTED_EVENT'
  | 'CONTAINER_STOPPED_EVENT'
  | 'CONTAINER_DELETED_EVENT';

export interface ContainerEvent {
  readonly containerId: string;
  readonly type: ContainerEventType;
  /** True when the container is a pod sandbox (pause container). */
  readonly isSandbox: boolean;
  /** The pod UID from the labels, when the container belongs to a pod. */
  readonly podUid?: string;
  readonly createdAt: number;
}

export interface AuthConfig {
  readonly username?: string;
  readonly password?: string;
  readonly auth?: string;
  readonly serverAddress?: string;
  readonly identityToken?: string;
  readonly registryToken?: string;
}

export interface PullProgress {
  readonly id?: string;
  readonly status: string;
  readonly current?: number;
  readonly total?: number;
}

export interface Image {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly size: number;
  /** The image's USER ('' = root). */
  readonly user: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly workingDir: string;
  readonly stopSignal: string;
}

export interface RuntimeVersion {
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly runtimeApiVersion: string;
}

export interface RuntimeService {
  version(signal?: AbortSignal): Promise<RuntimeVersion>;

  runPodSandbox(config: PodSandboxConfig, signal?: AbortSignal): Promise<string>;
  /** Stops the sandbox and every container in it (kill, no grace). Idempotent. */
  stopPodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void>;
  /** Removes the sandbox and every container in it. Idempotent (a missing sandbox is not an error). */
  removePodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void>;
  podSandboxStatus(podSandboxId: string, signal?: AbortSignal): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter, signal?: AbortSignal): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, signal?: AbortSignal): Promise<string>;
  startContainer(containerId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Sends the stop signal (`signal` if given, else the container's stop signal, else SIGTERM), waits up to
   * `timeoutSec` seconds, then SIGKILL. Resolves when the container has exited. Idempotent.
   */
  stopContainer(containerId: string, timeoutSec: number, signal?: string, abort?: AbortSignal): Promise<void>;
  removeContainer(containerId: string, signal?: AbortSignal): Promise<void>;
  listContainers(filter?: ContainerFilter, signal?: AbortSignal): Promise<Container[]>;
  containerStatus(containerId: string, signal?: AbortSignal): Promise<ContainerStatus>;

  /** Runs cmd in the container. Throws CriError code DeadlineExceeded when timeoutMs (>0) passes first. */
  execSync(containerId: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult>;
  exec(containerId: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession>;
  attach(containerId: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession>;
  /** The container's log as a byte stream (stdout and stderr interleaved, in order). */
  containerLogs(containerId: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable>;

  /** Runtime events until the signal aborts. Ends (returns) when the runtime connection breaks. */
  events(signal: AbortSignal): AsyncIterable<ContainerEvent>;
}

export interface ImageService {
  /** Pulls ref; returns the image id. Throws ErrImagePull / RegistryUnavailable / InvalidImageName. */
  pullImage(ref: string, auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<string>;
  /** null when the image is not present. */
  imageStatus(ref: string, signal?: AbortSignal): Promise<Image | null>;
  listImages(signal?: AbortSignal): Promise<Image[]>;
  removeImage(ref: string, signal?: AbortSignal): Promise<void>;
}

export interface Runtime extends RuntimeService, ImageService {}
