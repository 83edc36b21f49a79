// control-plane/registry/types.ts — what a kind is to the API server: its names (group, version, resource,
// kind, short names, categories), verbs, and its strategy (defaults, create/update preparation, validation
// with field paths, graceful deletion, selectable fields, table columns, strategic-merge keys, the protobuf
// layout of its typed bodies, other served versions) — kube-apiserver's RESTStrategy + TableConvertor.
//
// Types only. One file per kind fills a KindDef; registry.ts turns them into served resources. A handler
// never asks which kind it serves: every difference between kinds is a field or hook here.
import type { FieldError, FieldSet, KubeObject, Mutable } from '../store/index.js';

export type { FieldError, KubeObject, Mutable };

/** How a kind's names are checked: DNS-1123 subdomain (most kinds) or label (namespaces). */
export type NameRule = 'subdomain' | 'label';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** One column of a server-side Table (metav1.TableColumnDefinition). priority ≥ 1: only with `-o wide`. */
export interface Column { name: string; type: string; format?: string; priority?: number; description: string }

export type Cell = string | number | boolean;

/** The printer of a kind: its columns and the cells of one object (every column, wide ones included). */
export interface TableDef {
  readonly columns: readonly Column[];
  cells(obj: KubeObject, now: number): Cell[];
}

/**
 * The protobuf layout of a kind's typed body (k8s.io/api generated.proto field numbers): what kubectl's
 * typed commands (`create configmap|secret|deployment|job|cronjob`) send. `map` values are strings, bytes
 * (→ base64) or Quantities; `omitZero` drops a false/0 (Go's non-pointer `omitempty` fields, always written);
 * an `inline` message is an embedded Go struct whose fields land in the parent (Volume's VolumeSource).
 * intOrString, quantity and time are the apimachinery messages (time → RFC3339, omitted when zero).
 */
export type ProtoField =
  | { name: string; type: 'string' | 'bytes' | 'intOrString' | 'quantity' | 'time' }
  | { name: string; type: 'bool' | 'int' | 'ints'; omitZero?: boolean }
  | { name: string; type: 'map'; values: 'string' | 'bytes' | 'quantity' }
  | { name: string; type: 'message'; message: ProtoMessage; repeated?: boolean; inline?: boolean }
  | { name: string; type: 'strings' };
export interface ProtoMessage { readonly [fieldNo: number]: ProtoField }

/**
 * A deprecated version (apps/v1beta1): every request to it is answered with the warning header
 * `299 - "<gv> <Kind> is deprecated in v<since>+, unavailable in v<removedIn>+; use <replacement>"`.
 */
export interface Deprecation {
  /** "1.8": the release that deprecated it. */
  since: string;
  /** "1.16": the release that stopped serving it. */
  removedIn: string;
  /** "apps/v1 Deployment" (default: the kind's own version and kind). */
  replacement?: string;
}

/** Another version the kind is served in (events.k8s.io/v1 for core Events): conversion both ways. */
export interface ServedVersion {
  group: string;
  version: string;
  /** Shown by discovery for this version (default: the kind's). */
  shortNames?: string[];
  /**
   * A deprecated version: warned about, and without categories or short names (unless given) so that
   * `kubectl get all` lists a kind once and `deploy` is not ambiguous.
   */
  deprecated?: Deprecation;
  /**
   * The scale subresource answers this version's own `<group>/<version> Scale` (apps/v1beta1, apps/v1beta2,
   * extensions/v1beta1: status.selector a map of the equality requirements, status.targetSelector the string)
   * instead of autoscaling/v1's.
   */
  ownScale?: boolean;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * The scale subresource (`<resource>/scale`, an autoscaling/v1 Scale): where the desired and the observed
 * counts live (dotted paths into the stored object) and the label selector Scale.status.selector shows.
 */
export interface ScaleDef {
  /** "spec.replicas" */
  specReplicasPath: string;
  /** "status.replicas" */
  statusReplicasPath: string;
  /** The selector as a string ("app=web"); '' when none. */
  selector(obj: KubeObject): string;
}

/**
 * The group and version a write was requested in (what upstream strategies read from the RequestInfo): old
 * versions allowed what apps/v1 forbids (a Deployment's selector changed through extensions/v1beta1).
 */
export interface RequestVersion { readonly group: string; readonly version: string }

/** A documented top-level field: a description alone means an object. */
export type FieldDoc = string | { type: 'string' | 'boolean' | 'integer' | 'map'; description: string };

export interface KindDef {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the URL segment ("configmaps"). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Default: 'subdomain'. */
  nameRule?: NameRule;
  /** Default: every verb. */
  verbs?: readonly Verb[];
  /** One sentence for OpenAPI / `kubectl explain`. */
  description: string;
  /** Top-level fields besides apiVersion/kind/metadata, documented for OpenAPI / `kubectl explain`. */
  fields: Readonly<Record<string, FieldDoc>>;

  /** The kind has a status subresource: main-resource writes keep the stored status, status writes keep the rest. */
  statusSubresource?: boolean;
  /** metadata.generation: 1 on create, +1 when `spec` changes (never on status writes). */
  generation?: boolean;
  /** metadata.generation also +1 when metadata.annotations change (Deployment: the old rollback annotation). */
  generationOnAnnotations?: boolean;
  /** The kind has a scale subresource. */
  scale?: ScaleDef;
  /** PUT of a missing object creates it (Events). */
  allowCreateOnUpdate?: boolean;
  /** DELETE answers with the object (Pods) rather than a Success Status. */
  returnDeletedObject?: boolean;

  /** API defaulting (SetDefaults_*), on every write before preparation. */
  defaults?(obj: Mutable): void;
  /** PrepareForCreate: drop or set what a client may not choose (status, generated fields). */
  prepareForCreate?(obj: Mutable): void;
  /**
   * Mutating admission of a create that reads other stored objects (DefaultStorageClass gives a claim the default
   * class): after defaults and PrepareForCreate, before validation; only on API creates.
   */
  admit?(obj: Mutable, read: AdmissionReader): void;
  /**
   * The half of PrepareForCreate that needs the uid the store has just given the object (Job: the generated
   * selector and labels, as upstream's Validate does); the kind's validation runs again after it.
   */
  prepareWithUid?(obj: Mutable): void;
  /** PrepareForUpdate of the main resource (after the generic status/spec rules). */
  prepareForUpdate?(obj: Mutable, old: Readonly<Mutable>): void;
  /** Field errors of an object about to be created (metadata checks come from the registry). */
  validate(obj: Mutable): FieldError[];
  /** Field errors particular to an update (immutable fields …), made through the served version `at`. */
  validateUpdate?(obj: Mutable, old: Readonly<Mutable>, at: RequestVersion): FieldError[];
  /**
   * Graceful deletion (Pods): the grace period a DELETE gives `obj` when `asked` (undefined when the client
   * sent none). Unset hook: the kind is not graceful.
   */
  deleteGrace?(obj: KubeObject, asked: number | undefined): number;

  /** Field selectors beyond metadata.name / metadata.namespace. */
  selectableFields?: FieldSet;
  table: TableDef;
  /** Strategic merge: list field name → merge key (patchMergeKey); lists not named here are replaced. */
  mergeKeys?: Readonly<Record<string, string>>;
  /** Lists of scalars merged as sets by a strategic merge (finalizers). */
  setLists?: readonly string[];
  protobuf?: ProtoMessage;
  otherVersions?: readonly ServedVersion[];
  /**
   * POST-only subresources that act on the object (pods/binding): `apply` changes a mutable copy of the current
   * object as the body asks, or throws a StatusError; the answer is a Success Status (201).
   */
  actions?: Readonly<Record<string, ActionDef>>;
}

/** What an admission hook may read: the stored objects of a resource (by the store's name, `storageclasses.storage.k8s.io`). */
export interface AdmissionReader {
  list(storeResource: string): readonly KubeObject[];
}

export interface ActionDef {
  /** The kind of the body (`Binding`). */
  readonly kind: string;
  apply(current: Mutable, body: Readonly<Record<string, unknown>>, now: number): void;
}
