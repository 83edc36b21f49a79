// agent/wiring/server.ts — the routes of the agent's HTTP server: the kubelet's read-only endpoints.
//
// /healthz (runtime-aware), /pods (v1 PodList with full status, as the kubelet's endpoint returns it),
// /metrics (Prometheus text). Read-only snapshots; the Kubernetes API subset adds its routes here too.
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
import type { SyncLoop } from '../sync-loop.js';
import { Router, sendJSON, sendText, startServer, type StartedServer } from '../server/server.js';
import type { KubeletMetrics } from '../metrics/metrics.js';
import { registerApiRoutes, type KubeApi } from '../api-server/index.js';
import type { ApiPodSource } from '../api-server/api-source.js';
import type { ApiConfigObjects, ConfigKind, ConfigObject } from '../api-server/config-objects.js';

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
  readonly loop: SyncLoop;
  readonly now: () => number;
  /** The current error lines of the pod sources (invalid manifests, unreachable URL). */
  readonly sourceErrors: () => string[];
  readonly apiSource?: ApiPodSource;
  readonly apiConfigs?: ApiConfigObjects;
  /** Every ConfigMap/Secret in force (all sources). */
  readonly configObjects?: (kind: ConfigKind) => ConfigObject[];
  readonly hostIP?: string;
  readonly startedAt?: number;
}

/** The pod as the agent reports it: the desired object with the status manager's status. */
export function podWithStatus(d: Pick<ServerDeps, 'statuses'>, pod: Pod): Pod {
  const status = d.statuses.get(pod.metadata!.uid!) ?? { phase: 'Pending' };
  return { apiVersion: 'v1', kind: 'Pod', ...pod, status };
}

export function buildRouter(d: ServerDeps): { router: Router; api?: KubeApi } {
  const r = new Router();
  const api = d.config.apiEnabled ? registerApiRoutes(r, {
    nodeName: d.config.nodeName, rootDir: d.config.rootDir, maxPods: d.config.maxPods,
    address: d.config.address, tokenFile: d.config.tokenFile, hostIP: d.hostIP,
    pods: d.pods, statuses: d.statuses, events: d.events, cache: d.cache, runtime: d.runtime,
    loop: d.loop, now: d.now, log: d.log, healthy: () => d.pleg.healthy,
    apiSource: d.apiSource, apiConfigs: d.apiConfigs, configObjects: d.configObjects, startedAt: d.startedAt,
  }) : undefined;
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
  return { router: r, api };
}

export async function startAgentServer(d: ServerDeps): Promise<StartedServer> {
  const { router, api } = buildRouter(d);
  const started = await startServer(router, d.config.address, d.config.readOnlyPort, d.log);
  api?.attach(started.server);
  return { ...started, close: async () => { api?.close(); await started.close(); } };
}
