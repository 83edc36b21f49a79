// List paging of the API server (control-plane/apiserver/paging.ts): `limit` gives that many items, a
// `continue` token and the count left; following the tokens reads every object once, at the first page's
// resourceVersion; a bad token is a 400 Status; the real kubectl reads all pages (`--chunk-size`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';
import { kubectlClient } from '../../helpers/kubectl.js';

let store: ObjectStore;
let api: ApiServer;
const kubectl = kubectlClient();
beforeAll(async () => {
  store = await openStore();
  api = await startApiServer({ store });
  for (const name of ['a', 'b', 'c', 'd', 'e']) await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });
});
afterAll(async () => { await api.close(); await store.close(); kubectl.dispose(); });

interface List { metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number }; items: { metadata: { name: string } }[] }
const list = async (query: string): Promise<[number, List]> => {
  const r = await fetch(`${api.url}/api/v1/namespaces/default/configmaps${query}`);
  return [r.status, (await r.json()) as List];
};

describe('limit and continue', () => {
  it('pages through every object once, at the first page\'s resourceVersion', async () => {
    const [, first] = await list('?limit=2');
    expect({ names: first.items.map((i) => i.metadata.name), left: first.metadata.remainingItemCount }).toEqual({ names: ['a', 'b'], left: 3 });
    const [, second] = await list(`?limit=2&continue=${encodeURIComponent(first.metadata.continue!)}`);
    const [, last] = await list(`?limit=2&continue=${encodeURIComponent(second.metadata.continue!)}`);
    expect([...second.items, ...last.items].map((i) => i.metadata.name)).toEqual(['c', 'd', 'e']);
    expect({ rv: last.metadata.resourceVersion, more: last.metadata.continue }).toEqual({ rv: first.metadata.resourceVersion, more: undefined });
    const [, all] = await list('?limit=500');
    expect({ n: all.items.length, more: all.metadata.continue }).toEqual({ n: 5, more: undefined });
  });

  it('refuses a token it did not make', async () => {
    const [code, body] = await list('?limit=2&continue=not-a-token');
    expect({ code, body }).toMatchObject({ code: 400, body: { kind: 'Status', reason: 'BadRequest', message: expect.stringContaining('continue key is not valid') } });
  });

  it('kubectl get reads every page', async () => {
    const r = await kubectl.run(api.url, 'get', 'configmaps', '--chunk-size=2', '-o', 'name');
    expect(r.stdout).toBe(['a', 'b', 'c', 'd', 'e'].map((n) => `configmap/${n}\n`).join(''));
  });
});
