// agent/api-server/exec.ts — pods/exec and pods/attach over WebSocket with the Kubernetes channel protocol
// (`v5.channel.k8s.io`, also `v4.channel.k8s.io`): binary messages whose first byte is the channel (0 stdin,
// 1 stdout, 2 stderr, 3 the closing Status with the exit code, 4 terminal resize, 255 half-close in v5).
//
// Called from the HTTP server's 'upgrade' event (index.ts attaches handleUpgrade). Checks the write rule,
// the pod and the container before upgrading (errors are HTTP Status answers, which kubectl prints), then
// bridges the socket to a runtime StreamSession. SPDY (kubectl ≤ 1.29, and the fallback of newer clients)
// and port-forward are refused with a Status that says so. It never touches a pod's desired state.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StreamSession } from '../../cri/api.js';
import type { WriteGuard } from './auth.js';
import { pickContainer, pickInstance } from './logs.js';
import { namespaceParam } from './pods.js';
import { ApiError, flag, notFound } from './request.js';
import type { ApiContext } from './types.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;
const HIGH_WATER = 1 << 20;

/** Writes a Status answer on a socket that was not upgraded, and closes it. */
function refuse(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, ...(err.details ? { details: err.details } : {}), code: err.code });
  socket.end(`HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function exitStatus(kind: 'exec' | 'attach', cmd: readonly string[], code: number): object {
  if (code === 0 || kind === 'attach') return { metadata: {}, status: 'Success' };
  if (code < 0) return { metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: 'the exit code of the command is unknown' };
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(' ')}], exit code ${code}`,
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

const toBuffer = (d: RawData): Buffer => (Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d));

export class StreamServer {
  readonly #ctx: ApiContext;
  readonly #guard: WriteGuard;
  readonly #wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false, maxPayload: 16 << 20,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(ctx: ApiContext, guard: WriteGuard) {
    this.#ctx = ctx;
    this.#guard = guard;
  }

  /** The server's 'upgrade' listener. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    try {
      this.#upgrade(req, socket, head);
    } catch (err) {
      refuse(socket, err instanceof ApiError ? err : new ApiError(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    }
  };

  close(): void {
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = PATH.exec(url.pathname);
    if (!m) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${req.method} ${url.pathname})`);
    if (!this.#guard.allows(req)) throw this.#guard.refusal();
    const kind = m[3] as 'exec' | 'attach' | 'portforward';
    if (kind === 'portforward') throw new ApiError(400, 'BadRequest', 'port-forward is not supported by mini-kubelet; publish the port with hostPort or hostNetwork instead');
    const ns = namespaceParam({ namespace: decodeURIComponent(m[1]!) });
    const name = decodeURIComponent(m[2]!);
    const pod = this.#ctx.feed.byName(ns, name);
    if (!pod) throw notFound('pods', name);
    const container = pickContainer(pod, url.searchParams.get('container'));
    const instance = pickInstance(this.#ctx, pod, container, false);
    if (instance.state !== 'CONTAINER_RUNNING') throw new ApiError(400, 'BadRequest', `container "${container}" in pod "${name}" is not running`);
    const cmd = url.searchParams.getAll('command');
    if (kind === 'exec' && cmd.length === 0) throw new ApiError(400, 'BadRequest', 'you must specify at least one command for the container');
    const tty = flag(url, 'tty');
    const req2 = { tty, stdin: flag(url, 'stdin'), stdout: flag(url, 'stdout'), stderr: flag(url, 'stderr') && !tty };
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      throw new ApiError(400, 'BadRequest', `mini-kubelet streams ${kind} over WebSocket (${PROTOCOLS.join(', ')}) only, not ${req.headers.upgrade ?? 'plain HTTP'}; use kubectl 1.30 or newer`);
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!offered.some((p) => PROTOCOLS.includes(p))) throw new ApiError(400, 'BadRequest', `no supported subprotocol: offered [${offered.join(', ')}], supported [${PROTOCOLS.join(', ')}]`);
    const runtime = this.#ctx.deps.runtime;
    const open = kind === 'exec' ? () => runtime.exec(instance.id, { cmd, ...req2 }) : () => runtime.attach(instance.id, req2);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#ctx.deps.log.debug({ pod: `${ns}/${name}`, containerName: container, kind, cmd }, 'Stream session opened');
      void bridge(ws, open, kind, cmd).catch((err: unknown) => {
        this.#ctx.deps.log.warn({ pod: `${ns}/${name}`, containerName: container, err: err instanceof Error ? err.message : String(err) }, 'Stream session failed');
        ws.terminate();
      });
    });
  }
}

/** Sends a stream's chunks on a channel; resolves when it ends. Pauses while the socket is backed up. */
function pump(ws: WebSocket, stream: Readable | null, channel: number): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const prefix = Buffer.from([channel]);
    stream.on('data', (chunk: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(Buffer.concat([prefix, chunk]), { binary: true }, () => { if (stream.isPaused() && ws.bufferedAmount < HIGH_WATER) stream.resume(); });
      if (ws.bufferedAmount >= HIGH_WATER) stream.pause();
    });
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

async function bridge(ws: WebSocket, open: () => Promise<StreamSession>, kind: 'exec' | 'attach', cmd: readonly string[]): Promise<void> {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  let session: StreamSession | undefined;
  let gone = false;
  const pending: Buffer[] = [];
  const handle = (msg: Buffer): void => {
    if (!session || msg.length === 0) return;
    const payload = msg.subarray(1);
    switch (msg[0]) {
      case 0:
        if (session.stdin && !session.stdin.writableEnded) session.stdin.write(payload);
        break;
      case 4: {
        try {
          const size = JSON.parse(payload.toString('utf8')) as { Width?: number; Height?: number };
          if (size.Width && size.Height) session.resize(size.Width, size.Height).catch(() => {});
        } catch { /* a malformed resize is ignored, as the kubelet does */ }
        break;
      }
      case 255:
        if (v5 && payload[0] === 0 && session.stdin && !session.stdin.writableEnded) session.stdin.end();
        break;
    }
  };
  const sendStatus = (status: object): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]), { binary: true });
  };
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const msg = toBuffer(data);
    if (session) handle(msg);
    else pending.push(msg);
  });
  ws.on('close', () => { gone = true; session?.close(); });
  ws.on('error', () => { gone = true; session?.close(); });
  try {
    session = await open();
  } catch (err) {
    sendStatus({ metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `error ${kind === 'exec' ? 'executing command in' : 'attaching to'} container: ${err instanceof Error ? err.message : String(err)}` });
    ws.close(1000);
    return;
  }
  if (gone) { session.close(); return; }
  pending.splice(0).forEach(handle);
  const outputs = Promise.all([pump(ws, session.stdout, 1), pump(ws, session.stderr, 2)]);
  const code = await session.exitCode;
  // Output still in flight when the process ends is sent before the Status (the client stops reading then).
  await Promise.race([outputs, new Promise((r) => setTimeout(r, 2000).unref())]);
  sendStatus(exitStatus(kind, cmd, code));
  session.close();
  ws.close(1000);
  setTimeout(() => ws.terminate(), 5000).unref();
}
