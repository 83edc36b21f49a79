// agent/wiring/server.ts — the routes of the agent's HTTP server: the kubelet's read-only endpoints.
//
// /healthz (runtime-aware), /pods (v1 PodList with full status, as the kubelet's endpoint returns it),
// /metrics (Prometheus text), /lifecycle (the timeline's record), /manifest-errors. Read-only snapshots.
// Served on a port of its own, or handed to a host server that owns the port (the single-process mode, where
// the API server answers the API paths and passes the rest here).
import type { Pod } from '../api/v1.js';
import type { KubeletConfig } from '../config/kubelet-config.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Logger } from '../log.js';
import type { PodManager } from '../pod-manager.js';
import type { Pleg } from '../pleg/pleg.js';
import type { PodCache } from '../pleg/pod-cache.js';
import type { StatusManager } from '../status-manager.js';
import type { LifecycleRecord } from '../timeline/lifecycle-record.js';
import type { Runtime } from '../../cri/api.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { routeRequest, Router, sendJSON, sendText, startServer, type StartedServer } from '../server/server.js';
import type { KubeletMetrics } from '../metrics/metrics.js';
import { kubeletStreamRoutes } from '../kubelet-server/index.js';
import { writeRule } from '../kubelet-server/auth.js';

/** The kubelet's endpoints as handlers a host server calls; each returns false for a path it does not serve. */
export interface KubeletHandlers {
  request(req: IncomingMessage, res: ServerResponse): boolean;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export interface ServerDeps {
  readonly config: KubeletConfig;
  readonly log: Logger;
  readonly pods: PodManager;
  readonly statuses: StatusManager;
  readonly events: EventRecorder;
  readonly lifecycle: LifecycleRecord;
  readonly pleg: Pleg;
  readonly cache: PodCache;
  readonly runtime: Runtime;
  readonly prober: { metricsText(): Promise<string> };
  /** The one registry: /metrics renders all of it. */
  readonly metrics: KubeletMetrics;
  readonly now: () => number;
  /** The current error lines of the pod sources (invalid manifests, unreachable URL). */
  readonly sourceErrors: () => string[];
  /** A server that owns the port already: the routes are attached to it instead of listening. */
  readonly host?: { readonly port: number; attach(h: KubeletHandlers): void };
}

/** The pod as the agent reports it: the desired object with the status manager's status. */
export function podWithStatus(d: Pick<ServerDeps, 'statuses'>, pod: Pod): Pod {
  const status = d.statuses.get(pod.metadata!.uid!) ?? { phase: 'Pending' };
  return { apiVersion: 'v1', kind: 'Pod', ...pod, status };
}

export function buildRouter(d: ServerDeps): Router {
  const r = new Router();
  r.on('GET', '/healthz', (_req, res) => {
    if (!d.pleg.healthy) return sendText(res, 503, '[-]runtime failed: the container runtime is not answering\nhealthz check failed\n');
    sendText(res, 200, 'ok');
  });
  r.on('GET', '/healthz/ping', (_req, res) => sendText(res, 200, 'ok'));
  r.on('GET', '/healthz/syncloop', (_req, res) => {
    const age = d.now() - d.pleg.lastRelist;
    if (age > 3 * 60_000) return sendText(res, 503, `[-]syncloop failed: last relist ${Math.round(age / 1000)}s ago\n`);
    sendText(res, 200, 'ok');
  });
  r.on('GET', '/pods', (_req, res) => {
    const items = d.pods.all().map((m) => podWithStatus(d, m.pod));
    sendJSON(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
  });
  r.on('GET', '/metrics', async (_req, res) => sendText(res, 200, await d.metrics.render(), d.metrics.contentType));
  r.on('GET', '/metrics/probes', async (_req, res) => sendText(res, 200, await d.prober.metricsText(), d.metrics.contentType));
  r.on('GET', '/manifest-errors', (_req, res) => sendJSON(res, 200, { errors: d.sourceErrors() }));
  r.on('GET', '/lifecycle/:namespace/:name', (_req, res, _url, p) => {
    const m = d.pods.byFullName(p.namespace!, p.name!).sort((a, b) => (a.pod.metadata?.deletionTimestamp ? 1 : 0) - (b.pod.metadata?.deletionTimestamp ? 1 : 0))[0];
    if (m) return sendJSON(res, 200, { pod: podWithStatus(d, m.pod), entries: d.lifecycle.entries(m.pod.metadata!.uid!) });
    const gone = d.lifecycle.finished(p.namespace!, p.name!);
    if (gone) return sendJSON(res, 200, { pod: gone.pod, entries: d.lifecycle.entries(gone.uid), deleted: true });
    sendJSON(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: `pods "${p.name}" not found`, details: { name: p.name, kind: 'pods' } });
  });
  return r;
}

export async function startAgentServer(d: ServerDeps): Promise<{ port: number; close(): Promise<void> }> {
  const router = buildRouter(d);
  const routed = routeRequest(router, d.log);
  // logs, exec, attach on the kubelet's own paths (/containerLogs, /exec, /attach): what the API server forwards to.
  const streams = kubeletStreamRoutes({
    pods: d.pods, cache: d.cache, runtime: d.runtime, statuses: d.statuses, log: d.log, now: d.now,
    allows: writeRule(d.config.address, d.config.tokenFile, (msg) => d.log.warn({}, msg)),
  });
  const handlers: KubeletHandlers = {
    request: (req, res) => (streams.request(req, res) as boolean) || routed(req, res),
    upgrade: (req, socket, head) => streams.upgrade(req, socket, head),
  };
  if (d.host) {
    d.host.attach(handlers);
    return { port: d.host.port, close: async () => streams.close() };
  }
  const started: StartedServer = await startServer(router, d.config.address, d.config.readOnlyPort, d.log, (req, res) => streams.request(req, res) as boolean);
  started.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => { if (!handlers.upgrade(req, socket, head)) socket.destroy(); });
  return { port: started.port, close: async () => { streams.close(); await started.close(); } };
}
