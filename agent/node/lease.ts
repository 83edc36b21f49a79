// agent/node/lease.ts — the node's heartbeat: Lease `<nodeName>` in `kube-node-lease` (coordination.k8s.io/v1),
// renewed every 0.25 × leaseDurationSeconds (40 s → 10 s, 4 % jitter), as the kubelet's node lease
// controller (component-helpers' lease controller with the kubelet's owner-reference hook) does it.
//
// A round: update the lease last written (its resourceVersion, no GET) with a new renewTime; if that fails,
// ensure the lease (GET, create when missing; any failure retried after 200 ms doubling to 7 s) and update
// that. An update is tried 5 times; a conflict re-reads the lease first. Until the lease has an owner
// reference, every write first GETs the Node for its uid and sets one (apiVersion v1, kind Node): without
// it a create waits for the next round, an update goes ahead. Talks to the API only through KubeClient.
import { systemClock, type Clock } from '../../cri/clock.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { LEASES, NODES, type KubeClient, type KubeObject } from '../../client/types.js';
import { backoffSteps, errorText, jitter, Ticker, type NodeLog } from './ticker.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export type LeaseObject = KubeObject & {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string; leaseTransitions?: number };
};

export interface NodeLeaseOptions {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly log: NodeLog;
  readonly clock?: Clock;
  /** nodeLeaseDurationSeconds (40). */
  readonly durationSeconds?: number;
  readonly random?: () => number;
}

/** maxUpdateRetries: immediate update tries before waiting for the next round. */
const UPDATE_RETRIES = 5;
const RENEW_FRACTION = 0.25;
const JITTER = 0.04;

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class NodeLeaseController {
  readonly #o: NodeLeaseOptions;
  readonly #clock: Clock;
  readonly #ticker: Ticker;
  #latest: LeaseObject | undefined;

  constructor(o: NodeLeaseOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    const renewMs = (o.durationSeconds ?? 40) * 1000 * RENEW_FRACTION;
    this.#ticker = new Ticker({ clock: this.#clock, periodMs: () => jitter(renewMs, JITTER, o.random), work: (signal) => this.#round(signal) });
  }

  /** The lease as the API last answered it. */
  get lease(): LeaseObject | undefined { return this.#latest; }

  start(): void { this.#ticker.start(); }

  /** A renewal now (after the one in flight). */
  poke(): void { this.#ticker.poke(); }

  /** Resolves when no renewal is in flight. */
  idle(): Promise<void> { return this.#ticker.idle(); }

  stop(): Promise<void> { return this.#ticker.stop(); }

  async #round(signal: AbortSignal): Promise<void> {
    if (this.#latest) {
      if (await this.#retryUpdate(this.#latest, signal)) return;
      this.#o.log.info({ node: this.#o.nodeName }, 'Failed to update lease using latest lease, fallback to ensure lease');
    }
    const { lease, created } = await this.#backoffEnsure(signal);
    this.#latest = lease;
    if (!created && lease && !(await this.#retryUpdate(lease, signal))) {
      this.#o.log.warn({ node: this.#o.nodeName }, `Failed ${UPDATE_RETRIES} attempts to update lease, will retry at the next renewal`);
    }
  }

  /** Ensures the lease exists, retrying with back-off until it does (or stop()). */
  async #backoffEnsure(signal: AbortSignal): Promise<{ lease: LeaseObject | undefined; created: boolean }> {
    const steps = backoffSteps();
    for (;;) {
      try {
        return await this.#ensure();
      } catch (e) {
        const wait = steps.next().value;
        this.#o.log.warn({ node: this.#o.nodeName, err: errorText(e), retryInMs: wait }, 'Failed to ensure lease exists, will retry');
        await this.#clock.sleep(wait, signal);
      }
    }
  }

  /** GET the lease, or create it when missing (not when the owner reference cannot be set yet). */
  async #ensure(): Promise<{ lease: LeaseObject | undefined; created: boolean }> {
    const { client, nodeName } = this.#o;
    try {
      return { lease: await client.get<LeaseObject>(LEASES, NODE_LEASE_NAMESPACE, nodeName), created: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const { lease, owned } = await this.#newLease(undefined);
    if (!owned) return { lease: undefined, created: false };
    return { lease: await client.create(LEASES, NODE_LEASE_NAMESPACE, lease), created: true };
  }

  async #retryUpdate(base: LeaseObject, signal: AbortSignal): Promise<boolean> {
    let from: LeaseObject | undefined = base;
    for (let i = 0; i < UPDATE_RETRIES && from && !signal.aborted; i++) {
      const { lease } = await this.#newLease(from);
      try {
        this.#latest = await this.#o.client.update(LEASES, NODE_LEASE_NAMESPACE, lease);
        return true;
      } catch (e) {
        this.#o.log.warn({ node: this.#o.nodeName, err: errorText(e) }, 'Failed to update lease');
        if (isConflict(e)) from = (await this.#backoffEnsure(signal)).lease;
      }
    }
    return false;
  }

  /** A copy of `base` (or a new lease) renewed now, with the Node as owner when it can be read. */
  async #newLease(base: LeaseObject | undefined): Promise<{ lease: LeaseObject; owned: boolean }> {
    const { nodeName } = this.#o;
    const lease: LeaseObject = base ? structuredClone(base) : {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: this.#o.durationSeconds ?? 40 },
    };
    lease.spec = { ...lease.spec, renewTime: microTime(this.#clock.now()) };
    if (lease.metadata?.ownerReferences?.length) return { lease, owned: true };
    try {
      const node = await this.#o.client.get(NODES, undefined, nodeName);
      lease.metadata = { ...lease.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata!.uid! }] };
      return { lease, owned: true };
    } catch (e) {
      this.#o.log.warn({ node: nodeName, err: errorText(e) }, 'Failed to get node when trying to set owner ref to the node lease');
      return { lease, owned: false };
    }
  }
}
