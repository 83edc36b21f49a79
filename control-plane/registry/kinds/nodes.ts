// control-plane/registry/kinds/nodes.ts — Node (core/v1, `no`, cluster-scoped, status subresource): the
// kubelet registers it with its status (kept on create) and reports through /status; printed as
// NAME STATUS ROLES AGE VERSION (+ INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME wide).
import { isObj } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { KindDef, KubeObject } from '../types.js';

interface NodeView {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: Array<{ type?: string; status?: string }>;
    addresses?: Array<{ type?: string; address?: string }>;
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

function statusCell(n: NodeView): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function rolesCell(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (n: NodeView, type: string): string => n.status?.addresses?.find((a) => a.type === type)?.address || '<none>';
const known = (v: string | undefined): string => v || '<unknown>';

export const nodes: KindDef = {
  group: '', version: 'v1', kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'],
  description: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  fields: {
    spec: 'Spec defines the behavior of a node.',
    status: 'Most recently observed status of the node. Populated by the system. Read-only.',
  },
  statusSubresource: true,
  prepareForCreate(o) {
    if (isObj(o['spec'])) delete (o['spec'] as Record<string, unknown>)['configSource'];
  },
  validate: () => [],
  selectableFields: { names: ['spec.unschedulable'], get: (o) => ({ 'spec.unschedulable': String((o as NodeView).spec?.unschedulable === true) }) },
  mergeKeys: { conditions: 'type', addresses: 'type' },
  table: {
    columns: [
      NAME_COLUMN, col('Status', 'The status of the node'), col('Roles', 'The roles of the node'), AGE_COLUMN,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
      col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { priority: 1 }),
      col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
      col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
      col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
    ],
    cells(o, now) {
      const n = o as NodeView;
      const info = n.status?.nodeInfo ?? {};
      return [nameOf(o), statusCell(n), rolesCell(o), ageOf(o, now), info.kubeletVersion ?? '',
        address(n, 'InternalIP'), address(n, 'ExternalIP'), known(info.osImage), known(info.kernelVersion), known(info.containerRuntimeVersion)];
    },
  },
};
