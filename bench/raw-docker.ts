// bench/raw-docker.ts — the baseline: the same Docker calls the agent makes for a pod, issued directly with
// dockerode (the client the agent itself uses), with nothing around them.
//
// A pod is: create + start a pause container on a bridge network; for each init container create, start
// and wait for it to exit; then create + start each main container, in order, joined to the pause
// container's network and IPC namespaces. That is the floor for "manifest written → Running": no manifest
// reading, no status, no events, no bookkeeping. The containers carry the label io.mini-kubelet.node=<raw
// node> (a node name no agent uses) so they are found and removed by label alone.
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

export class RawDocker {
  readonly docker = new Dockerode();
  readonly node = uniqueNode('mkb-raw');
  readonly network = `${this.node}-net`;

  /** Creates the bridge network the raw pods join (not timed). */
  async setup(): Promise<void> {
    await this.docker.createNetwork({ Name: this.network, Driver: 'bridge', Labels: { [NODE_LABEL]: this.node } });
  }

  #labels(pod: string, container: string): Record<string, string> {
    return { [NODE_LABEL]: this.node, 'io.mini-kubelet.bench.pod': pod, 'io.mini-kubelet.bench.container': container };
  }

  /** Runs one pod's Docker calls in the kubelet's order; resolves when the last main container started. */
  async startPod(spec: RawPodSpec): Promise<void> {
    const pause = await this.docker.createContainer({
      name: `${this.node}_${spec.name}_POD`, Image: PAUSE, Hostname: spec.name, Labels: this.#labels(spec.name, 'POD'),
      HostConfig: { NetworkMode: this.network, IpcMode: 'shareable' },
    });
    await pause.start();
    const joined = `container:${pause.id}`;
    const create = (c: RawContainer) => this.docker.createContainer({
      name: `${this.node}_${spec.name}_${c.name}`, Image: IMAGE, Entrypoint: [...c.cmd], Cmd: [], Labels: this.#labels(spec.name, c.name),
      HostConfig: { NetworkMode: joined, IpcMode: joined },
    });
    for (const c of spec.init) {
      const ctr = await create(c);
      await ctr.start();
      const r = (await ctr.wait()) as { StatusCode: number };
      if (r.StatusCode !== 0) throw new Error(`raw init container ${c.name} exited ${r.StatusCode}`);
    }
    for (const c of spec.containers) {
      const ctr = await create(c);
      await ctr.start();
    }
  }

  /** Removes every container of the raw node (not timed). */
  removeAll(): void {
    const ids = dockerIds(this.node);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 300_000 });
  }

  /** Removes the containers and the network. Idempotent. */
  async teardown(): Promise<void> {
    this.removeAll();
    await this.docker.getNetwork(this.network).remove().catch(() => undefined);
  }
}
