// Shared set-up of the node-writer tests (agent/node/): the REAL embedded API server (control-plane/) on a
// store in a temporary directory and port 0, an HttpKubeClient to it, a fake clock, a silent logger that
// keeps its lines, and a client wrapper that injects failures or holds calls (what a real server does not do
// on demand).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';
import { HttpKubeClient } from '../../../client/http.js';
import type { KubeClient, KubeObject, PatchOptions, PatchType, ResourceRef, UpdateOptions, WriteOptions } from '../../../client/types.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import type { NodeLog } from '../../../agent/node/index.js';

export interface Rig {
  readonly store: ObjectStore;
  readonly api: ApiServer;
  readonly client: HttpKubeClient;
  readonly clock: FakeClock;
  readonly log: NodeLog & { lines: Array<{ level: string; msg: string; obj: object }> };
  close(): Promise<void>;
}

export function memoryLog(): Rig['log'] {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg: string) => { lines.push({ level, msg, obj }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The store lives in a temporary directory, or in memory with `memory` (many writes, no fsync each). */
export async function startRig(o: { memory?: boolean } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-node-'));
  const store = await openStore(o.memory ? {} : { dir: join(dir, 'control-plane') });
  const api = await startApiServer({ store });
  const client = new HttpKubeClient({ server: api.url });
  return {
    store, api, client, clock: new FakeClock(), log: memoryLog(),
    async close() {
      await client.close();
      await api.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Method = 'get' | 'create' | 'update' | 'patch';

/**
 * A KubeClient that asks `hook` before each get/create/update/patch: a returned Error is thrown instead of
 * calling the server, a returned promise is awaited first (a held call), undefined goes through.
 */
export function hooked(inner: KubeClient, hook: (method: Method, ref: ResourceRef, name: string | undefined) => Error | Promise<void> | undefined): KubeClient {
  const gate = async (method: Method, ref: ResourceRef, name: string | undefined): Promise<void> => {
    const r = hook(method, ref, name);
    if (r instanceof Error) throw r;
    if (r) await r;
  };
  return {
    server: inner.server,
    async get<T extends KubeObject>(ref: ResourceRef, ns: string | undefined, name: string, opts?: { subresource?: string; signal?: AbortSignal }) {
      await gate('get', ref, name);
      return inner.get<T>(ref, ns, name, opts);
    },
    list: (ref, opts) => inner.list(ref, opts),
    watch: (ref, opts) => inner.watch(ref, opts),
    async create<T extends KubeObject>(ref: ResourceRef, ns: string | undefined, obj: T, opts?: WriteOptions & { subresource?: string; name?: string }) {
      await gate('create', ref, obj.metadata?.name);
      return inner.create<T>(ref, ns, obj, opts);
    },
    async update<T extends KubeObject>(ref: ResourceRef, ns: string | undefined, obj: T, opts?: UpdateOptions) {
      await gate('update', ref, obj.metadata?.name);
      return inner.update<T>(ref, ns, obj, opts);
    },
    async patch<T extends KubeObject>(ref: ResourceRef, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions) {
      await gate('patch', ref, name);
      return inner.patch<T>(ref, ns, name, type, patch, opts);
    },
    delete: (ref, ns, name, opts) => inner.delete(ref, ns, name, opts),
    close: () => inner.close(),
  };
}
