// control-plane/store/types.ts — the shapes the object store speaks: stored objects, their metadata, the
// options of each operation, watch events, and the strategy hooks a registry passes in.
//
// Types only. The store is generic: it knows metadata (ObjectMeta) and nothing of any kind's spec or status;
// a kind's behaviour reaches it through the hooks below (the registry's strategy).
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';

export type { ObjectMeta, OwnerReference };

/** Any Kubernetes object. Objects the store returns are deeply frozen: clone before changing them. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** An object as stored: metadata always present (with name, uid, resourceVersion, …). */
export type Stored<T extends KubeObject> = T & { metadata: ObjectMeta };

/** ObjectMeta as the store writes it (the kubernetes-types one marks system fields read-only). */
export interface MutableMeta {
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
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

/** What a hook receives: a mutable deep copy of the object. */
export interface Mutable { apiVersion?: string; kind?: string; metadata: MutableMeta; [field: string]: unknown }

/** Where an object lives: qualified resource ("pods", "deployments.apps"), namespace ('' = cluster), name. */
export interface ObjectKey { resource: string; namespace: string; name: string }

/**
 * A kind's say in writes (kube-apiserver's RESTCreateStrategy / RESTUpdateStrategy, the parts the store
 * runs inside its read-modify-write). Hooks mutate `obj` in place; throwing a StatusError aborts the write.
 */
export interface WriteStrategy {
  /** After the store stamped uid/creationTimestamp; e.g. set generation 1, clear status. */
  prepareForCreate?(obj: Mutable): void;
  /** After the store restored system fields from `old`; e.g. bump generation when spec changed. */
  prepareForUpdate?(obj: Mutable, old: Readonly<Mutable>): void;
}

export interface CreateOptions {
  strategy?: WriteStrategy;
  /** Run everything but the write (kubectl --dry-run=server); the result has no resourceVersion. */
  dryRun?: boolean;
  /**
   * A restore (the migration of an older data directory): keep the object's uid and creationTimestamp when
   * it has them, so what the runtime holds under that uid stays its own. Never reachable from the API.
   */
  restore?: boolean;
}

export interface UpdateOptions {
  strategy?: WriteStrategy;
  /** PUT without metadata.resourceVersion overwrites (true for most kinds). Default true. */
  allowUnconditionalUpdate?: boolean;
  /** PUT of a missing object creates it (false for most kinds). Default false. */
  allowCreateOnUpdate?: boolean;
  dryRun?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Unset: keep the object's own GC finalizers (orphan / foregroundDeletion) as they are. */
  propagationPolicy?: PropagationPolicy;
  /**
   * Graceful deletion, only for kinds that support it (Pods): > 0 marks the object with
   * deletionTimestamp = now + grace and leaves it for its owner (the kubelet) to remove; 0 removes now.
   * Unset: the kind is not graceful.
   */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export interface DeleteResult<T extends KubeObject = KubeObject> {
  /** The object as deleted (resourceVersion of the deletion) or as marked for deletion. */
  object: T;
  /** True when the object is gone; false when it waits for finalizers or its grace period. */
  deleted: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Extra selectable fields of the kind (GetAttrs): field path → value. metadata.name/namespace always work. */
  fields?: FieldSet;
  /** "" or "0": current state; N: at least N (the store always serves its current state). */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

/** A kind's selectable fields beyond metadata.name/namespace (kube-apiserver's GetAttrs / field label conversion). */
export interface FieldSet {
  readonly names: readonly string[];
  get(obj: KubeObject): Record<string, string | undefined>;
}

export interface ListResult<T extends KubeObject = KubeObject> { items: T[]; resourceVersion: string }

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  fields?: FieldSet;
  /** ""/"0"/unset: the current objects as ADDED, then changes. N: every change after N (410 when too old). */
  resourceVersion?: string;
  /** true: current objects as ADDED, then a BOOKMARK annotated k8s.io/initial-events-end. false: none. */
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
  /** Period of BOOKMARK events when allowed; default the store's (60 s). */
  bookmarkIntervalMs?: number;
  /** apiVersion/kind put on BOOKMARK objects, as the real server sends an empty object of the kind. */
  bookmarkKind?: { apiVersion: string; kind: string };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> { type: WatchEventType; object: T }

/** One committed change, as every subscriber sees it (all resources, in resourceVersion order). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  namespace: string;
  name: string;
  rv: number;
  /** The object after the change; for DELETED the last state stamped with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the change (undefined for ADDED). */
  prev?: KubeObject;
}

/** Injected time: the subset of cri/clock's Clock the store needs (structurally compatible). */
export interface StoreClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** A background loop over the store (garbage collector, namespace controller). */
export interface StoreController {
  /** Resolves when the controller has nothing left to do. */
  drain(): Promise<void>;
  stop(): void;
}
