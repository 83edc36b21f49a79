// test/helpers/agent-rig.ts — runs a real agent (in-process, real Docker) on a temp manifest folder.
//
// Each rig has its own node name (so agents of parallel test files never see each other's pods), its own
// root dir and port, labels everything with the test run, and `stop({ reset: true })` removes all it made.
import { mkdtempSync, rmSync, writeFileSync, unlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { Pod } from '../../agent/api/v1.js';
import { startKubelet, type Kubelet, type KubeletDeps } from '../../agent/kubelet.js';
import { startSingleNode } from '../../cmd/single-node.js';
import { defaultKubeletConfig, type KubeletConfig } from '../../agent/config/kubelet-config.js';
import { createLogger } from '../../agent/log.js';
import { NODE_LABEL } from '../../agent/kuberuntime/labels.js';
import { requireDocker, testLabels, waitFor } from './docker-rig.js';

export interface AgentRig {
  readonly dir: string;
  readonly rootDir: string;
  readonly nodeName: string;
  readonly port: number;
  readonly kubelet: Kubelet;
  readonly url: string;
  write(file: string, yaml: string | Uint8Array): void;
  remove(file: string): void;
  pods(): Promise<Pod[]>;
  pod(name: string): Promise<Pod | undefined>;
  waitForPod(name: string, pred: (p: Pod) => boolean, timeoutMs?: number, what?: string): Promise<Pod>;
  waitForGone(name: string, timeoutMs?: number): Promise<void>;
  /** Docker containers (all states) of this node, as `docker ps` sees them. */
  dockerContainers(): string[];
  stop(opts?: { reset?: boolean }): Promise<void>;
}

/** `deps` reach startKubelet as they are (e.g. a short `gcPeriodMs`); log and labels default to the rig's. */
export async function startAgentRig(overrides: Partial<KubeletConfig> = {}, deps: Partial<KubeletDeps> = {}): Promise<AgentRig> {
  await requireDocker();
  // A restarted rig passes the first one's folder, root dir and node name: it is the same node again.
  const dir = overrides.staticPodPath ?? mkdtempSync(join(tmpdir(), 'mk-manifests-'));
  const rootDir = overrides.rootDir ?? mkdtempSync(join(tmpdir(), 'mk-root-'));
  const nodeName = overrides.nodeName ?? `mk-test-${randomBytes(4).toString('hex')}`;
  const config: KubeletConfig = {
    ...defaultKubeletConfig(),
    staticPodPath: dir,
    rootDir,
    nodeName,
    readOnlyPort: 0,
    fileCheckFrequencyMs: 2000,
    crashLoopBackOff: { initialDelayMs: 1000, maxDelayMs: 4000 },
    ...overrides,
  };
  const log = createLogger({ level: process.env.MK_TEST_LOG ? 'debug' : 'error', pretty: false });
  // The agent as `mini-kubelet agent` runs it: the control plane and the kubelet in one process (or the kubelet
  // alone when the API is off, or when deps bring a client of another API server).
  const kubeletDeps: KubeletDeps = { log, ...deps, extraLabels: { ...testLabels(), ...deps.extraLabels } };
  const kubelet = config.apiEnabled && !deps.client ? await startSingleNode(config, kubeletDeps) : await startKubelet(config, kubeletDeps);
  const url = `http://127.0.0.1:${kubelet.port}`;
  const pods = async (): Promise<Pod[]> => {
    const res = await fetch(`${url}/pods`);
    return ((await res.json()) as { items: Pod[] }).items;
  };
  const pod = async (name: string) => (await pods()).find((p) => p.metadata?.name === name);
  return {
    dir, rootDir, nodeName, port: kubelet.port, kubelet, url,
    write(file, yaml) {
      // Atomic write, as editors do: a half-written file is never seen.
      const tmp = join(dir, `.${file}.tmp`);
      writeFileSync(tmp, yaml);
      renameSync(tmp, join(dir, file));
    },
    remove(file) { unlinkSync(join(dir, file)); },
    pods,
    pod,
    async waitForPod(name, pred, timeoutMs = 60_000, what = 'condition') {
      let last: Pod | undefined;
      return waitFor(async () => { last = await pod(name); return last && pred(last) ? last : undefined; }, {
        timeoutMs, intervalMs: 100, message: () => `pod ${name}: ${what} not reached; last status: ${JSON.stringify(last?.status)}`,
      });
    },
    async waitForGone(name, timeoutMs = 60_000) {
      await waitFor(async () => ((await pod(name)) ? undefined : true), { timeoutMs, intervalMs: 100, message: `pod ${name} still listed` });
    },
    dockerContainers() {
      return execFileSync('docker', ['ps', '-a', '--filter', `label=${NODE_LABEL}=${nodeName}`, '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    },
    async stop(opts = { reset: true }) {
      await kubelet.stop();
      if (opts.reset) {
        const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${NODE_LABEL}=${nodeName}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
        if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
        const vols = execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=${NODE_LABEL}=${nodeName}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
        if (vols.length) execFileSync('docker', ['volume', 'rm', '-f', ...vols], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
        rmSync(rootDir, { recursive: true, force: true });
      }
    },
  };
}

/** Finds a container status by name in a pod. */
export function containerStatus(p: Pod, name: string) {
  return [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((c) => c.name === name);
}

export function condition(p: Pod, type: string) {
  return p.status?.conditions?.find((c) => c.type === type);
}
