// agent/api-server/tables.ts — the server-side Table form (`meta.k8s.io/v1 Table`) that `kubectl get`
// prints: the pod, event, node, namespace, ConfigMap and Secret columns of the API server's printers, `-o wide` columns at
// priority 1, and row objects as PartialObjectMetadata (or the full object with `includeObject=Object`).
//
// Called by the list, get and watch handlers when the Accept header asks for `as=Table`. Pure: objects and
// `now` in, a Table out. The pod STATUS/READY/RESTARTS/AGE cells come from agent/status/printer.ts, the
// one place that knows kubectl's rules.
import type { ConfigMap, Event, Node, Pod, Secret } from '../api/v1.js';
import { humanDuration, podStatusColumns } from '../status/printer.js';

export interface Column { name: string; type: string; format?: string; priority?: number; description?: string }
type Cell = string | number;
interface Meta { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface Obj { kind?: string; apiVersion?: string; metadata?: Meta }

/** `includeObject` query value: None, Metadata (default) or Object. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function rowObject(o: Obj, include: IncludeObject): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  const { name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations } = o.metadata ?? {};
  return {
    kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations },
  };
}

export interface TableSpec<T extends Obj> {
  readonly columns: readonly Column[];
  readonly cells: (o: T, now: number) => Cell[];
}

/** A Table of `items`; `columns: false` leaves columnDefinitions null (watch events after the first). */
export function toTable<T extends Obj>(spec: TableSpec<T>, items: readonly T[], now: number, rv: string, include: IncludeObject, columns = true): object {
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: rv },
    columnDefinitions: columns ? spec.columns : null,
    rows: items.map((o) => {
      const object = rowObject(o, include);
      return { cells: spec.cells(o, now), ...(object ? { object } : {}) };
    }),
  };
}

const col = (name: string, type: string, description: string, priority = 0, format?: string): Column =>
  ({ name, type, ...(format ? { format } : {}), description, priority });

const since = (ts: string | undefined, now: number): string => {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(Math.max(0, now - t));
};

export const podTable: TableSpec<Pod> = {
  columns: [
    col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
    col('IP', 'string', 'IP address allocated to the pod.', 1),
    col('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(pod, now) {
    const c = podStatusColumns(pod, now);
    const gates = pod.spec?.readinessGates ?? [];
    const gatesTrue = gates.filter((g) => pod.status?.conditions?.some((x) => x.type === g.conditionType && x.status === 'True')).length;
    return [
      pod.metadata?.name ?? '', c.ready, c.status, c.restarts, c.age,
      pod.status?.podIP || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>',
      gates.length ? `${gatesTrue}/${gates.length}` : '<none>',
    ];
  },
};

export const eventTable: TableSpec<Event> = {
  columns: [
    col('Last Seen', 'string', 'The last time that the event was seen.'),
    col('Type', 'string', 'Type of this event (Normal, Warning).'),
    col('Reason', 'string', 'Why the action was taken.'),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'The subobject (field path) that this event is about.', 1),
    col('Source', 'string', 'The component reporting this event.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The first time that the event was seen.', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    col('Name', 'string', 'Name of the event object.', 1, 'name'),
  ],
  cells(e, now) {
    const last = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
    const first = e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
    const count = e.count ?? 1;
    const lastSeen = count > 1 ? `${since(last, now)} (x${count} over ${since(first, now)})` : since(last, now);
    const io = e.involvedObject;
    const source = e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : (e.reportingComponent ?? '');
    return [
      lastSeen, e.type ?? '', e.reason ?? '', `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, io.fieldPath ?? '',
      source, (e.message ?? '').trim(), since(first, now), String(count), e.metadata.name ?? '',
    ];
  },
};

export const nodeTable: TableSpec<Node> = {
  columns: [
    col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'Container Runtime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  cells(n, now) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    const status = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown', ...(n.spec?.unschedulable ? ['SchedulingDisabled'] : [])].join(',');
    const roles = Object.keys(n.metadata?.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).sort();
    const addr = (t: string) => n.status?.addresses?.find((a) => a.type === t)?.address ?? '<none>';
    const info = n.status?.nodeInfo;
    return [
      n.metadata?.name ?? '', status, roles.length ? roles.join(',') : '<none>', since(n.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info?.osImage ?? '<unknown>', info?.kernelVersion ?? '<unknown>',
      info?.containerRuntimeVersion ?? '<unknown>',
    ];
  },
};

export interface NamespaceObj extends Obj { status?: { phase?: string } }

export const namespaceTable: TableSpec<NamespaceObj> = {
  columns: [
    col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
    col('Status', 'string', 'The status of the namespace'),
    col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  ],
  cells: (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? 'Active', since(ns.metadata?.creationTimestamp, now)],
};

const dataCount = (o: { data?: Record<string, string>; binaryData?: Record<string, string> }): number =>
  Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length;

export const configMapTable: TableSpec<ConfigMap & Obj> = {
  columns: [
    col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
    col('Data', 'string', 'Data contains the configuration data.'),
    col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  ],
  cells: (o, now) => [o.metadata?.name ?? '', dataCount(o), since(o.metadata?.creationTimestamp, now)],
};

export const secretTable: TableSpec<Secret & Obj> = {
  columns: [
    col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  ],
  cells: (o, now) => [o.metadata?.name ?? '', o.type ?? 'Opaque', dataCount(o), since(o.metadata?.creationTimestamp, now)],
};
