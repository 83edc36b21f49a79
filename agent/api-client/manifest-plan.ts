// agent/api-client/manifest-plan.ts — the decisions of the manifest folder's applier (manifest-applier.ts), as
// pure functions: how an object the folder offers is marked as owned by this node and its file (a label to
// find it again, annotations naming the file and the hash of what was applied), which objects to apply and
// which to delete (the diff of the folder's set against the owned objects known), in what order, and the
// error lines of failed calls, in the folder's format (`web.yaml[1]: spec.replicas: Invalid value: …`).
//
// Like k3s's deploy controller in spirit: an object is applied when its document changed (the hash differs),
// not on every relist, so `kubectl scale` and other live edits stay until the file changes.
import { createHash } from 'node:crypto';
import { ApiError } from '../../client/errors.js';
import { NoKindMatchError } from '../../client/discovery.js';
import type { ResourceRef } from '../../client/types.js';
import { stableStringify } from '../sources/pod-identity.js';

/** The field manager of the applier's server-side applies. */
export const FIELD_MANAGER = 'mini-kubelet-manifests';
/** Label: the node whose manifest folder owns the object (its value made label-safe). */
export const MANIFEST_NODE_LABEL = 'mini-kubelet.dev/manifest-node';
/** Annotation: the file (base name) the object comes from. */
export const MANIFEST_FILE_ANNOTATION = 'mini-kubelet.dev/manifest';
/** Annotation: the hash of the document last applied. */
export const MANIFEST_HASH_ANNOTATION = 'mini-kubelet.dev/manifest-hash';

/** An object the folder wants, resolved to its resource. */
export interface Desired {
  readonly key: string;
  readonly kind: string;
  readonly ref: ResourceRef;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly origin: string;
  readonly file: string;
  readonly hash: string;
  /** The document with the ownership label and annotations: the body of the apply. */
  readonly body: Record<string, unknown>;
}

/** An owned object as the API has it (listed at start, or as an apply answered). */
export interface Known {
  readonly key: string;
  readonly kind: string;
  readonly ref: ResourceRef;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly uid: string | undefined;
  readonly hash: string | undefined;
  readonly file: string | undefined;
}

export interface Plan {
  /** Changed or new objects, Namespaces (and other objects others live in) first. */
  readonly apply: readonly Desired[];
  /** Owned objects no document wants any more, in the reverse order. */
  readonly remove: readonly Known[];
  /** Error lines of documents that name an object an earlier document already names. */
  readonly duplicates: readonly string[];
}

/** One object across API versions and groups that serve it (apps/v1beta1 and apps/v1 Deployments are one). */
export const objectKey = (kind: string, namespace: string | undefined, name: string): string => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;

/** A label value (≤ 63 characters of [A-Za-z0-9._-], alphanumeric at both ends), else a hash of the name. */
export function nodeLabelValue(nodeName: string): string {
  if (/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(nodeName)) return nodeName;
  return `h-${createHash('sha256').update(nodeName).digest('hex').slice(0, 40)}`;
}

/** The hash of a document as written (its apiVersion included: a change of version is applied again). */
export const contentHash = (object: Record<string, unknown>): string => createHash('sha256').update(stableStringify(object)).digest('hex').slice(0, 32);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The document marked as this node's and this file's, in its namespace (`default` when it names none). */
export function stamp(object: Obj, o: { file: string; nodeLabel: string; hash: string; namespace: string | undefined }): Obj {
  const md = isObj(object.metadata) ? object.metadata : {};
  const labels = isObj(md.labels) ? md.labels : {};
  const annotations = isObj(md.annotations) ? md.annotations : {};
  const { namespace: _ns, ...rest } = md;
  return {
    ...object,
    metadata: {
      ...rest,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      labels: { ...labels, [MANIFEST_NODE_LABEL]: o.nodeLabel },
      annotations: { ...annotations, [MANIFEST_FILE_ANNOTATION]: o.file, [MANIFEST_HASH_ANNOTATION]: o.hash },
    },
  };
}

/** Applied first (others live in them or refer to them); deleted last. Other kinds keep the folder's order. */
const FIRST = ['Namespace', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Service'];
const rank = (kind: string): number => { const i = FIRST.indexOf(kind); return i < 0 ? FIRST.length : i; };
const byRank = <T extends { kind: string }>(xs: readonly T[]): T[] => xs.map((x, i) => [x, i] as const).sort((a, b) => rank(a[0].kind) - rank(b[0].kind) || a[1] - b[1]).map(([x]) => x);

/**
 * The folder's set (in file order) against the owned objects known: what to apply (new, or its document
 * changed since it was applied) and what to delete (owned, no longer in any document).
 */
export function plan(desired: readonly Desired[], known: ReadonlyMap<string, Known>): Plan {
  const wanted = new Map<string, Desired>();
  const duplicates: string[] = [];
  for (const d of desired) {
    const earlier = wanted.get(d.key);
    if (earlier) duplicates.push(`${d.origin}: metadata.name: Duplicate value: ${JSON.stringify(d.key)}: already defined in ${earlier.origin}; this one is ignored`);
    else wanted.set(d.key, d);
  }
  const apply = [...wanted.values()].filter((d) => known.get(d.key)?.hash !== d.hash);
  const remove = [...known.values()].filter((k) => !wanted.has(k.key));
  return { apply: byRank(apply), remove: byRank(remove).reverse(), duplicates };
}

/** A list item of an owned resource → Known (its kind from discovery: list items may carry none). */
export function knownFrom(item: { metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> } }, kind: string, ref: ResourceRef): Known | undefined {
  const md = item.metadata;
  if (!md?.name) return undefined;
  const namespace = ref.namespaced ? md.namespace : undefined;
  return {
    key: objectKey(kind, namespace, md.name), kind, ref, namespace, name: md.name, uid: md.uid,
    hash: md.annotations?.[MANIFEST_HASH_ANNOTATION], file: md.annotations?.[MANIFEST_FILE_ANNOTATION],
  };
}

/**
 * The lines of a failed apply, named by the document: one per field the API refused (422 with its causes),
 * kubectl's "no matches for kind" for a kind the API does not serve, else the API's message.
 */
export function errorLines(origin: string, e: unknown): string[] {
  if (e instanceof NoKindMatchError) return [`${origin}: kind: ${e.message} (the API server does not serve it)`];
  if (e instanceof ApiError) {
    const causes = e.status.details?.causes ?? [];
    if (e.code === 422 && causes.length) return causes.map((c) => (c.field ? `${origin}: ${c.field}: ${c.message ?? c.reason ?? 'invalid'}` : `${origin}: ${c.message ?? c.reason ?? 'invalid'}`));
    return [`${origin}: ${e.message}`];
  }
  return [`${origin}: ${(e as Error)?.message ?? String(e)}`];
}
