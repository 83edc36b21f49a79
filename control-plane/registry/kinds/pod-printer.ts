// control-plane/registry/kinds/pod-printer.ts — the cells of `kubectl get pods` as the API server prints
// them: READY (ready/total, restartable init containers count), STATUS (phase or reason, Init:x/y,
// Init:<reason>, the last container's waiting/terminated reason, Completed → Running/NotReady while one still
// runs, Terminating/Unknown on deletion), RESTARTS with "(… ago)", AGE, and the wide IP/NODE/NOMINATED NODE/
// READINESS GATES.
//
// PURE. Written from the behaviour kube-apiserver's printPod shows (printers.go), over plain v1 JSON.
import { humanDuration, orNone, since } from '../table.js';

interface State { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string } }
interface CStatus { name: string; ready?: boolean; started?: boolean; restartCount?: number; state?: State; lastState?: State }
interface Cond { type?: string; status?: string; reason?: string }
export interface PodView {
  metadata?: { name?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: Array<{ name: string }>; initContainers?: Array<{ name: string; restartPolicy?: string }>; readinessGates?: Array<{ conditionType?: string }> };
  status?: {
    phase?: string; reason?: string; nominatedNodeName?: string; podIP?: string; podIPs?: Array<{ ip?: string }>;
    conditions?: Cond[]; initContainerStatuses?: CStatus[]; containerStatuses?: CStatus[];
  };
}

/** Restarts and the newest finishedAt of the last terminations seen. */
class RestartTally {
  count = 0;
  last = 0;
  add(c: CStatus): void {
    this.count += c.restartCount ?? 0;
    const t = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && t > this.last) this.last = t;
  }
}

const terminatedText = (t: NonNullable<State['terminated']>, prefix: string): string =>
  t.reason ? `${prefix}${t.reason}` : t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;

const condTrue = (p: PodView, type: string): boolean => (p.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

interface Walk { reason: string; ready: number; restarts: RestartTally }

/** Init containers in order: the first one not done decides the reason while the pod initializes. */
function walkInit(p: PodView, w: Walk, sidecarRestarts: RestartTally): boolean {
  const specs = p.spec?.initContainers ?? [];
  const sidecars = new Set(specs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const [i, c] of (p.status?.initContainerStatuses ?? []).entries()) {
    w.restarts.add(c);
    if (sidecars.has(c.name)) sidecarRestarts.add(c);
    const term = c.state?.terminated;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecars.has(c.name) && c.started === true) { if (c.ready) w.ready++; continue; }
    const waiting = c.state?.waiting?.reason;
    if (term) w.reason = terminatedText(term, 'Init:');
    else if (waiting && waiting !== 'PodInitializing') w.reason = `Init:${waiting}`;
    else w.reason = `Init:${i}/${specs.length}`;
    return true;
  }
  return false;
}

/** Regular containers from last to first: the first in spec order with a reason wins. */
function walkMain(p: PodView, w: Walk): void {
  const list = p.status?.containerStatuses ?? [];
  let running = false;
  for (let i = list.length - 1; i >= 0; i--) {
    const c = list[i]!;
    w.restarts.add(c);
    const s = c.state ?? {};
    if (s.waiting?.reason) w.reason = s.waiting.reason;
    else if (s.terminated) w.reason = terminatedText(s.terminated, '');
    else if (c.ready && s.running) { running = true; w.ready++; }
  }
  if (w.reason === 'Completed' && running) w.reason = condTrue(p, 'Ready') ? 'Running' : 'NotReady';
}

export function podCells(p: PodView, now: number): string[] {
  const phase = p.status?.phase ?? '';
  const sidecars = (p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').length;
  const w: Walk = { reason: p.status?.reason || phase, ready: 0, restarts: new RestartTally() };
  if ((p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) w.reason = 'SchedulingGated';
  const sidecarRestarts = new RestartTally();
  const initializing = walkInit(p, w, sidecarRestarts);
  if (!initializing || condTrue(p, 'Initialized')) {
    w.restarts = sidecarRestarts;
    walkMain(p, w);
  }
  if (p.metadata?.deletionTimestamp) {
    if (p.status?.reason === 'NodeLost') w.reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') w.reason = 'Terminating';
  }
  const r = w.restarts;
  const restarts = r.count !== 0 && r.last !== 0 ? `${r.count} (${humanDuration(now - r.last)} ago)` : String(r.count);
  const gates = p.spec?.readinessGates ?? [];
  const gatesTrue = gates.filter((g) => (p.status?.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True').length;
  return [
    p.metadata?.name ?? '', `${w.ready}/${(p.spec?.containers ?? []).length + sidecars}`, w.reason, restarts, since(p.metadata?.creationTimestamp, now),
    orNone(p.status?.podIPs?.[0]?.ip), orNone(p.spec?.nodeName), orNone(p.status?.nominatedNodeName), gates.length ? `${gatesTrue}/${gates.length}` : '<none>',
  ];
}
