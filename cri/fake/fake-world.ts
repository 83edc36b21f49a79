// cri/fake/fake-world.ts — the state one fake runtime keeps: its sandboxes and containers, their logs, the
// clock, the event stream, and the few transitions every part needs (a container's exit and removal, a log
// line, a call raced against a timeout and an abort).
//
// Owned by one FakeRuntime (fake-runtime.ts) and shared with fake-sandboxes.ts, fake-containers.ts and
// fake-exec.ts, which implement the CRI calls on it. Maps records to the CRI shapes as cri/docker reports
// them. Never reads real time: every time comes from `clock`.
import { createHash } from 'node:crypto';
import type { PassThrough } from 'node:stream';
import type {
  Container, ContainerConfig, ContainerState, ContainerStatus, PodSandbox, PodSandboxConfig, PodSandboxState, PodSandboxStatus,
} from '../api.js';
import type { Clock } from '../clock.js';
import { CriError } from '../errors.js';
import { FakeEvents } from './fake-events.js';
import type { ExitScript } from './fake-scripts.js';

/** The part of the one Clock (cri/clock.ts) the fake runtime uses. */
export type FakeRuntimeClock = Pick<Clock, 'now' | 'setTimeout'>;
export type Labels = Readonly<Record<string, string>>;
interface LogLine { readonly time: number; readonly text: string }
export interface Follower { readonly out: PassThrough; readonly timestamps: boolean }
export interface SandboxRec { id: string; name: string; config: PodSandboxConfig; state: PodSandboxState; createdAt: number; labels: Labels; ip: string }
export interface ContainerRec {
  id: string; name: string; podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig; labels: Labels;
  imageRef: string; state: ContainerState; createdAt: number; startedAt: number; finishedAt: number; exitCode: number;
  reason: string; message: string; oomKilled: boolean; pid: number; log: LogLine[]; followers: Set<Follower>;
  timers: { cancel(): void }[]; waiters: (() => void)[];
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const matchesLabels = (labels: Labels, sel?: Labels) => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
export const rfc3339Nano = (ms: number) => `${new Date(ms).toISOString().slice(0, -1)}000000Z`;

export class FakeWorld {
  readonly sandboxes = new Map<string, SandboxRec>();
  readonly containers = new Map<string, ContainerRec>();
  readonly events: FakeEvents;
  /** Grows with every id, pid and IP handed out. */
  seq = 0;

  constructor(readonly clock: FakeRuntimeClock, readonly extraLabels: Labels) {
    this.events = new FakeEvents(() => clock.now());
  }

  /** As cri/docker: the caller's labels, then extraLabels, then ours (so a pod label cannot override them). */
  labels(c: PodSandboxConfig, own: Labels, containerName?: string): Labels {
    const m = c.metadata;
    return { ...own, ...this.extraLabels, 'io.kubernetes.pod.name': m.name, 'io.kubernetes.pod.namespace': m.namespace, 'io.kubernetes.pod.uid': m.uid,
      ...(containerName === undefined ? {} : { 'io.kubernetes.container.name': containerName }), 'io.mini-kubelet.managed': 'true' };
  }

  container(id: string): ContainerRec {
    const c = this.containers.get(id);
    if (!c) throw new CriError('NotFound', `container "${id}" not found`);
    return c;
  }

  /** As Docker answers an exec into a container that is not running (409 → Unknown). */
  running(id: string): ContainerRec {
    const c = this.container(id);
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `container ${id} is not running`);
    return c;
  }

  containersOf(sandboxId: string): ContainerRec[] { return [...this.containers.values()].filter((c) => c.podSandboxId === sandboxId); }

  appendLog(rec: ContainerRec, text: string): void {
    for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
      const l = { time: this.clock.now(), text: line };
      rec.log.push(l);
      for (const f of rec.followers) f.out.write(f.timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text);
    }
  }

  /** Schedules the scripted exit of a running container (at once when afterMs ≤ 0). */
  arm(rec: ContainerRec, s: ExitScript): void {
    const exit = () => { if (s.log) this.appendLog(rec, s.log); this.exit(rec, s.exitCode, s); };
    if (s.afterMs <= 0) exit(); else rec.timers.push(this.clock.setTimeout(exit, s.afterMs));
  }

  /** A running container exits: reason as cri-dockerd maps it, followers ended, waiters woken, an event. */
  exit(rec: ContainerRec, exitCode: number, o: { oomKilled?: boolean; message?: string }): void {
    if (rec.state !== 'CONTAINER_RUNNING') return;
    for (const t of rec.timers.splice(0)) t.cancel();
    const reason = o.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    Object.assign(rec, { state: 'CONTAINER_EXITED', finishedAt: this.clock.now(), exitCode, reason, message: o.message ?? '', oomKilled: o.oomKilled ?? false, pid: 0 } satisfies Partial<ContainerRec>);
    for (const f of rec.followers) f.out.end();
    rec.followers.clear();
    for (const w of rec.waiters.splice(0)) w();
    this.events.emit('CONTAINER_STOPPED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
  }

  /** Forced removal: a running container is killed (137) first. */
  remove(rec: ContainerRec): void {
    this.exit(rec, 137, {});
    this.containers.delete(rec.id);
    this.events.emit('CONTAINER_DELETED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
  }

  /** p, unless `timeoutMs` (> 0) passes on the clock or the signal aborts first: then DeadlineExceeded. */
  race<T>(p: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, what: string, timedOut = `${what}: timed out after ${timeoutMs}ms`): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => { if (!done) { done = true; timer?.cancel(); signal?.removeEventListener('abort', onAbort); f(); } };
      const onAbort = () => finish(() => reject(new CriError('DeadlineExceeded', `${what}: the operation was aborted`, { cause: signal?.reason })));
      const timer = timeoutMs > 0 ? this.clock.setTimeout(() => finish(() => reject(new CriError('DeadlineExceeded', timedOut))), timeoutMs) : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      p.then((v) => finish(() => resolve(v)), (e: unknown) => finish(() => reject(e)));
    });
  }
}

export function sandboxStatusOf(s: SandboxRec): PodSandboxStatus {
  const c = s.config;
  return { id: s.id, metadata: c.metadata, state: s.state, createdAt: s.createdAt, labels: s.labels, annotations: c.annotations,
    network: { ip: s.ip, additionalIps: [] }, namespaceOptions: c.namespaceOptions, hostname: c.hostname };
}

export function podSandboxOf(s: SandboxRec): PodSandbox {
  const { id, metadata, state, createdAt, labels, annotations } = sandboxStatusOf(s);
  return { id, metadata, state, createdAt, labels, annotations };
}

export function containerStatusOf(c: ContainerRec): ContainerStatus {
  return { id: c.id, podSandboxId: c.podSandboxId, metadata: c.config.metadata, image: c.config.image, imageRef: c.imageRef, state: c.state,
    createdAt: c.createdAt, labels: c.labels, annotations: c.config.annotations, startedAt: c.startedAt, finishedAt: c.finishedAt,
    exitCode: c.exitCode, reason: c.reason, message: c.message, oomKilled: c.oomKilled, mounts: c.config.mounts ?? [], pid: c.pid };
}

export function containerOf(c: ContainerRec): Container {
  const { id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations } = containerStatusOf(c);
  return { id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations };
}
