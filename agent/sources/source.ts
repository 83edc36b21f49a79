// agent/sources/source.ts — what a pod source is: `PodSource.run` emits full snapshots (the kubelet's SET) of
// the pods, ConfigMaps and Secrets it currently offers, plus the error lines about them; and how a static
// pod is stamped before it leaves its source (UID, config annotations, nodeName, Pending).
//
// Implemented by file-source.ts, url-source.ts (and anything else that offers pods); consumed by
// pod-config.ts, which turns snapshots into PodUpdate deltas. Types and one pure helper: no I/O, no timers.
import type { ConfigMap, Pod, Secret } from '../api/v1.js';
import { staticPodUID } from './pod-identity.js';

export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** A pod as a source offers it, with where it came from (`web.yaml[0]`, `http://host/pods.yaml[1]`). */
export interface SourcePod {
  /** Defaulted and validated; metadata.uid set; config.source/hash/seen annotations; spec.nodeName; Pending. */
  readonly pod: Pod;
  readonly origin: string;
}

/** Everything one source offers right now. Each snapshot replaces the source's previous one. */
export interface PodSourceSnapshot {
  /** `file`, `http` or `api`. */
  readonly source: string;
  readonly pods: readonly SourcePod[];
  readonly configMaps: readonly ConfigMap[];
  readonly secrets: readonly Secret[];
  /** Formatted error lines (`web.yaml[1]: spec.containers[0].image: Required value`). */
  readonly errors: readonly string[];
}

export interface PodSource {
  readonly name: string;
  /**
   * Runs until `signal` aborts, then resolves (it never rejects for a bad manifest or an unreachable URL).
   * `emit` gets a full snapshot: always once at start (so the merge knows the source has been seen), then
   * only when something changed. `report`, when given, gets error lines that come without a new snapshot
   * (the URL failed: the last good pods stay); an empty list clears them.
   */
  run(signal: AbortSignal, emit: (s: PodSourceSnapshot) => void, report?: (errors: readonly string[]) => void): Promise<void>;
}

/** The logger a source writes to (pino's Logger fits). */
export interface SourceLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** RFC 3339 with the fraction's trailing zeros dropped, as Go's RFC3339Nano prints it. */
export function formatSeenTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

export interface StampOptions {
  /** `file` or `http` (the config.source annotation). */
  readonly source: string;
  /** What the UID hashes as the pod's origin: `file:<abs path>` or `url:<url>`. */
  readonly uidSource: string;
  readonly nodeName: string;
  readonly seenMs: number;
}

/**
 * The kubelet's static-pod defaults (config/common.go applyDefaults), applied to a decoded, valid pod: a UID
 * from content + node + source (kept if the manifest sets one), namespace `default`, spec.nodeName, the
 * config.hash (= UID), config.source and config.seen annotations, status Pending. The name stays as written
 * (no `-<nodeName>` suffix: no mirror pods here). The kubelet also adds a NoExecute toleration to file pods;
 * it is left out because tolerations are an ignored field here and --strict would reject every file pod.
 */
export function stampStaticPod(pod: Pod, o: StampOptions): Pod {
  const md = pod.metadata ?? {};
  const uid = md.uid || staticPodUID(pod, o.uidSource, o.nodeName);
  return {
    ...pod,
    metadata: {
      ...md,
      namespace: md.namespace || 'default',
      uid,
      annotations: {
        ...md.annotations,
        [CONFIG_HASH_ANNOTATION]: uid,
        [CONFIG_SEEN_ANNOTATION]: formatSeenTimestamp(o.seenMs),
        [CONFIG_SOURCE_ANNOTATION]: o.source,
      },
    },
    spec: { ...pod.spec!, nodeName: o.nodeName },
    status: { phase: 'Pending' },
  };
}

/** `namespace/name` of a pod or config object. */
export function objectKey(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`;
}
