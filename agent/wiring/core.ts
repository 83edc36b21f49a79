// agent/wiring/core.ts — the kubelet's core on any Runtime and any Clock: caches, PLEG, prober, executors'
// context, status generation, pod syncer, pod workers and the sync loop, connected as agent/kubelet.ts runs
// them. kubelet.ts adds Docker, the sources, the server and the timers around it; unit tests run this same
// core on cri/fake and the fake clock, so they exercise the real wiring. No decisions here.
import type { DNSConfig, Runtime } from '../../cri/api.js';
import type { Clock } from '../../cri/clock.js';
import { errorLine } from '../../cri/errors.js';
import type { Logger } from '../kuberuntime/context.js';
import { EventRecorder } from '../events/recorder.js';
import { LifecycleRecord } from '../timeline/lifecycle-record.js';
import { PodCache } from '../pleg/pod-cache.js';
import { Pleg } from '../pleg/pleg.js';
import { StatusManager } from '../status-manager.js';
import { PodManager } from '../pod-manager.js';
import { PodWorkers, type SyncKind } from '../pod-workers/pod-workers.js';
import { KubeletPodSyncer } from '../pod-syncer.js';
import { SyncLoop } from '../sync-loop.js';
import { Backoff } from '../kuberuntime/backoff.js';
import { ImageManager } from '../kuberuntime/image-manager.js';
import type { PullProgress } from '../../cri/api.js';
import type { Pod, PodStatus } from '../api/v1.js';
import { ReasonCache, type RuntimeContext } from '../kuberuntime/context.js';
import { createProber, type AgentProber } from './prober.js';
import type { KubeletMetrics } from '../metrics/metrics.js';
import { createStatusGenerator } from './status.js';

export interface CoreConfig {
  readonly rootDir: string;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly hostResolv?: DNSConfig;
  readonly maxPods: number;
  readonly relistPeriodMs?: number;
  readonly syncFrequencyMs?: number;
  readonly crashLoopBackOff: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly imageBackOff?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly offlineImageFallback?: boolean;
  /** Labels every object of this node carries (PLEG lists only those). */
  readonly selector: Readonly<Record<string, string>>;
}

export interface CoreDeps {
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly log: Logger;
  readonly onPullProgress?: (image: string, p: PullProgress) => void;
  /** No registry answered and the image already present is used. */
  readonly onPullFallback?: (image: string, message: string) => void;
  /** Each pod-worker step with its duration (metrics). */
  readonly onSyncDone?: (kind: SyncKind, ms: number) => void;
  /** The agent's registry: probe series, pod-worker durations, pod start durations. */
  readonly metrics?: KubeletMetrics;
  /** A pod's worker has finished with it for good: the last desired object and status (the API's last write). */
  readonly onPodRemoved?: (pod: Pod, status: PodStatus | undefined) => void;
  /** A pod refused at admission (OutOfpods, a forbidden sysctl): the kubelet reports it Failed. */
  readonly onPodRejected?: (pod: Pod, reason: string, message: string) => void;
}

export interface KubeletCore {
  readonly ctx: RuntimeContext;
  readonly events: EventRecorder;
  readonly lifecycle: LifecycleRecord;
  readonly cache: PodCache;
  readonly pleg: Pleg;
  readonly statuses: StatusManager;
  readonly pods: PodManager;
  readonly prober: AgentProber;
  readonly workers: PodWorkers;
  readonly loop: SyncLoop;
}

export function createKubeletCore(config: CoreConfig, deps: CoreDeps): KubeletCore {
  const { runtime, clock, log } = deps;
  const now = () => clock.now();
  const events = new EventRecorder(config.nodeName, now, (t, e) => log.debug({ pod: `${t.namespace}/${t.name}`, reason: e.reason, type: e.type, fieldPath: e.fieldPath }, e.message));
  const lifecycle = new LifecycleRecord();
  const cache = new PodCache();
  const statuses = new StatusManager();
  const pods = new PodManager();
  const reasons = new ReasonCache();
  const pleg = new Pleg({
    runtime, cache, selector: config.selector, relistPeriodMs: config.relistPeriodMs ?? 1000, clock, log,
    onExit: (uid, c) => lifecycle.record({
      time: c.finishedAt || now(), podUID: uid, kind: 'exit', container: c.labels['io.kubernetes.container.name'] ?? c.metadata.name,
      containerId: c.id, exitCode: c.exitCode, reason: c.reason, finishedAt: c.finishedAt,
    }),
  });
  const prober = createProber({ runtime, events, lifecycle, statuses, pods, clock, log, metrics: deps.metrics?.probes });
  const ctx: RuntimeContext = {
    runtime,
    rootDir: config.rootDir,
    nodeName: config.nodeName,
    hostIP: config.hostIP,
    hostResolv: config.hostResolv ?? { servers: [], searches: [], options: [] },
    events,
    lifecycle,
    hooks: prober.hooks,
    configStore: { getConfigMap: () => undefined, getSecret: () => undefined },
    crashBackoff: new Backoff(config.crashLoopBackOff.initialDelayMs, config.crashLoopBackOff.maxDelayMs, now),
    images: new ImageManager({
      runtime, backoff: new Backoff(config.imageBackOff?.initialDelayMs ?? 10_000, config.imageBackOff?.maxDelayMs ?? 300_000, now),
      offlineFallback: config.offlineImageFallback ?? true, now, onProgress: deps.onPullProgress, onFallback: deps.onPullFallback,
    }),
    reasons,
    clock,
    log,
  };
  const generate = createStatusGenerator({ prober, reasons, hostIP: config.hostIP, now });
  const syncer = new KubeletPodSyncer({ ctx, cache, pleg, statuses, prober, generate, currentPod: (uid) => pods.get(uid)?.pod });
  const workers = new PodWorkers({
    syncer,
    clock,
    resyncMs: config.syncFrequencyMs ?? 60_000,
    onSyncDone: (kind, ms, pod) => { deps.metrics?.podSynced(kind, ms, pod.metadata!.uid!); deps.onSyncDone?.(kind, ms); },
    onError: (pod, err) => log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: errorLine(err) }, 'Error syncing pod, skipping'),
    onTerminated: (pod, restarting) => {
      const uid = pod.metadata!.uid!;
      if (restarting) {
        // Added again while it terminated: the desired pod stays, a new worker starts it with a fresh status.
        statuses.delete(uid);
        log.info({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, podUID: uid }, 'Pod terminated; starting it again (added back meanwhile)');
        return;
      }
      const last = pods.get(uid)?.pod ?? pod;
      lifecycle.keepFinished(last.metadata?.namespace ?? 'default', last.metadata!.name!, uid, { apiVersion: 'v1', kind: 'Pod', ...last, status: statuses.get(uid) });
      deps.onPodRemoved?.(last, statuses.get(uid));
      pods.delete(uid);
      statuses.delete(uid);
      log.info({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, podUID: uid }, 'Pod removed');
    },
  });
  const loop = new SyncLoop({
    pods, workers, now, maxPods: config.maxPods,
    onRejected: (pod, origin, reason, message) => {
      events.event({ name: pod.metadata!.name!, namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata!.uid! }, { type: 'Warning', reason, message });
      log.warn({ origin, reason }, message);
      deps.onPodRejected?.(pod, reason, message);
    },
  });
  pleg.subscribe((uid) => loop.wake(uid));
  prober.onChange((uid) => loop.wake(uid));
  statuses.subscribe((uid) => prober.statusChanged(uid));
  statuses.subscribe((uid, status) => deps.metrics?.podStatusChanged(uid, status));
  return { ctx, events, lifecycle, cache, pleg, statuses, pods, prober, workers, loop };
}
