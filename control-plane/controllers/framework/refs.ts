// control-plane/controllers/framework/refs.ts — the apps/v1 resources the workload controllers use (the core
// ones, PODS and EVENTS, are in client/types.ts).
import type { ResourceRef } from '../../../client/index.js';

export const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
export const CONTROLLERREVISIONS: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true };
