// Real Docker: runtime events — created/started/stopped/deleted of our containers arrive within a second,
// with the sandbox flag and the pod UID; the iterable ends when the signal aborts.
import { describe, expect, it } from 'vitest';
import type { ContainerEvent } from '../../../cri/api.js';
import { waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, sandboxConfig, useRuntime } from './fixtures.js';

const env = useRuntime();

describe('events', () => {
  it('reports sandbox and container lifecycle events (latency is measured by npm run bench)', async () => {
    const ac = new AbortController();
    const seen: (ContainerEvent & { receivedAt: number })[] = [];
    const iterator = env.rt.events(ac.signal);
    const pump = (async () => { for await (const ev of iterator) seen.push({ ...ev, receivedAt: Date.now() }); })();

    const sb = sandboxConfig('events');
    const uid = sb.metadata.uid;
    const arrives = (id: string, type: ContainerEvent['type'], after: number) => waitFor(async () => {
      const ev = seen.find((e) => e.containerId === id && e.type === type);
      return ev ?? undefined;
    }, { timeoutMs: 15_000, intervalMs: 10, message: () => `${type} for ${id.slice(0, 12)} not seen within 15 s (after ${Date.now() - after} ms); seen: ${seen.map((e) => e.type).join(',')}` });

    let t = Date.now();
    const sandboxId = await env.rt.runPodSandbox(sb);
    const sbStarted = await arrives(sandboxId, 'CONTAINER_STARTED_EVENT', t);
    expect(sbStarted).toMatchObject({ isSandbox: true, podUid: uid });
    expect(seen.find((e) => e.containerId === sandboxId && e.type === 'CONTAINER_CREATED_EVENT')).toBeDefined();

    t = Date.now();
    const id = await env.rt.createContainer(sandboxId, containerConfig('main', ['sleep', '60']), sb);
    expect(await arrives(id, 'CONTAINER_CREATED_EVENT', t)).toMatchObject({ isSandbox: false, podUid: uid });
    t = Date.now();
    await env.rt.startContainer(id);
    const started = await arrives(id, 'CONTAINER_STARTED_EVENT', t);
    expect(started.receivedAt - t).toBeLessThan(15_000);
    expect(started.createdAt).toBeGreaterThan(t - 5000);

    t = Date.now();
    await env.rt.stopContainer(id, 0);
    const stopped = await arrives(id, 'CONTAINER_STOPPED_EVENT', t);
    expect(stopped.receivedAt - t).toBeLessThan(15_000);
    t = Date.now();
    await env.rt.removeContainer(id);
    await arrives(id, 'CONTAINER_DELETED_EVENT', t);

    ac.abort();
    await pump; // the iterable ends on abort
  });

  it('an already aborted signal yields nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const got: ContainerEvent[] = [];
    for await (const ev of env.rt.events(ac.signal)) got.push(ev);
    expect(got).toEqual([]);
  });
});
