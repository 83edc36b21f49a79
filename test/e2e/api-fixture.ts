// test/e2e/api-fixture.ts — the API subset on a real HTTP server with hand-built agent parts, and a runner
// for the REAL kubectl binary against it.
//
// The fixture's "runtime" runs exec sessions as local processes (so stdin, output and exit codes are real)
// and serves logs from per-container text; its sync loop puts pods straight into the PodManager with a
// Running status and removes them after a short grace. No Docker: these tests check the wire, not the agent.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { execa } from 'execa';
import type { Pod, PodStatus } from '../../agent/api/v1.js';
import { EventRecorder } from '../../agent/events/recorder.js';
import { createLogger } from '../../agent/log.js';
import { PodCache } from '../../agent/pleg/pod-cache.js';
import { PodManager } from '../../agent/pod-manager.js';
import { Router, startServer, type StartedServer } from '../../agent/server/server.js';
import { StatusManager } from '../../agent/status-manager.js';
import type { SourcePodRef } from '../../agent/sync-loop.js';
import type { ExecRequest, LogOptions, StreamSession } from '../../cri/api.js';
import type { RuntimeContainerStatus } from '../../agent/kuberuntime/types.js';
import { registerApiRoutes, type KubeApi } from '../../agent/api-server/index.js';

export const NODE = 'mini-node';

export interface KubectlResult { stdout: string; stderr: string; exitCode: number }

export interface ApiFixture {
  readonly url: string;
  readonly pods: PodManager;
  readonly statuses: StatusManager;
  readonly events: EventRecorder;
  readonly cache: PodCache;
  readonly api: KubeApi;
  readonly rootDir: string;
  readonly logs: Map<string, string>;
  readonly removed: { uids: readonly string[]; grace?: number }[];
  /** Adds a pod as a file source would (Running, containers with ids `<uid>-<name>`). */
  addPod(pod: Pod, source?: string): Pod;
  setStatus(uid: string, status: PodStatus): void;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number; env?: Record<string, string>; bin?: string }): Promise<KubectlResult>;
  close(): Promise<void>;
}

let seq = 0;
const ts = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function runningStatus(pod: Pod, startedAt: number): PodStatus {
  return {
    phase: 'Running', hostIP: '10.0.0.1', podIP: `10.88.0.${++seq + 1}`, startTime: ts(startedAt),
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: ts(startedAt) })),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name, image: c.image ?? '', imageID: 'docker-pullable://busybox@sha256:0', containerID: `docker://${pod.metadata!.uid}-${c.name}`,
      ready: true, started: true, restartCount: 0, state: { running: { startedAt: ts(startedAt) } },
    })),
  };
}

/** A local process standing in for a container exec. */
function localExec(req: ExecRequest): StreamSession {
  const child = spawn(req.cmd[0]!, req.cmd.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const exitCode = new Promise<number>((resolve) => {
    child.once('error', () => resolve(126));
    child.once('close', (code) => resolve(code ?? 137));
  });
  if (!req.stdin) child.stdin.end();
  return {
    stdin: req.stdin ? child.stdin : null,
    stdout: child.stdout,
    stderr: req.tty ? null : child.stderr,
    resize: async () => {},
    exitCode,
    close: () => { if (child.exitCode === null) child.kill('SIGKILL'); },
  };
}

export async function startApiFixture(opts: { address?: string; tokenFile?: string } = {}): Promise<ApiFixture> {
  const rootDir = mkdtempSync(join(tmpdir(), 'mk-api-'));
  const home = mkdtempSync(join(tmpdir(), 'mk-kubectl-home-'));
  const now = () => Date.now();
  const log = createLogger({ level: 'warn', pretty: false });
  const pods = new PodManager();
  const statuses = new StatusManager();
  const events = new EventRecorder(NODE, now);
  const cache = new PodCache();
  const logs = new Map<string, string>();
  const removed: { uids: readonly string[]; grace?: number }[] = [];
  const place = (pod: Pod, source: string, origin: string): void => {
    const uid = pod.metadata!.uid!;
    pods.set({ pod, source, origin });
    const t = now();
    statuses.set(uid, runningStatus(pod, t));
    const containers: RuntimeContainerStatus[] = (pod.spec?.containers ?? []).flatMap((c) => {
      const mk = (id: string, state: 'CONTAINER_RUNNING' | 'CONTAINER_EXITED', restartCount: number): RuntimeContainerStatus => ({
        id, name: c.name, type: 'container', state, createdAt: t, startedAt: t, finishedAt: 0, exitCode: 0, reason: '', message: '',
        image: c.image ?? '', imageRef: '', restartCount, hash: '', podSandboxId: `sb-${uid}`,
      });
      return [mk(`${uid}-${c.name}`, 'CONTAINER_RUNNING', 1), mk(`${uid}-${c.name}-prev`, 'CONTAINER_EXITED', 0)];
    });
    cache.set({ uid, name: pod.metadata!.name!, namespace: pod.metadata!.namespace ?? 'default', sandboxes: [], containers, timestamp: t });
    events.event({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace ?? 'default', uid }, { type: 'Normal', reason: 'Started', message: 'Started container', fieldPath: `spec.containers{${pod.spec?.containers?.[0]?.name}}` });
  };
  const loop = {
    add(source: string, refs: readonly SourcePodRef[]) {
      for (const r of refs) {
        const existing = pods.get(r.pod.metadata!.uid!);
        if (existing) existing.pod = r.pod;
        else place(r.pod, source, r.origin);
      }
    },
    remove(uids: readonly string[], grace?: number) {
      removed.push({ uids, grace });
      for (const uid of uids) {
        pods.markDeleted(uid, grace ?? 30, now());
        setTimeout(() => { pods.delete(uid); statuses.delete(uid); cache.delete(uid); }, Math.min(grace ?? 1, 1) * 300);
      }
    },
  };
  const runtime = {
    version: async () => ({ runtimeName: 'docker', runtimeVersion: '27.0.0', runtimeApiVersion: '1.46' }),
    exec: async (_id: string, req: ExecRequest) => localExec(req),
    attach: async (id: string, req: Omit<ExecRequest, 'cmd'>) => {
      const s = localExec({ ...req, cmd: ['sh', '-c', `printf 'attached to %s\\n' ${JSON.stringify(id)}`] });
      return s;
    },
    containerLogs: async (id: string, o: LogOptions) => {
      let lines = (logs.get(id) ?? '').split(/(?<=\n)/).filter(Boolean);
      if (o.tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - o.tailLines));
      if (o.timestamps) lines = lines.map((l) => `2024-05-01T10:00:00.000000000Z ${l}`);
      if (!o.follow) return Readable.from([Buffer.from(lines.join(''))]);
      const out = new PassThrough();
      let i = 0;
      out.write(lines.join(''));
      const t = setInterval(() => { out.write(`follow ${++i}\n`); if (i === 3) { clearInterval(t); out.end(); } }, 100);
      return out;
    },
  };
  const router = new Router();
  const api = registerApiRoutes(router, {
    nodeName: NODE, rootDir, maxPods: 110, address: opts.address ?? '127.0.0.1', tokenFile: opts.tokenFile, hostIP: '10.0.0.1',
    pods, statuses, events, cache, runtime, loop, now, log,
  });
  const server: StartedServer = await startServer(router, '127.0.0.1', 0, log);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url, pods, statuses, events, cache, api, rootDir, logs, removed,
    addPod(pod, source = 'file') {
      const full: Pod = { ...pod, metadata: { namespace: 'default', uid: `uid-${pod.metadata!.name}-${++seq}`, creationTimestamp: ts(now() - 5000), ...pod.metadata } };
      place(full, source, `/etc/kubernetes/manifests/${pod.metadata!.name}.yaml`);
      return full;
    },
    setStatus: (uid, status) => { statuses.set(uid, status); },
    async kubectl(args, o = {}) {
      const r = await execa(o.bin ?? 'kubectl', ['--server', url, ...args], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'none'), ...o.env }, extendEnv: false, reject: false, stripFinalNewline: false,
        timeout: o.timeoutMs ?? 60_000, ...(o.input !== undefined ? { input: o.input } : { stdin: 'ignore' }),
      });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    async close() {
      api.close();
      await server.close();
      rmSync(rootDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
