// cri/docker/kill.ts — the two Docker primitives behind every stop: send a signal, wait for the exit.
//
// Owns: the idempotent answers of Docker's kill (409 = not running, 404 = gone) and the bounded wait for a
// container to stop. Called by containers.ts (StopContainer) and sandbox.ts (StopPodSandbox). Never decides
// which signal or how long: callers do.
import type Dockerode from 'dockerode';
import { isAbortError, statusCodeOf, toCriError } from './map-errors.js';
import { markStoppedByUs } from './oom.js';

/**
 * Sends `signal` to the container. Resolves false when there was nothing to signal (not running or gone),
 * true when the signal was delivered.
 */
export async function signalContainer(d: Dockerode, id: string, signal: string, abort?: AbortSignal): Promise<boolean> {
  try {
    await d.getContainer(id).kill({ signal, abortSignal: abort });
    return true;
  } catch (err) {
    const code = statusCodeOf(err);
    if (code === 409 || code === 404 || code === 304) return false;
    throw toCriError(err, { op: `kill container ${id.slice(0, 12)} with ${signal}`, fallback: 'KillContainerError' });
  }
}

/**
 * Waits until the container is not running, at most `timeoutMs`. Resolves true when it stopped (or is gone),
 * false on timeout. The caller's abort signal rejects (as a CriError) like any other call.
 */
export async function waitStopped(d: Dockerode, id: string, timeoutMs: number, abort?: AbortSignal): Promise<boolean> {
  const timer = AbortSignal.timeout(Math.max(1, timeoutMs));
  const signal = abort ? AbortSignal.any([abort, timer]) : timer;
  try {
    await d.getContainer(id).wait({ condition: 'not-running', abortSignal: signal });
    return true;
  } catch (err) {
    if (statusCodeOf(err) === 404) return true;
    if (isAbortError(err) && timer.aborted && !abort?.aborted) return false;
    throw toCriError(err, { op: `wait for container ${id.slice(0, 12)}`, fallback: 'KillContainerError' });
  }
}

/** SIGKILL, then wait (bounded) for the exit: the "no grace" stop of sandboxes. */
export async function killNow(d: Dockerode, id: string, abort?: AbortSignal): Promise<void> {
  markStoppedByUs(id);
  if (await signalContainer(d, id, 'SIGKILL', abort)) await waitStopped(d, id, 30_000, abort);
}
