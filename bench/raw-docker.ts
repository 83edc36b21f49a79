// bench/raw-docker.ts — the baseline: what a pod needs from Docker, issued directly with dockerode (the
// client the agent itself uses), with nothing around them.
//
// A pod is: create + start a pause container with a network; for each init container create, start and wait
// for it to exit; then create + start each main container, in order, joined to the pause container's network
// and IPC namespaces. That is the floor for "manifest written → Running": no manifest reading, no status, no
// events, no bookkeeping, and no choice of the agent's (performance-notes: a baseline that repeats the agent's
// choices hides their cost). The network is Docker's default bridge, the least a pod with an IP needs;
// `network: 'user'` puts the pause container on a user-defined bridge network made for the run instead (what
// the agent used before issue 10; kept as a context figure). Each call's duration is returned, so the start
// benchmark can set the agent's steps beside Docker's own. The containers carry the label
// io.mini-kubelet.node=<raw node> (a node name no agent uses) so they are found and removed by label alone.
import Dockerode from 'dockerode';
import { execFileSync } from 'node:child_process';
import { NODE_LABEL, dockerIds, uniqueNode } from './agent-proc.js';
import { SLEEPER, HTTPD } from './pods.js';

const IMAGE = 'busybox:latest';
const PAUSE = 'mini-kubelet/pause:local';

export interface RawContainer { readonly name: string; readonly cmd: readonly string[] }
export interface RawPodSpec { readonly name: string; readonly init: readonly RawContainer[]; readonly containers: readonly RawContainer[] }

export const sh = (script: string): string[] => ['sh', '-c', script];

export function rawStartPodSpec(name: string, withInit: boolean): RawPodSpec {
  return {
    name,
    init: withInit ? [{ name: 'init', cmd: ['true'] }] : [],
    containers: [{ name: 'a', cmd: sh(SLEEPER) }, { name: 'b', cmd: sh(SLEEPER) }],
  };
}

export function rawProbedPodSpec(name: string): RawPodSpec {
  return { name, init: [], containers: [{ name: 'web', cmd: sh(HTTPD) }] };
}

/** One Docker call of a raw pod start: what (e.g. `start a`) and how long it took. */
export interface RawStep { readonly step: string; readonly ms: number }

export class RawDocker {
  readonly docker = new Dockerode();
  readonly node = uniqueNode('mkb-raw');
  readonly network: string;
  readonly #userNetwork: boolean;

  constructor(o: { network?: 'bridge' | 'user' } = {}) {
    this.#userNetwork = o.network === 'user';
    this.network = this.#userNetwork ? `${this.node}-net` : 'bridge';
  }

  /** Creates the user-defined network the raw pods join, when asked for one (not timed). */
  async setup(): Promise<void> {
    if (this.#userNetwork) await this.docker.createNetwork({ Name: this.network, Driver: 'bridge', Labels: { [NODE_LABEL]: this.node } });
  }

  #labels(pod: string, container: string): Record<string, string> {
    return { [NODE_LABEL]: this.node, 'io.mini-kubelet.bench.pod': pod, 'io.mini-kubelet.bench.container': container };
  }

  /**
   * Runs one pod's Docker calls in order, one after the other; resolves when the last main container started,
   * with each call's duration (`create POD`, `start POD`, `create init`, `start init`, `wait init`, …).
   */
  async startPod(spec: RawPodSpec): Promise<RawStep[]> {
    const steps: RawStep[] = [];
    const timed = async <T>(step: string, call: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const out = await call();
      steps.push({ step, ms: performance.now() - t0 });
      return out;
    };
    const pause = await timed('create POD', () => this.docker.createContainer({
      name: `${this.node}_${spec.name}_POD`, Image: PAUSE, Hostname: spec.name, Labels: this.#labels(spec.name, 'POD'),
      HostConfig: { NetworkMode: this.network, IpcMode: 'shareable' },
    }));
    await timed('start POD', () => pause.start());
    const joined = `container:${pause.id}`;
    const create = (c: RawContainer) => timed(`create ${c.name}`, () => this.docker.createContainer({
      name: `${this.node}_${spec.name}_${c.name}`, Image: IMAGE, Entrypoint: [...c.cmd], Cmd: [], Labels: this.#labels(spec.name, c.name),
      HostConfig: { NetworkMode: joined, IpcMode: joined },
    }));
    for (const c of spec.init) {
      const ctr = await create(c);
      await timed(`start ${c.name}`, () => ctr.start());
      const r = await timed(`wait ${c.name}`, () => ctr.wait() as Promise<{ StatusCode: number }>);
      if (r.StatusCode !== 0) throw new Error(`raw init container ${c.name} exited ${r.StatusCode}`);
    }
    for (const c of spec.containers) {
      const ctr = await create(c);
      await timed(`start ${c.name}`, () => ctr.start());
    }
    return steps;
  }

  /** Removes every container of the raw node (not timed). */
  removeAll(): void {
    const ids = dockerIds(this.node);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 300_000 });
  }

  /** Removes the containers and the network made for the run. Idempotent. */
  async teardown(): Promise<void> {
    this.removeAll();
    if (this.#userNetwork) await this.docker.getNetwork(this.network).remove().catch(() => undefined);
  }
}
