// cri/fake/fake-events.ts — the event stream of the fake runtime: every subscriber gets each event emitted
// after it subscribed, in order, until its signal aborts or the "connection" breaks.
//
// Owned by one FakeWorld (fake-world.ts), which emits; FakeRuntime.events() and breakEvents() read and end
// the streams. Never buffers for nobody: an event with no subscriber is dropped, as Docker's stream does.
import type { ContainerEvent, ContainerEventType } from '../api.js';

interface Subscriber { queue: ContainerEvent[]; wake?: () => void; ended: boolean }

export class FakeEvents {
  readonly #subscribers = new Set<Subscriber>();

  readonly #now: () => number;

  constructor(now: () => number) { this.#now = now; }

  emit(type: ContainerEventType, containerId: string, isSandbox: boolean, podUid: string): void {
    const ev: ContainerEvent = { containerId, type, isSandbox, podUid, createdAt: this.#now() };
    for (const s of this.#subscribers) { s.queue.push(ev); s.wake?.(); }
  }

  /** Ends every stream, as when the runtime connection breaks. */
  breakAll(): void {
    for (const s of this.#subscribers) { s.ended = true; s.wake?.(); }
    this.#subscribers.clear();
  }

  /** A stream of the events from now on; `injected` (an error) makes it throw at once instead. */
  stream(signal: AbortSignal, injected: unknown): AsyncIterable<ContainerEvent> {
    const sub: Subscriber = { queue: [], ended: false };
    const end = () => { sub.ended = true; this.#subscribers.delete(sub); sub.wake?.(); };
    if (injected === undefined && !signal.aborted) this.#subscribers.add(sub);
    signal.addEventListener('abort', end, { once: true });
    return (async function* () {
      try {
        if (injected !== undefined) throw injected;
        for (;;) {
          if (signal.aborted) return;
          const ev = sub.queue.shift();
          if (ev) { yield ev; continue; }
          if (sub.ended) return;
          await new Promise<void>((r) => { sub.wake = r; });
          sub.wake = undefined;
        }
      } finally { end(); signal.removeEventListener('abort', end); }
    })();
  }
}
