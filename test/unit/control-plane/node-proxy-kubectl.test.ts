// The REAL kubectl through the API server's node proxy to a fake kubelet (fake-kubelet.ts): `kubectl logs`
// (and a kubelet refusal as kubectl prints it) and `kubectl exec` over WebSocket. In-process API server on an
// in-memory store; no Docker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../../control-plane/store/index.js';
import { kubectlClient, type Kubectl } from '../../helpers/kubectl.js';
import { nodeAt, startFakeKubelet, type FakeKubelet } from './fake-kubelet.js';

let store: ObjectStore;
let api: ApiServer;
let kubelet: FakeKubelet;
let k: Kubectl;

beforeAll(async () => {
  store = await openStore();
  api = await startApiServer({ store });
  kubelet = await startFakeKubelet();
  k = kubectlClient();
  for (const [path, obj] of [
    ['/api/v1/nodes', nodeAt('n1', kubelet.port)],
    ['/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox' }, { name: 'waiting', image: 'busybox' }] } }],
  ] as const) {
    const r = await fetch(`${api.url}${path}`, { method: 'POST', body: JSON.stringify(obj), headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(201);
  }
});
afterAll(async () => { await api?.close(); await kubelet?.close(); await store?.close(); k?.dispose(); });

describe('kubectl through the node proxy', () => {
  it('kubectl logs: the kubelet\'s text; its refusal as kubectl prints it', async () => {
    expect(await k.run(api.url, 'logs', 'web', '-c', 'app', '--tail', '5')).toEqual({ exitCode: 0, stdout: 'log of default/web/app\nline 2\n', stderr: '' });
    expect(kubelet.seen.at(-1)!.path).toBe('/containerLogs/default/web/app?tailLines=5');
    expect(await k.run(api.url, 'logs', 'web', '-c', 'waiting')).toMatchObject({ exitCode: 1, stderr: 'Error from server (BadRequest): container "waiting" in pod "web" is waiting to start: ContainerCreating\n' });
  });

  it('kubectl exec: the command reaches the kubelet and its output comes back', async () => {
    expect(await k.run(api.url, 'exec', 'web', '-c', 'app', '--', 'echo', 'hi there')).toEqual({ exitCode: 0, stdout: 'ran: echo hi there\n', stderr: '' });
    expect(kubelet.seen.at(-1)!.path).toBe('/exec/default/web/app?output=1&error=1&command=echo&command=hi+there');
  });
});
