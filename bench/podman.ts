// bench/podman.ts — `podman kube play` as a peer in the start benchmark, when podman is installed.
//
// podman keeps its own image store: busybox:latest is copied from Docker (`docker save | podman load`, not
// timed) when podman lacks it, since no registry answers here. Where the engine lacks CAP_SYS_RESOURCE (this
// VM), podman's rootful default rlimits (nofile 1048576, nproc 4194304) make runc fail every start
// ("error setting rlimits … operation not permitted"); podman then runs with a containers.conf of the
// bench's own (CONTAINERS_CONF) giving the limits Docker's containers get here (the hard limits, nproc at
// most kernel.pid_max). Nothing of podman's own configuration is changed. One `kube play` is timed by its
// wall time (it returns once the pod's containers are started, after its init containers have run) and
// torn down with `kube down`; podman's own events (`podman events --stream=false`, ns times) split it into
// the CLI's start, the infra (pause) container's start and the containers' starts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const IMAGE = 'busybox:latest';

export function havePodman(): boolean {
  return spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0;
}

/** This process's hard limit (`Max open files`, `Max processes`) from /proc/self/limits. */
function hardLimit(name: 'Max open files' | 'Max processes'): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name)) ?? '';
  const hard = line.slice(name.length).trim().split(/\s+/)[1] ?? '';
  return hard === 'unlimited' ? Infinity : Number(hard);
}

/** One `kube play` taken apart (ms): CLI start → first create; last create → infra started; infra → last
 * container started, per container started (init containers included); last start → the CLI returned. */
export interface PodmanSteps { readonly cli: number; readonly infra: number; readonly containers: number; readonly exit: number }

interface PodmanEvent { readonly Type: string; readonly Status: string; readonly Name: string; readonly Time: string }

export class Podman {
  readonly dir = mkdtempSync(join(tmpdir(), 'mkb-podman-'));
  readonly #env: NodeJS.ProcessEnv = { ...process.env };
  /** How podman was set up for this machine (for the report). */
  readonly setupNotes: string[] = [];

  /** Copies busybox into podman's store when missing; works around engines that cannot raise rlimits. */
  setup(): void {
    if (spawnSync('podman', ['image', 'exists', IMAGE], { stdio: 'ignore' }).status !== 0) {
      execFileSync('sh', ['-c', `docker save ${IMAGE} | podman load`], { stdio: 'ignore', timeout: 300_000 });
      this.setupNotes.push(`${IMAGE} copied from Docker into podman's store (docker save | podman load)`);
    }
    if (this.#runs()) return;
    const nofile = Math.min(hardLimit('Max open files'), 1_048_576);
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
    const nproc = Math.min(hardLimit('Max processes'), pidMax);
    const conf = join(this.dir, 'containers.conf');
    writeFileSync(conf, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n`);
    this.#env.CONTAINERS_CONF = conf;
    if (!this.#runs()) throw new Error('podman cannot run a container here (podman run busybox true fails, also with the rlimits Docker uses)');
    this.setupNotes.push(`podman's default rlimits cannot be set here (no CAP_SYS_RESOURCE): it ran with nofile=${nofile}, nproc=${nproc} (CONTAINERS_CONF)`);
  }

  #runs(): boolean {
    return spawnSync('podman', ['run', '--rm', '--network', 'none', IMAGE, 'true'], { env: this.#env, stdio: 'ignore', timeout: 120_000 }).status === 0;
  }

  /** `podman kube play` of the pod: its wall time in ms and its steps. Throws (after tearing down) when it fails. */
  playOnce(name: string, pod: object): { ms: number; steps?: PodmanSteps } {
    const file = join(this.dir, `${name}.yaml`);
    writeFileSync(file, JSON.stringify(pod));
    const wall0 = Date.now();
    const t0 = performance.now();
    const r = spawnSync('podman', ['kube', 'play', file], { encoding: 'utf8', env: this.#env, timeout: 120_000 });
    const dt = performance.now() - t0;
    const steps = r.status === 0 ? this.#steps(name, wall0, wall0 + dt) : undefined;
    spawnSync('podman', ['kube', 'down', file], { stdio: 'ignore', env: this.#env, timeout: 120_000 });
    if (r.status !== 0) throw new Error(`podman kube play failed after ${Math.round(dt)} ms: ${(r.stderr ?? '').replace(/\s+/g, ' ').slice(-400)}`);
    return { ms: dt, ...(steps ? { steps } : {}) };
  }

  /** podman's container events of the play (ms epoch), split into its steps. */
  #steps(name: string, t0: number, end: number): PodmanSteps | undefined {
    const r = spawnSync('podman', ['events', '--stream=false', '--since', new Date(t0 - 1000).toISOString(), '--format', 'json'], { encoding: 'utf8', env: this.#env, timeout: 60_000 });
    const evs = (r.stdout ?? '').split('\n').flatMap((l) => { try { return [JSON.parse(l) as PodmanEvent]; } catch { return []; } })
      .filter((e) => e.Type === 'container' && Date.parse(e.Time) >= t0 - 1 && Date.parse(e.Time) <= end + 50);
    const at = (status: string, pred: (n: string) => boolean) => evs.filter((e) => e.Status === status && pred(e.Name)).map((e) => Date.parse(e.Time));
    const infra = (n: string) => n.endsWith('-infra');
    const mine = (n: string) => n.startsWith(`${name}-`);
    const creates = at('create', (n) => infra(n) || mine(n));
    const infraStart = at('start', infra)[0];
    const starts = at('start', mine).sort((a, b) => a - b);
    if (!creates.length || infraStart === undefined || !starts.length) return undefined;
    const last = starts[starts.length - 1]!;
    return { cli: Math.min(...creates) - t0, infra: infraStart - Math.max(...creates), containers: (last - infraStart) / starts.length, exit: end - last };
  }

  teardown(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
