// control-plane/scheduler/scheduler.ts — binds pods that name no node to one (the default-scheduler's job,
// reduced to what a few dev-machine nodes need; its full filter/score plugins are a later issue).
//
// Watches pods without spec.nodeName (schedulerName default-scheduler) and the nodes. A pod goes to a Ready,
// schedulable node whose labels match its nodeSelector, the one with the fewest pods; the binding is a POST of
// pods/binding and a `Scheduled` event. With no such node the pod gets PodScheduled False `Unschedulable` and
// a `FailedScheduling` event, and is tried again when the nodes change (or, held back by its claims —
// volume-binding.ts — when a claim it names is added or changed). A client of the API like any other
// (client/), so it never reads the store itself.
import { Informer, isConflict, isNotFound, EVENTS, NODES, PODS, type KubeClient, type KubeObject } from '../../client/index.js';
import { decide, type NodeView, type PodView } from './decide.js';
import { PVCS, usesClaim, type PodLike } from '../controllers/storage/index.js';
import { podVolumes, preFilterMessage, selectNode, volumeConflict, volumesAdmit } from './volume-binding.js';

export interface SchedulerOptions {
  readonly client: KubeClient;
  readonly now?: () => number;
  readonly log?: { warn(o: object, m: string): void };
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #pods: Informer<KubeObject>;
  readonly #nodes: Informer<KubeObject>;
  readonly #claims: Informer<KubeObject>;
  readonly #queue = new Set<string>();
  /** Pods told they are unschedulable with this message already (no event storm on every node change). */
  readonly #told = new Map<string, string>();
  #running = false;

  constructor(o: SchedulerOptions) {
    this.#o = o;
    const podChanged = (p: KubeObject): void => this.#enqueue(p);
    this.#pods = new Informer<KubeObject>(o.client, PODS, {}, { onAdd: podChanged, onUpdate: (_o, p) => podChanged(p), onDelete: () => this.#retryAll() });
    this.#nodes = new Informer<KubeObject>(o.client, NODES, {}, { onAdd: () => this.#retryAll(), onUpdate: (old, n) => { if (fitOf(old) !== fitOf(n)) this.#retryAll(); }, onDelete: () => this.#retryAll() });
    const claimChanged = (c: KubeObject): void => this.#retryUsers(c);
    this.#claims = new Informer<KubeObject>(o.client, PVCS, {}, { onAdd: claimChanged, onUpdate: (_o, c) => claimChanged(c) });
  }

  run(signal: AbortSignal): Promise<void> {
    return Promise.all([this.#pods.run(signal), this.#nodes.run(signal), this.#claims.run(signal)]).then(() => undefined);
  }

  #enqueue(p: KubeObject): void {
    const spec = (p as PodView).spec ?? {};
    if (spec.nodeName || p.metadata?.deletionTimestamp) return;
    if ((spec.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    this.#queue.add(`${p.metadata?.namespace}/${p.metadata?.name}`);
    void this.#drain();
  }

  #retryAll(): void {
    for (const p of this.#pods.list()) this.#enqueue(p);
  }

  /** isSchedulableAfterPersistentVolumeClaimChange: the pods of the claim's namespace that name it. */
  #retryUsers(claim: KubeObject): void {
    const ns = claim.metadata?.namespace;
    for (const p of this.#pods.list()) if (p.metadata?.namespace === ns && usesClaim(p as PodLike, claim.metadata?.name ?? '')) this.#enqueue(p);
  }

  async #drain(): Promise<void> {
    if (this.#running || !this.#nodes.hasSynced() || !this.#pods.hasSynced()) return;
    this.#running = true;
    try {
      while (this.#queue.size) {
        const key = this.#queue.values().next().value as string;
        this.#queue.delete(key);
        const [ns, name] = key.split('/') as [string, string];
        const pod = this.#pods.get(ns, name) as PodView | undefined;
        if (pod) await this.#schedule(pod).catch((err: unknown) => this.#o.log?.warn({ pod: key, err: err instanceof Error ? err.message : String(err) }, 'Scheduling failed'));
      }
    } finally {
      this.#running = false;
    }
  }

  async #schedule(pod: PodView): Promise<void> {
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    // Bound claims keep the pod to their volumes' nodes; unbound ones learn the chosen node (volume-binding.ts).
    const volumes = await podVolumes(this.#o.client, pod);
    const all = this.#nodes.list().length;
    const nodes = (this.#nodes.list() as NodeView[]).filter((n) => volumesAdmit(volumes, n));
    const d = volumes.blocked ? { message: preFilterMessage(all, volumes.blocked) }
      : nodes.length || !all ? decide(pod, nodes, this.#pods.list() as PodView[]) : { message: volumeConflict(all) };
    if (d.node) {
      await selectNode(this.#o.client, ns, volumes, d.node);
      try {
        await this.#o.client.create(PODS, ns, { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata!.uid }, target: { apiVersion: 'v1', kind: 'Node', name: d.node } }, { subresource: 'binding', name });
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) return; // bound meanwhile, or gone
        throw err;
      }
      this.#told.delete(pod.metadata!.uid!);
      await this.#event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${d.node}`);
      return;
    }
    const message = d.message ?? '';
    if (this.#told.get(pod.metadata!.uid!) === message) return;
    this.#told.set(pod.metadata!.uid!, message);
    const at = rfc3339((this.#o.now ?? Date.now)());
    await this.#o.client.patch(PODS, ns, name, 'strategic', {
      status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: at }] },
    }, { subresource: 'status', fieldManager: 'default-scheduler' }).catch((err: unknown) => { if (!isNotFound(err)) throw err; });
    await this.#event(pod, 'Warning', 'FailedScheduling', message);
  }

  async #event(pod: PodView, type: string, reason: string, message: string): Promise<void> {
    const md = pod.metadata!;
    const at = rfc3339((this.#o.now ?? Date.now)());
    await this.#o.client.create(EVENTS, md.namespace, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${md.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`, namespace: md.namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: md.name, namespace: md.namespace, uid: md.uid },
      reason, message, type, count: 1, firstTimestamp: at, lastTimestamp: at,
      source: { component: 'default-scheduler' }, reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler',
    }).catch(() => undefined);
  }
}

const readyOf = (n: KubeObject): boolean => ((n as NodeView).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
/** What of a node decides fit (readiness, labels, taints, unschedulable): pods are retried when it changes. */
const fitOf = (n: KubeObject): string => JSON.stringify([readyOf(n), n.metadata?.labels ?? {}, (n as NodeView).spec ?? {}]);
