// agent/kuberuntime/context.ts — what the executors (sync-pod, start-container, kill) need from the agent.
//
// One bundle built once by agent/kubelet.ts. Executors write to the sinks (events, lifecycle record, reason
// cache) and call the runtime; they never read the sinks to decide anything.
import type { Runtime, DNSConfig } from '../../cri/api.js';
import type { Clock } from '../../cri/clock.js';
import type { Container, LifecycleHandler, Pod } from '../api/v1.js';
import type { EventRecorder } from '../events/recorder.js';
import type { LifecycleRecord } from '../timeline/lifecycle-record.js';
import type { Backoff } from './backoff.js';
import type { ImageManager } from './image-manager.js';
import type { ConfigStore } from './env.js';

export interface HookContext {
  readonly pod: Pod;
  readonly container: Container;
  readonly containerId: string;
  readonly podIP: string;
  readonly signal: AbortSignal;
}

/** Runs lifecycle hooks (probes/hooks.ts); throws an Error whose message is the kubelet's hook message. */
export interface HookRunner {
  run(kind: 'postStart' | 'preStop', handler: LifecycleHandler, ctx: HookContext): Promise<void>;
}

export interface Logger {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
  debug(o: object, msg: string): void;
}

/** The last start error of a container, shown as its waiting reason (the kubelet's reasonCache). */
export class ReasonCache {
  readonly #m = new Map<string, { reason: string; message: string }>();
  set(uid: string, name: string, reason: string, message: string): void { this.#m.set(`${uid}/${name}`, { reason, message }); }
  get(uid: string, name: string): { reason: string; message: string } | undefined { return this.#m.get(`${uid}/${name}`); }
  delete(uid: string, name: string): void { this.#m.delete(`${uid}/${name}`); }
  forget(uid: string): void { for (const k of this.#m.keys()) if (k.startsWith(`${uid}/`)) this.#m.delete(k); }
}

export interface RuntimeContext {
  readonly runtime: Runtime;
  readonly rootDir: string;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly hostResolv: DNSConfig;
  readonly events: EventRecorder;
  readonly lifecycle: LifecycleRecord;
  readonly hooks: HookRunner;
  readonly configStore: ConfigStore;
  readonly crashBackoff: Backoff;
  readonly images: ImageManager;
  readonly reasons: ReasonCache;
  /** The one clock of the agent core: every time read and timer of the executors goes through it. */
  readonly clock: Clock;
  readonly log: Logger;
}

export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace ?? 'default'}(${pod.metadata?.uid})`;
}

export function podTarget(pod: Pod): { name: string; namespace: string; uid: string } {
  return { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '' };
}
