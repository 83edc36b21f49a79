// client/types.ts — the one Kubernetes client interface (control-plane.md: "the client is the seam").
//
// The kubelet (agent/) and, later, the controllers (control-plane/) talk to the API only through this
// interface; client/http.ts implements it over the public REST API (the same wire kubectl uses), so the same
// code runs against the embedded API server or any kube-apiserver. client/ imports nothing of agent/,
// control-plane/, cri/ or probes/.

/** Which resource a call is about: `{ group: '', version: 'v1', resource: 'pods', namespaced: true }`. */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

/** An object as the API returns it (apiVersion, kind, metadata, …). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  finalizers?: string[];
  [field: string]: unknown;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

export interface ListOptions {
  /** Omitted for a cluster-wide list of a namespaced resource. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly signal?: AbortSignal;
}

export interface WatchOptions extends ListOptions {
  readonly allowWatchBookmarks?: boolean;
  /** The server ends the watch after this many seconds (client-go picks 5–10 minutes at random). */
  readonly timeoutSeconds?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One watch event; for ERROR the object is a Status (410 Expired when the resourceVersion is too old). */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  readonly object: T;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly signal?: AbortSignal;
  /** Called with the text of each Warning header of the answer (e.g. a deprecated API version's). */
  readonly onWarning?: (text: string) => void;
}

export interface PatchOptions extends WriteOptions {
  readonly subresource?: string;
  /** Server-side apply only. */
  readonly force?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  readonly subresource?: string;
}

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly preconditions?: { uid?: string; resourceVersion?: string };
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The client. Every failure the server answers is thrown as an ApiError (client/errors.ts) carrying the
 * Status (code, reason, message); a transport failure (refused, reset, timeout) as an ApiError with code 0
 * and reason 'Unreachable'.
 */
export interface KubeClient {
  /** The server's base URL (for messages). */
  readonly server: string;
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, opts?: { subresource?: string; signal?: AbortSignal }): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<ObjectList<T>>;
  /** A watch stream; ends when the server ends it or `signal` aborts. Throws ApiError if the server refuses it. */
  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  create<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: WriteOptions & { subresource?: string; name?: string }): Promise<T>;
  update<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: UpdateOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T>;
  /** Returns the object as the server answered (the deleted object, or a Status for kinds that answer one). */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject>;
  /** Ends keep-alive connections. */
  close(): Promise<void>;
  /** GET of a path that is not a resource (discovery: `/api/v1`, `/apis`, `/apis/<group>/<version>`). Optional for wrappers. */
  getPath?<T = unknown>(path: string, opts?: { signal?: AbortSignal }): Promise<T>;
}

/** The resources the kubelet uses. */
export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };
export const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
export const SECRETS: ResourceRef = { group: '', version: 'v1', resource: 'secrets', namespaced: true };
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
export const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
/** Claims and volumes: the kubelet mounts them, the storage controller binds and provisions them. */
export const PVCS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true };
export const PVS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false };
