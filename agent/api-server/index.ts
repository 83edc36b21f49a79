// agent/api-server/index.ts — registerApiRoutes(router, deps): the Kubernetes API subset on the agent's
// HTTP server, so the real kubectl works against the agent unchanged (see docs kubectl-wire.md).
//
// Called once by agent/wiring/server.ts when it builds the router. Wires the modules of this folder
// together: discovery, pods (+ the API pod source and the pod feed), ConfigMaps and Secrets, logs,
// exec/attach, events, nodes.
// Every route is wrapped here: the write rule (401), Status answers for ApiErrors, a 500 Status for
// anything unexpected — a handler never crashes the agent. It never edits the agent's state except through
// the ApiPodSource (which goes through the SyncLoop).
import type { Server } from 'node:http';
import type { Router } from '../server/server.js';
import { ApiPodSource } from './api-source.js';
import { ApiConfigObjects } from './config-objects.js';
import { configRoutes } from './config-routes.js';
import { WriteGuard } from './auth.js';
import { discoveryRoutes } from './discovery.js';
import { eventRoutes } from './events.js';
import { StreamServer } from './exec.js';
import { logRoutes } from './logs.js';
import { nodeRoutes } from './nodes.js';
import { PodFeed } from './pod-feed.js';
import { podRoutes } from './pods.js';
import { ApiError, badRequest, sendApiError } from './request.js';
import type { ApiContext, ApiDeps, ApiHandler, RouteDef } from './types.js';

export type { ApiDeps } from './types.js';
export { ApiPodSource } from './api-source.js';

export interface KubeApi {
  readonly source: ApiPodSource;
  readonly configs: ApiConfigObjects;
  readonly feed: PodFeed;
  /**
   * Adds the exec/attach 'upgrade' listener to the HTTP server. Done automatically on the first API request
   * the server handles (kubectl always reads something first); call it to do it at once.
   */
  attach(server: Server): void;
  /** Ends open exec/attach sessions. */
  close(): void;
}

export function registerApiRoutes(router: Router, deps: ApiDeps): KubeApi {
  const source = deps.apiSource ?? startedSource(deps);
  const feed = new PodFeed({ pods: deps.pods, statuses: deps.statuses, nodeName: deps.nodeName, now: deps.now, isHidden: (uid) => source.isRetired(uid) });
  const configs = deps.apiConfigs ?? loadedConfigs(deps);
  const ctx: ApiContext = { deps, feed, source, configs };
  const guard = new WriteGuard(deps.address, deps.tokenFile, (msg) => deps.log.warn({}, msg));
  const streams = new StreamServer(ctx, guard);
  const attached = new WeakSet<Server>();
  const attach = (server: Server): void => {
    if (attached.has(server)) return;
    attached.add(server);
    server.on('upgrade', streams.handleUpgrade);
  };

  const wrap = (r: RouteDef): ApiHandler => async (req, res, url, params) => {
    const server = (req.socket as unknown as { server?: Server }).server;
    if (server && typeof server.on === 'function') attach(server);
    try {
      if (r.write && !guard.allows(req)) throw guard.refusal();
      await r.handler(req, res, url, params);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `an error on the server prevented the request from succeeding: ${err instanceof Error ? err.message : String(err)}`);
      if (!(err instanceof ApiError)) deps.log.warn({ path: url.pathname, method: req.method, err: apiErr.message }, 'API request failed');
      if (!res.headersSent) sendApiError(res, apiErr);
      else res.destroy();
    }
  };

  const upgradeRequired: ApiHandler = () => { throw badRequest('Upgrade request required'); };
  const streamPaths: RouteDef[] = ['exec', 'attach', 'portforward'].flatMap((sub) => (['GET', 'POST'] as const).map((method) => ({
    method, path: `/api/v1/namespaces/:namespace/pods/:name/${sub}`, handler: upgradeRequired,
  })));

  const routes = [...discoveryRoutes(), ...podRoutes(ctx), ...configRoutes(ctx), ...logRoutes(ctx), ...eventRoutes(ctx), ...nodeRoutes(ctx), ...streamPaths];
  for (const r of routes) router.on(r.method, r.path, wrap(r));

  return { source, configs, feed, attach, close: () => streams.close() };
}

function loadedConfigs(deps: ApiDeps): ApiConfigObjects {
  const c = new ApiConfigObjects({ rootDir: deps.rootDir, now: deps.now });
  c.load();
  return c;
}

function startedSource(deps: ApiDeps): ApiPodSource {
  const s = new ApiPodSource({ rootDir: deps.rootDir, nodeName: deps.nodeName, loop: deps.loop, pods: deps.pods, now: deps.now, log: deps.log });
  s.start();
  return s;
}
