// cri/docker/docker-runtime.ts — `DockerRuntime implements Runtime`: the CRI-shaped interface on Docker.
//
// Owns: the configuration (client, root dir, network, extra labels, pause image) and the delegation of each
// CRI call to the file that implements it (sandbox, containers, exec, logs, events, images). Constructed by
// agent/kubelet.ts (and the reset command, and tests). Never holds pod state: every answer comes from Docker,
// so a fresh instance sees exactly what a killed one left behind.
import type { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerFilter, ContainerStatus, ExecRequest, ExecSyncResult,
  Image, LogOptions, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, PullProgress, Runtime, RuntimeVersion,
  StreamSession,
} from '../api.js';
import type { DockerContext } from './context.js';
import { docker } from './map-errors.js';
import * as sandbox from './sandbox.js';
import * as containers from './containers.js';
import * as execs from './exec.js';
import { containerLogs } from './logs.js';
import { events } from './events.js';
import * as images from './images.js';

/**
 * Docker's default bridge (docker0): dockershim's network when no network plugin was configured. A user-defined
 * network costs each sandbox start about 200 ms here (its embedded DNS and rules; docs/benchmarks.md, issue 10).
 */
export const DEFAULT_NETWORK_NAME = 'bridge';

export interface DockerRuntimeOptions {
  /** Defaults to the engine of DOCKER_HOST or /var/run/docker.sock. */
  readonly docker?: Dockerode;
  readonly rootDir: string;
  /** The network sandboxes join: Docker's default 'bridge', or a user-defined bridge network made on first use. */
  readonly networkName?: string;
  readonly podInfraContainerImage: string;
  /** Added to every container and network this runtime creates (tests use it for their run label). */
  readonly extraLabels?: Record<string, string>;
}

export class DockerRuntime implements Runtime {
  readonly #ctx: DockerContext;
  #pauseImage: string;

  constructor(opts: DockerRuntimeOptions) {
    this.#pauseImage = opts.podInfraContainerImage;
    this.#ctx = {
      docker: opts.docker ?? new Dockerode(),
      rootDir: opts.rootDir,
      networkName: opts.networkName ?? DEFAULT_NETWORK_NAME,
      extraLabels: { ...(opts.extraLabels ?? {}) },
      pauseImage: () => this.#pauseImage,
    };
  }

  /** The pause image sandboxes are created from (after resolvePauseImage chose one). */
  setPauseImage(image: string): void { this.#pauseImage = image; }
  get pauseImage(): string { return this.#pauseImage; }
  get networkName(): string { return this.#ctx.networkName; }
  get rootDir(): string { return this.#ctx.rootDir; }

  /** Removes this agent's networks matching `selector` that no container uses (for `mini-kubelet reset`). */
  removeNetworks(selector: Readonly<Record<string, string>> = {}): Promise<number> {
    return sandbox.removeNetworks(this.#ctx, selector);
  }

  async version(signal?: AbortSignal): Promise<RuntimeVersion> {
    const v = await docker({ op: 'docker version' }, () => { signal?.throwIfAborted(); return this.#ctx.docker.version(); });
    return { runtimeName: 'docker', runtimeVersion: v.Version, runtimeApiVersion: v.ApiVersion };
  }

  runPodSandbox(config: PodSandboxConfig, signal?: AbortSignal): Promise<string> { return sandbox.runPodSandbox(this.#ctx, config, signal); }
  stopPodSandbox(id: string, signal?: AbortSignal): Promise<void> { return sandbox.stopPodSandbox(this.#ctx, id, signal); }
  removePodSandbox(id: string, signal?: AbortSignal): Promise<void> { return sandbox.removePodSandbox(this.#ctx, id, signal); }
  podSandboxStatus(id: string, signal?: AbortSignal): Promise<PodSandboxStatus> { return sandbox.podSandboxStatus(this.#ctx, id, signal); }
  listPodSandbox(filter?: PodSandboxFilter, signal?: AbortSignal): Promise<PodSandbox[]> { return sandbox.listPodSandbox(this.#ctx, filter, signal); }

  createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    return containers.createContainer(this.#ctx, sandboxId, config, sandboxConfig, signal);
  }
  startContainer(id: string, signal?: AbortSignal): Promise<void> { return containers.startContainer(this.#ctx, id, signal); }
  stopContainer(id: string, timeoutSec: number, signal?: string, abort?: AbortSignal): Promise<void> {
    return containers.stopContainer(this.#ctx, id, timeoutSec, signal, abort);
  }
  removeContainer(id: string, signal?: AbortSignal): Promise<void> { return containers.removeContainer(this.#ctx, id, signal); }
  listContainers(filter?: ContainerFilter, signal?: AbortSignal): Promise<Container[]> { return containers.listContainers(this.#ctx, filter, signal); }
  containerStatus(id: string, signal?: AbortSignal): Promise<ContainerStatus> { return containers.containerStatus(this.#ctx, id, signal); }

  execSync(id: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult> {
    return execs.execSync(this.#ctx, id, cmd, timeoutMs, signal);
  }
  exec(id: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession> { return execs.exec(this.#ctx, id, req, signal); }
  attach(id: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession> { return execs.attach(this.#ctx, id, req, signal); }
  containerLogs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> { return containerLogs(this.#ctx, id, opts, signal); }
  events(signal: AbortSignal): AsyncIterable<ContainerEvent> { return events(this.#ctx, signal); }

  pullImage(ref: string, auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<string> {
    return images.pullImage(this.#ctx, ref, auth, onProgress, signal);
  }
  imageStatus(ref: string, signal?: AbortSignal): Promise<Image | null> { return images.imageStatus(this.#ctx, ref, signal); }
  listImages(signal?: AbortSignal): Promise<Image[]> { return images.listImages(this.#ctx, signal); }
  removeImage(ref: string, signal?: AbortSignal): Promise<void> { return images.removeImage(this.#ctx, ref, signal); }
}

export function createDockerRuntime(opts: DockerRuntimeOptions): DockerRuntime {
  return new DockerRuntime(opts);
}
