// cri/clock.ts — the injected source of time: `now`, one-shot timers and an abortable sleep.
//
// A neutral place with no imports, so agent/, probes/ and cri/ can all depend on it. `systemClock` is real
// time; tests pass cri/fake/fake-clock.ts's FakeClock (which matches this interface structurally) instead.
// Nothing here reads Date.now() or calls setTimeout except `systemClock` itself.

export interface Timer {
  /** Cancels the timer; a no-op when it already fired or was cancelled. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms milliseconds (negative or NaN ms = 0). */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Resolves after ms milliseconds; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The reason an aborted signal carries, or a DOMException AbortError when it carries none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Number.isFinite(ms) && ms > 0 ? ms : 0);
    return { cancel: () => clearTimeout(t) };
  },
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => { clearTimeout(t); reject(abortReason(signal!)); };
      const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Number.isFinite(ms) && ms > 0 ? ms : 0);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
