// The node lease (agent/node/lease.ts) against the REAL embedded API server, on a fake clock: no lease
// until the Node exists to own it, then created with the owner reference and renewed every 10 s by an
// update alone; a conflicting writer makes it re-read and retry; a failing API is retried after 200 ms
// doubling to 7 s.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isNotFound } from '../../../client/errors.js';
import { LEASES, NODES, type KubeClient, type KubeObject } from '../../../client/types.js';
import { NodeLeaseController, type LeaseObject } from '../../../agent/node/lease.js';
import { hooked, startRig, type Rig } from './node-rig.js';

let rig: Rig;
let lease: NodeLeaseController | undefined;
afterEach(async () => { await lease?.stop(); lease = undefined; await rig?.close(); });

const getLease = () => rig.client.get<LeaseObject>(LEASES, 'kube-node-lease', 'node-a');
const createNode = () => rig.client.create<KubeObject>(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } });

/** Calls the controller makes, as `method resource`. */
function recorded(into: string[]): KubeClient {
  return hooked(rig.client, (method, ref) => { into.push(`${method} ${ref.resource}`); return undefined; });
}

function start(client: KubeClient): NodeLeaseController {
  lease = new NodeLeaseController({ client, nodeName: 'node-a', log: rig.log, clock: rig.clock, random: () => 0 });
  lease.start();
  return lease;
}

async function tick(c: NodeLeaseController, ms: number): Promise<void> {
  await rig.clock.advance(ms);
  await c.idle();
}

describe('node lease', () => {
  it('waits for its Node, then is created owned by it and renewed every 10 s by an update alone', async ({ expect }) => {
    rig = await startRig();
    const calls: string[] = [];
    const c = start(recorded(calls));
    await c.idle();
    const missing = await getLease().catch((e: unknown) => e);
    expect(isNotFound(missing)).toBe(true);
    expect(rig.log.lines.map((l) => l.msg)).toContain('Failed to get node when trying to set owner ref to the node lease');

    const node = await createNode();
    await tick(c, 10_000);
    const created = await getLease();
    expect(created.spec).toEqual({ holderIdentity: 'node-a', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:10.000000Z' });
    expect(created.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: node.metadata!.uid }]);

    calls.length = 0;
    await tick(c, 9_999);
    expect(calls).toEqual([]);
    await tick(c, 1);
    const renewed = await getLease();
    expect(renewed.spec!.renewTime).toBe('2024-01-01T00:00:20.000000Z');
    expect(Number(renewed.metadata!.resourceVersion)).toBeGreaterThan(Number(created.metadata!.resourceVersion));
    expect(calls).toEqual(['update leases']);
  });

  it('on a conflict re-reads the lease and updates that', async ({ expect }) => {
    rig = await startRig();
    await createNode();
    const calls: string[] = [];
    const c = start(recorded(calls));
    await c.idle();
    const mine = await getLease();
    await rig.client.update(LEASES, 'kube-node-lease', { ...mine, metadata: { ...mine.metadata, labels: { touched: 'yes' } } });
    calls.length = 0;
    await tick(c, 10_000);
    expect(calls).toEqual(['update leases', 'get leases', 'update leases']);
    const after = await getLease();
    expect(after.metadata!.labels).toEqual({ touched: 'yes' });
    expect(after.spec!.renewTime).toBe('2024-01-01T00:00:10.000000Z');
  });

  it('retries a failing API after 200 ms, doubling up to 7 s', async ({ expect }) => {
    rig = await startRig();
    await createNode();
    const reads: number[] = [];
    const client = hooked(rig.client, (method, ref) => {
      if (method !== 'get' || ref !== LEASES) return undefined;
      reads.push(rig.clock.now());
      return reads.length <= 7 ? new ApiError({ code: 500, reason: 'InternalError', message: 'etcdserver: request timed out' }) : undefined;
    });
    const c = start(client);
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    for (const step of [200, 400, 800, 1600, 3200, 6400, 7000]) {
      const n = reads.length;
      await rig.clock.advance(step - 1);
      expect(reads).toHaveLength(n);
      await rig.clock.advance(1);
      await vi.waitFor(() => expect(reads).toHaveLength(n + 1));
    }
    await c.idle();
    const t0 = reads[0]!;
    expect(reads.map((t) => t - t0)).toEqual([0, 200, 600, 1400, 3000, 6200, 12600, 19600]);
    expect((await getLease()).spec!.holderIdentity).toBe('node-a');
    expect(rig.log.lines.filter((l) => l.msg === 'Failed to ensure lease exists, will retry').map((l) => (l.obj as { retryInMs: number }).retryInMs))
      .toEqual([200, 400, 800, 1600, 3200, 6400, 7000]);
  });
});
