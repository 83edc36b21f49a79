// test/helpers/spawned-agent.ts — a real `mini-kubelet agent` process (bin/, compiled dist/) on a temp
// manifest folder and root dir, for tests that kill it (-9), measure its RSS, or must see it survive.
//
// Each agent has its own node name, so tests running in parallel never see each other's pods; everything it
// makes carries the run label, and `cleanup()` removes what its node made. Docker objects are read with
// dockerode, grouped by the kubelet's labels, so tests can count instances per pod and container name.
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Pod } from '../../agent/api/v1.js';
import { NODE_LABEL } from '../../agent/kuberuntime/labels.js';
import { RUN_LABEL } from './global-setup.js';
import { requireDocker, waitFor } from './docker-rig.js';

const BIN = join(import.meta.dirname, '../../bin/mini-kubelet');

export interface SpawnOptions {
  /** Flags added to the command line (e.g. ['--address', '0.0.0.0']). */
  readonly args?: readonly string[];
  /** KubeletConfiguration fields written to a --config file (crash back-off 1 s / 4 s by default). */
  readonly config?: Record<string, unknown>;
  /** Host the tests connect to (default 127.0.0.1). */
  readonly host?: string;
}

/** One Docker container of this node, by the kubelet's labels. */
export interface NodeContainer {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly pod: string;
  /** Container name in the pod spec, or 'POD' for the sandbox. */
  readonly container: string;
  readonly sandbox: boolean;
  readonly labels: Record<string, string>;
}

export class SpawnedAgent {
  readonly dir = mkdtempSync(join(tmpdir(), 'mk-fault-manifests-'));
  readonly rootDir = mkdtempSync(join(tmpdir(), 'mk-fault-root-'));
  readonly node = `mk-fault-${randomBytes(4).toString('hex')}`;
  readonly port = 20000 + Math.floor(Math.random() * 20000);
  readonly url: string;
  #child: ChildProcess | undefined;
  #stderr = '';
  #exit: Promise<void> = Promise.resolve();

  constructor(readonly opts: SpawnOptions = {}) {
    this.url = `http://${opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  get pid(): number | undefined { return this.#child?.pid; }
  get alive(): boolean { return !!this.#child && this.#child.exitCode === null && this.#child.signalCode === null; }
  /** The last 64 KiB the agent wrote to stderr (its log). */
  get log(): string { return this.#stderr; }

  async start(): Promise<void> {
    await requireDocker();
    const configFile = join(this.rootDir, 'kubelet-config.yaml');
    const cfg = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', crashLoopBackOff: { initialContainerRestartPeriod: '1s', maxContainerRestartPeriod: '4s' }, ...this.opts.config };
    writeFileSync(configFile, JSON.stringify(cfg));
    const c = spawn(process.execPath, [BIN, 'agent', '--config', configFile, '--pod-manifest-path', this.dir, '--root-dir', this.rootDir,
      '--hostname-override', this.node, '--read-only-port', String(this.port), '--file-check-frequency', '1s', '--pod-infra-container-image', 'mini-kubelet/pause:local',
      ...(this.opts.args ?? [])], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MK_EXTRA_LABELS: `${RUN_LABEL}=${process.env.MK_TEST_RUN}` },
    });
    c.stderr!.on('data', (d: Buffer) => { this.#stderr = (this.#stderr + d.toString('utf8')).slice(-65536); });
    this.#child = c;
    this.#exit = new Promise((r) => c.once('exit', () => r()));
    await waitFor(async () => {
      if (!this.alive) throw new Error(`agent exited: ${this.#stderr.slice(-2000)}`);
      return (await fetch(`${this.url}/healthz/ping`)).ok;
    }, { timeoutMs: 30_000, intervalMs: 100, message: () => `agent ${this.node} did not listen; log: ${this.#stderr.slice(-2000)}` });
  }

  /** kill -9: no shutdown code runs. */
  async kill9(): Promise<void> {
    if (!this.alive) return;
    this.#child!.kill('SIGKILL');
    await this.#exit;
  }

  write(file: string, text: string): void {
    const tmp = join(this.dir, `.${file}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(this.dir, file));
  }

  remove(file: string): void { unlinkSync(join(this.dir, file)); }

  async get(path: string): Promise<Response> { return fetch(`${this.url}${path}`); }

  async pods(): Promise<Pod[]> {
    const res = await fetch(`${this.url}/pods`);
    return ((await res.json()) as { items: Pod[] }).items;
  }

  async pod(name: string): Promise<Pod | undefined> {
    return (await this.pods()).find((p) => p.metadata?.name === name);
  }

  async waitForPod(name: string, pred: (p: Pod) => boolean, timeoutMs = 60_000, what = 'condition'): Promise<Pod> {
    let last: Pod | undefined;
    return waitFor(async () => { last = await this.pod(name); return last && pred(last) ? last : undefined; }, {
      timeoutMs, intervalMs: 150, message: () => `pod ${name}: ${what} not reached; last status: ${JSON.stringify(last?.status)}`,
    });
  }

  async waitForGone(name: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(async () => ((await this.pod(name)) ? undefined : true), { timeoutMs, intervalMs: 150, message: `pod ${name} still listed` });
  }

  /** Every Docker container of this node (all states). */
  async containers(): Promise<NodeContainer[]> {
    const d = await requireDocker();
    const list = await d.listContainers({ all: true, filters: { label: [`${NODE_LABEL}=${this.node}`] } });
    return list.map((c) => {
      const labels = c.Labels ?? {};
      const sandbox = labels['io.kubernetes.docker.type'] === 'podsandbox';
      return {
        id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), state: c.State, labels, sandbox,
        pod: labels['io.kubernetes.pod.name'] ?? '', container: sandbox ? 'POD' : labels['io.kubernetes.container.name'] ?? '',
      };
    });
  }

  /** VmRSS of the agent process in bytes. */
  rss(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  }

  /** Kills the agent and removes every container, volume and directory of this node. */
  async cleanup(): Promise<void> {
    await this.kill9();
    const d = await requireDocker().catch(() => undefined);
    if (d) {
      const filters = { label: [`${NODE_LABEL}=${this.node}`] };
      const list = await d.listContainers({ all: true, filters }).catch(() => []);
      await Promise.all(list.map((c) => d.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
      const vols = (await d.listVolumes({ filters }).catch(() => undefined))?.Volumes ?? [];
      await Promise.all(vols.map((v) => d.getVolume(v.Name).remove().catch(() => undefined)));
    }
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}

/** Running instances per `pod/container` (sandboxes as `pod/POD`). */
export function runningByName(list: readonly NodeContainer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) if (c.state === 'running') out[`${c.pod}/${c.container}`] = (out[`${c.pod}/${c.container}`] ?? 0) + 1;
  return out;
}

/** All instances (any state) per `pod/container`. */
export function instancesByName(list: readonly NodeContainer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) out[`${c.pod}/${c.container}`] = (out[`${c.pod}/${c.container}`] ?? 0) + 1;
  return out;
}
