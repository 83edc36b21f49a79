// agent/kuberuntime/instrumented-runtime.ts — a Runtime decorator that records every call (the kubelet's
// kuberuntime/instrumented_services.go).
//
// Owns: kubelet_runtime_operations_total / _errors_total / _duration_seconds by operation_type (the CRI
// method names in the kubelet's spelling: run_podsandbox, create_container, pull_image, …), and the start
// counters that sit on runtime calls: kubelet_started_pods_total (+_errors_total) on run_podsandbox,
// kubelet_started_containers_total{container_type} on create_container (+_errors_total{container_type,code}
// with the kubelet's codes CreateContainerError / RunContainerError). The kubelet counts a container start a
// step earlier, before its image pull; here a start that fails while pulling is not counted.
// Observers only: it changes no argument and no answer, and never throws on its own.
import type { Readable } from 'node:stream';
import type {
  AuthConfig, Container, ContainerConfig, ContainerEvent, ContainerFilter, ContainerStatus, ExecRequest, ExecSyncResult,
  Image, LogOptions, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, PullProgress, Runtime,
  RuntimeVersion, StreamSession,
} from '../../cri/api.js';
import { A_TYPE } from './labels.js';

/** Where the decorator reports (agent/metrics implements it). */
export interface RuntimeMetricsSink {
  runtimeOperation(operationType: string, seconds: number, failed: boolean): void;
  startedPod(failed: boolean): void;
  startedContainer(containerType: string): void;
  startedContainerFailed(containerType: string, code: string): void;
}

function containerType(config: ContainerConfig): string {
  return config.annotations[A_TYPE] === 'init' ? 'init_container' : 'container';
}

export class InstrumentedRuntime implements Runtime {
  readonly #rt: Runtime;
  readonly #m: RuntimeMetricsSink;
  readonly #now: () => number;
  /** Created, not yet started containers: their type, for a start error. */
  readonly #types = new Map<string, string>();

  constructor(runtime: Runtime, metrics: RuntimeMetricsSink, now: () => number = () => performance.now()) {
    this.#rt = runtime;
    this.#m = metrics;
    this.#now = now;
  }

  async #op<T>(operationType: string, call: () => Promise<T>): Promise<T> {
    const t0 = this.#now();
    let failed = true;
    try {
      const out = await call();
      failed = false;
      return out;
    } finally {
      this.#m.runtimeOperation(operationType, (this.#now() - t0) / 1000, failed);
    }
  }

  version(signal?: AbortSignal): Promise<RuntimeVersion> {
    return this.#op('version', () => this.#rt.version(signal));
  }

  async runPodSandbox(config: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    let failed = true;
    try {
      const id = await this.#op('run_podsandbox', () => this.#rt.runPodSandbox(config, signal));
      failed = false;
      return id;
    } finally {
      this.#m.startedPod(failed);
    }
  }

  stopPodSandbox(id: string, signal?: AbortSignal): Promise<void> {
    return this.#op('stop_podsandbox', () => this.#rt.stopPodSandbox(id, signal));
  }

  removePodSandbox(id: string, signal?: AbortSignal): Promise<void> {
    return this.#op('remove_podsandbox', () => this.#rt.removePodSandbox(id, signal));
  }

  podSandboxStatus(id: string, signal?: AbortSignal): Promise<PodSandboxStatus> {
    return this.#op('podsandbox_status', () => this.#rt.podSandboxStatus(id, signal));
  }

  listPodSandbox(filter?: PodSandboxFilter, signal?: AbortSignal): Promise<PodSandbox[]> {
    return this.#op('list_podsandbox', () => this.#rt.listPodSandbox(filter, signal));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, signal?: AbortSignal): Promise<string> {
    const type = containerType(config);
    this.#m.startedContainer(type);
    try {
      const id = await this.#op('create_container', () => this.#rt.createContainer(podSandboxId, config, sandboxConfig, signal));
      this.#types.set(id, type);
      return id;
    } catch (err) {
      this.#m.startedContainerFailed(type, 'CreateContainerError');
      throw err;
    }
  }

  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    const type = this.#types.get(id);
    this.#types.delete(id);
    try {
      await this.#op('start_container', () => this.#rt.startContainer(id, signal));
    } catch (err) {
      if (type) this.#m.startedContainerFailed(type, 'RunContainerError');
      throw err;
    }
  }

  stopContainer(id: string, timeoutSec: number, stopSignal?: string, abort?: AbortSignal): Promise<void> {
    return this.#op('stop_container', () => this.#rt.stopContainer(id, timeoutSec, stopSignal, abort));
  }

  removeContainer(id: string, signal?: AbortSignal): Promise<void> {
    this.#types.delete(id);
    return this.#op('remove_container', () => this.#rt.removeContainer(id, signal));
  }

  listContainers(filter?: ContainerFilter, signal?: AbortSignal): Promise<Container[]> {
    return this.#op('list_containers', () => this.#rt.listContainers(filter, signal));
  }

  containerStatus(id: string, signal?: AbortSignal): Promise<ContainerStatus> {
    return this.#op('container_status', () => this.#rt.containerStatus(id, signal));
  }

  execSync(id: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult> {
    return this.#op('exec_sync', () => this.#rt.execSync(id, cmd, timeoutMs, signal));
  }

  exec(id: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession> {
    return this.#op('exec', () => this.#rt.exec(id, req, signal));
  }

  attach(id: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession> {
    return this.#op('attach', () => this.#rt.attach(id, req, signal));
  }

  /** Not a CRI call (the kubelet reads log files itself): counted as container_logs. */
  containerLogs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
    return this.#op('container_logs', () => this.#rt.containerLogs(id, opts, signal));
  }

  /** The event stream: one get_container_events operation, from opening until it ends. */
  async *events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const t0 = this.#now();
    let failed = true;
    try {
      yield* this.#rt.events(signal);
      failed = false;
    } finally {
      this.#m.runtimeOperation('get_container_events', (this.#now() - t0) / 1000, failed && !signal.aborted);
    }
  }

  pullImage(ref: string, auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<string> {
    return this.#op('pull_image', () => this.#rt.pullImage(ref, auth, onProgress, signal));
  }

  imageStatus(ref: string, signal?: AbortSignal): Promise<Image | null> {
    return this.#op('image_status', () => this.#rt.imageStatus(ref, signal));
  }

  listImages(signal?: AbortSignal): Promise<Image[]> {
    return this.#op('list_images', () => this.#rt.listImages(signal));
  }

  removeImage(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#op('remove_image', () => this.#rt.removeImage(ref, signal));
  }
}
