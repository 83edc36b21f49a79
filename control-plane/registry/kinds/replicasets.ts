// control-plane/registry/kinds/replicasets.ts — ReplicaSet (apps/v1, `rs`, category `all`, status and scale
// subresources, generation): replicas default 1 and the template defaulted as pods are; validated as
// workload-common.ts says (selector required and matching the template labels, immutable but through
// extensions/v1beta1); field selector status.replicas; printed NAME DESIRED CURRENT READY AGE (+ CONTAINERS
// IMAGES SELECTOR). Also served as apps/v1beta2 (same shape) and extensions/v1beta1 (selector and labels
// defaulted from the template labels), both deprecated with their own Scale, stored as apps/v1.
import { isObj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { KindDef, KubeObject } from '../types.js';
import {
  defaultSelectorFromTemplate, defaultWorkloadSpec, deprecatedAppsVersion, intOf, selectorImmutableExceptIn, selectorString, specOf, statusOf,
  validateWorkloadSpec, WIDE_COLUMNS, wideCells,
} from './workload-common.js';

const appsV1beta2 = deprecatedAppsVersion('apps', 'v1beta2', '1.9');
const extensionsV1beta1 = deprecatedAppsVersion('extensions', 'v1beta1', '1.8', defaultSelectorFromTemplate);

const rsFields = (o: KubeObject): Record<string, string> => ({ 'status.replicas': String(intOf(statusOf(o)['replicas'])) });

export const replicaSets: KindDef = {
  group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset', namespaced: true,
  shortNames: ['rs'], categories: ['all'],
  description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  fields: {
    spec: 'Spec defines the specification of the desired behavior of the ReplicaSet.',
    status: 'Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time.',
  },
  statusSubresource: true,
  generation: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selector: (o) => selectorString(specOf(o)['selector']) },
  defaults(o) {
    if (!isObj(o['spec'])) o['spec'] = {};
    defaultWorkloadSpec(o['spec'] as Record<string, unknown>);
  },
  prepareForCreate(o) { o['status'] = { replicas: 0 }; },
  validate: validateWorkloadSpec,
  validateUpdate: selectorImmutableExceptIn('extensions/v1beta1'),
  selectableFields: { names: ['status.replicas'], get: rsFields },
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
      col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
      col('Ready', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
      AGE_COLUMN,
      ...WIDE_COLUMNS('Selector is a label query over pods that should match the replica count.'),
    ],
    cells: (o, now) => {
      const status = statusOf(o);
      return [nameOf(o), intOf(specOf(o)['replicas']), intOf(status['replicas']), intOf(status['readyReplicas']), ageOf(o, now), ...wideCells(o)];
    },
  },
  otherVersions: [appsV1beta2, extensionsV1beta1],
};
