// control-plane/registry/kinds/pods.ts — Pod (core/v1, `po`, category `all`, status subresource,
// generation): defaulted and validated as pod-spec.ts says; a new pod starts Pending with its QoS class
// whatever status the client sent; deletion is graceful (terminationGracePeriodSeconds unless the client
// asks otherwise; at once when unscheduled or finished) and answers with the pod; field selectors the
// kubelet and kubectl use (spec.nodeName, status.phase …); printed as pod-printer.ts says.
import { isObj, listOf, type Obj } from '../common.js';
import { col, NAME_COLUMN, AGE_COLUMN } from '../table.js';
import type { ActionDef, KindDef, KubeObject, Mutable } from '../types.js';
import { badRequest, conflict } from '../../store/index.js';
import { podCells, type PodView } from './pod-printer.js';
import { defaultPodSpec, qosClass, validatePodSpec, validatePodSpecUpdate } from './pod-spec.js';

interface PodFields { spec?: Obj; status?: Obj }
const specOf = (o: KubeObject): Obj => { const s = (o as PodFields).spec; return isObj(s) ? s : {}; };
const statusOf = (o: KubeObject): Obj => { const s = (o as PodFields).status; return isObj(s) ? s : {}; };
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function podFields(o: KubeObject): Record<string, string> {
  const spec = specOf(o);
  const status = statusOf(o);
  return {
    'spec.nodeName': str(spec['nodeName']), 'spec.restartPolicy': str(spec['restartPolicy']), 'spec.schedulerName': str(spec['schedulerName']),
    'spec.serviceAccountName': str(spec['serviceAccountName']), 'spec.hostNetwork': String(spec['hostNetwork'] === true),
    'status.phase': str(status['phase']), 'status.podIP': str(status['podIP']), 'status.nominatedNodeName': str(status['nominatedNodeName']),
    'status.podIPs': listOf(status['podIPs']).map((p) => str(p['ip'])).join(','),
  };
}

/** CheckGracefulDelete: asked or the spec's grace; 0 when unscheduled or finished; negative → 1. */
function deleteGrace(o: KubeObject, asked: number | undefined): number {
  const spec = specOf(o);
  let grace = asked ?? (typeof spec['terminationGracePeriodSeconds'] === 'number' ? spec['terminationGracePeriodSeconds'] : 0);
  const phase = statusOf(o)['phase'];
  if (!spec['nodeName'] || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  return grace < 0 ? 1 : grace;
}

/**
 * pods/binding (what the scheduler posts): sets spec.nodeName of an unassigned pod, copies the Binding's
 * annotations and sets PodScheduled True. An assigned pod or one being deleted is a 409, as kube-apiserver.
 */
const binding: ActionDef = {
  kind: 'Binding',
  apply(pod: Mutable, body, now) {
    const name = pod.metadata.name ?? '';
    const target = isObj(body['target']) ? body['target'] : {};
    const node = typeof target['name'] === 'string' ? target['name'] : '';
    if (!node) throw badRequest('Binding target name is required');
    if (target['kind'] !== undefined && target['kind'] !== '' && target['kind'] !== 'Node') throw badRequest('Binding target kind must be Node');
    const spec = specOf(pod);
    if (pod.metadata.deletionTimestamp) throw conflict('pods', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec['nodeName']) throw conflict('pods', name, `pod ${name} is already assigned to node "${String(spec['nodeName'])}"`);
    spec['nodeName'] = node;
    (pod as { spec?: Obj }).spec = spec;
    const md = isObj(body['metadata']) ? body['metadata'] : {};
    if (isObj(md['annotations'])) pod.metadata.annotations = { ...pod.metadata.annotations, ...(md['annotations'] as Record<string, string>) };
    const status = statusOf(pod);
    const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = listOf(status['conditions']).filter((c) => c['type'] !== 'PodScheduled');
    status['conditions'] = [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }];
    (pod as { status?: Obj }).status = status;
  },
};

export const pods: KindDef = {
  group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'],
  description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  fields: {
    spec: 'Specification of the desired behavior of the pod.',
    status: 'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only.',
  },
  statusSubresource: true,
  generation: true,
  returnDeletedObject: true,
  defaults(o) { if (isObj(o['spec'])) defaultPodSpec(o['spec']); },
  prepareForCreate(o) { o['status'] = { phase: 'Pending', qosClass: qosClass(specOf(o)) }; },
  validate: (o) => validatePodSpec(o['spec']),
  validateUpdate: (o, old) => validatePodSpecUpdate(o['spec'], old['spec']),
  deleteGrace,
  actions: { binding },
  selectableFields: { names: Object.keys(podFields({})), get: podFields },
  mergeKeys: {
    containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath',
    volumeDevices: 'devicePath', ports: 'containerPort', imagePullSecrets: 'name', hostAliases: 'ip', conditions: 'type', podIPs: 'ip',
    resourceClaims: 'name', schedulingGates: 'name',
  },
  table: {
    columns: [
      NAME_COLUMN,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE_COLUMN,
      col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
      col('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
      col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', { priority: 1 }),
      col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { priority: 1 }),
    ],
    cells: (o, now) => podCells(o as PodView, now),
  },
};
