// Shared set-up of the client unit tests: the REAL embedded API server (control-plane/) on an in-memory store
// and port 0, restartable on the same store and port; a tiny scripted HTTP server for the answers the real
// one never gives (non-JSON bodies, split chunks, silence); and a poll-until helper.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore, type OpenStoreOptions } from '../../../control-plane/store/index.js';
import { HttpKubeClient, type ClientConfig } from '../../../client/index.js';

export interface Plane {
  readonly store: ObjectStore;
  api: ApiServer;
  readonly client: HttpKubeClient;
  /** Stops the API server (the store stays open). */
  stop(): Promise<void>;
  /** A new API server on the same store and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlane(storeOpts: OpenStoreOptions = {}, clientOpts: Partial<ClientConfig> = {}): Promise<Plane> {
  const store = await openStore(storeOpts);
  const api = await startApiServer({ store });
  let up = true;
  const client = new HttpKubeClient({ server: api.url, ...clientOpts });
  const plane: Plane = {
    store, api, client,
    async stop() { if (up) { up = false; await plane.api.close(); } },
    async restart() {
      await plane.stop();
      plane.api = await startApiServer({ store, port: plane.api.port });
      up = true;
    },
    async close() { await client.close(); await plane.stop(); await store.close(); },
  };
  return plane;
}

export interface FakeServer { readonly url: string; readonly requests: IncomingMessage[]; close(): Promise<void> }

/** An HTTP server that answers every request with `handler` (requests recorded). */
export async function fakeServer(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<FakeServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => { requests.push(req); handler(req, res, requests.length); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, requests,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Polls `fn` every 5 ms until it returns true (or fails after `ms`: generous, for a loaded machine). */
export async function until(fn: () => boolean, ms = 5000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data });

export const pod = (name: string, labels?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
