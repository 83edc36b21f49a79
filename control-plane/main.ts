// control-plane/main.ts — the control plane as a process: `node dist/control-plane/main.js --root-dir DIR
// --port N [--address A] [--token-file F]` opens the object store under DIR/control-plane (with its garbage
// collector and namespace controller) and serves the Kubernetes API on A:N (127.0.0.1 by default; port 0
// picks a free one). It prints one line `control plane listening on http://A:N` once it serves, and stops
// cleanly on SIGINT/SIGTERM (every answered write is already durable, so kill -9 is safe too).
//
// The API server alone: no scheduler and no workload controllers (cmd/single-node.ts runs those). The e2e
// tests of the bare API with the real kubectl rely on that (test/e2e/kubectl-apps-kinds.test.ts expects a
// Deployment with no ReplicaSet of its own and a ReplicaSet with CURRENT 0).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startApiServer } from './apiserver/index.js';
import { Registry } from './registry/index.js';
import { openStore } from './store/index.js';

const USAGE = 'usage: node dist/control-plane/main.js --root-dir DIR [--port 6443] [--address 127.0.0.1] [--token-file FILE]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'root-dir': { type: 'string' }, port: { type: 'string', default: '6443' }, address: { type: 'string', default: '127.0.0.1' },
      'token-file': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (!values['root-dir'] || !/^\d+$/.test(values.port)) throw new Error(USAGE);
  const registry = new Registry();
  const store = await openStore({
    dir: join(resolve(values['root-dir']), 'control-plane'),
    // The garbage collector and the namespace controller delete as the API would: Pods with their grace period.
    deleteOptions: registry.controllerDeleteOptions,
  });
  const api = await startApiServer({
    store, registry, host: values.address, port: Number(values.port), tokenFile: values['token-file'],
    onServerError: (err, req) => process.stderr.write(`${new Date().toISOString()} ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}\n`),
  });
  process.stdout.write(`control plane listening on ${api.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void api.close().then(() => store.close()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
