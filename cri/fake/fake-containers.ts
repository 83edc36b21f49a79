// cri/fake/fake-containers.ts — the application container calls of the fake runtime, on a FakeWorld.
//
// Owns: dockershim-style container names (AlreadyExists per name and attempt), create checks (sandbox:
// NotFound, image: CreateContainerError, as cri/docker), start (an exited container runs again, a scripted
// failure leaves it EXITED with ContainerCannotRun, as Docker), the stop protocol (stop signal from the
// call, the config or the image; the scripted reaction; SIGKILL after the timeout on the clock) and forced
// removal. Called by fake-runtime.ts after it recorded the call.
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, PodSandboxConfig } from '../api.js';
import { CriError } from '../errors.js';
import type { FakeImageStore } from './fake-images.js';
import { signalNumber, type FakeScripts } from './fake-scripts.js';
import { containerOf, containerStatusOf, matchesLabels, sha256, type ContainerRec, type FakeWorld } from './fake-world.js';

/** What the container calls work on: the runtime's state, its scripts and its images. */
export interface ContainerParts {
  readonly world: FakeWorld;
  readonly scripts: FakeScripts;
  readonly images: FakeImageStore;
}

export function createContainer({ world: w, images }: ContainerParts, podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): string {
  if (!w.sandboxes.has(podSandboxId)) throw new CriError('NotFound', `pod sandbox "${podSandboxId}" not found`);
  const image = images.find(config.image);
  if (!image) throw new CriError('CreateContainerError', `no such image: ${config.image}`);
  const m = sandboxConfig.metadata;
  const name = `k8s_${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt}`;
  if ([...w.containers.values()].some((c) => c.name === name)) throw new CriError('AlreadyExists', `container name "${name}" is already in use`);
  const id = sha256(`fake-container-${++w.seq}`);
  w.containers.set(id, {
    id, name, podSandboxId, config, sandboxConfig, labels: w.labels(sandboxConfig, config.labels, config.metadata.name), imageRef: image.id,
    state: 'CONTAINER_CREATED', createdAt: w.clock.now(), startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', oomKilled: false, pid: 0,
    log: [], followers: new Set(), timers: [], waiters: [],
  });
  w.events.emit('CONTAINER_CREATED_EVENT', id, false, m.uid);
  return id;
}

export function startContainer({ world: w, scripts }: ContainerParts, id: string): void {
  const rec = w.container(id);
  if (rec.state === 'CONTAINER_RUNNING') return;
  if (w.sandboxes.get(rec.podSandboxId)?.state !== 'SANDBOX_READY') throw new CriError('RunContainerError', `pod sandbox ${rec.podSandboxId} is not ready`);
  const failure = scripts.startFailure(rec);
  if (failure) {
    Object.assign(rec, { state: 'CONTAINER_EXITED', startedAt: rec.createdAt, finishedAt: rec.createdAt, exitCode: failure.exitCode ?? 127, reason: 'ContainerCannotRun', message: failure.message } satisfies Partial<ContainerRec>);
    throw new CriError('RunContainerError', `start container ${id.slice(0, 12)}: ${failure.message}`);
  }
  // As Docker: an exited container starts again (its log kept), with the state of a new run.
  Object.assign(rec, {
    state: 'CONTAINER_RUNNING', startedAt: w.clock.now(), finishedAt: 0, exitCode: 0, reason: '', message: '', oomKilled: false, pid: 1000 + ++w.seq,
  } satisfies Partial<ContainerRec>);
  w.events.emit('CONTAINER_STARTED_EVENT', rec.id, false, rec.sandboxConfig.metadata.uid);
  const output = scripts.startOutput(rec);
  if (output !== undefined) w.appendLog(rec, output);
  const exit = scripts.takeExit(rec);
  if (exit) w.arm(rec, exit);
}

/** The signal a stop sends: the caller's, else the config's, else the image's STOPSIGNAL, else SIGTERM. */
export function stopSignalOf({ world: w, images }: ContainerParts, id: string, signal: string | undefined): string {
  const rec = w.container(id);
  return signal ?? rec.config.stopSignal ?? (images.find(rec.config.image)?.stopSignal || 'SIGTERM');
}

/** Sends `sent`; a process that ignores it is killed (137) when timeoutSec passes on the clock. */
export async function stopContainer({ world: w, scripts }: ContainerParts, id: string, timeoutSec: number, sent: string, abort?: AbortSignal): Promise<void> {
  const rec = w.container(id);
  if (rec.state !== 'CONTAINER_RUNNING') return;
  const reaction = scripts.reaction(rec, signalNumber(sent));
  if (reaction !== 'ignore') return w.exit(rec, reaction.exitCode, {});
  if (timeoutSec <= 0) return w.exit(rec, 137, {});
  const exited = new Promise<void>((r) => rec.waiters.push(r));
  rec.timers.push(w.clock.setTimeout(() => w.exit(rec, 137, {}), timeoutSec * 1000));
  await w.race(exited, 0, abort, 'stopContainer');
}

export function removeContainer(w: FakeWorld, id: string): void {
  const rec = w.containers.get(id);
  if (rec) w.remove(rec);
}

/** The id filter matches a prefix, as Docker's does. */
export function listContainers(w: FakeWorld, filter: ContainerFilter): Container[] {
  return [...w.containers.values()]
    .filter((c) => (!filter.id || c.id.startsWith(filter.id)) && (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId)
      && (!filter.state || c.state === filter.state) && matchesLabels(c.labels, filter.labelSelector))
    .map(containerOf);
}

export function containerStatus(w: FakeWorld, id: string): ContainerStatus {
  return containerStatusOf(w.container(id));
}
