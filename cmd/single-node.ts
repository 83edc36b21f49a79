// cmd/single-node.ts — the single-process mode of `mini-kubelet agent` (the default): the control plane (the
// object store under <root-dir>/control-plane and the API server) and the kubelet in one process, on one port,
// as k3s runs them. The API server owns the port and answers the Kubernetes API; every other path (/pods,
// /healthz, /metrics, /lifecycle, /containerLogs, /exec …) is handed to the kubelet. The kubelet is a client
// of that API over loopback HTTP, exactly as it would be of another API server (`--kubeconfig`).
//
// The composition root that may import both agent/ and control-plane/ (they never import each other).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { startKubelet, type Kubelet, type KubeletDeps } from '../agent/kubelet.js';
import type { KubeletConfig } from '../agent/config/kubelet-config.js';
import type { KubeletHandlers } from '../agent/wiring/server.js';
import { startApiServer, type ApiServer } from '../control-plane/apiserver/index.js';
import { Registry } from '../control-plane/registry/index.js';
import { openStore, type ObjectStore } from '../control-plane/store/index.js';
import { migrateLegacyObjects } from '../control-plane/migrate.js';
import { HttpKubeClient } from '../client/http.js';
import { Scheduler } from '../control-plane/scheduler/scheduler.js';
import { runControllers } from '../control-plane/controllers/index.js';

export interface SingleNode extends Kubelet {
  /** The API server's base URL (what a kubeconfig names). */
  readonly apiUrl: string;
  readonly store: ObjectStore;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Starts the control plane and a kubelet that is its client; stops both together. */
export async function startSingleNode(config: KubeletConfig, deps: KubeletDeps): Promise<SingleNode> {
  const log = deps.log;
  const registry = new Registry();
  const store = await openStore({
    dir: join(config.rootDir, 'control-plane'),
    // The garbage collector and the namespace controller delete as the API would: Pods with their grace period.
    deleteOptions: registry.controllerDeleteOptions,
  });
  let api: ApiServer | undefined;
  try {
    const { migrated, problems } = await migrateLegacyObjects(config.rootDir, store, registry);
    if (migrated) log.info({ migrated }, 'Moved the API objects of an older mini-kubelet into the object store');
    for (const p of problems) log.warn({}, `Could not migrate ${p}`);
    let kubelet: KubeletHandlers | undefined;
    // The kubelet's own credential: it writes even when the server is not on loopback (and has no token file).
    const kubeletToken = randomBytes(24).toString('hex');
    api = await startApiServer({
      store, registry, host: config.address, port: config.readOnlyPort, tokenFile: config.tokenFile, internalTokens: [kubeletToken],
      fallback: {
        request: (req: IncomingMessage, res: ServerResponse) => kubelet?.request(req, res) ?? false,
        upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => kubelet?.upgrade(req, socket, head) ?? false,
      },
      onServerError: (err, req) => log.warn({ method: req.method, path: req.url, err: err instanceof Error ? err.stack : String(err) }, 'API request failed'),
    });
    const loopback = WILDCARD.has(config.address) ? '127.0.0.1' : config.address;
    const apiUrl = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${api.port}`;
    const client = new HttpKubeClient({ server: apiUrl, token: kubeletToken, userAgent: `mini-kubelet/${config.nodeName}` });
    // The scheduler binds pods that name no node (to this node, or another that joined with --kubeconfig).
    const controllers = new AbortController();
    void new Scheduler({ client, log }).run(controllers.signal);
    // The workload controllers (issue 12), clients of the API like the scheduler.
    // Local-path volumes live under <root-dir>/storage: the kubelet of this node shares the disk.
    void runControllers({ client, log, storageDir: join(config.rootDir, 'storage'), localNode: config.nodeName, cronJobTimeScale: config.cronJobTimeScale }, controllers.signal);
    const started = await startKubelet(config, { ...deps, client, host: { port: api.port, attach: (h) => { kubelet = h; } } });
    const apiServer = api;
    let stopping: Promise<void> | undefined;
    const stopAll = async (): Promise<void> => {
      controllers.abort();
      await started.stop();
      await client.close();
      await apiServer.close();
      await store.close();
    };
    return { ...started, apiUrl, store, stop: () => (stopping ??= stopAll()) };
  } catch (err) {
    await api?.close();
    await store.close();
    throw err;
  }
}
