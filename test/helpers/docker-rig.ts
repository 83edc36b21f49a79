// test/helpers/docker-rig.ts — real-Docker test plumbing: require the engine, label by run, build runtimes
// that are isolated per test file, wait with deadlines, clean up by label.
//
// Used by test/integration/** (cri tests, agent rigs). A missing engine FAILS the test with a message naming
// `npm run setup`; it never skips. Cleanup only touches objects carrying this rig's own label, so test files
// running in parallel never remove each other's containers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { DockerRuntime, type DockerRuntimeOptions } from '../../cri/docker/docker-runtime.js';
import { RUN_LABEL } from './global-setup.js';

export const BUSYBOX = 'busybox:latest';
export const PAUSE = 'mini-kubelet/pause:local';
/** Per-rig label: lets one test file remove exactly what it made. */
export const RIG_LABEL = 'io.mini-kubelet.test-rig';

let ready: Promise<Dockerode> | undefined;

/** The Docker client; throws (the test fails) when the engine does not answer. */
export function requireDocker(): Promise<Dockerode> {
  ready ??= (async () => {
    const d = new Dockerode();
    try {
      await Promise.race([d.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref())]);
    } catch (err) {
      ready = undefined;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new Error(`Docker is not reachable (${why}); these tests need a running engine: run \`npm run setup\``);
    }
    return d;
  })();
  return ready;
}

/** Labels that mark objects of this test run (the global teardown removes them all). */
export function testLabels(): Record<string, string> {
  return { [RUN_LABEL]: process.env.MK_TEST_RUN ?? 'unset' };
}

export interface TestRuntimeInfo {
  readonly rigId: string;
  readonly rootDir: string;
  readonly networkName: string;
  readonly labels: Record<string, string>;
}

const infos = new WeakMap<DockerRuntime, TestRuntimeInfo>();

/** A DockerRuntime with a temp root dir, its own network and labels (run + rig). */
export function newTestRuntime(opts: Partial<DockerRuntimeOptions> = {}): DockerRuntime {
  const rigId = randomBytes(4).toString('hex');
  const labels = { ...testLabels(), [RIG_LABEL]: rigId, ...(opts.extraLabels ?? {}) };
  const rootDir = opts.rootDir ?? mkdtempSync(join(tmpdir(), 'mk-cri-'));
  const networkName = opts.networkName ?? `mk-test-${rigId}`;
  const rt = new DockerRuntime({ podInfraContainerImage: PAUSE, ...opts, rootDir, networkName, extraLabels: labels });
  infos.set(rt, { rigId, rootDir, networkName, labels });
  return rt;
}

export function testRuntimeInfo(rt: DockerRuntime): TestRuntimeInfo {
  const info = infos.get(rt);
  if (!info) throw new Error('not a runtime made by newTestRuntime');
  return info;
}

/** Removes every container, volume and network carrying `label=value`, then nothing else. */
export async function removeByLabel(label: string, value: string): Promise<void> {
  const d = await requireDocker();
  const filters = { label: [`${label}=${value}`] };
  const list = await d.listContainers({ all: true, filters });
  await Promise.all(list.map((c) => d.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const volumes = (await d.listVolumes({ filters }).catch(() => undefined))?.Volumes ?? [];
  await Promise.all(volumes.map((v) => d.getVolume(v.Name).remove().catch(() => undefined)));
  const nets = await d.listNetworks({ filters });
  await Promise.all(nets.map((n) => d.getNetwork(n.Id).remove().catch(() => undefined)));
}

/** afterAll helper: removes what a test runtime made (containers, network, root dir). */
export async function cleanupTestRuntime(rt: DockerRuntime): Promise<void> {
  const info = testRuntimeInfo(rt);
  await removeByLabel(RIG_LABEL, info.rigId);
  rmSync(info.rootDir, { recursive: true, force: true });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly message: string | (() => string);
}

/** Polls `fn` until it returns a value other than undefined/false; throws with `message` at the deadline. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const msg = typeof o.message === 'function' ? o.message() : o.message;
      const why = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${o.timeoutMs} ms: ${msg}${why}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}

/** Reads a whole stream into a string. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}
