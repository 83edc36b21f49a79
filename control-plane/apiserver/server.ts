// control-plane/apiserver/server.ts — the API server: a node:http server over an object store and a
// registry. Routes /version, health, discovery (legacy and aggregated), OpenAPI, and every resource path
// to the generic handler; every failure is answered as a Status (handlers never crash the process).
//
// Owns the HTTP listener only; the store is the caller's (main.ts opens and closes it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '../store/index.js';
import { Registry } from '../registry/index.js';
import { WriteGuard } from './auth.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import { notFoundPath, ResourceHandler } from './handlers.js';
import { sendError, sendJSON, sendRaw, toStatusError, wantsAggregated } from './http.js';
import { openApiDocs } from './openapi.js';
import { routeOf, type Route } from './paths.js';
import { RestStorage } from './rest.js';

export interface ApiServerOptions {
  store: ObjectStore;
  registry?: Registry;
  /** Listen address (default 127.0.0.1) and port (0 = any free one). */
  host?: string;
  port?: number;
  /** A file with the bearer token that allows writes from non-loopback peers. */
  tokenFile?: string;
  now?: () => number;
  /** Told about 5xx answers (a bug or a broken store), never about client errors. */
  onServerError?: (err: unknown, req: IncomingMessage) => void;
}

export interface ApiServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const registry = o.registry ?? new Registry();
  const now = o.now ?? Date.now;
  const rest = new RestStorage(o.store, now);
  const resources = new ResourceHandler({ registry, rest, guard: new WriteGuard(o.tokenFile), now });
  const openapi = openApiDocs(registry);

  const discovery = (req: IncomingMessage, res: ServerResponse, core: boolean): void => {
    if (wantsAggregated(req)) {
      const body = JSON.stringify(aggregatedDiscovery(registry, core));
      res.setHeader('Vary', 'Accept');
      sendRaw(res, 200, body, AGGREGATED_CONTENT_TYPE);
    } else sendJSON(res, 200, core ? apiVersions() : apiGroupList(registry));
  };
  const found = (res: ServerResponse, doc: object | undefined): void => {
    if (!doc) throw notFoundPath();
    sendJSON(res, 200, doc);
  };

  const dispatch = async (route: Route | undefined, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (route?.type === 'resource') return resources.handle(req, res, url, route.path);
    if (!route) throw notFoundPath();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw notFoundPath();
    switch (route.type) {
      case 'version': return sendJSON(res, 200, SERVER_VERSION);
      case 'healthz': return sendRaw(res, 200, 'ok', 'text/plain; charset=utf-8');
      case 'api': return discovery(req, res, true);
      case 'apis': return discovery(req, res, false);
      case 'group': return found(res, apiGroupDoc(registry, route.group));
      case 'group-version': return found(res, apiResourceList(registry, route.group, route.version));
      case 'openapi-v2': return sendRaw(res, 200, '', 'application/octet-stream');
      case 'openapi-v3': return sendJSON(res, 200, openapi.root);
      case 'openapi-v3-gv': return found(res, openapi.byGroupVersion.get(route.group ? `apis/${route.group}/${route.version}` : `api/${route.version}`));
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    dispatch(routeOf(url.pathname), req, res, url).catch((e: unknown) => {
      if (toStatusError(e).code >= 500) o.onServerError?.(e, req);
      sendError(res, e);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  return {
    server, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
