// cri/fake/fake-runtime.ts — an in-memory Runtime (RuntimeService + ImageService) for unit tests, in the
// spirit of cri-api's FakeRuntimeService: records every call, injects one-shot errors, and lets a test
// script container exits, exec answers, logs, pulls and stop-signal handling on an injected clock.
//
// Owns: sandboxes, containers, images and the event stream of one fake runtime. Behaves like cri/docker where
// a caller could tell: dockershim-style names make creates fail with AlreadyExists, listed labels also carry
// the io.kubernetes.pod.* / container.name labels built from metadata (plus `extraLabels`), the id filter
// matches a prefix, removing a sandbox removes its containers, stop = 128+signal (143 for SIGTERM).
// Never touches Docker, the filesystem or real time (time comes only from `clock`).
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerEventType, ContainerFilter, ContainerState,
  ContainerStatus, ExecRequest, ExecSyncResult, Image, LogOptions, PodSandbox, PodSandboxConfig, PodSandboxFilter,
  PodSandboxState, PodSandboxStatus, PullProgress, Runtime, RuntimeVersion, StreamSession,
} from '../api.js';
import { CriError } from '../errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeImageStore, normalizeImageRef } from './fake-images.js';

export { normalizeImageRef } from './fake-images.js';

export const FAKE_PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export type RuntimeMethod = keyof Runtime;
/** A container id, or a predicate over the configs it was created with. */
export type ContainerMatcher = string | ((config: ContainerConfig, sandbox: PodSandboxConfig) => boolean);
export interface ExitScript {
  /** Ms after start (on the clock) at which the container exits; ≤ 0 = inside startContainer. */
  readonly afterMs: number;
  readonly exitCode: number;
  readonly oomKilled?: boolean;
  readonly message?: string;
  /** Appended to the container's log when it exits. */
  readonly log?: string;
  /** How many starts this script applies to (default: every matching start). */
  readonly times?: number;
}
/** How a scripted process reacts to a signal: ignores it, or its handler exits with the code. */
export type SignalReaction = 'ignore' | { readonly exitCode: number };
/** A start that fails as Docker's does for a command the image lacks (exit 127, the runtime's message). */
export interface StartFailure { readonly exitCode?: number; readonly message: string }
export type ExecHandler = (containerId: string, cmd: readonly string[]) => ExecSyncResult | Promise<ExecSyncResult>;
export interface FakeRuntimeClock { now(): number; setTimeout(fn: () => void, ms: number): { cancel(): void } }
export interface FakeRuntimeOptions {
  /** Default: a new FakeClock, reachable as `runtime.clock`. */
  readonly clock?: FakeRuntimeClock;
  readonly pauseImage?: string;
  /** Labels put on every sandbox and container (cri/docker's extraLabels, e.g. the node label). */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

type Labels = Readonly<Record<string, string>>;
interface LogLine { readonly time: number; readonly text: string }
interface Follower { readonly out: PassThrough; readonly timestamps: boolean }
interface SandboxRec { id: string; name: string; config: PodSandboxConfig; state: PodSandboxState; createdAt: number; labels: Labels; ip: string }
interface ContainerRec {
  id: string; name: string; podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig; labels: Labels;
  imageRef: string; state: ContainerState; createdAt: number; startedAt: number; finishedAt: number; exitCode: number;
  reason: string; message: string; oomKilled: boolean; pid: number; log: LogLine[]; followers: Set<Follower>;
  timers: { cancel(): void }[]; waiters: (() => void)[];
}
interface Subscriber { queue: ContainerEvent[]; wake?: () => void; ended: boolean }

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const signalNumber = (s: string) => SIGNALS[s.toUpperCase()] ?? SIGNALS[`SIG${s.toUpperCase()}`] ?? (Number(s) || 15);
const matches = (labels: Labels, sel?: Labels) => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
const rfc3339Nano = (ms: number) => `${new Date(ms).toISOString().slice(0, -1)}000000Z`;

export class FakeRuntime implements Runtime {
  /** Method names in call order. */
  readonly calls: string[] = [];
  /** Every stopContainer call with the signal actually sent. */
  readonly stopRequests: { containerId: string; timeoutSec: number; signal: string }[] = [];
  readonly #store = new FakeImageStore();
  /** Normalized refs of the images present. */
  readonly images = this.#store.images;
  readonly clock: FakeRuntimeClock;
  readonly pauseImage: string;
  registryUnavailable = false;
  /** Fake pull duration on the clock. */
  pullDelayMs = 0;
  hostIP = '192.168.65.3';
  readonly #extraLabels: Labels;
  readonly #errors = new Map<string, unknown[]>();
  readonly #sandboxes = new Map<string, SandboxRec>();
  readonly #containers = new Map<string, ContainerRec>();
  readonly #scripts: { match: ContainerMatcher; script: ExitScript; left: number }[] = [];
  readonly #ignoreSigterm: ContainerMatcher[] = [];
  readonly #signalScripts: { match: ContainerMatcher; signal: number; reaction: SignalReaction }[] = [];
  readonly #startOutputs: { match: ContainerMatcher; text: string }[] = [];
  readonly #startFailures: { match: ContainerMatcher; failure: StartFailure }[] = [];
  readonly #subscribers = new Set<Subscriber>();
  #exec: ExecHandler = () => ({ exitCode: 0, stdout: '', stderr: '' });
  #seq = 0;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? new FakeClock();
    this.pauseImage = opts.pauseImage ?? FAKE_PAUSE_IMAGE;
    this.#extraLabels = opts.extraLabels ?? {};
    this.addImage('busybox:latest');
    this.addImage(this.pauseImage);
  }

  // ---- test controls ----------------------------------------------------------------------------------------
  /** Throws when `calls` differs from expected (then clear with resetCalls()). */
  assertCalls(expected: readonly string[]): void {
    if (expected.length !== this.calls.length || expected.some((c, i) => c !== this.calls[i])) {
      throw new Error(`FakeRuntime calls differ:\n  expected: [${expected.join(', ')}]\n  actual:   [${this.calls.join(', ')}]`);
    }
  }
  resetCalls(): void { this.calls.length = 0; }
  /** The next call of `method` throws err (queued; each error is thrown once). */
  injectError(method: RuntimeMethod, err: unknown): void {
    this.#errors.set(method, [...(this.#errors.get(method) ?? []), err]);
  }
  addImage(ref: string, config: Partial<Image> = {}): void { this.#store.add(ref, config); }
  /** pullImage(ref) succeeds from now on (unless registryUnavailable). */
  allowPull(ref: string): void { this.#store.allowPull(ref); }
  onExec(handler: ExecHandler): void { this.#exec = handler; }
  scriptExit(target: ContainerMatcher, script: ExitScript): void {
    const running = typeof target === 'string' ? this.#containers.get(target) : undefined;
    if (running?.state === 'CONTAINER_RUNNING') this.#arm(running, script);
    else this.#scripts.push({ match: target, script, left: script.times ?? Infinity });
  }
  /** Makes a running container exit now. */
  exitContainer(id: string, exitCode: number, opts: { oomKilled?: boolean; message?: string } = {}): void {
    const rec = this.#container(id);
    if (rec.state !== 'CONTAINER_RUNNING') throw new Error(`FakeRuntime.exitContainer: ${id} is ${rec.state}, not running`);
    this.#exit(rec, exitCode, opts);
  }
  /** Matching containers ignore their stop signal: stopContainer kills them (137) after the timeout. */
  ignoreSigterm(target: ContainerMatcher): void { this.#ignoreSigterm.push(target); }
  /** Matching containers react to `signal` as a process with that handler would (the latest script wins). */
  scriptSignal(target: ContainerMatcher, signal: string, reaction: SignalReaction): void {
    this.#signalScripts.push({ match: target, signal: signalNumber(signal), reaction });
  }
  /** Matching containers write `text` to their log as they start (a program's first output). */
  scriptOutput(target: ContainerMatcher, text: string): void { this.#startOutputs.push({ match: target, text }); }
  /**
   * Starting a matching container fails as on Docker when the command cannot run: RunContainerError, and the
   * container is left EXITED (reason ContainerCannotRun, exit 127, started = finished = created).
   */
  failStart(target: ContainerMatcher, failure: StartFailure): void { this.#startFailures.push({ match: target, failure }); }
  setLog(id: string, text: string): void { this.#container(id).log = []; this.appendLog(id, text); }
  appendLog(id: string, text: string): void {
    const rec = this.#container(id);
    for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
      const l = { time: this.clock.now(), text: line };
      rec.log.push(l);
      for (const f of rec.followers) f.out.write(f.timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text);
    }
  }
  /** Ends every events() stream, as when the runtime connection breaks. */
  breakEvents(): void { for (const s of this.#subscribers) { s.ended = true; s.wake?.(); } this.#subscribers.clear(); }
  /** Current state without recording a call. */
  snapshot(): { sandboxes: PodSandboxStatus[]; containers: ContainerStatus[] } {
    return { sandboxes: [...this.#sandboxes.values()].map((s) => this.#sandboxStatus(s)), containers: [...this.#containers.values()].map((c) => this.#status(c)) };
  }

  // ---- RuntimeService ---------------------------------------------------------------------------------------
  async version(signal?: AbortSignal): Promise<RuntimeVersion> {
    this.#enter('version', signal);
    return { runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    this.#enter('runPodSandbox', signal);
    const m = config.metadata;
    const name = `k8s_POD_${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
    if ([...this.#sandboxes.values()].some((s) => s.name === name)) throw new CriError('AlreadyExists', `sandbox name "${name}" is already in use`);
    const id = sha256(`fake-sandbox-${++this.#seq}`);
    const ip = config.namespaceOptions.network === 'NODE' ? this.hostIP : `10.88.${Math.floor(this.#seq / 254) % 256}.${(this.#seq % 254) + 1}`;
    const labels = this.#labels(config, config.labels);
    this.#sandboxes.set(id, { id, name, config, state: 'SANDBOX_READY', createdAt: this.clock.now(), labels, ip });
    this.#emit('CONTAINER_CREATED_EVENT', id, true, m.uid);
    this.#emit('CONTAINER_STARTED_EVENT', id, true, m.uid);
    return id;
  }

  async stopPodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('stopPodSandbox', signal);
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const c of this.#containersOf(sb.id)) this.#exit(c, 137, {});
    if (sb.state === 'SANDBOX_READY') {
      // As cri/docker: a stopped sandbox has no IP, but one on the host network keeps the host's.
      Object.assign(sb, { state: 'SANDBOX_NOTREADY', ip: sb.config.namespaceOptions.network === 'NODE' ? sb.ip : '' } satisfies Partial<SandboxRec>);
      this.#emit('CONTAINER_STOPPED_EVENT', sb.id, true, sb.config.metadata.uid);
    }
  }

  async removePodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('removePodSandbox', signal);
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) return;
    for (const c of this.#containersOf(sb.id)) this.#remove(c);
    if (sb.state === 'SANDBOX_READY') this.#emit('CONTAINER_STOPPED_EVENT', sb.id, true, sb.config.metadata.uid);
    this.#sandboxes.delete(sb.id);
    this.#emit('CONTAINER_DELETED_EVENT', sb.id, true, sb.config.metadata.uid);
  }

  async podSandboxStatus(podSandboxId: string, signal?: AbortSignal): Promise<PodSandboxStatus> {
    this.#enter('podSandboxStatus', signal);
    const sb = this.#sandboxes.get(podSandboxId);
    if (!sb) throw new CriError('NotFound', `pod sandbox "${podSandboxId}" not found`);
    return this.#sandboxStatus(sb);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}, signal?: AbortSignal): Promise<PodSandbox[]> {
    this.#enter('listPodSandbox', signal);
    return [...this.#sandboxes.values()]
      .filter((s) => (!filter.id || s.id.startsWith(filter.id)) && (!filter.state || s.state === filter.state) && matches(s.labels, filter.labelSelector))
      .map((s) => this.#sandboxStatus(s))
      .map(({ id, metadata, state, createdAt, labels, annotations }) => ({ id, metadata, state, createdAt, labels, annotations }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    this.#enter('createContainer', signal);
    if (!this.#sandboxes.has(podSandboxId)) throw new CriError('NotFound', `pod sandbox "${podSandboxId}" not found`);
    const image = this.#store.find(config.image);
    if (!image) throw new CriError('CreateContainerError', `no such image: ${config.image}`);
    const m = sandboxConfig.metadata;
    const name = `k8s_${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt}`;
    if ([...this.#containers.values()].some((c) => c.name === name)) throw new CriError('AlreadyExists', `container name "${name}" is already in use`);
    const id = sha256(`fake-container-${++this.#seq}`);
    const labels = this.#labels(sandboxConfig, config.labels, config.metadata.name);
    this.#containers.set(id, {
      id, name, podSandboxId, config, sandboxConfig, labels, imageRef: image.id, state: 'CONTAINER_CREATED', createdAt: this.clock.now(),
      startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', oomKilled: false, pid: 0, log: [], followers: new Set(), timers: [], waiters: [],
    });
    this.#emit('CONTAINER_CREATED_EVENT', id, false, m.uid);
    return id;
  }

  async startContainer(containerId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('startContainer', signal);
    const rec = this.#container(containerId);
    if (rec.state === 'CONTAINER_RUNNING') return;
    if (this.#sandboxes.get(rec.podSandboxId)?.state !== 'SANDBOX_READY') throw new CriError('RunContainerError', `pod sandbox ${rec.podSandboxId} is not ready`);
    const failure = this.#last(this.#startFailures, rec)?.failure;
    if (failure) {
      Object.assign(rec, { state: 'CONTAINER_EXITED', startedAt: rec.createdAt, finishedAt: rec.createdAt, exitCode: failure.exitCode ?? 127, reason: 'ContainerCannotRun', message: failure.message } satisfies Partial<ContainerRec>);
      throw new CriError('RunContainerError', `start container ${containerId.slice(0, 12)}: ${failure.message}`);
    }
    // As Docker: an exited container starts again (its log kept), with the state of a new run.
    Object.assign(rec, {
      state: 'CONTAINER_RUNNING', startedAt: this.clock.now(), finishedAt: 0, exitCode: 0, reason: '', message: '', oomKilled: false, pid: 1000 + ++this.#seq,
    } satisfies Partial<ContainerRec>);
    this.#emit('CONTAINER_STARTED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
    const output = this.#last(this.#startOutputs, rec)?.text;
    if (output !== undefined) this.appendLog(rec.id, output);
    const s = [...this.#scripts].reverse().find((s) => s.left > 0 && this.#matches(s.match, rec));
    if (s) { s.left--; this.#arm(rec, s.script); }
  }

  async stopContainer(containerId: string, timeoutSec: number, signal?: string, abort?: AbortSignal): Promise<void> {
    this.#enter('stopContainer', abort);
    const rec = this.#container(containerId);
    const sent = signal ?? rec.config.stopSignal ?? (this.#store.find(rec.config.image)?.stopSignal || 'SIGTERM');
    this.stopRequests.push({ containerId, timeoutSec, signal: sent });
    if (rec.state !== 'CONTAINER_RUNNING') return;
    const reaction = this.#reaction(rec, signalNumber(sent));
    if (reaction !== 'ignore') return this.#exit(rec, reaction.exitCode, {});
    if (timeoutSec <= 0) return this.#exit(rec, 137, {});
    const exited = new Promise<void>((r) => rec.waiters.push(r));
    rec.timers.push(this.clock.setTimeout(() => this.#exit(rec, 137, {}), timeoutSec * 1000));
    await this.#race(exited, 0, abort, 'stopContainer');
  }

  async removeContainer(containerId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('removeContainer', signal);
    const rec = this.#containers.get(containerId);
    if (rec) this.#remove(rec);
  }

  async listContainers(filter: ContainerFilter = {}, signal?: AbortSignal): Promise<Container[]> {
    this.#enter('listContainers', signal);
    return [...this.#containers.values()]
      .filter((c) => (!filter.id || c.id.startsWith(filter.id)) && (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId)
        && (!filter.state || c.state === filter.state) && matches(c.labels, filter.labelSelector))
      .map((c) => this.#status(c))
      .map(({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }) => ({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }));
  }

  async containerStatus(containerId: string, signal?: AbortSignal): Promise<ContainerStatus> {
    this.#enter('containerStatus', signal);
    return this.#status(this.#container(containerId));
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult> {
    this.#enter('execSync', signal);
    this.#running(containerId);
    return this.#race(Promise.resolve().then(() => this.#exec(containerId, cmd)), timeoutMs, signal, 'execSync', `command "${cmd.join(' ')}" timed out`);
  }

  async exec(containerId: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession> {
    this.#enter('exec', signal);
    this.#running(containerId);
    const stdout = req.stdout || req.tty ? new PassThrough() : null;
    const stderr = req.stderr && !req.tty ? new PassThrough() : null;
    const exitCode = Promise.resolve().then(() => this.#exec(containerId, req.cmd)).then((r) => {
      stdout?.end(req.tty ? r.stdout + r.stderr : r.stdout);
      stderr?.end(r.stderr);
      return r.exitCode;
    }, (err: unknown) => { stdout?.end(); stderr?.end(); throw err; });
    exitCode.catch(() => undefined);
    return this.#session(req.stdin ? new PassThrough() : null, stdout, stderr, exitCode, () => { stdout?.end(); stderr?.end(); });
  }

  async attach(containerId: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession> {
    this.#enter('attach', signal);
    const rec = this.#container(containerId);
    const out = new PassThrough();
    const follower: Follower = { out, timestamps: false };
    let closed!: (code: number) => void;
    const exitCode = new Promise<number>((r) => { closed = r; });
    if (rec.state === 'CONTAINER_RUNNING') {
      rec.followers.add(follower);
      rec.waiters.push(() => closed(rec.exitCode));
    } else {
      out.end();
      closed(rec.state === 'CONTAINER_EXITED' ? rec.exitCode : -1);
    }
    const close = () => { rec.followers.delete(follower); out.end(); closed(-1); };
    return this.#session(req.stdin ? new PassThrough() : null, req.stdout || req.tty ? out : null, req.stderr && !req.tty ? Readable.from([]) : null, exitCode, close);
  }

  async containerLogs(containerId: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
    this.#enter('containerLogs', signal);
    const rec = this.#container(containerId);
    let lines = rec.log.filter((l) => !opts.sinceTime || l.time >= opts.sinceTime);
    if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = lines.slice(Math.max(0, lines.length - opts.tailLines));
    let text = Buffer.from(lines.map((l) => (opts.timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text)).join(''));
    if (opts.limitBytes !== undefined && opts.limitBytes >= 0) text = text.subarray(0, opts.limitBytes);
    if (!opts.follow || rec.state !== 'CONTAINER_RUNNING') return Readable.from(text.length ? [text] : []);
    const out = new PassThrough();
    const follower = { out, timestamps: opts.timestamps ?? false };
    out.write(text);
    rec.followers.add(follower);
    signal?.addEventListener('abort', () => { rec.followers.delete(follower); out.end(); }, { once: true });
    return out;
  }

  events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    this.calls.push('events');
    const injected = this.#errors.get('events')?.shift();
    const sub: Subscriber = { queue: [], ended: false };
    const end = () => { sub.ended = true; this.#subscribers.delete(sub); sub.wake?.(); };
    if (injected === undefined && !signal.aborted) this.#subscribers.add(sub);
    signal.addEventListener('abort', end, { once: true });
    return (async function* () {
      try {
        if (injected !== undefined) throw injected;
        for (;;) {
          if (signal.aborted) return;
          const ev = sub.queue.shift();
          if (ev) { yield ev; continue; }
          if (sub.ended) return;
          await new Promise<void>((r) => { sub.wake = r; });
          sub.wake = undefined;
        }
      } finally { end(); signal.removeEventListener('abort', end); }
    })();
  }

  // ---- ImageService -----------------------------------------------------------------------------------------
  async pullImage(ref: string, _auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<string> {
    this.#enter('pullImage', signal);
    const n = this.#store.validRef(ref);
    if (this.registryUnavailable) throw new CriError('RegistryUnavailable', `image pull failed for ${ref} because the registry is unavailable: dial tcp: connection refused`);
    if (!this.#store.pullable(n)) throw new CriError('ErrImagePull', `failed to pull image "${ref}": pull access denied, repository does not exist or may require authorization`);
    onProgress?.({ status: `Pulling from ${n.replace(/[:@][^/]*$/, '')}` });
    if (this.pullDelayMs > 0) await this.#race(new Promise<void>((r) => this.clock.setTimeout(r, this.pullDelayMs)), 0, signal, 'pullImage');
    if (!this.images.has(n)) this.addImage(n);
    onProgress?.({ status: `Status: Downloaded newer image for ${n}` });
    return this.#store.image(n).id;
  }

  async imageStatus(ref: string, signal?: AbortSignal): Promise<Image | null> {
    this.#enter('imageStatus', signal);
    return this.#store.find(this.#store.validRef(ref)) ?? null;
  }

  async listImages(signal?: AbortSignal): Promise<Image[]> {
    this.#enter('listImages', signal);
    return [...this.images].map((n) => this.#store.image(n));
  }

  async removeImage(ref: string, signal?: AbortSignal): Promise<void> {
    this.#enter('removeImage', signal);
    const img = this.#store.find(this.#store.validRef(ref));
    if (img) for (const t of img.repoTags) this.images.delete(t);
  }

  // ---- internals --------------------------------------------------------------------------------------------
  #enter(method: RuntimeMethod, signal?: AbortSignal): void {
    this.calls.push(method);
    if (signal?.aborted) throw new CriError('DeadlineExceeded', `${method}: the operation was aborted`, { cause: signal.reason });
    const queue = this.#errors.get(method);
    if (queue?.length) throw queue.shift();
  }

  #race<T>(p: Promise<T>, timeoutMs: number, signal: AbortSignal | undefined, what: string, timedOut = `${what}: timed out after ${timeoutMs}ms`): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => { if (!done) { done = true; timer?.cancel(); signal?.removeEventListener('abort', onAbort); f(); } };
      const onAbort = () => finish(() => reject(new CriError('DeadlineExceeded', `${what}: the operation was aborted`, { cause: signal?.reason })));
      const timer = timeoutMs > 0 ? this.clock.setTimeout(() => finish(() => reject(new CriError('DeadlineExceeded', timedOut))), timeoutMs) : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      p.then((v) => finish(() => resolve(v)), (e: unknown) => finish(() => reject(e)));
    });
  }

  #session(stdin: PassThrough | null, stdout: Readable | null, stderr: Readable | null, exitCode: Promise<number>, close: () => void): StreamSession {
    return { stdin, stdout, stderr, exitCode, resize: async () => undefined, close: () => { stdin?.end(); close(); } };
  }

  #arm(rec: ContainerRec, s: ExitScript): void {
    const exit = () => { if (s.log) this.appendLog(rec.id, s.log); this.#exit(rec, s.exitCode, s); };
    if (s.afterMs <= 0) exit(); else rec.timers.push(this.clock.setTimeout(exit, s.afterMs));
  }

  #exit(rec: ContainerRec, exitCode: number, o: { oomKilled?: boolean; message?: string }): void {
    if (rec.state !== 'CONTAINER_RUNNING') return;
    for (const t of rec.timers.splice(0)) t.cancel();
    const reason = o.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    Object.assign(rec, { state: 'CONTAINER_EXITED', finishedAt: this.clock.now(), exitCode, reason, message: o.message ?? '', oomKilled: o.oomKilled ?? false, pid: 0 } satisfies Partial<ContainerRec>);
    for (const f of rec.followers) f.out.end();
    rec.followers.clear();
    for (const w of rec.waiters.splice(0)) w();
    this.#emit('CONTAINER_STOPPED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
  }

  #remove(rec: ContainerRec): void {
    this.#exit(rec, 137, {});
    this.#containers.delete(rec.id);
    this.#emit('CONTAINER_DELETED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
  }

  #emit(type: ContainerEventType, containerId: string, isSandbox: boolean, podUid: string): void {
    const ev: ContainerEvent = { containerId, type, isSandbox, podUid, createdAt: this.clock.now() };
    for (const s of this.#subscribers) { s.queue.push(ev); s.wake?.(); }
  }

  /** What the container's process does on signal n: SIGKILL always kills (137), else its script, else 128+n. */
  #reaction(rec: ContainerRec, n: number): SignalReaction {
    if (n === 9) return { exitCode: 137 };
    const scripted = [...this.#signalScripts].reverse().find((s) => s.signal === n && this.#matches(s.match, rec));
    if (scripted) return scripted.reaction;
    return this.#ignoreSigterm.some((m) => this.#matches(m, rec)) ? 'ignore' : { exitCode: 128 + n };
  }

  #last<T extends { match: ContainerMatcher }>(list: readonly T[], rec: ContainerRec): T | undefined {
    return [...list].reverse().find((e) => this.#matches(e.match, rec));
  }

  #matches(m: ContainerMatcher, rec: ContainerRec): boolean {
    return typeof m === 'string' ? m === rec.id : m(rec.config, rec.sandboxConfig);
  }

  /** As cri/docker: the caller's labels, then extraLabels, then ours (so a pod label cannot override them). */
  #labels(c: PodSandboxConfig, own: Labels, containerName?: string): Labels {
    const m = c.metadata;
    return { ...own, ...this.#extraLabels, 'io.kubernetes.pod.name': m.name, 'io.kubernetes.pod.namespace': m.namespace, 'io.kubernetes.pod.uid': m.uid,
      ...(containerName === undefined ? {} : { 'io.kubernetes.container.name': containerName }), 'io.mini-kubelet.managed': 'true' };
  }

  #container(id: string): ContainerRec {
    const c = this.#containers.get(id);
    if (!c) throw new CriError('NotFound', `container "${id}" not found`);
    return c;
  }
  #containersOf(sandboxId: string): ContainerRec[] { return [...this.#containers.values()].filter((c) => c.podSandboxId === sandboxId); }
  #running(id: string): ContainerRec {
    const c = this.#container(id);
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `container ${id} is not running`);
    return c;
  }

  #sandboxStatus(s: SandboxRec): PodSandboxStatus {
    const c = s.config;
    return { id: s.id, metadata: c.metadata, state: s.state, createdAt: s.createdAt, labels: s.labels, annotations: c.annotations,
      network: { ip: s.ip, additionalIps: [] }, namespaceOptions: c.namespaceOptions, hostname: c.hostname };
  }

  #status(c: ContainerRec): ContainerStatus {
    return { id: c.id, podSandboxId: c.podSandboxId, metadata: c.config.metadata, image: c.config.image, imageRef: c.imageRef, state: c.state,
      createdAt: c.createdAt, labels: c.labels, annotations: c.config.annotations, startedAt: c.startedAt, finishedAt: c.finishedAt,
      exitCode: c.exitCode, reason: c.reason, message: c.message, oomKilled: c.oomKilled, mounts: c.config.mounts ?? [], pid: c.pid };
  }
}
