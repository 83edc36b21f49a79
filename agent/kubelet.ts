// agent/kubelet.ts — startKubelet(config, deps): wiring only. Builds the runtime, the caches, the workers, the
// prober, the sources and the server (its own port, or a host's: deps.host), and — given a client of an API
// server (deps.client) — the API side: its pods, their statuses, mirror pods, its Node, Lease and events.
// Connects their notifications, and returns { ready, done, stop() }.
//
// The one module allowed to import cri/docker. No decisions are made here.
import { readFileSync, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { DNSConfig, Runtime } from '../cri/api.js';
import { errorLine } from '../cri/errors.js';
import { systemClock } from '../cri/clock.js';
import { DockerRuntime } from '../cri/docker/docker-runtime.js';
import { resolvePauseImage } from '../cri/docker/pause-image.js';
import type { KubeletConfig } from './config/kubelet-config.js';
import type { Logger } from './log.js';
import { PullProgressDisplay } from './events/pull-progress.js';
import { hostResolvConf } from './kuberuntime/sandbox-config.js';
import { adoptOrphans } from './orphans.js';
import { collectGarbage } from './kuberuntime/gc.js';
import { createKubeletCore } from './wiring/core.js';
import { startSources, type StartedSources } from './wiring/sources.js';
import { startAgentServer } from './wiring/server.js';
import { KubeletMetrics } from './metrics/metrics.js';
import { InstrumentedRuntime } from './kuberuntime/instrumented-runtime.js';
import { NODE_LABEL } from './kuberuntime/labels.js';
import { startKubeletApi, type KubeletApi } from './wiring/api.js';
import { API_CONFIG_SOURCE } from './api-client/config-source.js';
import { ApiClaimSource } from './api-client/claim-source.js';
import { mountsClaim } from './kuberuntime/pvc.js';
import { MANIFEST_APPLY_SOURCE } from './api-client/manifest-applier.js';
import { FolderObjects } from './sources/folder-objects.js';
import type { KubeClient } from '../client/types.js';
import type { KubeletHandlers } from './wiring/server.js';
import { startKubeletNode } from './wiring/node.js';

export interface Kubelet {
  /** Resolves when the server listens and the first relist is done. */
  readonly ready: Promise<void>;
  /** Resolves when the agent has stopped. */
  readonly done: Promise<void>;
  readonly port: number;
  /** Stops the agent; pods keep running (as the kubelet does on SIGTERM). */
  stop(): Promise<void>;
}

function hostIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export interface KubeletDeps {
  readonly runtime?: Runtime;
  readonly log: Logger;
  /** Extra labels on every object (tests label their run). */
  readonly extraLabels?: Record<string, string>;
  readonly networkName?: string;
  /** Where pull progress is drawn (default stderr; a terminal gets a live bar). */
  readonly progressOut?: NodeJS.WriteStream;
  /** Container GC period (default 60 s, the kubelet's); tests shorten it. */
  readonly gcPeriodMs?: number;
  /**
   * The Kubernetes API this kubelet is a client of (the embedded control plane's, or `--kubeconfig`'s). Without
   * one the kubelet runs standalone: pods from the folder and the URL only.
   */
  readonly client?: KubeClient;
  /**
   * A server that already owns the port (the single-process mode: the API server): the kubelet's endpoints are
   * handed to it instead of listening on a port of their own.
   */
  readonly host?: KubeletHost;
}

export interface KubeletHost {
  readonly port: number;
  attach(handlers: KubeletHandlers): void;
}

export async function startKubelet(config: KubeletConfig, deps: KubeletDeps): Promise<Kubelet> {
  const log = deps.log;
  const clock = systemClock;
  const now = () => clock.now();
  const abort = new AbortController();
  mkdirSync(config.rootDir, { recursive: true });
  const selector = { [NODE_LABEL]: config.nodeName };
  const engine: Runtime = deps.runtime ?? new DockerRuntime({
    rootDir: config.rootDir,
    podInfraContainerImage: config.podInfraContainerImage,
    networkName: deps.networkName,
    extraLabels: { ...selector, ...(deps.extraLabels ?? {}) },
  });
  const pauseImage = await resolvePauseImage(engine, config.podInfraContainerImage, (msg) => log.warn({}, msg));
  if (engine instanceof DockerRuntime) engine.setPauseImage(pauseImage);
  // One registry; every runtime call the agent makes is counted and timed (kubelet_runtime_operations_*).
  const metrics = new KubeletMetrics({ now });
  const runtime: Runtime = new InstrumentedRuntime(engine, metrics);

  const hostResolv: DNSConfig = hostResolvConf((path) => { try { return readFileSync(path, 'utf8'); } catch { return undefined; } });
  const nodeIP = hostIP();
  const pullProgress = new PullProgressDisplay(deps.progressOut ?? process.stderr, (image, text) => log.info({ image }, text), now);
  const core = createKubeletCore({ ...config, hostIP: nodeIP, hostResolv, selector }, {
    runtime, clock, log, metrics, onPullProgress: (image, p) => pullProgress.update(image, p),
    onPullFallback: (image, message) => pullProgress.presentImageUsed(image, message),
    onPodRemoved: (pod, status) => api?.podRemoved(pod, status),
    onPodRejected: (pod, reason, message) => api?.podRejected(pod, reason, message),
  });
  const { ctx, events, lifecycle, cache, pleg, statuses, pods, prober, workers, loop } = core;
  metrics.watch({ pods, cache });

  // The port first: a second agent on the same port must fail before it touches any pod.
  let sources: StartedSources | undefined;
  const server = await startAgentServer({
    config, log, pods, statuses, events, lifecycle, pleg, cache, runtime, prober, metrics, now, host: deps.host,
    sourceErrors: () => sources?.errors() ?? [],
  });

  // First relist, then the sources; once every source has reported, adopt what Docker runs: orphans (pods
  // no source wants) are stopped and removed.
  await pleg.relistAll().catch((err) => log.warn({ err: errorLine(err) }, 'Initial relist failed; the runtime is not answering'));
  const plegRun = pleg.run(abort.signal);
  // The API's pods (those bound to this node) and config objects: a list+watch through the client.
  let api: KubeletApi | undefined;
  // The folder's Deployments, Jobs, … go to the API (without one they are refused as unsupported).
  const folderObjects = deps.client ? new FolderObjects() : undefined;
  sources = startSources({
    folderObjects,
    config, log, events, loop, ctx, signal: abort.signal, nodeName: config.nodeName,
    nameHeldBy: (ns, n) => api?.source.nameHeldBy(ns, n),
    onStaticPodsAdded: () => api?.syncMirrors(),
    // The first relist filled the cache: a pod that ran before a restart keeps its creationTimestamp.
    firstSandboxAt: (uid) => { const s = cache.get(uid)?.sandboxes ?? []; return s.length ? Math.min(...s.map((x) => x.createdAt)) : undefined; },
  });
  const started = sources;
  if (deps.client) {
    api = startKubeletApi({
      client: deps.client, nodeName: config.nodeName, core, log, signal: abort.signal, staticSourcesSeen: started.seenAll,
      configs: { put: (kind, ns, name, obj) => started.podConfig.putConfigObject(API_CONFIG_SOURCE, kind, ns, name, obj) },
      folderObjects, manifestErrors: (lines) => started.podConfig.report(MANIFEST_APPLY_SOURCE, lines),
    });
    api.source.onNameFreed(() => started.podConfig.recheck());
  }
  // The Node object, its status and Lease, and the events, written to the API (the kubelet's node status loop).
  const node = deps.client && api ? startKubeletNode({
    client: deps.client, nodeName: config.nodeName, port: server.port, maxPods: config.maxPods, rootDir: config.rootDir,
    // The API server reaches the kubelet at the node's InternalIP: the listen address, when it is one address.
    nodeIP: ['0.0.0.0', '::', ''].includes(config.address) ? nodeIP : config.address,
    runtime, pleg, pods, events, mirrorOf: (p) => api?.source.mirrorOf(p), clock, log,
  }) : undefined;
  // A ConfigMap or Secret no source has is looked for in the API (watched from then on; its pods wake when it comes).
  ctx.configStore.getConfigMap = (ns, name) => started.getConfigMap(ns, name) ?? void api?.configs.want('ConfigMap', ns, name);
  ctx.configStore.getSecret = (ns, name) => started.getSecret(ns, name) ?? void api?.configs.want('Secret', ns, name);
  // PersistentVolumeClaims and their volumes are read from the API, watched one by one as pods mount them; the
  // pods that mount one sync again when it changes (a claim getting Bound starts its waiting pods).
  if (deps.client) {
    const claims = new ApiClaimSource(deps.client, abort.signal, (ns, claim) => {
      for (const m of pods.all()) if (mountsClaim(m.pod, ns, claim)) loop.wake(m.pod.metadata!.uid!);
    });
    ctx.configStore.getVolumeClaim = (ns, name) => claims.lookup(ns, name);
  }
  // Orphans are adopted only once every source — the API's pods too — has been heard from.
  void Promise.all([started.seenAll, api?.synced]).then(() => adoptOrphans({ ctx, cache, pleg, pods, log }));
  log.info({ address: config.address, port: server.port, node: config.nodeName, pauseImage, api: deps.client?.server }, 'mini-kubelet started');

  // Container GC every minute (the kubelet's period): dead instances beyond the newest one per container.
  const gcTimer = setInterval(() => {
    void collectGarbage(ctx, cache, log).then((n) => { if (n) void pleg.relistAll().catch(() => undefined); });
    lifecycle.sweep((uid) => pods.get(uid) !== undefined);
    // Back-off entries idle past twice their maximum window (client-go's Backoff.GC).
    ctx.images.gc();
    ctx.crashBackoff.gcStale();
  }, deps.gcPeriodMs ?? 60_000);
  gcTimer.unref();

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  return {
    ready: Promise.resolve(),
    done,
    port: server.port,
    async stop() {
      clearInterval(gcTimer);
      abort.abort();
      api?.stop();
      await node?.stop();
      await Promise.race([workers.shutdown(), new Promise((r) => setTimeout(r, 3000))]);
      await server.close();
      await Promise.race([plegRun, new Promise((r) => setTimeout(r, 1000))]);
      resolveDone();
    },
  };
}
