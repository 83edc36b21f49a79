// agent/node/index.ts — the kubelet's node-level API writes in one place: register the Node and keep its
// status (node-status.ts), renew the node Lease (lease.ts), write the recorder's events (event-sink.ts).
//
// startNodeAgent starts the three at once (the lease waits by itself for the Node to own it); the node's
// own status events (NodeHasSufficientMemory, NodeReady, …) go through the same EventRecorder, with the
// kubelet's node reference (kind Node, uid = the node name). Everything goes through the KubeClient.
import { systemClock } from '../../cri/clock.js';
import type { ObjectReference } from '../api/v1.js';
import type { EventRecorder } from '../events/recorder.js';
import { EventSink } from './event-sink.js';
import { NodeLeaseController } from './lease.js';
import { NodeStatusReporter, type NodeStatusOptions } from './node-status.js';

export { EventSink, type EventSinkOptions } from './event-sink.js';
export { NodeLeaseController, NODE_LEASE_NAMESPACE, type NodeLeaseOptions } from './lease.js';
export { NodeStatusReporter, type NodeStatusOptions } from './node-status.js';
export { KUBELET_VERSION } from './node-object.js';
export type { NodeLog } from './ticker.js';

/** What the node status reporter takes (the Node's facts and the runtime's health), plus the recorder and its hook. */
export type NodeAgentOptions = Pick<NodeStatusOptions,
  'client' | 'nodeName' | 'nodeIP' | 'hostname' | 'port' | 'maxPods' | 'rootDir' | 'healthy' | 'runtimeVersion' | 'clock' | 'log'> & {
  /** The kubelet's events: written to the API; the node's own status events are recorded here too. */
  readonly events: EventRecorder;
  /** Points an event's involvedObject elsewhere before it is written (static pod → mirror pod). */
  readonly rewriteInvolved?: (ref: ObjectReference) => ObjectReference;
};

export interface NodeAgent {
  /** Resolves once the Node is registered (created or taken over); rejects if stopped before. */
  readonly ready: Promise<void>;
  /** Reports the node status now (the runtime's health flipped). */
  poke(): void;
  /** Resolves when no status round, lease renewal or event write is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startNodeAgent(o: NodeAgentOptions): NodeAgent {
  const clock = o.clock ?? systemClock;
  const nodeRef = { kind: 'Node', name: o.nodeName, namespace: '', uid: o.nodeName };
  const sink = new EventSink({ client: o.client, events: o.events, log: o.log, clock, rewriteInvolved: o.rewriteInvolved });
  const status = new NodeStatusReporter({
    client: o.client, nodeName: o.nodeName, nodeIP: o.nodeIP, hostname: o.hostname, port: o.port, maxPods: o.maxPods,
    rootDir: o.rootDir, healthy: o.healthy, runtimeVersion: o.runtimeVersion, log: o.log, clock,
    record: (type, reason, message) => o.events.event(nodeRef, { type, reason, message }),
  });
  const lease = new NodeLeaseController({ client: o.client, nodeName: o.nodeName, log: o.log, clock });
  sink.start();
  status.start();
  lease.start();
  // The first lease waits for the Node (its owner); once the Node is there, do not wait a whole period.
  status.registered.then(() => { if (!lease.lease) lease.poke(); }, () => undefined);
  return {
    ready: status.registered,
    poke: () => status.poke(),
    async idle() { await Promise.all([status.idle(), lease.idle()]); await sink.idle(); },
    async stop() { await Promise.all([status.stop(), lease.stop()]); await sink.stop(); },
  };
}
