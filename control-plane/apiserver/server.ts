// control-plane/apiserver/server.ts — the API server: a node:http server over an object store and a
// registry. Routes /version, health, discovery (legacy and aggregated), OpenAPI, and every resource path
// to the generic handler; every failure is answered as a Status (handlers never crash the process).
//
// The pod streaming subresources (log, exec, attach, portforward) go to the pod's kubelet (node-proxy.ts).
// A `fallback` gets what is not an API path (and /healthz first), so that one port can also serve the
// kubelet's own endpoints; what it does not take is a 404 as without it.
//
// Owns the HTTP listener only; the store is the caller's (main.ts opens and closes it).
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { badRequest, type ObjectStore } from '../store/index.js';
import { Registry } from '../registry/index.js';
import { WriteGuard } from './auth.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import { notFoundPath, ResourceHandler } from './handlers.js';
import { answerClientError, requestUrl, sendError, sendJSON, sendRaw, wantsAggregated } from './http.js';
import { isServerBug, NodeProxy, podStreamOf, refuseUpgrade } from './node-proxy.js';
import { openApiDocs } from './openapi.js';
import { routeOf, type Route } from './paths.js';
import { RestStorage } from './rest.js';

/** Another server's handlers behind the API server's port (the kubelet's, in the single-process mode). */
export interface ApiFallback {
  /** Serves a request the API server does not know; false when the fallback does not know it either. */
  request(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean>;
  /** Takes a connection upgrade on such a path; false when it does not (the socket is then not touched). */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

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
  /** Offered every non-API path, and /healthz before the API server's own answer. */
  fallback?: ApiFallback;
  /** Bearer tokens of this process's own clients (the embedded kubelet), allowed to write like the token file's. */
  internalTokens?: readonly string[];
}

/** Paths the fallback sees first: not API paths, and /healthz (the kubelet's is stricter). */
const forFallback = (route: Route | undefined, pathname: string): boolean =>
  route === undefined || (route.type === 'healthz' && /^\/+healthz(\/|$)/.test(pathname));

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
  const guard = new WriteGuard(o.tokenFile, o.internalTokens);
  const resources = new ResourceHandler({ registry, rest, guard, now });
  const nodes = new NodeProxy({ registry, rest, guard, onServerError: o.onServerError });
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
    if (route?.type === 'resource') {
      if (podStreamOf(route.path)) return nodes.handle(req, res, url, route.path);
      return resources.handle(req, res, url, route.path);
    }
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

  const fallback = o.fallback;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try { url = requestUrl(req); } catch { sendError(res, badRequest(`malformed request path: ${JSON.stringify(req.url ?? '')}`)); return; }
    const route = routeOf(url.pathname);
    const served = async (): Promise<void> => {
      if (fallback && forFallback(route, url.pathname) && await fallback.request(req, res)) return;
      await dispatch(route, req, res, url);
    };
    served().catch((e: unknown) => {
      if (isServerBug(e)) o.onServerError?.(e, req);
      sendError(res, e);
    });
  };
  const server = createServer(onRequest);
  server.on('clientError', answerClientError);
  // Upgraded sockets leave the server's connection list: closing the server ends them here.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    let url: URL;
    try { url = requestUrl(req); } catch { refuseUpgrade(socket, badRequest(`malformed request path: ${JSON.stringify(req.url ?? '')}`)); return; }
    const route = routeOf(url.pathname);
    const stream = route?.type === 'resource' ? podStreamOf(route.path) : undefined;
    if (route?.type === 'resource' && stream && stream !== 'log') return nodes.upgrade(req, socket, head, url, route.path);
    if (fallback?.upgrade && forFallback(route, url.pathname) && fallback.upgrade(req, socket, head)) return;
    serveWithoutUpgrade(req, socket, head, onRequest);
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * An upgrade request nobody upgrades (an h2c probe, a log with Upgrade headers) is served as a plain
 * request, as Node does when the server has no 'upgrade' listener; only bodiless requests can be (after the
 * upgrade event the body is no longer parsed), others get a 400 Status.
 */
function serveWithoutUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, onRequest: (req: IncomingMessage, res: ServerResponse) => void): void {
  socket.on('error', () => socket.destroy());
  const length = Number(req.headers['content-length'] ?? 0);
  if (head.length > 0 || length > 0 || req.headers['transfer-encoding']) {
    refuseUpgrade(socket, badRequest(`the upgrade to ${JSON.stringify(req.headers.upgrade ?? '')} is not supported on ${requestUrl(req).pathname}`));
    return;
  }
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', () => { res.detachSocket(socket as Socket); socket.end(); });
  onRequest(req, res);
}
