// agent/wiring/api.ts — the kubelet as a client of the Kubernetes API: its pods from a list+watch of the pods
// bound to this node, their statuses written back, mirror pods for its static pods, and the API's ConfigMaps
// and Secrets offered beside the folder's. Connects agent/api-client/ to the core; no decisions here.
//
// Everything goes through the KubeClient (client/types.ts), so the same kubelet runs against the embedded
// API server or another one (`--kubeconfig`).
import type { Pod, PodStatus } from '../api/v1.js';
import type { Logger } from '../log.js';
import type { KubeletCore } from './core.js';
import { ApiPodSource, API_SOURCE } from '../api-client/pod-source.js';
import { StatusSyncer } from '../api-client/status-syncer.js';
import { MirrorPods } from '../api-client/mirror-pods.js';
import { ApiConfigSource, type ConfigSink } from '../api-client/config-source.js';
import type { KubeClient } from '../../client/types.js';
import { ManifestApplier } from '../api-client/manifest-applier.js';
import type { FolderObjects } from '../sources/folder-objects.js';

export interface KubeletApi {
  readonly source: ApiPodSource;
  readonly syncer: StatusSyncer;
  readonly mirrors: MirrorPods;
  /** The API's ConfigMaps and Secrets, watched one by one as pods ask for them. */
  readonly configs: ApiConfigSource;
  /** Resolves once the first list of this node's pods reached the sync loop. */
  readonly synced: Promise<void>;
  /** The core has finished with a pod: its last status (and, for a deleted API pod, the deletion); a static pod's mirror goes. */
  podRemoved(pod: Pod, status: PodStatus | undefined): void;
  /** Static pods were added: their mirror pods are made now. */
  syncMirrors(): void;
  /** The core refused a pod at admission. */
  podRejected(pod: Pod, reason: string, message: string): void;
  stop(): void;
}

/** How often failed status writes are tried again and mirror pods checked (the kubelet's 10 s syncBatch). */
const RESYNC_MS = 10_000;

export function startKubeletApi(d: {
  client: KubeClient; nodeName: string; core: Pick<KubeletCore, 'loop' | 'pods' | 'statuses' | 'events'>; log: Logger; signal: AbortSignal;
  configs: ConfigSink;
  /** Resolves once every static source (folder, URL) has reported: before that a mirror pod may look orphaned. */
  staticSourcesSeen: Promise<unknown>;
  /** The manifest folder's documents of other kinds, applied to the API; their error lines go to `manifestErrors`. */
  folderObjects?: FolderObjects;
  manifestErrors?: (lines: readonly string[]) => void;
}): KubeletApi {
  const { core, log } = d;
  const source = new ApiPodSource({ client: d.client, nodeName: d.nodeName, loop: core.loop, log });
  const syncer = new StatusSyncer({ client: d.client, pods: core.pods, statuses: core.statuses, apiObject: (ns, n) => source.get(ns, n), mirrorOf: (p) => source.mirrorOf(p), log });
  const mirrors = new MirrorPods({
    client: d.client, nodeName: d.nodeName, pods: core.pods, mirrors: () => source.mirrors(), log,
    onMirrorCreated: (uid) => syncer.mark(uid),
  });
  const configs = new ApiConfigSource(d.client, d.configs, d.signal);
  let synced = false;
  let stopped = false;
  // Never after stop: a kubelet shutting down leaves its pods and their mirror pods as they are.
  const syncMirrors = (): void => { if (synced && !stopped) void mirrors.sync(); };
  source.onMirrorChanged(syncMirrors);
  // A static pod's first status, or one without its mirror yet: make the mirror.
  core.statuses.subscribe((uid) => {
    const m = core.pods.get(uid);
    if (m && m.source !== API_SOURCE && !source.get(m.pod.metadata?.namespace ?? 'default', m.pod.metadata!.name!)) syncMirrors();
  });
  void source.run(d.signal);
  const ready = source.whenSynced();
  // Mirror pods are reconciled only once both sides are known (the kubelet's sourcesReady for pod cleanup).
  void Promise.all([ready, d.staticSourcesSeen]).then(() => { synced = true; syncMirrors(); });
  const applier = d.folderObjects && startManifestApplier(d, d.folderObjects);
  const timer = setInterval(() => { syncer.retryFailed(); syncMirrors(); }, RESYNC_MS);
  timer.unref();
  return {
    source, syncer, mirrors, configs, synced: ready,
    podRemoved(pod, status) {
      syncer.podRemoved(pod, status);
      // After the core has dropped the pod (it does so right after this call): its mirror pod goes.
      if (pod.metadata?.annotations?.['kubernetes.io/config.source'] !== API_SOURCE) setImmediate(syncMirrors);
    },
    podRejected: (pod, reason, message) => syncer.podRejected(pod, reason, message),
    syncMirrors,
    stop() { stopped = true; clearInterval(timer); syncer.stop(); applier?.stop(); },
  };
}

/** The folder's other kinds applied to the API; a Warning header becomes a log line and a Warning event naming the file. */
function startManifestApplier(d: Parameters<typeof startKubeletApi>[0], objects: FolderObjects): ManifestApplier {
  const node = { kind: 'Node', name: d.nodeName, namespace: 'default', uid: d.nodeName };
  const applier = new ManifestApplier({
    client: d.client, nodeName: d.nodeName, log: d.log,
    onErrors: (lines) => d.manifestErrors?.(lines),
    onWarning(origin, text) {
      const message = `${origin}: Warning: ${text}`;
      d.log.warn({ origin }, message);
      d.core.events.event(node, { type: 'Warning', reason: 'APIWarning', message });
    },
  });
  objects.listen((o) => applier.set(o));
  return applier;
}
