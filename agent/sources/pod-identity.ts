// agent/sources/pod-identity.ts — who a pod is: the static-pod UID (content + source + node), the kubelet's
// pod full name `<name>_<namespace>` and format.Pod's `<name>_<namespace>(<uid>)`.
//
// The UID is computed like the kubelet's file/URL sources (pkg/kubelet/config/common.go applyDefaults): hex MD5
// over the pod object, then `host:<nodeName>`, then the source string. Which object: the pod exactly as
// decodeManifest returns it — after API defaulting, as the kubelet's decoder defaults before hashing — and
// before the source stamps its own fields on it. So that stamping twice cannot change the answer, the fields a
// source adds are left out of the hash: metadata.uid, the `kubernetes.io/config.*` annotations and status.
// Any edit a user makes to the manifest (other than those) gives a new UID, i.e. a new pod.
import { createHash } from 'node:crypto';
import type { Pod } from '../api/v1.js';

/** JSON with object keys sorted at every level; undefined members dropped (as JSON.stringify does). */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableStringify(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v).sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The pod without the fields a source stamps on it (see the header). */
function hashedView(pod: Pod): unknown {
  const { status: _status, ...rest } = pod;
  const md = pod.metadata ?? {};
  const { uid: _uid, annotations: _a, ...meta } = md;
  if (md.annotations) {
    const annotations = Object.fromEntries(Object.entries(md.annotations).filter(([k]) => !k.startsWith('kubernetes.io/config.')));
    return { ...rest, metadata: Object.keys(annotations).length ? { ...meta, annotations } : meta };
  }
  return { ...rest, metadata: meta };
}

/** The static pod UID: 32 hex chars of MD5(pod, `host:<nodeName>`, source). `source` is `file:<abs path>`,
 *  `url:<url>` or `api`. */
export function staticPodUID(pod: Pod, source: string, nodeName: string): string {
  const h = createHash('md5');
  h.update(stableStringify(hashedView(pod)));
  h.update(`host:${nodeName}`);
  h.update(source);
  return h.digest('hex');
}

/** The kubelet's GetPodFullName: `<name>_<namespace>` (namespace `default` when unset). */
export function podFullName(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace || 'default'}`;
}

/** format.Pod: `<name>_<namespace>(<uid>)`. */
export function formatPod(pod: Pod): string {
  return `${podFullName(pod)}(${pod.metadata?.uid ?? ''})`;
}
