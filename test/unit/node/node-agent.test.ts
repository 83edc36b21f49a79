// startNodeAgent (agent/node/index.ts) against the REAL embedded API server on a fake clock: the Node, its
// Lease (right after registration, not a renew period later) and the node's own status events in the API;
// poke() reporting a health flip; stop() before registration rejecting `ready`.
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/errors.js';
import { EVENTS, LEASES, NODES, type KubeObject } from '../../../client/types.js';
import { EventRecorder } from '../../../agent/events/recorder.js';
import { startNodeAgent, type NodeAgent, type NodeAgentOptions } from '../../../agent/node/index.js';
import type { NodeObject } from '../../../agent/node/node-object.js';
import { hooked, startRig, type Rig } from './node-rig.js';

let rig: Rig;
let agent: NodeAgent | undefined;
afterEach(async () => { await agent?.stop(); agent = undefined; await rig?.close(); });

let healthy = true;
function start(over: Partial<NodeAgentOptions> = {}): NodeAgent {
  healthy = true;
  agent = startNodeAgent({
    client: rig.client, nodeName: 'node-a', nodeIP: '10.1.2.3', hostname: 'host-a', port: 10250, maxPods: 110, rootDir: tmpdir(),
    healthy: () => healthy, runtimeVersion: () => '27.5.1', events: new EventRecorder('node-a', () => rig.clock.now()), clock: rig.clock, log: rig.log, ...over,
  });
  return agent;
}

describe('startNodeAgent', () => {
  it('registers the Node, creates its Lease at once and posts the node status events', async ({ expect }) => {
    rig = await startRig();
    const a = start();
    await a.ready;
    await a.idle();
    const node = await rig.client.get<NodeObject>(NODES, undefined, 'node-a');
    const lease = await rig.client.get(LEASES, 'kube-node-lease', 'node-a');
    expect(lease.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: node.metadata!.uid }]);
    expect((lease as KubeObject & { spec: { renewTime: string } }).spec.renewTime).toBe('2024-01-01T00:00:00.000000Z');
    const events = (await rig.client.list<KubeObject & { reason: string; message: string }>(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.kind=Node' })).items;
    expect(events.map((e) => [e.reason, e.message]).sort()).toEqual([
      ['NodeHasNoDiskPressure', 'Node node-a status is now: NodeHasNoDiskPressure'],
      ['NodeHasSufficientMemory', 'Node node-a status is now: NodeHasSufficientMemory'],
      ['NodeHasSufficientPID', 'Node node-a status is now: NodeHasSufficientPID'],
    ]);

    healthy = false;
    a.poke();
    await a.idle();
    const down = await rig.client.get<NodeObject>(NODES, undefined, 'node-a');
    expect(down.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    const notReady = await rig.client.list(EVENTS, { namespace: 'default', fieldSelector: 'reason=NodeNotReady' });
    expect(notReady.items).toHaveLength(1);
  });

  it('stop() before the Node could be registered rejects ready', async ({ expect }) => {
    rig = await startRig();
    const a = start({ client: hooked(rig.client, () => ApiError.unreachable(rig.client.server, new Error('connect ECONNREFUSED'))) });
    await a.stop();
    await expect(a.ready).rejects.toThrow('node node-a was not registered: stopped');
  });
});
