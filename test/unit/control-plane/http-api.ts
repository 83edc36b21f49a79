// Shared set-up of the API server tests over HTTP: the embedded API server (default registry) on a fresh
// in-memory store and port 0 per test (`serve()`), closed after each; `call()` sends one JSON request and
// answers its status, Warning header and JSON body.
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';

/** The Accept header of kubectl's aggregated discovery. */
export const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

export interface Reply { status: number; warning: string | null; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any
export interface CallInit { method?: string; body?: object; type?: string; accept?: string }

export interface HttpApi {
  serve(): Promise<void>;
  call(path: string, init?: CallInit): Promise<Reply>;
}

/** Registers the close with the file's `afterEach`. */
export function httpApi(afterEach: (fn: () => Promise<void>) => void): HttpApi {
  let api: ApiServer | undefined;
  let store: ObjectStore | undefined;
  afterEach(async () => { await api?.close(); await store?.close(); api = undefined; store = undefined; });
  return {
    async serve() {
      store = await openStore({});
      api = await startApiServer({ store });
    },
    async call(path, init = {}) {
      const r = await fetch(`${api!.url}${path}`, {
        method: init.method ?? 'GET', body: init.body ? JSON.stringify(init.body) : undefined,
        headers: { 'Content-Type': init.type ?? 'application/json', ...(init.accept ? { Accept: init.accept } : {}) },
      });
      return { status: r.status, warning: r.headers.get('warning'), body: await r.json() };
    },
  };
}
