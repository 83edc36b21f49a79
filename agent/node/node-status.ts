// agent/node/node-status.ts — registers this node's Node object and keeps its status current, as the
// kubelet's registerWithAPIServer and updateNodeStatus do.
//
// Registration: POST the Node (node-object.ts initialNode); on AlreadyExists take the existing one over (GET,
// reconcile default labels, the attach-detach annotation and resources, PATCH when needed); on any other
// failure retry with back-off (200 ms doubling to 7 s) until it works or stop(). Then every
// nodeStatusUpdateFrequency (10 s, 4 % jitter): GET the Node, run the status setters on a copy, and PATCH
// nodes/<name>/status (strategic merge) only when something but the heartbeats changed or
// nodeStatusReportFrequency (5 min) passed since the last report; up to 5 tries a round. poke() runs a round
// at once (the kubelet's owner calls it when the runtime's health flips). Talks to the API only through
// KubeClient; owns no other state than the time of its last report.
import { systemClock, type Clock } from '../../cri/clock.js';
import { isAlreadyExists } from '../../client/errors.js';
import { NODES, type KubeClient } from '../../client/types.js';
import { machineInfo, resources, type MachinePaths } from './machine-info.js';
import {
  fixRequiredLabels, initialNode, nodeStatusPatch, reconcileExisting, setNodeStatus, statusChanged,
  type NodeFacts, type NodeObject, type RecordNodeEvent,
} from './node-object.js';
import { backoffSteps, errorText, jitter, Ticker, type NodeLog } from './ticker.js';

export interface NodeStatusOptions {
  readonly client: KubeClient;
  readonly nodeName: string;
  /** Reported as the InternalIP address. */
  readonly nodeIP: string;
  /** Reported as the Hostname address and the kubernetes.io/hostname label. */
  readonly hostname: string;
  /** The kubelet's port: status.daemonEndpoints.kubeletEndpoint.Port. */
  readonly port: number;
  readonly maxPods: number;
  /** Its filesystem's size is the ephemeral-storage capacity. */
  readonly rootDir: string;
  /** The runtime answers (PLEG healthy): Ready True, else False with KubeletNotReady. */
  readonly healthy: () => boolean;
  /** The runtime's version (`27.5.1`, reported as `docker://27.5.1`; a value with `://` is taken as it is). */
  readonly runtimeVersion: string | (() => string | undefined);
  readonly log: NodeLog;
  readonly clock?: Clock;
  /** Node events the setters ask for (NodeHasSufficientMemory, NodeReady, NodeNotReady, Rebooted). */
  readonly record?: RecordNodeEvent;
  /** nodeStatusUpdateFrequency (10 s). */
  readonly updateFrequencyMs?: number;
  /** nodeStatusReportFrequency (5 min). */
  readonly reportFrequencyMs?: number;
  readonly random?: () => number;
  readonly paths?: MachinePaths;
}

/** nodeStatusUpdateRetry: tries per round before waiting for the next one. */
const UPDATE_RETRIES = 5;
const JITTER = 0.04;

export class NodeStatusReporter {
  /** Resolves once the Node is registered (created or taken over); rejects if stopped before. */
  readonly registered: Promise<void>;
  readonly #o: NodeStatusOptions;
  readonly #clock: Clock;
  readonly #ticker: Ticker;
  #isRegistered = false;
  #lastReport = -Infinity;
  #settle!: { resolve: () => void; reject: (e: Error) => void };

  constructor(o: NodeStatusOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.registered = new Promise<void>((resolve, reject) => { this.#settle = { resolve, reject }; });
    this.registered.catch(() => undefined);
    this.#ticker = new Ticker({
      clock: this.#clock, periodMs: () => jitter(o.updateFrequencyMs ?? 10_000, JITTER, o.random), work: (signal) => this.#round(signal),
    });
  }

  start(): void { this.#ticker.start(); }

  /** A status round now (after the one in flight). */
  poke(): void { this.#ticker.poke(); }

  /** Resolves when no round is in flight nor asked for. */
  idle(): Promise<void> { return this.#ticker.idle(); }

  async stop(): Promise<void> {
    await this.#ticker.stop();
    if (!this.#isRegistered) this.#settle.reject(new Error(`node ${this.#o.nodeName} was not registered: stopped`));
  }

  #facts(): NodeFacts {
    const o = this.#o;
    const v = typeof o.runtimeVersion === 'function' ? o.runtimeVersion() : o.runtimeVersion;
    return {
      nodeName: o.nodeName, hostname: o.hostname, nodeIP: o.nodeIP, port: o.port,
      machine: machineInfo(o.paths), resources: resources({ maxPods: o.maxPods, rootDir: o.rootDir, paths: o.paths }),
      containerRuntimeVersion: v ? (v.includes('://') ? v : `docker://${v}`) : 'docker://Unknown',
      healthy: o.healthy(),
    };
  }

  #record: RecordNodeEvent = (type, reason, message) => this.#o.record?.(type, reason, message);

  async #round(signal: AbortSignal): Promise<void> {
    if (!this.#isRegistered) await this.#register(signal);
    await this.#updateStatus(signal);
  }

  async #register(signal: AbortSignal): Promise<void> {
    const steps = backoffSteps();
    while (!(await this.#tryRegister())) await this.#clock.sleep(steps.next().value, signal);
    this.#isRegistered = true;
    this.#settle.resolve();
  }

  async #tryRegister(): Promise<boolean> {
    const { client, nodeName, log } = this.#o;
    const node = initialNode(this.#facts(), this.#clock.now(), this.#record);
    log.info({ node: nodeName }, 'Attempting to register node');
    try {
      await client.create(NODES, undefined, node);
      log.info({ node: nodeName }, 'Successfully registered node');
      return true;
    } catch (e) {
      if (!isAlreadyExists(e)) { log.warn({ node: nodeName, err: errorText(e) }, 'Unable to register node with API server'); return false; }
    }
    try {
      const existing = await client.get<NodeObject>(NODES, undefined, nodeName);
      const original = structuredClone(existing);
      log.info({ node: nodeName }, 'Node was previously registered');
      if (reconcileExisting(existing, node)) await this.#patch(original, existing);
      return true;
    } catch (e) {
      log.warn({ node: nodeName, err: errorText(e) }, 'Unable to reconcile node with API server');
      return false;
    }
  }

  async #updateStatus(signal: AbortSignal): Promise<void> {
    for (let i = 0; i < UPDATE_RETRIES && !signal.aborted; i++) {
      try {
        await this.#tryUpdate();
        return;
      } catch (e) {
        this.#o.log.warn({ node: this.#o.nodeName, err: errorText(e) }, 'Error updating node status, will retry');
      }
    }
    if (!signal.aborted) this.#o.log.error({ node: this.#o.nodeName }, 'Unable to update node status: update node status exceeds retry count');
  }

  async #tryUpdate(): Promise<void> {
    const original = await this.#o.client.get<NodeObject>(NODES, undefined, this.#o.nodeName);
    const node = structuredClone(original);
    const facts = this.#facts();
    const now = this.#clock.now();
    const labelsFixed = fixRequiredLabels(node, facts);
    setNodeStatus(node, facts, now, this.#record);
    const changed = labelsFixed || statusChanged(original.status, node.status);
    if (!changed && now - this.#lastReport < (this.#o.reportFrequencyMs ?? 300_000)) return;
    await this.#patch(original, node);
    this.#lastReport = now;
  }

  #patch(original: NodeObject, modified: NodeObject): Promise<NodeObject> {
    return this.#o.client.patch<NodeObject>(NODES, undefined, this.#o.nodeName, 'strategic', nodeStatusPatch(original, modified), { subresource: 'status' });
  }
}
