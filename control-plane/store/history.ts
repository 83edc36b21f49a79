// control-plane/store/history.ts — the watch history window: per resource, a ring of its most recent
// committed events, so a watch can resume from any resourceVersion the window still covers.
//
// kube-apiserver's watch cache keeps the same kind of ring per resource. `floor` is the newest
// resourceVersion whose events may be missing: a watch from rv >= floor replays exactly; rv < floor is
// 410 "too old resource version: rv (floor)". A resource nobody wrote since the store opened keeps
// floor = the resourceVersion at open, so quiet resources never answer 410 spuriously.
import { tooOldResourceVersion } from './errors.js';
import type { StoreEvent } from './types.js';

export class EventRing {
  private readonly buf: (StoreEvent | undefined)[];
  private start = 0;
  private size = 0;

  constructor(private readonly capacity: number, private floorRv: number) {
    this.buf = new Array(capacity);
  }

  get floor(): number { return this.floorRv; }

  push(ev: StoreEvent): void {
    if (this.size === this.capacity) {
      this.floorRv = this.buf[this.start]!.rv;
      this.buf[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    this.buf[(this.start + this.size) % this.capacity] = ev;
    this.size++;
  }

  /** Every event with rv > `rv`, oldest first; throws 410 Expired when the window no longer reaches back. */
  since(rv: number): StoreEvent[] {
    if (rv < this.floorRv) throw tooOldResourceVersion(rv, this.floorRv);
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid).rv > rv) hi = mid; else lo = mid + 1;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): StoreEvent { return this.buf[(this.start + i) % this.capacity]!; }
}

/** One ring per resource, created on first use with the floor given by the store. */
export class History {
  private readonly rings = new Map<string, EventRing>();

  constructor(private readonly capacity: number, private readonly openedAt: number) {}

  push(ev: StoreEvent): void { this.ring(ev.resource).push(ev); }

  since(resource: string, rv: number): StoreEvent[] { return this.ring(resource).since(rv); }

  private ring(resource: string): EventRing {
    let r = this.rings.get(resource);
    if (!r) { r = new EventRing(this.capacity, this.openedAt); this.rings.set(resource, r); }
    return r;
  }
}
