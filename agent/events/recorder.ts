// agent/events/recorder.ts — the event recorder: v1 Events with the kubelet's reasons, counted and time-stamped.
//
// Written by the pod workers, the executor, the probers and the sources; the event sink (agent/node/) posts
// them to the API (`kubectl get events`, `describe`). Identical events (same object, field path, type, reason and message)
// are aggregated into one with a growing count, as the API server's event correlator does. Bounded in memory.
import { randomBytes } from 'node:crypto';
import type { Event } from '../api/v1.js';

export interface EventTarget {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly kind?: string;
}

export interface EventInput {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly fieldPath?: string;
}

type Listener = (e: Event, op: 'ADDED' | 'MODIFIED') => void;

const MAX_EVENTS = 5000;

export class EventRecorder {
  readonly #events = new Map<string, Event>();
  readonly #listeners = new Set<Listener>();
  #rv = 0;

  constructor(
    readonly nodeName: string,
    readonly now: () => number = Date.now,
    readonly log?: (target: EventTarget, e: EventInput) => void,
  ) {}

  event(target: EventTarget, e: EventInput): Event {
    this.log?.(target, e);
    const key = [target.uid, e.fieldPath ?? '', e.type, e.reason, e.message].join('\u0000');
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const existing = this.#events.get(key);
    if (existing) {
      existing.count = (existing.count ?? 1) + 1;
      existing.lastTimestamp = ts;
      (existing.metadata as { resourceVersion?: string }).resourceVersion = String(++this.#rv);
      this.#events.delete(key);
      this.#events.set(key, existing);
      this.#emit(existing, 'MODIFIED');
      return existing;
    }
    const ev: Event = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: {
        name: `${target.name}.${randomBytes(8).toString('hex')}`,
        namespace: target.namespace,
        uid: randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
        resourceVersion: String(++this.#rv),
        creationTimestamp: ts,
      },
      involvedObject: {
        kind: target.kind ?? 'Pod',
        apiVersion: 'v1',
        namespace: target.namespace,
        name: target.name,
        uid: target.uid,
        ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      source: { component: 'kubelet', host: this.nodeName },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: e.type,
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
    };
    this.#events.set(key, ev);
    if (this.#events.size > MAX_EVENTS) this.#events.delete(this.#events.keys().next().value!);
    this.#emit(ev, 'ADDED');
    return ev;
  }

  list(filter?: (e: Event) => boolean): Event[] {
    const all = [...this.#events.values()];
    return filter ? all.filter(filter) : all;
  }

  forObject(uid: string): Event[] {
    return this.list((e) => e.involvedObject.uid === uid);
  }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #emit(e: Event, op: 'ADDED' | 'MODIFIED'): void {
    for (const l of this.#listeners) l(e, op);
  }
}

export function containerFieldPath(type: 'init' | 'container', name: string): string {
  return type === 'init' ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}
