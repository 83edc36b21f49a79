// agent/kuberuntime/volume-payloads.ts — the files of configMap, secret, downwardAPI and projected volumes:
// which keys, under which paths, with which modes (items, defaultMode, optional), with the kubelet's errors.
//
// Pure apart from reading the ConfigStore: returns a payload for atomic-writer.ts. A missing object or key
// that is not optional throws a VolumeError (`MountVolume.SetUp failed for volume "<v>" : configmap "<n>"
// not found`), shown as a FailedMount event while the pod waits in ContainerCreating, as with the kubelet.
// projected serviceAccountToken sources become an empty placeholder file (no API server issues tokens
// here); clusterTrustBundle sources are left out.
import type { ConfigMap, Pod, Secret, Volume } from '../api/v1.js';
import type { FileProjection } from './atomic-writer.js';
import { fieldRefValue, resourceFieldValue, secretValue, secretKeys, type ConfigStore, type NodeAllocatable } from './env.js';
import { ContainerConfigError, mountFailed } from './errors.js';

interface KeyToPath { key: string; path: string; mode?: number }
interface DownwardItem {
  path: string; mode?: number;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: unknown };
}

export interface PayloadContext {
  readonly store: ConfigStore;
  readonly allocatable: NodeAllocatable;
  readonly nodeName: string;
  readonly hostIP: string;
}

export function configMapData(cm: ConfigMap | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, b] of Object.entries(cm?.binaryData ?? {})) out.set(k, Buffer.from(b, 'base64'));
  return out;
}

export function secretData(s: Secret | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!s) return out;
  for (const k of secretKeys(s)) {
    out.set(k, k in (s.stringData ?? {}) ? Buffer.from(secretValue(s, k) ?? '', 'utf8') : Buffer.from(s.data?.[k] ?? '', 'base64'));
  }
  return out;
}

/** Keys → files: the listed items (a missing key fails unless optional), else every key under its own name. */
function project(
  volume: string, data: Map<string, Buffer>, items: readonly KeyToPath[] | undefined, mode: number, optional: boolean,
  missingKey: (key: string) => string, out: Map<string, FileProjection>,
): void {
  if (!items?.length) {
    for (const [k, b] of data) out.set(k, { data: b, mode });
    return;
  }
  for (const it of items) {
    const b = data.get(it.key);
    if (b === undefined) {
      if (optional) continue;
      throw mountFailed(volume, missingKey(it.key));
    }
    out.set(it.path, { data: b, mode: it.mode ?? mode });
  }
}

const cmKey = (k: string) => `configmap references non-existent config key: ${k}`;
const secretKey = (k: string) => `references non-existent secret key: ${k}`;

function downward(volume: string, pod: Pod, items: readonly DownwardItem[], mode: number, ctx: PayloadContext, out: Map<string, FileProjection>): void {
  for (const it of items) {
    let value: string;
    try {
      if (it.fieldRef) value = fieldRefValue(pod, it.fieldRef.fieldPath, { podIP: '', hostIP: ctx.hostIP, nodeName: ctx.nodeName });
      else if (it.resourceFieldRef) value = resourceFieldValue(pod, undefined, it.resourceFieldRef, ctx.allocatable);
      else continue;
    } catch (err) {
      if (err instanceof ContainerConfigError) throw mountFailed(volume, err.message);
      throw err;
    }
    out.set(it.path, { data: Buffer.from(value, 'utf8'), mode: it.mode ?? mode });
  }
}

/** The payload of a configMap, secret, downwardAPI or projected volume; undefined for other kinds. */
export function volumePayload(pod: Pod, v: Volume, ctx: PayloadContext): Map<string, FileProjection> | undefined {
  const ns = pod.metadata?.namespace ?? 'default';
  const out = new Map<string, FileProjection>();
  if (v.configMap) {
    const name = v.configMap.name ?? '';
    const cm = ctx.store.getConfigMap(ns, name);
    const optional = !!v.configMap.optional;
    if (!cm && !optional) throw mountFailed(v.name, `configmap "${name}" not found`);
    project(v.name, configMapData(cm), v.configMap.items, v.configMap.defaultMode ?? 0o644, optional || !cm, cmKey, out);
    return out;
  }
  if (v.secret) {
    const name = v.secret.secretName ?? '';
    const s = ctx.store.getSecret(ns, name);
    const optional = !!v.secret.optional;
    if (!s && !optional) throw mountFailed(v.name, `secret "${name}" not found`);
    project(v.name, secretData(s), v.secret.items, v.secret.defaultMode ?? 0o644, optional || !s, secretKey, out);
    return out;
  }
  if (v.downwardAPI) {
    downward(v.name, pod, (v.downwardAPI.items ?? []) as DownwardItem[], v.downwardAPI.defaultMode ?? 0o644, ctx, out);
    return out;
  }
  if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    for (const src of v.projected.sources ?? []) {
      if (src.configMap) {
        const name = src.configMap.name ?? '';
        const cm = ctx.store.getConfigMap(ns, name);
        const optional = !!src.configMap.optional;
        if (!cm && !optional) throw mountFailed(v.name, `configmap "${name}" not found`);
        project(v.name, configMapData(cm), src.configMap.items, mode, optional || !cm, cmKey, out);
      } else if (src.secret) {
        const name = src.secret.name ?? '';
        const s = ctx.store.getSecret(ns, name);
        const optional = !!src.secret.optional;
        if (!s && !optional) throw mountFailed(v.name, `secret "${name}" not found`);
        project(v.name, secretData(s), src.secret.items, mode, optional || !s, secretKey, out);
      } else if (src.downwardAPI) {
        downward(v.name, pod, (src.downwardAPI.items ?? []) as DownwardItem[], mode, ctx, out);
      } else if (src.serviceAccountToken) {
        // Approximated: no API server issues tokens on one node; the file exists, empty.
        out.set(src.serviceAccountToken.path, { data: Buffer.alloc(0), mode });
      }
    }
    return out;
  }
  return undefined;
}

/** The ConfigMaps and Secrets a volume refers to (for wake-ups and `check`). */
export function volumeRefs(v: Volume): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const out: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
  if (v.configMap?.name) out.push({ kind: 'ConfigMap', name: v.configMap.name });
  if (v.secret?.secretName) out.push({ kind: 'Secret', name: v.secret.secretName });
  for (const s of v.projected?.sources ?? []) {
    if (s.configMap?.name) out.push({ kind: 'ConfigMap', name: s.configMap.name });
    if (s.secret?.name) out.push({ kind: 'Secret', name: s.secret.name });
  }
  return out;
}
