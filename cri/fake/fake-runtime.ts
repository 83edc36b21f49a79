// cri/fake/fake-runtime.ts — an in-memory Runtime (RuntimeService + ImageService) for unit tests, in the
// spirit of cri-api's FakeRuntimeService: records every call, injects one-shot errors, and lets a test
// script container exits, signal handling, output, exec answers, logs and pulls on an injected clock.
//
// Owns: the call record (`calls`, assertCalls, injectError, an aborted signal = DeadlineExceeded), the test
// controls, and the image service. The CRI calls themselves live in fake-sandboxes.ts, fake-containers.ts
// and fake-exec.ts, on the state of fake-world.ts. Behaves like cri/docker wherever a caller could tell, and
// test/contract runs the same cases against both to keep it so. Never touches Docker, the filesystem or real
// time (time comes only from `clock`).
import type { Readable } from 'node:stream';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerFilter, ContainerStatus, ExecRequest, ExecSyncResult, Image,
  LogOptions, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, PullProgress, Runtime, RuntimeVersion, StreamSession,
} from '../api.js';
import { CriError } from '../errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeImageStore } from './fake-images.js';
import { FakeScripts, type ContainerMatcher, type ExitScript, type SignalReaction, type StartFailure } from './fake-scripts.js';
import { containerStatusOf, FakeWorld, sandboxStatusOf, type FakeRuntimeClock } from './fake-world.js';
import * as sandboxes from './fake-sandboxes.js';
import * as containers from './fake-containers.js';
import * as execs from './fake-exec.js';

export { normalizeImageRef } from './fake-images.js';
export type { ContainerMatcher, ExitScript, SignalReaction, StartFailure } from './fake-scripts.js';
export type { ExecHandler } from './fake-exec.js';
export type { FakeRuntimeClock } from './fake-world.js';

export const FAKE_PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export type RuntimeMethod = keyof Runtime;
export interface FakeRuntimeOptions {
  /** Default: a new FakeClock, reachable as `runtime.clock`. */
  readonly clock?: FakeRuntimeClock;
  readonly pauseImage?: string;
  /** Labels put on every sandbox and container (cri/docker's extraLabels, e.g. the node label). */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

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
  readonly #errors = new Map<string, unknown[]>();
  readonly #world: FakeWorld;
  readonly #scripts = new FakeScripts();
  readonly #parts: containers.ContainerParts;
  #exec: execs.ExecHandler = () => ({ exitCode: 0, stdout: '', stderr: '' });

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? new FakeClock();
    this.pauseImage = opts.pauseImage ?? FAKE_PAUSE_IMAGE;
    this.#world = new FakeWorld(this.clock, opts.extraLabels ?? {});
    this.#parts = { world: this.#world, scripts: this.#scripts, images: this.#store };
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
  onExec(handler: execs.ExecHandler): void { this.#exec = handler; }
  /** Matching containers exit as the script says after each start (a running container by id: from now). */
  scriptExit(target: ContainerMatcher, script: ExitScript): void {
    const running = typeof target === 'string' ? this.#world.containers.get(target) : undefined;
    if (running?.state === 'CONTAINER_RUNNING') this.#world.arm(running, script);
    else this.#scripts.addExit(target, script);
  }
  /** Makes a running container exit now. */
  exitContainer(id: string, exitCode: number, opts: { oomKilled?: boolean; message?: string } = {}): void {
    const rec = this.#world.container(id);
    if (rec.state !== 'CONTAINER_RUNNING') throw new Error(`FakeRuntime.exitContainer: ${id} is ${rec.state}, not running`);
    this.#world.exit(rec, exitCode, opts);
  }
  /** Matching containers ignore their stop signal: stopContainer kills them (137) after the timeout. */
  ignoreSigterm(target: ContainerMatcher): void { this.#scripts.ignoreSigterm(target); }
  /** Matching containers react to `signal` as a process with that handler would (the latest script wins). */
  scriptSignal(target: ContainerMatcher, signal: string, reaction: SignalReaction): void { this.#scripts.addSignal(target, signal, reaction); }
  /** Matching containers write `text` to their log as they start (a program's first output). */
  scriptOutput(target: ContainerMatcher, text: string): void { this.#scripts.addOutput(target, text); }
  /**
   * Starting a matching container fails as on Docker when the command cannot run: RunContainerError, and the
   * container is left EXITED (reason ContainerCannotRun, exit 127, started = finished = created).
   */
  failStart(target: ContainerMatcher, failure: StartFailure): void { this.#scripts.addStartFailure(target, failure); }
  setLog(id: string, text: string): void { this.#world.container(id).log = []; this.appendLog(id, text); }
  appendLog(id: string, text: string): void { this.#world.appendLog(this.#world.container(id), text); }
  /** Ends every events() stream, as when the runtime connection breaks. */
  breakEvents(): void { this.#world.events.breakAll(); }
  /** Current state without recording a call. */
  snapshot(): { sandboxes: PodSandboxStatus[]; containers: ContainerStatus[] } {
    return { sandboxes: [...this.#world.sandboxes.values()].map(sandboxStatusOf), containers: [...this.#world.containers.values()].map(containerStatusOf) };
  }

  // ---- RuntimeService ---------------------------------------------------------------------------------------
  async version(signal?: AbortSignal): Promise<RuntimeVersion> {
    this.#enter('version', signal);
    return { runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    this.#enter('runPodSandbox', signal);
    return sandboxes.runPodSandbox(this.#world, config, this.hostIP);
  }
  async stopPodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('stopPodSandbox', signal);
    sandboxes.stopPodSandbox(this.#world, podSandboxId);
  }
  async removePodSandbox(podSandboxId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('removePodSandbox', signal);
    sandboxes.removePodSandbox(this.#world, podSandboxId);
  }
  async podSandboxStatus(podSandboxId: string, signal?: AbortSignal): Promise<PodSandboxStatus> {
    this.#enter('podSandboxStatus', signal);
    return sandboxes.podSandboxStatus(this.#world, podSandboxId);
  }
  async listPodSandbox(filter: PodSandboxFilter = {}, signal?: AbortSignal): Promise<PodSandbox[]> {
    this.#enter('listPodSandbox', signal);
    return sandboxes.listPodSandbox(this.#world, filter);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    this.#enter('createContainer', signal);
    return containers.createContainer(this.#parts, podSandboxId, config, sandboxConfig);
  }
  async startContainer(containerId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('startContainer', signal);
    containers.startContainer(this.#parts, containerId);
  }
  async stopContainer(containerId: string, timeoutSec: number, signal?: string, abort?: AbortSignal): Promise<void> {
    this.#enter('stopContainer', abort);
    const sent = containers.stopSignalOf(this.#parts, containerId, signal);
    this.stopRequests.push({ containerId, timeoutSec, signal: sent });
    await containers.stopContainer(this.#parts, containerId, timeoutSec, sent, abort);
  }
  async removeContainer(containerId: string, signal?: AbortSignal): Promise<void> {
    this.#enter('removeContainer', signal);
    containers.removeContainer(this.#world, containerId);
  }
  async listContainers(filter: ContainerFilter = {}, signal?: AbortSignal): Promise<Container[]> {
    this.#enter('listContainers', signal);
    return containers.listContainers(this.#world, filter);
  }
  async containerStatus(containerId: string, signal?: AbortSignal): Promise<ContainerStatus> {
    this.#enter('containerStatus', signal);
    return containers.containerStatus(this.#world, containerId);
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult> {
    this.#enter('execSync', signal);
    return execs.execSync(this.#world, this.#exec, containerId, cmd, timeoutMs, signal);
  }
  async exec(containerId: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession> {
    this.#enter('exec', signal);
    return execs.exec(this.#world, this.#exec, containerId, req);
  }
  async attach(containerId: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession> {
    this.#enter('attach', signal);
    return execs.attach(this.#world, containerId, req);
  }
  async containerLogs(containerId: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
    this.#enter('containerLogs', signal);
    return execs.containerLogs(this.#world, containerId, opts, signal);
  }

  events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    this.calls.push('events');
    return this.#world.events.stream(signal, this.#errors.get('events')?.shift());
  }

  // ---- ImageService -----------------------------------------------------------------------------------------
  async pullImage(ref: string, _auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<string> {
    this.#enter('pullImage', signal);
    const n = this.#store.validRef(ref);
    if (this.registryUnavailable) throw new CriError('RegistryUnavailable', `image pull failed for ${ref} because the registry is unavailable: dial tcp: connection refused`);
    if (!this.#store.pullable(n)) throw new CriError('ErrImagePull', `failed to pull image "${ref}": pull access denied, repository does not exist or may require authorization`);
    onProgress?.({ status: `Pulling from ${n.replace(/[:@][^/]*$/, '')}` });
    if (this.pullDelayMs > 0) await this.#world.race(new Promise<void>((r) => this.clock.setTimeout(r, this.pullDelayMs)), 0, signal, 'pullImage');
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

  /** Records the call; an aborted signal fails it (DeadlineExceeded), then an injected error does. */
  #enter(method: RuntimeMethod, signal?: AbortSignal): void {
    this.calls.push(method);
    if (signal?.aborted) throw new CriError('DeadlineExceeded', `${method}: the operation was aborted`, { cause: signal.reason });
    const queue = this.#errors.get(method);
    if (queue?.length) throw queue.shift();
  }
}
