// probes/hooks.ts — postStart / preStop handlers, run the way the kubelet's lifecycle/handlers.go runs them.
//
// Owns: exec (no timeout), httpGet (kube-lifecycle UA, status code ignored, HTTPS→HTTP fallback), sleep
// (ends early when the hook's signal aborts), tcpSocket (rejected), the kubelet's exact failure messages,
// and hook start/end records. Called by the agent's start/kill executors. Never emits FailedPostStartHook /
// FailedPreStopHook and never kills anything: the caller decides what a failure means.
import type { Container, HTTPGetAction, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import {
  type Clock, type EventSink, type LifecycleSink, LIFECYCLE_USER_AGENT, formatPod, runtimeId, systemClock,
} from './types.js';
import type { ExecRunner } from './check/exec.js';
import { buildHttpGetRequest, httpGet, HttpGetError } from './check/http.js';
import { goQuote, messageOf } from './check/go-text.js';

export type HookKind = 'postStart' | 'preStop';
export type HandlerType = 'exec' | 'httpGet' | 'sleep' | 'tcpSocket' | 'none';

/** Event reasons and messages the agent emits around hooks (the hook output never goes into them). */
export const FAILED_POST_START_HOOK = { reason: 'FailedPostStartHook', message: 'PostStartHook failed' } as const;
export const FAILED_PRE_STOP_HOOK = { reason: 'FailedPreStopHook', message: 'PreStopHook failed' } as const;
/** The container's waiting reason after a failed postStart, and the Killing event's message. */
export const POST_START_HOOK_ERROR = 'PostStartHookError';
export const KILLING_MESSAGE_POST_START = 'FailedPostStartHook';
export const LIFECYCLE_HTTP_FALLBACK = 'LifecycleHTTPFallback';
export const SLEEP_TERMINATED = 'container terminated before sleep hook finished';

export interface HookContext {
  readonly pod: Pod;
  readonly container: Container;
  readonly containerId: string;
  readonly podIP: string;
  /** The hook's context: aborting it cancels exec/http and ends a sleep early (with the kubelet's error). */
  readonly signal: AbortSignal;
}

/** A failed hook. `message` is the kubelet's full message; `error` the underlying error text. */
export class HookError extends Error {
  override readonly name = 'HookError';
  constructor(
    readonly kind: HookKind,
    readonly handlerType: HandlerType,
    message: string,
    readonly error: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HandlerRunnerDeps {
  readonly runtime: ExecRunner;
  readonly events: EventSink;
  readonly lifecycle: LifecycleSink;
  readonly clock?: Clock;
  /** Defaults to `kube-lifecycle/1.33`. */
  readonly userAgent?: string;
}

export function handlerType(h: LifecycleHandler): HandlerType {
  return h.exec ? 'exec' : h.httpGet ? 'httpGet' : h.sleep ? 'sleep' : h.tcpSocket ? 'tcpSocket' : 'none';
}

/** Go's generated String() of a LifecycleHandler with no exec/httpGet/sleep (the only ones printed). */
export function formatInvalidHandler(h: LifecycleHandler): string {
  const t = h.tcpSocket;
  const port = t === undefined ? '' : typeof t.port === 'string' ? `{1 0 ${t.port}}` : `{0 ${t.port ?? 0} }`;
  const tcp = t ? `&TCPSocketAction{Port:${port},Host:${t.host ?? ''},}` : 'nil';
  return `&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:${tcp},Sleep:nil,}`;
}

export class HandlerRunner {
  readonly #clock: Clock;

  constructor(readonly deps: HandlerRunnerDeps) {
    this.#clock = deps.clock ?? systemClock;
  }

  /** Runs the handler; resolves on success, throws HookError with the kubelet's message on failure. */
  async run(kind: HookKind, handler: LifecycleHandler, ctx: HookContext): Promise<void> {
    const type = handlerType(handler);
    const podUID = ctx.pod.metadata?.uid ?? '';
    const base = { podUID, container: ctx.container.name, kind: 'hook', hook: kind, handler: type, containerId: ctx.containerId } as const;
    const started = this.#clock.now();
    this.deps.lifecycle.record({ ...base, time: started, phase: 'start' });
    try {
      await this.#dispatch(kind, type, handler, ctx);
    } catch (err) {
      const e = err instanceof HookError ? err : new HookError(kind, type, messageOf(err), messageOf(err), { cause: err });
      const now = this.#clock.now();
      this.deps.lifecycle.record({ ...base, time: now, phase: 'end', result: 'failure', durationMs: now - started, message: e.message });
      throw e;
    }
    const now = this.#clock.now();
    this.deps.lifecycle.record({ ...base, time: now, phase: 'end', result: 'success', durationMs: now - started });
  }

  async #dispatch(kind: HookKind, type: HandlerType, h: LifecycleHandler, ctx: HookContext): Promise<void> {
    const where = `for Container ${goQuote(ctx.container.name)} in Pod ${goQuote(podString(ctx.pod))}`;
    const fail = (message: string, error: string, cause?: unknown) => new HookError(kind, type, message, error, { cause });
    switch (type) {
      case 'exec': {
        const cmd = h.exec!.command ?? [];
        const { error, output } = await this.#exec(cmd, ctx);
        if (error !== undefined) throw fail(`Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: ${error}, message: ${goQuote(output)}`, error);
        return;
      }
      case 'httpGet': {
        const error = await this.#http(h.httpGet!, ctx);
        if (error !== undefined) throw fail(`HTTP lifecycle hook (${h.httpGet!.path || '/'}) ${where} failed - error: ${error}`, error);
        return;
      }
      case 'sleep': {
        const error = await this.#sleep(h.sleep!.seconds, ctx.signal);
        if (error !== undefined) throw fail(`Sleep lifecycle hook (${h.sleep!.seconds}) ${where} failed - error: ${error}`, error);
        return;
      }
      default: {
        const error = `invalid handler: ${formatInvalidHandler(h)}`;
        throw fail(`Cannot run handler: ${error}`, error);
      }
    }
  }

  async #exec(cmd: readonly string[], ctx: HookContext): Promise<{ error?: string; output: string }> {
    try {
      const r = await this.deps.runtime.execSync(runtimeId(ctx.containerId), cmd, 0, ctx.signal);
      const output = r.stdout + r.stderr;
      if (r.exitCode === 0) return { output };
      return { error: `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}`, output };
    } catch (err) {
      return { error: messageOf(err), output: '' };
    }
  }

  /** Returns the error text, or undefined when any HTTP response came back. */
  async #http(action: HTTPGetAction, ctx: HookContext): Promise<string | undefined> {
    const host = action.host || ctx.podIP;
    if (!host) return 'failed to find networking container: the pod has no IP';
    let req;
    try {
      req = buildHttpGetRequest(action, ctx.container, host, this.deps.userAgent ?? LIFECYCLE_USER_AGENT);
    } catch (err) {
      return messageOf(err);
    }
    const first = await this.#get(req, ctx.signal);
    if (first === undefined || !first.includes('server gave HTTP response to HTTPS client')) return first;
    const url = new URL(req.url);
    url.protocol = 'http:';
    const retry = await this.#get({ ...req, url: url.href, headers: req.headers.filter(([k]) => k !== 'Authorization') }, ctx.signal);
    if (retry !== undefined) return first;
    this.deps.events.event(ctx.pod.metadata?.uid ?? '', {
      type: 'Warning',
      reason: LIFECYCLE_HTTP_FALLBACK,
      message: `request to HTTPS lifecycle hook ${url.host} got HTTP response, retry with HTTP succeeded`,
    });
    return undefined;
  }

  async #get(req: Parameters<typeof httpGet>[0], signal: AbortSignal): Promise<string | undefined> {
    try {
      await httpGet(req, { timeoutMs: 0, signal, maxBody: 4096 });
      return undefined;
    } catch (err) {
      // The body is discarded unread in the kubelet: a broken body is not a failure.
      if (err instanceof HttpGetError && err.phase === 'body') return undefined;
      return messageOf(err);
    }
  }

  #sleep(seconds: number, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) return Promise.resolve(SLEEP_TERMINATED);
    if (!(seconds > 0)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => { timer.cancel(); resolve(SLEEP_TERMINATED); };
      const timer = this.#clock.setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(undefined); }, seconds * 1000);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function podString(pod: Pod): string {
  return formatPod({ name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '' });
}
