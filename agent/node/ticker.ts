// agent/node/ticker.ts — the periodic loop the node's writers run on (the kubelet's wait.JitterUntil): do
// the work, sleep a jittered period on the injected clock, again; poke() cuts the sleep short; stop() ends
// it. Also the small things the node writers share: their logger shape and an abortable back-off.
//
// Used by node-status.ts and lease.ts. One run of the work at a time; a failing run is logged by the work
// itself (the ticker swallows what it throws and carries on).
import type { Clock } from '../../cri/clock.js';

/** The logger the node writers take (pino's Logger fits). */
export interface NodeLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `ms` stretched by up to `factor` of itself at random (wait.Jitter). */
export const jitter = (ms: number, factor: number, random: () => number = Math.random): number => ms + random() * factor * ms;

/**
 * Back-off steps of the kubelet's registration and lease creation: 200 ms, 400 ms, … doubling, at most
 * `maxMs` (the first wait is twice the 100 ms start, as both loops double before they sleep).
 */
export function* backoffSteps(maxMs = 7_000, startMs = 100): Generator<number, never> {
  for (let step = startMs; ;) {
    step = Math.min(step * 2, maxMs);
    yield step;
  }
}

export class Ticker {
  readonly #clock: Clock;
  readonly #periodMs: () => number;
  readonly #work: (signal: AbortSignal) => Promise<void>;
  readonly #stop = new AbortController();
  #wake: AbortController | undefined;
  #poked = false;
  #running: Promise<void> | undefined;
  #loop: Promise<void> | undefined;

  constructor(o: { clock: Clock; periodMs: () => number; work: (signal: AbortSignal) => Promise<void> }) {
    this.#clock = o.clock;
    this.#periodMs = o.periodMs;
    this.#work = o.work;
  }

  get signal(): AbortSignal { return this.#stop.signal; }

  /** Runs the work now, then every period. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Runs the work again as soon as the current run (if any) ends. */
  poke(): void {
    if (this.#stop.signal.aborted) return;
    this.#poked = true;
    this.#wake?.abort();
  }

  /** Resolves when no run is in flight nor asked for. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#running) { await this.#running; continue; }
      if (!this.#poked || this.#stop.signal.aborted || !this.#loop) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Ends the loop; resolves when the run in flight has noticed. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      this.#poked = false;
      this.#running = this.#work(signal).catch(() => undefined);
      await this.#running;
      this.#running = undefined;
      if (signal.aborted || this.#poked) continue;
      this.#wake = new AbortController();
      await this.#clock.sleep(this.#periodMs(), AbortSignal.any([signal, this.#wake.signal])).catch(() => undefined);
      this.#wake = undefined;
    }
  }
}
