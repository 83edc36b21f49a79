// cri/fake/fake-clock.ts — a manual clock for unit tests: time moves only when a test calls advance().
//
// Owns: fake `now`, the queue of fake timers, and running them in time order. It matches the Clock interface
// of cri/clock.ts structurally (no import: cri/fake may import only cri/api and cri/errors). Between two
// timers, advance() lets the event loop turn a few times (setImmediate), so every promise chain a timer started
// settles — and may schedule further timers — before the next timer is due. It never touches real timers
// beyond those setImmediates, and never reads Date.now().

/** 2024-01-01T00:00:00Z: a fixed, realistic start so times look like epoch milliseconds. */
export const FAKE_CLOCK_START = Date.UTC(2024, 0, 1);

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every pending promise reaction run (and whatever they chain), once. */
export async function flushMicrotasks(): Promise<void> {
  // A few turns: chains that await across a resolved promise and a macrotask still settle.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

function clampMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export class FakeClock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(startMs: number = FAKE_CLOCK_START) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the earliest timer is due, or undefined when none is waiting. */
  get nextTimerAt(): number | undefined {
    return this.#earliest()?.at;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: FakeTimer = { at: this.#now + clampMs(ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return { cancel: () => { this.#timers = this.#timers.filter((t) => t !== timer); } };
  }

  /** Resolves when fake time reaches now + ms; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => { timer.cancel(); reject(abortReason(signal!)); };
      const timer = this.setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Moves time forward by ms, firing every timer that falls due on the way in (time, creation) order, with
   * `now()` equal to the timer's due time while it runs. Timers scheduled by those timers (or by the promise
   * chains they resume) fire too when they fall inside the window. Ends with now() = start + ms.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + clampMs(ms);
    await flushMicrotasks();
    for (let next = this.#due(target); next; next = this.#due(target)) {
      await this.#fire(next);
    }
    this.#now = Math.max(this.#now, target);
    await flushMicrotasks();
  }

  /** Fires timers until none is left (time jumps to each), including ones they schedule. */
  async runAllTimers(maxTimers = 10_000): Promise<void> {
    await flushMicrotasks();
    for (let fired = 0, next = this.#earliest(); next; next = this.#earliest()) {
      if (++fired > maxTimers) throw new Error(`FakeClock.runAllTimers: more than ${maxTimers} timers; a timer keeps rescheduling itself`);
      await this.#fire(next);
    }
  }

  async #fire(timer: FakeTimer): Promise<void> {
    this.#timers = this.#timers.filter((t) => t !== timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.fn();
    await flushMicrotasks();
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  #due(target: number): FakeTimer | undefined {
    const t = this.#earliest();
    return t && t.at <= target ? t : undefined;
  }
}
