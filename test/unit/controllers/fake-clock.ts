// A manual ControllerClock for the controller tests: time moves only through advance(ms), which fires the
// timers that fall due, in order of their due time.
import type { ControllerClock } from '../../../control-plane/controllers/framework/index.js';

export class FakeClock implements ControllerClock {
  #now: number;
  #timers: { at: number; seq: number; fn: () => void; live: boolean }[] = [];
  #seq = 0;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) { this.#now = start; }

  now(): number { return this.#now; }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const t = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, live: true };
    this.#timers.push(t);
    return { cancel: () => { t.live = false; } };
  }

  /** Timers still pending. */
  pending(): number { return this.#timers.filter((t) => t.live).length; }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.#now = due.at;
      due.fn();
    }
    this.#timers = this.#timers.filter((t) => t.live);
    this.#now = end;
  }
}
