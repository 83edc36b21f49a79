// test/faults/rollout-crash.test.ts — kill -9 of the agent (control plane, controllers and kubelet in one
// process) in the middle of a Deployment's rolling update (issue 12): after the restart the rollout finishes
// on its own, and it ends with exactly the desired pods — all of the new template, none extra, no stray
// containers left running in Docker.
import { afterAll, describe, expect, it } from 'vitest';
import { SpawnedAgent } from '../helpers/spawned-agent.js';
import { waitFor } from '../helpers/docker-rig.js';

const agent = new SpawnedAgent();
afterAll(async () => { await agent.cleanup(); });

interface Item { metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> }; spec?: { replicas?: number; containers?: { image?: string }[] }; status?: Record<string, unknown> }
const list = async (path: string): Promise<Item[]> => ((await (await agent.get(path)).json()) as { items: Item[] }).items;
const deployment = async (): Promise<Item & { status?: { updatedReplicas?: number; readyReplicas?: number; replicas?: number; observedGeneration?: number }; metadata: { generation?: number } }> =>
  (await (await agent.get('/apis/apps/v1/namespaces/default/deployments/web')).json()) as never;
const send = (method: string, path: string, body: object, type = 'application/json') =>
  fetch(`${agent.url}${path}`, { method, headers: { 'content-type': type }, body: JSON.stringify(body) });
const settled = (image: string) => waitFor(async () => {
  const d = await deployment();
  const pods = (await list('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).filter((p) => !p.metadata.deletionTimestamp);
  const done = d.status?.observedGeneration === d.metadata.generation && d.status?.updatedReplicas === 3 && d.status?.readyReplicas === 3 && d.status?.replicas === 3;
  return done && pods.length === 3 && pods.every((p) => p.spec?.containers?.[0]?.image === image) ? pods : undefined;
}, { timeoutMs: 120_000, intervalMs: 300, message: () => `rollout to ${image} not finished; log: ${agent.log.slice(-1500)}` });

describe('kill -9 of the agent during a rolling update', () => {
  it('the rollout finishes after the restart, with exactly the desired pods', async () => {
    await agent.start();
    const created = await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }] } },
      },
    });
    expect(created.status).toBe(201);
    await settled('busybox');

    const patched = await send('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:latest' }] } } } }, 'application/strategic-merge-patch+json');
    expect(patched.status).toBe(200);
    // Mid-rollout: the new ReplicaSet exists and has begun.
    await waitFor(async () => ((await list('/apis/apps/v1/namespaces/default/replicasets')).some((rs) => rs.spec?.replicas && rs.status?.['replicas'] && (rs as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }).spec?.template?.spec?.containers?.[0]?.image === 'busybox:latest') ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 50, message: 'the new ReplicaSet did not start' });
    await agent.kill9();
    await agent.start();

    const pods = await settled('busybox:latest');
    // The old pods finish their 1 s grace; then exactly the three new pods' containers run.
    const running = await waitFor(async () => {
      const r = (await agent.containers()).filter((c) => c.container === 'c' && c.state === 'running');
      return r.length <= 3 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, message: 'more than 3 containers keep running' });
    expect({ pods: pods.length, podsOfRunning: [...new Set(running.map((c) => c.pod))].sort() })
      .toEqual({ pods: 3, podsOfRunning: pods.map((p) => p.metadata.name).sort() });
  });
});
