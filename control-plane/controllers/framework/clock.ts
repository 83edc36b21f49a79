// control-plane/controllers/framework/clock.ts — the time a controller reads and waits on, injected (rule 4 of
// control-plane.md): the same shape as the store's StoreClock, so tests drive queues, back-offs and
// expectations with a fake clock. control-plane uses no cri/ (cri/clock.ts is the agent's).

export interface ControllerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const realClock: ControllerClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** RFC 3339 with seconds, as Kubernetes writes timestamps. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
