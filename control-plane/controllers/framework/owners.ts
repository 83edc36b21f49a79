// control-plane/controllers/framework/owners.ts — ownerReferences: the controlling owner of an object
// (the one reference with controller: true), the key of that owner when it is of a given kind, and the
// controllerRef a controller stamps on what it creates or adopts (controller: true, blockOwnerDeletion: true).
import type { KubeObject } from '../../../client/index.js';

export type OwnerRef = NonNullable<NonNullable<KubeObject['metadata']>['ownerReferences']>[number];

/** The object's controlling ownerReference, if any. */
export function controllerRefOf(obj: KubeObject): OwnerRef | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** `ns/name` of the object's controller when it is of `kind` (same namespace, apiVersion's group `group`). */
export function controllerKeyOf(obj: KubeObject, kind: string, group: string): string | undefined {
  const ref = controllerRefOf(obj);
  if (!ref || ref.kind !== kind || groupOf(ref.apiVersion) !== group) return undefined;
  return `${obj.metadata?.namespace ?? ''}/${ref.name}`;
}

/** The controllerRef for objects owned by `owner` (which must carry apiVersion, kind, name, uid). */
export function controllerRefTo(owner: KubeObject): OwnerRef {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}

/** Is `obj` controlled by the object with this uid? */
export const isControlledBy = (obj: KubeObject, uid: string | undefined): boolean => uid !== undefined && controllerRefOf(obj)?.uid === uid;

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
