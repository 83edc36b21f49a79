// control-plane/apiserver/node-proxy.ts — the pod streaming subresources (pods/log, exec, attach,
// portforward) proxied to the kubelet of the pod's node, as kube-apiserver does: the pod and its Node are
// read from the store, node-location.ts says where to go, and the bytes flow over plain HTTP.
//
// log: a GET to the kubelet whose answer streams back unbuffered (follow keeps it open until either side
// goes; the client leaving closes the kubelet request); a kubelet error answer becomes a Status, as
// kube-apiserver's response checker makes it. exec/attach/portforward are connection upgrades (WebSocket
// from kubectl ≥ 1.30, SPDY from older ones; whatever Upgrade the client asks for): the server's 'upgrade'
// event hands the socket here, the request goes to the kubelet on a new TCP connection with the client's
// headers (Host rewritten), and the two sockets are piped both ways. Errors before that are Status answers
// written on the raw socket. They are writes (create on pods/exec in RBAC terms): the write rule applies.
import { request, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { badRequest, internalError, isStatusError, StatusError } from '../store/index.js';
import type { Registry } from '../registry/index.js';
import type { WriteGuard } from './auth.js';
import { notFoundPath } from './handlers.js';
import { readBody, sendError, sendRaw, toStatusError } from './http.js';
import { hostPort, kubeletEndpoint, kubeletTarget, POD_STREAMS, type KubeletEndpoint, type PodStream } from './node-location.js';
import type { ResourcePath } from './paths.js';
import type { RestStorage } from './rest.js';

export interface NodeProxyDeps {
  registry: Registry;
  rest: RestStorage;
  guard: WriteGuard;
  /** Told about 5xx answers that are bugs (see isServerBug). */
  onServerError?: (err: unknown, req: IncomingMessage) => void;
  /** How long connecting to a kubelet may take before the answer is a 503 (default 10 s). */
  connectTimeoutMs?: number;
}

/** The kubelet's error text is read up to this many bytes (kube-apiserver's maxReadLength). */
const MAX_ERROR_BODY = 50_000;

const methodNotAllowed = (): StatusError => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

/** A 5xx that is ours to fix: any but a kubelet that cannot be reached (503 ServiceUnavailable). */
export function isServerBug(e: unknown): boolean {
  const s = toStatusError(e);
  return s.code >= 500 && s.reason !== 'ServiceUnavailable';
}

/** A core/v1 pod streaming subresource path: /api/v1/namespaces/NS/pods/NAME/{log,exec,attach,portforward}. */
export const podStreamOf = (p: ResourcePath): PodStream | undefined =>
  p.group === '' && p.version === 'v1' && p.resource === 'pods' && p.namespace !== undefined && p.name !== undefined && !p.watchPrefix &&
  p.subresource !== undefined && POD_STREAMS.has(p.subresource) ? (p.subresource as PodStream) : undefined;

/** A Status written on a socket that was not upgraded; the socket is closed after it. */
export function refuseUpgrade(socket: Duplex, e: unknown): void {
  const s = toStatusError(e);
  const body = JSON.stringify(s.status());
  if (!socket.writable) { socket.destroy(); return; }
  socket.end(`HTTP/1.1 ${s.code} ${STATUS_CODES[s.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The kubelet's non-2xx answer as kube-apiserver's GenericHttpResponseChecker turns it into a Status. */
function kubeletError(code: number, body: string, podName: string): StatusError {
  try {
    const s = JSON.parse(body) as { kind?: string; code?: number; reason?: string; message?: string; details?: object };
    if (s.kind === 'Status' && typeof s.message === 'string') return new StatusError(s.code ?? code, s.reason ?? '', s.message, s.details);
  } catch { /* plain text, as the real kubelet answers */ }
  if (code === 400) return badRequest(body);
  if (code === 500) return internalError(body);
  const reason = code === 404 ? 'NotFound' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 503 ? 'ServiceUnavailable' : 'InternalError';
  return new StatusError(code, reason, body.trim() || (STATUS_CODES[code] ?? 'error'), { name: podName, kind: 'pods/log' });
}

/** The first `max` bytes of a stream (the rest is dropped). */
function readPrefix(s: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    s.on('data', (b: Buffer) => { if (size < max) { chunks.push(b); size += b.length; } });
    s.on('end', () => resolve(Buffer.concat(chunks).subarray(0, max).toString('utf8')));
    s.on('error', () => resolve(Buffer.concat(chunks).subarray(0, max).toString('utf8')));
  });
}

const dialError = (nodeName: string, e: KubeletEndpoint, err: Error): StatusError =>
  new StatusError(503, 'ServiceUnavailable', `error dialing the kubelet of node "${nodeName}" at ${e.host}:${e.port}: ${err.message}`);

export class NodeProxy {
  private readonly connectTimeoutMs: number;

  constructor(private readonly d: NodeProxyDeps) {
    this.connectTimeoutMs = d.connectTimeoutMs ?? 10_000;
  }

  /** The pod, where its stream goes, and the kubelet's endpoint; `target` undefined = an empty log. */
  private locate(kind: PodStream, p: ResourcePath, url: URL) {
    const pods = this.d.registry.lookup('', 'v1', 'pods');
    const nodes = this.d.registry.lookup('', 'v1', 'nodes');
    if (!pods || !nodes) throw notFoundPath();
    const pod = this.d.rest.get(pods, p.namespace!, p.name!) as Pod;
    const target = kubeletTarget(kind, pod, url);
    if (!target) return undefined;
    let node: Node | undefined;
    try { node = this.d.rest.get(nodes, '', target.nodeName) as Node; } catch (e) { if (!isStatusError(e, 'NotFound')) throw e; }
    return { ...target, endpoint: kubeletEndpoint(target.nodeName, node), podName: p.name! };
  }

  /** A plain HTTP request to a stream path: the log, or a refusal (exec & co. need an upgrade). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, p: ResourcePath): Promise<void> {
    const kind = podStreamOf(p)!;
    const m = req.method ?? 'GET';
    if (kind === 'log') {
      if (m !== 'GET') throw methodNotAllowed();
      return this.log(req, res, this.locate(kind, p, url));
    }
    if (m !== 'GET' && m !== 'POST') throw methodNotAllowed();
    this.d.guard.check(req);
    this.locate(kind, p, url);
    await readBody(req).catch(() => Buffer.alloc(0));
    throw badRequest('Upgrade request required');
  }

  private log(req: IncomingMessage, res: ServerResponse, at: ReturnType<NodeProxy['locate']>): Promise<void> {
    if (!at) { sendRaw(res, 200, '', 'text/plain'); return Promise.resolve(); }
    return new Promise((resolve) => {
      let connected = false;
      const up = request(`http://${hostPort(at.endpoint)}${at.path}`, { method: 'GET', headers: { Accept: '*/*' } }, (kres) => {
        connected = true;
        up.setTimeout(0);
        const code = kres.statusCode ?? 502;
        if (code < 200 || code > 206) {
          void readPrefix(kres, MAX_ERROR_BODY).then((text) => { sendError(res, kubeletError(code, text, at.podName)); resolve(); });
          return;
        }
        res.writeHead(code, { 'Content-Type': kres.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private' });
        res.flushHeaders();
        kres.pipe(res);
        kres.on('error', () => res.destroy());
        kres.on('end', resolve);
        kres.on('close', resolve);
      });
      up.setTimeout(this.connectTimeoutMs, () => { if (!connected) up.destroy(new Error(`no answer within ${this.connectTimeoutMs} ms`)); });
      up.on('socket', (s) => s.setNoDelay(true));
      up.on('error', (err) => {
        if (!res.headersSent) sendError(res, dialError(at.nodeName, at.endpoint, err));
        else res.destroy();
        resolve();
      });
      // The client gone (kubectl logs -f interrupted): the kubelet request goes too.
      res.on('close', () => { if (!res.writableFinished) up.destroy(); resolve(); });
      req.on('close', () => { if (!res.writableFinished) up.destroy(); });
      up.end();
    });
  }

  /** The server's 'upgrade' event for exec, attach or portforward (the server serves a log as a plain GET). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, p: ResourcePath): void {
    socket.on('error', () => socket.destroy());
    let at;
    try {
      const kind = podStreamOf(p)!;
      const m = req.method ?? 'GET';
      if (m !== 'GET' && m !== 'POST') throw methodNotAllowed();
      this.d.guard.check(req);
      at = this.locate(kind, p, url)!;
    } catch (e) {
      if (isServerBug(e)) this.d.onServerError?.(e, req);
      refuseUpgrade(socket, e);
      return;
    }
    this.pipeUpgrade(req, socket, head, at);
  }

  private pipeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, at: NonNullable<ReturnType<NodeProxy['locate']>>): void {
    const up: Socket = connect({ host: at.endpoint.host, port: at.endpoint.port });
    up.setNoDelay(true);
    let piped = false;
    const timer = setTimeout(() => up.destroy(new Error(`no connection within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
    up.on('error', (err) => {
      clearTimeout(timer);
      if (!piped) refuseUpgrade(socket, dialError(at.nodeName, at.endpoint, err));
      else socket.destroy();
    });
    socket.on('close', () => up.destroy());
    up.on('close', () => { clearTimeout(timer); if (piped) socket.destroy(); });
    up.once('connect', () => {
      clearTimeout(timer);
      piped = true;
      up.write(requestHead(req, at.path, at.endpoint));
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
  }
}

/** The request line for the kubelet path and the client's headers as it sent them, Host rewritten. */
function requestHead(req: IncomingMessage, path: string, e: KubeletEndpoint): string {
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${hostPort(e)}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() !== 'host') lines.push(`${raw[i]}: ${raw[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
