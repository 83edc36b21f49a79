// agent/wiring/sources.ts — runs the configured pod sources (manifest folder, URL) through PodConfig and
// turns its updates into sync-loop calls. Error lines (invalid manifests, an unreachable URL) go to the
// log and become Warning events on the node; ConfigMap/Secret changes wake the pods that use them.
import type { KubeletConfig } from '../config/kubelet-config.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Logger } from '../log.js';
import type { SyncLoop } from '../sync-loop.js';
import type { RuntimeContext } from '../kuberuntime/context.js';
import { PodConfig } from '../sources/pod-config.js';
import { FileSource } from '../sources/file-source.js';
import { UrlSource } from '../sources/url-source.js';
import type { PodSource } from '../sources/source.js';
import type { FolderObject, FolderObjects } from '../sources/folder-objects.js';
import type { ConfigMap, Secret } from '../api/v1.js';
import { ignoredFields, strictViolations } from '../spec-support/classify.js';

export interface StartedSources {
  readonly podConfig: PodConfig;
  readonly seenAll: Promise<void>;
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getSecret(namespace: string, name: string): Secret | undefined;
  errors(): string[];
}

export function startSources(d: {
  config: KubeletConfig; log: Logger; events: EventRecorder; loop: SyncLoop; ctx: RuntimeContext; signal: AbortSignal; nodeName: string;
  nameHeldBy?: (namespace: string, name: string) => string | undefined;
  /** Static pods were added (their mirror pods are made at once, before their containers, as the kubelet's syncPod). */
  onStaticPodsAdded?: () => void;
  /** When the runtime made the first sandbox it holds for a UID (a pod's creationTimestamp after a restart). */
  firstSandboxAt?: (uid: string) => number | undefined;
  /** Where the folder's documents of other kinds go (to be applied to the API); without it they are refused. */
  folderObjects?: FolderObjects;
}): StartedSources {
  const sources: PodSource[] = [];
  if (d.config.staticPodPath) {
    const objects = d.folderObjects;
    sources.push(new FileSource({
      path: d.config.staticPodPath, nodeName: d.nodeName, checkFrequencyMs: d.config.fileCheckFrequencyMs, log: d.log,
      ...(objects ? { onObjects: (o: readonly FolderObject[]) => objects.set(o) } : {}),
    }));
  }
  if (d.config.staticPodURL) {
    sources.push(new UrlSource({ url: d.config.staticPodURL, headers: d.config.staticPodURLHeader, nodeName: d.nodeName, checkFrequencyMs: d.config.httpCheckFrequencyMs, log: d.log }));
  }
  const node = { kind: 'Node', name: d.nodeName, namespace: 'default', uid: d.nodeName };
  const strictRejected = new Map<string, string>();
  const podConfig = new PodConfig({
    sources: sources.map((s) => s.name),
    nameHeldBy: d.nameHeldBy,
    firstSandboxAt: d.firstSandboxAt,
    onUpdate(u) {
      if (u.op === 'REMOVE' || u.op === 'DELETE') {
        for (const p of u.pods) strictRejected.delete(p.pod.metadata!.uid!);
        d.loop.remove(u.pods.map((p) => p.pod.metadata!.uid!));
        return;
      }
      const admitted = u.pods.filter((p) => {
        const name = `${p.pod.metadata?.namespace}/${p.pod.metadata?.name}`;
        if (d.config.strict) {
          const v = strictViolations(p.pod);
          if (v.length) {
            const line = `${p.origin}: rejected by --strict: uses ${v.join(', ')}, which mini-kubelet ignores`;
            if (!strictRejected.has(p.pod.metadata!.uid!)) { d.log.warn({ pod: name }, line); d.events.event(node, { type: 'Warning', reason: 'FailedValidation', message: line }); }
            strictRejected.set(p.pod.metadata!.uid!, line);
            return false;
          }
        }
        if (u.op === 'ADD') {
          const ignored = ignoredFields(p.pod);
          if (ignored.length) d.log.info({ pod: name, origin: p.origin, ignored }, 'Pod uses fields mini-kubelet ignores');
        }
        return true;
      });
      if (admitted.length) { d.loop.add(u.source, admitted); d.onStaticPodsAdded?.(); }
    },
    onErrors(source, lines) {
      for (const line of lines) {
        d.log.warn({ source }, line);
        d.events.event(node, { type: 'Warning', reason: 'FailedValidation', message: line });
      }
    },
  });
  podConfig.onConfigObjectsChanged((changes) => {
    // Pods that refer to a changed ConfigMap/Secret sync again: mounted files update, waiting pods start.
    for (const uid of d.loop.uidsUsing(changes)) d.loop.wake(uid);
  });
  for (const s of sources) void podConfig.run(s, d.signal);
  return {
    podConfig,
    seenAll: podConfig.whenAllSourcesSeen(),
    getConfigMap: (ns, name) => podConfig.getConfigMap(ns, name),
    getSecret: (ns, name) => podConfig.getSecret(ns, name),
    errors: () => [...podConfig.errors(), ...strictRejected.values()],
  };
}
