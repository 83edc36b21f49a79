// test/helpers/kubelet-streams-client.ts — a node:http server around kubeletStreamRoutes and the clients that
// talk to it: plain GETs, a channel-protocol WebSocket session (what an API server forwards kubectl exec as),
// and raw upgrade requests for the refusals.
//
// Used by test/unit/kubelet-server/ (fake runtime) and test/integration/agent/kubelet-streams.test.ts (Docker).
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { KubeletStreamRoutes } from '../../agent/kubelet-server/index.js';

export const NOT_OURS = 'not a kubelet stream path';

export interface ServedRoutes {
  readonly base: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the routes on 127.0.0.1; paths they refuse answer 404 NOT_OURS (the next handler of a chain). */
export async function serveRoutes(routes: KubeletStreamRoutes): Promise<ServedRoutes> {
  const server = createServer((req, res) => {
    void Promise.resolve(routes.request(req, res)).then((mine) => { if (!mine) res.writeHead(404).end(NOT_OURS); });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!routes.upgrade(req, socket, head)) socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: ${NOT_OURS.length}\r\n\r\n${NOT_OURS}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`, port,
    close: async () => {
      routes.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface Answer {
  readonly code: number;
  readonly type: string;
  readonly allow: string;
  readonly body: string;
}

/** One request, read to its end. */
export function call(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), allow: String(res.headers.allow ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET whose body is read as it arrives (a followed log); `text()` is what came so far. */
export function follow(url: string): Promise<{ res: IncomingMessage; text: () => string; ended: Promise<void>; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let seen = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { seen += c; });
      const ended = new Promise<void>((r) => { res.once('end', () => r()); res.once('close', () => r()); });
      resolve({ res, text: () => seen, ended, abort: () => req.destroy() });
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    req.end();
  });
}

export interface Session {
  readonly protocol: string;
  readonly stdout: string;
  readonly stderr: string;
  /** The Status of channel 3, parsed. */
  readonly status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason: string; message: string }[] } } | undefined;
}

export interface SessionOptions {
  readonly protocol?: string;
  readonly headers?: Record<string, string>;
  /** Sent on channel 0 once the socket is open. */
  readonly stdin?: string;
  /** After stdin, v5's half-close of stdin (channel 255, byte 0). */
  readonly closeStdin?: boolean;
  /** Called once the socket is open (to make output appear for attach). */
  readonly onOpen?: () => void | Promise<void>;
}

/** Runs a channel-protocol session to its close; rejects with `HTTP <code>: <body>` when the upgrade is refused. */
export function channelSession(url: string, o: SessionOptions = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), [o.protocol ?? 'v5.channel.k8s.io'], { headers: o.headers });
    const out = { stdout: '', stderr: '', status: undefined as Session['status'] };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
    });
    ws.on('open', () => {
      if (o.stdin !== undefined) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(o.stdin)]));
      if (o.closeStdin) ws.send(Buffer.from([255, 0]));
      void o.onOpen?.();
    });
    ws.on('message', (data: Buffer) => {
      const text = data.subarray(1).toString('utf8');
      if (data[0] === 1) out.stdout += text;
      else if (data[0] === 2) out.stderr += text;
      else if (data[0] === 3) out.status = JSON.parse(text) as Session['status'];
    });
    ws.on('close', () => resolve({ protocol: ws.protocol, ...out }));
    ws.on('error', (err) => { if (!/Unexpected server response/.test(err.message)) reject(err); });
  });
}

/** Sends a raw upgrade request and returns the whole answer (status line, headers, body) as text. */
export function rawUpgrade(port: number, method: string, path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('utf8'); });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    const lines = Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'Upgrade', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    s.write(`${method} ${path} HTTP/1.1\r\n${lines}\r\n`);
    setTimeout(() => s.destroy(), 3000).unref();
  });
}

/** The JSON body of a raw HTTP answer. */
export function bodyOf(raw: string): Record<string, unknown> {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}
