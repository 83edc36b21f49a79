// control-plane/store/namespaces.ts — what the store knows of namespaces: the four that always exist, the
// ones that may not be deleted, the check every create into a namespace passes (it must exist and not be
// terminating), and what deleting a namespace does (mark it Terminating; it goes once its content is gone
// and its `kubernetes` finalizer is removed — namespace-controller.ts does that).
//
// PURE: decisions over objects; the store performs them. Texts are kube-apiserver's (NamespaceLifecycle
// admission, the namespace registry).
import { conflict, forbidden, notFound } from './errors.js';
import { clone, rfc3339 } from './meta.js';
import type { KubeObject, Mutable } from './types.js';

export const NAMESPACES = 'namespaces';
export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
/** NamespaceLifecycle's immortal namespaces (kube-node-lease may be deleted; it comes back on next open). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);
export const NAMESPACE_FINALIZER = 'kubernetes';

interface NamespaceObject extends KubeObject { spec?: { finalizers?: string[] }; status?: { phase?: string } }

/** A Namespace as the namespace strategy creates it (label, spec finalizer, phase Active). */
export function newNamespace(name: string): Mutable {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: [NAMESPACE_FINALIZER] },
    status: { phase: 'Active' },
  };
}

export const isTerminating = (ns: KubeObject): boolean =>
  ns.metadata?.deletionTimestamp !== undefined || (ns as NamespaceObject).status?.phase === 'Terminating';

/** Throws unless an object of `resource` named `name` may be created in `namespace`. */
export function checkCreateInNamespace(ns: KubeObject | undefined, namespace: string, resource: string, name: string): void {
  if (!ns) throw notFound(NAMESPACES, namespace);
  if (isTerminating(ns)) {
    throw forbidden(resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`,
      [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }]);
  }
}

export type NamespaceDeletePlan = { action: 'mark'; next: Mutable } | { action: 'generic' };

/**
 * First delete: mark Terminating (deletionTimestamp now, phase Terminating). Later deletes while the
 * `kubernetes` finalizer remains: 409 as upstream. Once it is gone, the ordinary delete path removes it.
 */
export function planNamespaceDelete(ns: KubeObject, now: number): NamespaceDeletePlan {
  const name = ns.metadata?.name ?? '';
  if (IMMORTAL_NAMESPACES.has(name)) throw forbidden(NAMESPACES, name, 'this namespace may not be deleted');
  const specFinalizers = (ns as NamespaceObject).spec?.finalizers ?? [];
  if (ns.metadata?.deletionTimestamp === undefined) {
    if (specFinalizers.length === 0 && (ns.metadata?.finalizers ?? []).length === 0) return { action: 'generic' };
    const next = clone(ns) as Mutable & NamespaceObject;
    next.metadata.deletionTimestamp = rfc3339(now);
    next.metadata.deletionGracePeriodSeconds = 0;
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    return { action: 'mark', next };
  }
  if (specFinalizers.length > 0) {
    throw conflict(NAMESPACES, name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
  }
  return { action: 'generic' };
}

/** True while a namespace still holds spec finalizers (then an update never removes it). */
export const hasSpecFinalizers = (o: KubeObject): boolean => ((o as NamespaceObject).spec?.finalizers ?? []).length > 0;

/** The namespace without its `kubernetes` spec finalizer (what PUT …/finalize does). */
export function finalizedNamespace(ns: KubeObject): Mutable {
  const next = clone(ns) as Mutable & NamespaceObject;
  next.spec = { ...(next.spec ?? {}), finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER) };
  return next;
}
