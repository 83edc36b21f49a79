// agent/server/server.ts — the agent's HTTP server on address:read-only-port.
//
// Serves the kubelet's read-only endpoints (/healthz, /pods, /metrics) and, through the route table, any
// further handlers (the Kubernetes API subset). Unknown paths answer like the API server: a 404 Status.
// It only reads snapshots from the agent; it never changes state except through handlers given to it.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: string[];
  readonly handler: Handler;
}

/**
 * The request's URL, its target always read as a path: `//x/y` is the path `//x/y`, not a host `x` (what
 * `new URL(target, base)` would make of it, throwing on a host like `%00`).
 */
export const requestUrl = (req: IncomingMessage): URL => new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);

export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; `path` may contain `:name` segments. */
  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([A-Za-z]+)/g, (_, k: string) => { keys.push(k); return '([^/]+)'; })}/?$`);
    this.#routes.push({ method, pattern, keys, handler });
    return this;
  }

  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
    let pathMatched = false;
    for (const r of this.#routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]!); });
      return { handler: r.handler, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}

export function sendJSON(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A Kubernetes `Status` failure object, as the API server answers errors. */
export function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: object): void {
  sendJSON(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

/**
 * Requests the HTTP parser refuses (no valid request line, headers too large, a body without framing) get
 * a Status too, then the connection closes; the default would be a bare `400 Bad Request`.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already under way on this connection (pipelining) must not get text spliced into it.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) { socket.destroy(); return; }
  const code = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = code === 408 ? 'Timeout' : code === 431 ? 'RequestHeaderFieldsTooLarge' : 'BadRequest';
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `malformed HTTP request: ${err.code ?? err.message}`, reason, code });
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export interface StartedServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The router as a request handler that says whether it knew the path: false (nothing answered) lets a host
 * server (the single-process mode, where the API server owns the port) try its own routes or answer 404.
 */
export function routeRequest(router: Router, log: { warn(o: object, m: string): void }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    let url: URL;
    let m: ReturnType<Router['match']>;
    try {
      url = requestUrl(req);
      m = router.match(req.method ?? 'GET', url.pathname);
    } catch {
      sendStatus(res, 400, 'BadRequest', `malformed request path: ${JSON.stringify(req.url ?? '')}`);
      return true;
    }
    if (!m) return false;
    if ('methodNotAllowed' in m) {
      sendStatus(res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method} ${url.pathname})`);
      return true;
    }
    Promise.resolve(m.handler(req, res, url, m.params)).catch((err: unknown) => {
      log.warn({ path: url.pathname, err: err instanceof Error ? err.message : String(err) }, 'Request failed');
      if (!res.headersSent) sendStatus(res, 500, 'InternalError', `an error on the server prevented the request from succeeding: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
    return true;
  };
}

export async function startServer(router: Router, address: string, port: number, log: { warn(o: object, m: string): void },
  first?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<StartedServer> {
  const handle = routeRequest(router, log);
  const server = createServer((req, res) => {
    if (!(first?.(req, res) ?? false) && !handle(req, res)) sendStatus(res, 404, 'NotFound', `the server could not find the requested resource (${req.method} ${req.url ?? '/'})`);
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => { server.off('error', reject); resolve(); });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
