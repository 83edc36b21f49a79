// agent/node/event-sink.ts — writes the kubelet's events to the API, as client-go's event broadcaster and
// its sink do for the kubelet: a new event (ADDED from the EventRecorder) is POSTed as a core/v1 Event; a
// repeat of it (MODIFIED: count bumped) is a merge PATCH of count, lastTimestamp and message, or a POST
// again when the API no longer has it (404).
//
// The recorder's callback only queues (never blocks, never throws): one pending write per event, so a
// repeat of an event not yet written is folded into its write; beyond 1000 pending events the oldest are
// dropped. One writer works through the queue in order. A write the server could not answer (transport
// failure, 5xx, 429) is tried up to 12 times, 10 s apart (the first wait random, as client-go); a write the
// server refuses is dropped; either way one log line. Events about the Node (cluster-scoped) go to namespace
// `default` with an involvedObject without namespace, as the kubelet's do. `rewriteInvolved` may point an
// event elsewhere (the static pod's mirror pod) before it is written.
import { systemClock, type Clock } from '../../cri/clock.js';
import { ApiError, isAlreadyExists, isNotFound } from '../../client/errors.js';
import { EVENTS, type KubeClient, type KubeObject } from '../../client/types.js';
import type { Event, ObjectReference } from '../api/v1.js';
import type { EventRecorder } from '../events/recorder.js';
import { errorText, type NodeLog } from './ticker.js';

export interface EventSinkOptions {
  readonly client: KubeClient;
  /** Where the events come from (the EventRecorder). */
  readonly events: Pick<EventRecorder, 'subscribe'>;
  readonly log: NodeLog;
  readonly clock?: Clock;
  /** Applied to each event's involvedObject before it is written. */
  readonly rewriteInvolved?: (ref: ObjectReference) => ObjectReference;
  /** Pending events kept at most (1000, the broadcaster's queue). */
  readonly maxQueued?: number;
  /** Tries per write the server could not answer (12, client-go's maxTriesPerEvent). */
  readonly maxTries?: number;
  /** Wait between those tries (10 s). */
  readonly retryDelayMs?: number;
  readonly random?: () => number;
}

interface Pending { readonly event: Event; readonly op: 'create' | 'patch' }

/** Kinds whose objects have no namespace: their events live in `default`. */
const CLUSTER_SCOPED = new Set(['Node', 'Namespace', 'PersistentVolume']);

/** Errors worth trying again: the server did not answer, or answered that it could not now. */
const retryable = (e: unknown): boolean => !(e instanceof ApiError) || e.code === 0 || e.code === 429 || e.code >= 500;

export class EventSink {
  readonly #o: EventSinkOptions;
  readonly #clock: Clock;
  readonly #queue = new Map<string, Pending>();
  readonly #stop = new AbortController();
  #unsubscribe: (() => void) | undefined;
  #worker: Promise<void> | undefined;
  #dropped = 0;
  #droppedInBurst = 0;

  constructor(o: EventSinkOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
  }

  start(): void {
    this.#unsubscribe ??= this.#o.events.subscribe((e, op) => this.#enqueue(e, op));
  }

  /** Events waiting to be written. */
  get queued(): number { return this.#queue.size; }

  /** Events dropped because the queue was full. */
  get dropped(): number { return this.#dropped; }

  /** Resolves when the queue is empty and no write is in flight. */
  async idle(): Promise<void> {
    while (this.#worker) await this.#worker;
  }

  /** Stops taking events; the write in flight ends (its retries are abandoned), the queue is dropped. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#stop.abort();
    await this.#worker;
    this.#queue.clear();
  }

  #enqueue(event: Event, op: 'ADDED' | 'MODIFIED'): void {
    if (this.#stop.signal.aborted) return;
    const key = event.metadata?.uid ?? `${event.metadata?.namespace}/${event.metadata?.name}`;
    if (!this.#queue.has(key)) this.#queue.set(key, { event, op: op === 'ADDED' ? 'create' : 'patch' });
    else if (op === 'ADDED') this.#queue.set(key, { event, op: 'create' });
    const max = this.#o.maxQueued ?? 1000;
    while (this.#queue.size > max) {
      this.#queue.delete(this.#queue.keys().next().value!);
      this.#dropped++;
      if (this.#droppedInBurst++ === 0) this.#o.log.warn({ max }, 'Event queue is full: dropping the oldest events');
    }
    this.#kick();
  }

  #kick(): void {
    if (this.#worker || this.#stop.signal.aborted || this.#queue.size === 0) return;
    // Started on a later microtask: the recorder's caller only ever pays for a Map insertion.
    this.#worker = Promise.resolve().then(() => this.#drain()).finally(() => {
      this.#worker = undefined;
      this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.size > 0 && !this.#stop.signal.aborted) {
      const [key, pending] = this.#queue.entries().next().value!;
      this.#queue.delete(key);
      await this.#deliver(pending);
    }
    if (this.#droppedInBurst > 0) {
      this.#o.log.warn({ dropped: this.#droppedInBurst }, 'Events were dropped while the event queue was full');
      this.#droppedInBurst = 0;
    }
  }

  async #deliver(p: Pending): Promise<void> {
    const tries = this.#o.maxTries ?? 12;
    const delay = this.#o.retryDelayMs ?? 10_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#write(p);
        return;
      } catch (e) {
        if (this.#stop.signal.aborted) return;
        if (!retryable(e) || attempt >= tries) {
          const why = retryable(e) ? `giving up after ${attempt} tries` : 'the server refused it, not retrying';
          this.#o.log.warn({ event: p.event.metadata?.name, reason: p.event.reason, err: errorText(e) }, `Unable to write event (${why})`);
          return;
        }
        const wait = attempt === 1 ? (this.#o.random ?? Math.random)() * delay : delay;
        try { await this.#clock.sleep(wait, this.#stop.signal); } catch { return; }
      }
    }
  }

  async #write(p: Pending): Promise<void> {
    const { namespace, body } = this.#body(p.event);
    const name = p.event.metadata!.name!;
    if (p.op === 'patch') {
      const e = p.event;
      try {
        await this.#o.client.patch(EVENTS, namespace, name, 'merge', { count: e.count, lastTimestamp: e.lastTimestamp, message: e.message });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    try {
      await this.#o.client.create(EVENTS, namespace, body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** The core/v1 Event to POST, from the recorder's (read now: it carries the latest count). */
  #body(e: Event): { namespace: string; body: KubeObject } {
    let ref: ObjectReference = this.#o.rewriteInvolved ? this.#o.rewriteInvolved({ ...e.involvedObject }) : { ...e.involvedObject };
    let namespace = ref.namespace || 'default';
    if (CLUSTER_SCOPED.has(ref.kind ?? '')) {
      const { namespace: _, ...rest } = ref;
      ref = rest;
      namespace = 'default';
    }
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: e.metadata!.name!, namespace },
      involvedObject: ref, reason: e.reason, message: e.message, type: e.type, source: e.source,
      firstTimestamp: e.firstTimestamp, lastTimestamp: e.lastTimestamp, count: e.count,
      reportingComponent: e.reportingComponent, reportingInstance: e.reportingInstance,
    };
    return { namespace, body };
  }
}
