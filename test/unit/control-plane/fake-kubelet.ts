// A fake kubelet for the node proxy tests: an HTTP server on 127.0.0.1 that answers the kubelet's own paths
// the way the tests need. GET /containerLogs/NS/POD/C: a fixed text (the container "waiting" answers a
// kubelet 400), or with follow=true a line every 20 ms until the client goes (`followClosed` then
// resolves). Upgrades on /exec/… and /attach/…: a WebSocket (v5/v4.channel.k8s.io) that, for exec, writes
// `ran: <command words>` on stdout (channel 1) and a Success Status (channel 3), then echoes every
// message it gets back with `echo:` in front. Every request's path and headers are recorded.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData } from 'ws';

export interface FakeKubelet {
  readonly port: number;
  /** Path with query and headers of every request, in order. */
  readonly seen: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** Resolves when a follow=true log request was closed by its client. */
  readonly followClosed: Promise<void>;
  close(): Promise<void>;
}

const toBuffer = (d: RawData): Buffer => (Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d));

export async function startFakeKubelet(): Promise<FakeKubelet> {
  const seen: FakeKubelet['seen'] = [];
  let closed!: () => void;
  const followClosed = new Promise<void>((resolve) => { closed = resolve; });
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('404 page not found'); return; }
    if (m[3] === 'waiting') { res.writeHead(400, { 'Content-Type': 'text/plain' }); res.end(`container "waiting" in pod "${m[2]}" is waiting to start: ContainerCreating`); return; }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    if (url.searchParams.get('follow') !== 'true') { res.end(`log of ${m[1]}/${m[2]}/${m[3]}\nline 2\n`); return; }
    let n = 0;
    const tick = setInterval(() => res.write(`line ${++n}\n`), 20);
    res.write(`line ${n}\n`);
    res.on('close', () => { clearInterval(tick); closed(); });
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.has(p)) ?? false });
  server.on('upgrade', (req, socket, head) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://kubelet');
    if (!/^\/(exec|attach)\//.test(url.pathname)) { socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'); return; }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const commands = url.searchParams.getAll('command');
      if (commands.length) {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`ran: ${commands.join(' ')}\n`)]));
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }))]));
        if (url.searchParams.get('input') !== '1') { ws.close(1000); return; }
      }
      ws.on('message', (data) => ws.send(Buffer.concat([Buffer.from('echo:'), toBuffer(data)])));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port, seen, followClosed,
    close: () => new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A Node object whose kubelet is at 127.0.0.1:port, as the kubelet registers it. */
export const nodeAt = (name: string, port: number) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name },
  status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
});
