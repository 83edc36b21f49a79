// agent/node/node-object.ts — the Node object as the kubelet writes it, as pure functions: the Node it
// registers (initialNode), the status setters it runs before every report (addresses, machine info and
// capacity, versions, daemon endpoints, the pressure conditions and Ready), whether a status changed
// (heartbeats aside), what an existing Node needs when the kubelet takes it over, and the two-way
// strategic-merge patch of the status subresource.
//
// Used by node-status.ts; nothing here talks to the API or reads a clock (the caller passes `now`).
import { isDeepStrictEqual as deepEqual } from 'node:util';
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../client/types.js';
import type { MachineInfo, Resources } from './machine-info.js';

/** Reported as nodeInfo.kubeletVersion; the same string the agent's API reports as its version. */
export const KUBELET_VERSION = 'v1.33.0-mini';

/** volumes.kubernetes.io/controller-managed-attach-detach: the kubelet sets it when the controller attaches. */
export const CMAD_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';
export const TTL_ANNOTATION = 'node.alpha.kubernetes.io/ttl';

export type NodeObject = KubeObject & { spec?: Record<string, unknown>; status?: NodeStatus };

/** What one status computation knows. */
export interface NodeFacts {
  readonly nodeName: string;
  readonly hostname: string;
  readonly nodeIP: string;
  readonly port: number;
  readonly machine: MachineInfo;
  readonly resources: Resources;
  /** `docker://27.5.1` (`docker://Unknown` while the runtime has not answered). */
  readonly containerRuntimeVersion: string;
  readonly healthy: boolean;
}

/** An event about the node the setters ask for: (type, reason, message). */
export type RecordNodeEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** metav1.Time: RFC 3339 in whole seconds. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The labels the kubelet puts on its Node and restores on an existing one (updateDefaultLabels). */
export function defaultLabels(f: Pick<NodeFacts, 'hostname' | 'machine'>): Record<string, string> {
  const arch = f.machine.architecture;
  return {
    'kubernetes.io/hostname': f.hostname, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': arch,
  };
}

/** The Node the kubelet registers (initialNode): labels, annotations, an empty spec and a full status. */
export function initialNode(f: NodeFacts, now: number, record: RecordNodeEvent): NodeObject {
  const node: NodeObject = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: f.nodeName, labels: defaultLabels(f), annotations: { [TTL_ANNOTATION]: '0', [CMAD_ANNOTATION]: 'true' } },
    spec: {},
    status: {},
  };
  setNodeStatus(node, f, now, record);
  return node;
}

interface PressureKind { readonly type: string; readonly reason: string; readonly message: string; readonly event: string }

/** The three pressure conditions, never under pressure here (no eviction manager). */
const PRESSURES: readonly PressureKind[] = [
  { type: 'MemoryPressure', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  { type: 'DiskPressure', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  { type: 'PIDPressure', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
];

const REQUIRED_CAPACITY = ['cpu', 'memory', 'pods', 'ephemeral-storage'];

function setPressure(conditions: NodeCondition[], p: PressureKind, f: NodeFacts, now: string, record: RecordNodeEvent): void {
  let c = conditions.find((x) => x.type === p.type);
  if (!c) { c = { type: p.type, status: 'Unknown' }; conditions.push(c); }
  c.lastHeartbeatTime = now;
  if (c.status === 'False') return;
  Object.assign(c, { status: 'False', reason: p.reason, message: p.message, lastTransitionTime: now });
  record('Normal', p.event, `Node ${f.nodeName} status is now: ${p.event}`);
}

function readyError(f: NodeFacts, capacity: Record<string, string>): string | undefined {
  const errs: string[] = [];
  if (!f.healthy) errs.push(`container runtime is down: ${f.containerRuntimeVersion} is not answering`);
  const missing = REQUIRED_CAPACITY.filter((r) => capacity[r] === undefined);
  if (missing.length) errs.push(`Missing node capacity for resources: ${missing.join(', ')}`);
  // Go's aggregate error: one error as it is, several in brackets.
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

function setReady(conditions: NodeCondition[], f: NodeFacts, capacity: Record<string, string>, now: string, record: RecordNodeEvent): void {
  const err = readyError(f, capacity);
  const next: NodeCondition = err === undefined
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: err, lastHeartbeatTime: now };
  const at = conditions.findIndex((c) => c.type === 'Ready');
  if (at < 0) { conditions.push({ ...next, lastTransitionTime: now }); return; }
  const prev = conditions[at]!;
  const flipped = prev.status !== next.status;
  conditions[at] = { ...next, lastTransitionTime: flipped ? now : prev.lastTransitionTime ?? now };
  if (flipped) record('Normal', next.status === 'True' ? 'NodeReady' : 'NodeNotReady', `Node ${f.nodeName} status is now: ${next.status === 'True' ? 'NodeReady' : 'NodeNotReady'}`);
}

const isHugePages = (k: string): boolean => k.startsWith('hugepages-');

/** The kubelet's capacity rule: set what it measures, keep what others advertise, drop vanished hugepage sizes. */
function mergeResources(current: Record<string, string> | undefined, measured: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!isHugePages(k)) out[k] = v;
  return Object.assign(out, measured);
}

/** Runs the kubelet's status setters on `node` (in place), in their order; Ready stays the last condition. */
export function setNodeStatus(node: NodeObject, f: NodeFacts, nowMs: number, record: RecordNodeEvent): void {
  const now = rfc3339(nowMs);
  const status: NodeStatus = (node.status ??= {});
  status.addresses = [{ type: 'InternalIP', address: f.nodeIP }, { type: 'Hostname', address: f.hostname }];
  const previousBoot = status.nodeInfo?.bootID;
  if (previousBoot && previousBoot !== f.machine.bootID) record('Warning', 'Rebooted', `Node ${f.nodeName} has been rebooted, boot id: ${f.machine.bootID}`);
  status.capacity = mergeResources(status.capacity, f.resources.capacity);
  status.allocatable = mergeResources(status.allocatable, f.resources.allocatable);
  status.nodeInfo = {
    machineID: f.machine.machineID, systemUUID: f.machine.systemUUID, bootID: f.machine.bootID,
    kernelVersion: f.machine.kernelVersion, osImage: f.machine.osImage, containerRuntimeVersion: f.containerRuntimeVersion,
    kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: f.machine.architecture,
  };
  status.daemonEndpoints = { kubeletEndpoint: { Port: f.port } };
  const conditions = [...(status.conditions ?? [])].map((c) => ({ ...c }));
  for (const p of PRESSURES) setPressure(conditions, p, f, now, record);
  setReady(conditions, f, status.capacity, now, record);
  status.conditions = conditions;
}

/** Makes the OS and architecture labels right (the kubelet checks them before every report); true if it had to. */
export function fixRequiredLabels(node: NodeObject, f: Pick<NodeFacts, 'machine'>): boolean {
  const labels = (node.metadata!.labels ??= {});
  let changed = false;
  for (const [k, v] of [['kubernetes.io/os', 'linux'], ['kubernetes.io/arch', f.machine.architecture]] as const) {
    if (labels[k] !== v) { labels[k] = v; changed = true; }
  }
  return changed;
}

/**
 * What the kubelet reconciles on a Node that already exists (tryRegisterWithAPIServer): the attach-detach
 * annotation, its default labels, and capacity/allocatable when missing or when the hugepage sizes changed.
 * Changes `existing` in place; true when it needs a patch.
 */
export function reconcileExisting(existing: NodeObject, initial: NodeObject): boolean {
  let changed = false;
  const annotations = (existing.metadata!.annotations ??= {});
  const wanted = initial.metadata!.annotations?.[CMAD_ANNOTATION];
  if (annotations[CMAD_ANNOTATION] !== wanted) {
    if (wanted === undefined) delete annotations[CMAD_ANNOTATION]; else annotations[CMAD_ANNOTATION] = wanted;
    changed = true;
  }
  const labels = (existing.metadata!.labels ??= {});
  for (const [k, v] of Object.entries(initial.metadata!.labels ?? {})) {
    if (labels[k] !== v) { labels[k] = v; changed = true; }
    if (labels[k] === '') delete labels[k];
  }
  const status = (existing.status ??= {});
  for (const field of ['capacity', 'allocatable'] as const) {
    const want = initial.status?.[field] ?? {};
    if (status[field] === undefined) { status[field] = { ...want }; changed = true; continue; }
    const have = status[field];
    for (const k of new Set([...Object.keys(want), ...Object.keys(have)].filter(isHugePages))) {
      if (have[k] === want[k]) continue;
      if (want[k] === undefined) delete have[k]; else have[k] = want[k];
      changed = true;
    }
  }
  return changed;
}

const withoutHeartbeats = (s: NodeStatus | undefined): NodeStatus =>
  ({ ...s, conditions: (s?.conditions ?? []).map(({ lastHeartbeatTime: _, ...c }) => c) });

/** nodeStatusHasChanged: any difference but the conditions' heartbeat times. */
export function statusChanged(before: NodeStatus | undefined, after: NodeStatus | undefined): boolean {
  return !deepEqual(withoutHeartbeats(before), withoutHeartbeats(after));
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A two-way merge diff: changed keys with their new value, removed keys as null, nested maps recursively. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [b, a] = [before[k], after[k]];
    if (deepEqual(b, a)) continue;
    if (a === undefined) out[k] = null;
    else if (isPlain(a) && isPlain(b)) { const d = diff(b, a); if (d) out[k] = d; }
    else out[k] = a;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The strategic merge patch of nodes/<name>/status from `original` to `modified` (PatchNodeStatus): labels,
 * annotations and status fields that differ; lists (conditions, addresses) whole, merged by type on the
 * server, with the conditions' order.
 */
export function nodeStatusPatch(original: NodeObject, modified: NodeObject): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const k of ['labels', 'annotations'] as const) {
    const d = diff(original.metadata?.[k] ?? {}, modified.metadata?.[k] ?? {});
    if (d) meta[k] = d;
  }
  if (Object.keys(meta).length) patch['metadata'] = meta;
  const status = diff((original.status ?? {}) as Record<string, unknown>, (modified.status ?? {}) as Record<string, unknown>);
  if (status) {
    if (status['conditions']) status['$setElementOrder/conditions'] = (modified.status?.conditions ?? []).map((c) => ({ type: c.type }));
    patch['status'] = status;
  }
  return patch;
}
