// control-plane/registry/kinds/replicationcontrollers.ts — ReplicationController (core/v1, `rc`, category
// `all`, status and scale subresources, generation): the ReplicaSet's predecessor with an equality-based
// selector (a plain label map). Defaults as SetDefaults_ReplicationController (an empty selector and empty
// labels take the template's labels; replicas 1; the template defaulted as pods are); validated as
// ValidateReplicationControllerSpec (selector required and matching the template labels, restartPolicy
// Always, no activeDeadlineSeconds); the selector may change. Printed NAME DESIRED CURRENT READY AGE
// (+ CONTAINERS IMAGES SELECTOR); field selector status.replicas.
import { isObj, mapOf, type Obj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, KubeObject, Mutable } from '../types.js';
import { forbidden, invalidValue, notSupported, required } from '../validation.js';
import { validatePodSpec } from './pod-spec.js';
import { defaultWorkloadSpec, intOf, selectorString, specOf, statusOf, wideCells } from './workload-common.js';

const RC_DOC = 'https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller';

const templateOf = (spec: Obj): Obj | undefined => (isObj(spec['template']) ? spec['template'] : undefined);
const templateLabels = (t: Obj | undefined): Record<string, string> | undefined => {
  const md = t?.['metadata'];
  return isObj(md) && isObj(md['labels']) ? (md['labels'] as Record<string, string>) : undefined;
};
const sortedKeys = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** labels.FormatLabels of the selector map: `a=b,c=d` sorted by key, '' when empty. */
export const rcSelectorString = (o: KubeObject | Obj): string => selectorString({ matchLabels: mapOf(specOf(o)['selector']) });

/** SetDefaults_ReplicationController, then the template's pod spec as pods are defaulted. */
function defaults(o: Mutable): void {
  if (!isObj(o['spec'])) o['spec'] = {};
  const spec = o['spec'] as Obj;
  const labels = templateLabels(templateOf(spec));
  if (labels) {
    if (Object.keys(mapOf(spec['selector'])).length === 0) spec['selector'] = { ...labels };
    if (Object.keys(mapOf(o.metadata.labels)).length === 0) o.metadata.labels = { ...labels };
  }
  defaultWorkloadSpec(spec);
}

const nonNegative = (path: string, v: unknown): FieldError[] =>
  (typeof v === 'number' && v < 0 ? [invalidValue(path, v, 'must be greater than or equal to 0')] : []);

/** ValidatePodTemplateSpecForRC at spec.template. */
function validateTemplate(template: Obj | undefined, selector: Record<string, string>): FieldError[] {
  if (!template) return [required('spec.template')];
  const errs: FieldError[] = [];
  const labels = templateLabels(template) ?? {};
  if (Object.keys(selector).length > 0 && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    errs.push(invalidValue('spec.template.metadata.labels', sortedKeys(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(template['spec']).map((e) => ({ ...e, field: `spec.template.${e.field}` })));
  const ps = isObj(template['spec']) ? template['spec'] : {};
  if (ps['restartPolicy'] !== undefined && ps['restartPolicy'] !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', ps['restartPolicy'] ?? '', ['Always']));
  if (ps['activeDeadlineSeconds'] !== undefined && ps['activeDeadlineSeconds'] !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** ValidateReplicationControllerSpec. */
function validate(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const selector = mapOf(spec['selector']);
  return [
    ...nonNegative('spec.minReadySeconds', spec['minReadySeconds']),
    ...(Object.keys(selector).length === 0 ? [required('spec.selector')] : []),
    ...nonNegative('spec.replicas', spec['replicas']),
    ...validateTemplate(templateOf(spec), selector),
  ];
}

const rcFields = (o: KubeObject): Record<string, string> => ({ 'status.replicas': String(intOf(statusOf(o)['replicas'])) });

export const replicationControllers: KindDef = {
  group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers', singular: 'replicationcontroller',
  namespaced: true, shortNames: ['rc'], categories: ['all'],
  description: 'ReplicationController represents the configuration of a replication controller.',
  fields: {
    spec: 'Spec defines the specification of the desired behavior of the replication controller.',
    status: 'Status is the most recently observed status of the replication controller. This data may be out of date by some window of time.',
  },
  statusSubresource: true,
  generation: true,
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', selector: rcSelectorString },
  defaults,
  prepareForCreate(o) { o['status'] = { replicas: 0 }; },
  validate,
  selectableFields: { names: ['status.replicas'], get: rcFields },
  mergeKeys: { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort', imagePullSecrets: 'name', conditions: 'type' },
  table: {
    columns: [
      NAME_COLUMN,
      col('Desired', `Number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: ${RC_DOC}`, { type: 'integer' }),
      col('Current', `Most recently observed number of replicas. More info: ${RC_DOC}`, { type: 'integer' }),
      col('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
      AGE_COLUMN,
      col('Containers', 'Names of each container in the template.', { priority: 1 }),
      col('Images', 'Images referenced by each container in the template.', { priority: 1 }),
      col('Selector', 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template.', { priority: 1 }),
    ],
    cells: (o, now) => {
      const status = statusOf(o);
      const [containers, images] = wideCells(o);
      return [nameOf(o), intOf(specOf(o)['replicas']), intOf(status['replicas']), intOf(status['readyReplicas']), ageOf(o, now), containers!, images!, rcSelectorString(o) || '<none>'];
    },
  },
};
