// agent/kubelet-server/streams.ts — the kubelet's /exec, /attach and /portForward endpoints: what an API server
// forwards `pods/exec`, `pods/attach` and `pods/portforward` to.
//
// Checks, in the kubelet's order, the write rule (401), the method, the stream options (`input`/`output`/
// `error`/`tty` as kube-apiserver sends them to a kubelet; the API names stdin/stdout/stderr too), the pod
// (404 `pod does not exist`) and its running container (500 `container not found ("c")`), then upgrades to a
// WebSocket with a channel protocol and hands the socket to channel-bridge.ts. A refusal is a Status on the
// socket. SPDY (kubectl ≤ 1.29, and the fallback of newer clients) and port-forward are refused with a Status
// that says so. Never touches a pod's desired state.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ExecRequest } from '../../cri/api.js';
import { bridge, CHANNEL_PROTOCOLS } from './channel-bridge.js';
import { runningInstance, streamPod } from './lookup.js';
import { flag, METHODS, type KubeletPath } from './paths.js';
import { KubeletError } from './respond.js';
import type { KubeletStreamDeps } from './types.js';

type StreamPath = Exclude<KubeletPath, { kind: 'containerLogs' }>;

/** A checked exec/attach request, ready to be opened on the runtime. */
export interface StreamPlan {
  readonly kind: 'exec' | 'attach';
  readonly pod: string;
  readonly container: string;
  readonly containerId: string;
  readonly cmd: readonly string[];
  readonly opts: Omit<ExecRequest, 'cmd'>;
}

const UNAUTHORIZED = 'Unauthorized: exec, attach and port-forward from a non-loopback address need `Authorization: Bearer <token>` with the token of --token-file';

/** The stream options as the kubelet reads them (remotecommand NewOptions): tty drops stderr. */
function streamOptions(url: URL): Omit<ExecRequest, 'cmd'> {
  const tty = flag(url, 'tty');
  const opts = { tty, stdin: flag(url, 'input', 'stdin'), stdout: flag(url, 'output', 'stdout'), stderr: flag(url, 'error', 'stderr') && !tty };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw new KubeletError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  return opts;
}

/** Every check that needs no upgrade; throws KubeletError. */
export function planStream(deps: KubeletStreamDeps, req: IncomingMessage, path: StreamPath, url: URL): StreamPlan {
  if (!deps.allows(req)) throw new KubeletError(401, UNAUTHORIZED);
  const methods = METHODS[path.kind];
  if (!methods.includes(req.method ?? '')) throw new KubeletError(405, 'Method Not Allowed', methods.join(', '));
  if (path.kind === 'portForward') {
    throw new KubeletError(400, 'port-forward is not supported by mini-kubelet; publish the port with hostPort or hostNetwork instead');
  }
  const opts = streamOptions(url);
  const pod = streamPod(deps, path.namespace, path.pod, path.uid, path.container);
  const instance = runningInstance(deps, pod, path.container);
  const cmd = url.searchParams.getAll('command');
  if (path.kind === 'exec' && cmd.length === 0) throw new KubeletError(400, 'you must specify at least one command for the container');
  return { kind: path.kind, pod: `${path.namespace}/${path.pod}`, container: path.container, containerId: instance.id, cmd, opts };
}

/** The upgrade itself must be a WebSocket GET offering a channel protocol. */
function checkWebSocket(req: IncomingMessage, kind: string): void {
  const upgrade = req.headers.upgrade ?? '';
  if (upgrade.toLowerCase() !== 'websocket') {
    throw new KubeletError(400, `mini-kubelet streams ${kind} over WebSocket (${CHANNEL_PROTOCOLS.join(', ')}) only, not ${upgrade || 'plain HTTP'}; use kubectl 1.30 or newer`);
  }
  if (req.method !== 'GET') throw new KubeletError(405, `a WebSocket upgrade is a GET, not ${req.method}`, 'GET');
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!offered.some((p) => (CHANNEL_PROTOCOLS as readonly string[]).includes(p))) {
    throw new KubeletError(400, `no supported subprotocol: offered [${offered.join(', ')}], supported [${CHANNEL_PROTOCOLS.join(', ')}]`);
  }
}

export class StreamUpgrades {
  readonly #deps: KubeletStreamDeps;
  readonly #wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false, maxPayload: 16 << 20,
    handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(deps: KubeletStreamDeps) {
    this.#deps = deps;
  }

  /** Checks and upgrades; throws KubeletError (the caller refuses the socket with it). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: StreamPath, url: URL): void {
    const plan = planStream(this.#deps, req, path, url);
    checkWebSocket(req, plan.kind);
    const { runtime, log } = this.#deps;
    const open = plan.kind === 'exec'
      ? () => runtime.exec(plan.containerId, { cmd: plan.cmd, ...plan.opts })
      : () => runtime.attach(plan.containerId, plan.opts);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      log.debug({ pod: plan.pod, containerName: plan.container, kind: plan.kind, cmd: plan.cmd }, 'Stream session opened');
      void bridge(ws, open, plan.kind, plan.cmd).catch((err: unknown) => {
        log.warn({ pod: plan.pod, containerName: plan.container, err: err instanceof Error ? err.message : String(err) }, 'Stream session failed');
        ws.terminate();
      });
    });
  }

  close(): void {
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}
