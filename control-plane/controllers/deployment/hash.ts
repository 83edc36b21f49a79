// control-plane/controllers/deployment/hash.ts — the pod-template-hash and "which ReplicaSet is new"
// (control-plane-semantics.md §1.2). Go's DeepHashObject prints the struct with `%v`, which TS cannot
// reproduce byte for byte; as the doc recommends we keep the format: FNV-32a over a canonical serialization
// (JSON with sorted keys, empty values dropped), the collision count as 8 bytes (uint32 little-endian, then
// zeros), the decimal hash re-encoded with SafeEncodeString's alphabet, so names look right and are stable.
import { HASH_LABEL, type PodTemplate, type ReplicaSet } from './types.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over bytes. */
export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** apimachinery's rand.SafeEncodeString: each char c → alphanums[c % 27]. */
export const safeEncode = (s: string): string => [...s].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');

/**
 * The value with empty things dropped (null, {}, [] — Go's semantic equality treats nil and empty alike) and
 * object keys sorted: two templates that mean the same serialize the same.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const c = canonical((v as Record<string, unknown>)[k]);
    if (c === null || c === undefined) continue;
    if (typeof c === 'object' && (Array.isArray(c) ? c.length === 0 : Object.keys(c).length === 0)) continue;
    out[k] = c;
  }
  return out;
}

/** ComputeHash: the pod-template-hash of a template (with the Deployment's status.collisionCount). */
export function computeHash(template: PodTemplate, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(JSON.stringify(canonical(template) ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}

export const replicaSetName = (deployment: string, hash: string): string => `${deployment}-${hash}`;

const withoutHash = (t: PodTemplate | undefined): unknown => {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
  return canonical(c);
};

/** EqualIgnoreHash: the two templates are semantically equal apart from the pod-template-hash label. */
export const equalIgnoreHash = (a: PodTemplate | undefined, b: PodTemplate | undefined): boolean =>
  JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));

/** ReplicaSetsByCreationTimestamp: older first, name as the tie-break. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/** FindNewReplicaSet: the oldest RS whose template equals the Deployment's, ignoring the hash label. */
export function findNewReplicaSet(template: PodTemplate, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, template));
}
