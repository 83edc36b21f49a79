// test/faults/agent-api-crash.test.ts — kill -9 of `mini-kubelet agent` (control plane + kubelet in one
// process) in the middle of a loop of API writes: after a restart on the same --root-dir every write that was
// answered is there with its data and resourceVersion, nothing is torn, the next write's resourceVersion is above
// every answered one, and the API pod that ran before the crash runs on, once (not restarted, not doubled).
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SpawnedAgent } from '../helpers/spawned-agent.js';
import { waitFor } from '../helpers/docker-rig.js';

const agent = new SpawnedAgent();
afterAll(async () => { await agent.cleanup(); });

interface Named { metadata: { name: string; resourceVersion: string }; data?: Record<string, string>; status?: { phase?: string } }

const post = async (path: string, body: object): Promise<Named | undefined> => {
  const r = await fetch(`${agent.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
  return r?.status === 201 ? ((await r.json()) as Named) : undefined;
};
const configMap = (name: string) => post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: name } });
const podRunning = () => waitFor(async () => {
  const r = await fetch(`${agent.url}/api/v1/namespaces/default/pods/steady`).catch(() => undefined);
  return r?.ok && ((await r.json()) as Named).status?.phase === 'Running' ? true : undefined;
}, { timeoutMs: 60_000, intervalMs: 200, message: () => `steady not Running; log: ${agent.log.slice(-1500)}` });

describe('kill -9 of the agent during API writes', () => {
  it('every answered write survives; resourceVersions continue above them; the running pod is neither lost nor doubled', async () => {
    await agent.start();
    expect(await post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'steady' },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    })).toBeDefined();
    await podRunning();
    const containers = async () => (await agent.containers()).filter((c) => c.pod === 'steady').map((c) => `${c.container}:${c.id}:${c.state}`).sort();
    const before = await containers();
    expect(before.map((c) => c.split(':')[0])).toEqual(['POD', 'main']);

    const acked = new Map<string, number>();
    let n = 0;
    for (let round = 0; round < 2; round++) {
      const target = acked.size + 20 + randomInt(30);
      let killing: Promise<void> | undefined;
      for (;;) {
        const name = `c${n++}`;
        const made = await configMap(name);
        if (!made) break;
        acked.set(name, Number(made.metadata.resourceVersion));
        if (!killing && acked.size >= target) killing = sleep(randomInt(100)).then(() => agent.kill9());
      }
      await killing;
      expect(acked.size).toBeGreaterThanOrEqual(target);

      await agent.start();
      const list = (await (await agent.get('/api/v1/namespaces/default/configmaps')).json()) as { items: Named[] };
      const found = new Map(list.items.map((o) => [o.metadata.name, o]));
      const lost = [...acked].filter(([name, rv]) => found.get(name)?.data?.['i'] !== name || Number(found.get(name)!.metadata.resourceVersion) !== rv);
      expect(lost).toEqual([]);
      const next = await configMap(`after-${round}`);
      expect(Number(next?.metadata.resourceVersion)).toBeGreaterThan(Math.max(...acked.values()));
      await podRunning();
      expect(await containers()).toEqual(before);
    }
  });
});
