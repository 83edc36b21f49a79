// control-plane/controllers/replicaset/kinds.ts — the two kinds one replica controller serves (upstream's
// ReplicationManager is the ReplicaSet controller over a conversion): apps/v1 ReplicaSet as it is, and core/v1
// ReplicationController, whose equality-based selector (a label map) the decisions see as `matchLabels`. Each
// has its controller's name (event source and field manager) and the resource its informer and status
// writes use.
import type { KubeObject, ResourceRef } from '../../../client/index.js';
import { REPLICASETS } from '../framework/index.js';
import type { ReplicaSet } from './decide.js';

export const REPLICATIONCONTROLLERS: ResourceRef = { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true };

export interface ReplicaKind {
  /** Event source component and field manager. */
  readonly controllerName: string;
  readonly ref: ResourceRef;
  readonly apiVersion: string;
  readonly kind: string;
  /** The stored object as the decisions read it (type meta set; a map selector as matchLabels). */
  asReplicaSet(o: KubeObject): ReplicaSet;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  controllerName: 'replicaset-controller', ref: REPLICASETS, apiVersion: 'apps/v1', kind: 'ReplicaSet',
  asReplicaSet: (o) => ({ ...o, apiVersion: 'apps/v1', kind: 'ReplicaSet' }),
};

interface RCSpec { selector?: Record<string, string>; [k: string]: unknown }

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  controllerName: 'replication-controller', ref: REPLICATIONCONTROLLERS, apiVersion: 'v1', kind: 'ReplicationController',
  asReplicaSet(o) {
    const spec = ((o as { spec?: RCSpec }).spec ?? {});
    return { ...o, apiVersion: 'v1', kind: 'ReplicationController', spec: { ...spec, selector: { matchLabels: { ...spec.selector } } } } as ReplicaSet;
  },
};
