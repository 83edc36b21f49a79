// agent/sources/pod-config.ts — PodConfig, the kubelet's config.go mux: merges the snapshots of every source
// into minimal PodUpdate deltas keyed by UID, keeps each source's ConfigMaps and Secrets, carries the sources'
// error lines, and says when every source has been seen once (SeenAllSources).
//
// A snapshot replaces its source's set. Per UID: new → ADD; gone → REMOVE; spec/labels/annotations changed →
// UPDATE (deletionTimestamp set → DELETE); only status changed → RECONCILE. A manifest edit changes the UID,
// so it is REMOVE of the old pod + ADD of the new one. Updates go out in the kubelet's order: REMOVE, ADD,
// UPDATE, DELETE, RECONCILE; a source's first snapshot with nothing to add still sends an empty ADD.
// A namespace/name already held by another source's pod (or by `nameHeldBy`, e.g. the API pods) is refused
// with an error line; it is admitted later when the name frees up. A pod's creationTimestamp is stamped when
// it is first accepted (its config.seen, or its first sandbox's creation after an agent restart) and kept
// across its updates, so the API's AGE counts from the first sight. Called by the wiring; owns no pods' lives:
// it never calls workers or the runtime, only `onUpdate`.
import type { ConfigMap, Pod, Secret } from '../api/v1.js';
import { stableStringify } from './pod-identity.js';
import { CONFIG_MIRROR_ANNOTATION, CONFIG_SEEN_ANNOTATION, CONFIG_SOURCE_ANNOTATION, objectKey, type PodSource, type PodSourceSnapshot, type SourcePod } from './source.js';

export type PodOp = 'ADD' | 'UPDATE' | 'DELETE' | 'REMOVE' | 'RECONCILE';

export interface PodUpdate {
  readonly op: PodOp;
  readonly source: string;
  readonly pods: readonly SourcePod[];
}

export interface ConfigObjectChange { readonly kind: 'ConfigMap' | 'Secret'; readonly namespace: string; readonly name: string }

export interface PodConfigOptions {
  /** The sources that must each send one snapshot before seenAllSources() is true. */
  readonly sources: readonly string[];
  readonly onUpdate: (u: PodUpdate) => void;
  /** Error lines of a source that were not current before (each new line once, until it goes away). */
  readonly onErrors?: (source: string, lines: readonly string[]) => void;
  /** Who else holds a namespace/name (e.g. the API pods); a description for the error line, or undefined. */
  readonly nameHeldBy?: (namespace: string, name: string) => string | undefined;
  /**
   * When the runtime made the first sandbox it still holds for this UID (ms), if any: after an agent restart
   * the pod's creationTimestamp is taken from it, so its AGE counts from the first sight, not the restart.
   */
  readonly firstSandboxAt?: (uid: string) => number | undefined;
  /** The clock for pods that come without a config.seen annotation (default Date.now). */
  readonly now?: () => number;
}

interface SourceState {
  offered: readonly SourcePod[];
  accepted: Map<string, SourcePod>;
  configMaps: Map<string, ConfigMap>;
  secrets: Map<string, Secret>;
  snapshotErrors: readonly string[];
  reported: readonly string[];
  refused: string[];
  current: Set<string>;
  seen: boolean;
}

const LOCAL_ANNOTATIONS = new Set([CONFIG_SOURCE_ANNOTATION, CONFIG_SEEN_ANNOTATION, CONFIG_MIRROR_ANNOTATION]);

/** What makes two objects of the same UID a different desired state (the kubelet's podsDifferSemantically). */
function semantic(p: Pod): string {
  const md = p.metadata ?? {};
  const annotations = Object.fromEntries(Object.entries(md.annotations ?? {}).filter(([k]) => !LOCAL_ANNOTATIONS.has(k)));
  return stableStringify([p.spec, md.labels ?? {}, annotations, md.deletionTimestamp, md.deletionGracePeriodSeconds]);
}

/** The new object, keeping the first-seen time and the creationTimestamp of the one it replaces. */
function keepSeen(next: SourcePod, prev: SourcePod): SourcePod {
  const { creationTimestamp, annotations } = prev.pod.metadata ?? {};
  const seen = annotations?.[CONFIG_SEEN_ANNOTATION];
  const md = next.pod.metadata ?? {};
  return {
    ...next,
    pod: {
      ...next.pod,
      metadata: {
        ...md,
        ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
        ...(seen === undefined ? {} : { annotations: { ...md.annotations, [CONFIG_SEEN_ANNOTATION]: seen } }),
      },
    },
  };
}

/** ms → `2026-11-23T09:41:58Z` (metav1.Time: UTC, whole seconds). */
const secondsRFC3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

/**
 * A newly accepted pod with its creationTimestamp (server-owned: a value in the manifest is replaced): when
 * the agent first saw it (config.seen, else `now`), or its first sandbox's creation when that is earlier.
 */
function created(p: SourcePod, now: number, sandboxAt: number | undefined): SourcePod {
  const seen = Date.parse(p.pod.metadata?.annotations?.[CONFIG_SEEN_ANNOTATION] ?? '');
  const first = Math.min(Number.isNaN(seen) ? now : seen, sandboxAt ?? Infinity);
  return { ...p, pod: { ...p.pod, metadata: { ...p.pod.metadata, creationTimestamp: secondsRFC3339(first) } } };
}

export class PodConfig {
  readonly #o: PodConfigOptions;
  readonly #sources = new Map<string, SourceState>();
  readonly #listeners = new Set<(changes: readonly ConfigObjectChange[]) => void>();
  readonly #allSeen: Promise<void>;
  #resolveAllSeen!: () => void;

  constructor(o: PodConfigOptions) {
    this.#o = o;
    this.#allSeen = new Promise((r) => { this.#resolveAllSeen = r; });
    for (const s of o.sources) this.#state(s);
    if (this.seenAllSources()) this.#resolveAllSeen();
  }

  /** Runs a source until `signal` aborts, feeding its snapshots and error reports in here. */
  async run(source: PodSource, signal: AbortSignal): Promise<void> {
    this.#state(source.name);
    await source.run(signal, (s) => this.apply(s), (lines) => this.report(source.name, lines)).catch((e: unknown) => {
      if (!signal.aborted) this.report(source.name, [`${source.name} source stopped: ${(e as Error).message}`]);
    });
  }

  /** A full snapshot from one source: replaces its set and sends the deltas. */
  apply(s: PodSourceSnapshot): void {
    const st = this.#state(s.source);
    const first = !st.seen;
    st.seen = true;
    st.offered = s.pods;
    st.snapshotErrors = s.errors;
    st.reported = [];
    this.#setConfigObjects(st, s.configMaps, s.secrets);
    this.#reconcile(s.source, first);
    this.recheck(s.source);
    this.#publishErrors(s.source);
    if (first && this.seenAllSources()) this.#resolveAllSeen();
  }

  /**
   * One ConfigMap or Secret of an incremental source (the API's watch) added or changed (`obj`) or removed
   * (undefined); the pods that use it are told when its effective content changed.
   */
  putConfigObject(source: string, kind: 'ConfigMap' | 'Secret', namespace: string, name: string, obj: ConfigMap | Secret | undefined): void {
    const st = this.#state(source);
    const key = `${namespace}/${name}`;
    const current = (): string => stableStringify((kind === 'ConfigMap' ? this.getConfigMap(namespace, name) : this.getSecret(namespace, name)) ?? null);
    const before = current();
    const map = (kind === 'ConfigMap' ? st.configMaps : st.secrets) as Map<string, ConfigMap | Secret>;
    if (obj) map.set(key, obj);
    else map.delete(key);
    if (current() !== before) for (const l of this.#listeners) l([{ kind, namespace, name }]);
  }

  /** Error lines about a source that come without a new snapshot (its pods stay); [] clears them. */
  report(source: string, lines: readonly string[]): void {
    this.#state(source).reported = [...lines];
    this.#publishErrors(source);
  }

  /** Re-admits refused pods whose name has been freed (call after `nameHeldBy`'s answer changed). */
  recheck(except?: string): void {
    for (const [name, st] of this.#sources) {
      if (name === except || !st.refused.length) continue;
      this.#reconcile(name, false);
      this.#publishErrors(name);
    }
  }

  seenAllSources(): boolean {
    return this.#o.sources.every((s) => this.#sources.get(s)?.seen);
  }

  /** Resolves once every configured source has sent its first snapshot. */
  whenAllSourcesSeen(): Promise<void> {
    return this.#allSeen;
  }

  /** Every accepted pod, by source. */
  pods(source?: string): SourcePod[] {
    const states = source ? [this.#sources.get(source)].filter((s): s is SourceState => !!s) : [...this.#sources.values()];
    return states.flatMap((s) => [...s.accepted.values()]);
  }

  /** The current error lines of every source. */
  errors(): string[] {
    return [...this.#sources.values()].flatMap((s) => [...s.current]);
  }

  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    for (const st of this.#sources.values()) { const o = st.configMaps.get(`${namespace}/${name}`); if (o) return o; }
    return undefined;
  }

  getSecret(namespace: string, name: string): Secret | undefined {
    for (const st of this.#sources.values()) { const o = st.secrets.get(`${namespace}/${name}`); if (o) return o; }
    return undefined;
  }

  /** Called with the ConfigMaps and Secrets whose effective content changed (added, edited, removed). */
  onConfigObjectsChanged(listener: (changes: readonly ConfigObjectChange[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #state(source: string): SourceState {
    let st = this.#sources.get(source);
    if (!st) {
      st = { offered: [], accepted: new Map(), configMaps: new Map(), secrets: new Map(), snapshotErrors: [], reported: [], refused: [], current: new Set(), seen: false };
      this.#sources.set(source, st);
    }
    return st;
  }

  #holder(source: string, key: string, namespace: string, name: string): string | undefined {
    for (const [other, st] of this.#sources) {
      if (other === source) continue;
      for (const p of st.accepted.values()) if (objectKey(p.pod) === key) return `a pod from the ${other} source (${p.origin})`;
    }
    return this.#o.nameHeldBy?.(namespace, name);
  }

  #reconcile(source: string, first: boolean): void {
    const st = this.#state(source);
    const desired = new Map<string, SourcePod>();
    const names = new Map<string, string>();
    st.refused = [];
    for (const p of st.offered) {
      const key = objectKey(p.pod);
      const uid = p.pod.metadata?.uid ?? '';
      const ns = p.pod.metadata?.namespace || 'default';
      const held = names.has(key) ? names.get(key) : desired.has(uid) ? `${desired.get(uid)!.origin} (the same UID)` : this.#holder(source, key, ns, p.pod.metadata?.name ?? '');
      if (held !== undefined) {
        st.refused.push(`${p.origin}: metadata.name: Duplicate value: "${key}": already used by ${held}; this pod is ignored`);
        continue;
      }
      names.set(key, p.origin);
      desired.set(uid, p);
    }
    const removes: SourcePod[] = [];
    const adds: SourcePod[] = [];
    const updates: SourcePod[] = [];
    const deletes: SourcePod[] = [];
    const reconciles: SourcePod[] = [];
    for (const [uid, prev] of st.accepted) if (!desired.has(uid)) removes.push(prev);
    const next = new Map<string, SourcePod>();
    for (const [uid, p] of desired) {
      const prev = st.accepted.get(uid);
      if (!prev) {
        const fresh = created(p, (this.#o.now ?? Date.now)(), this.#o.firstSandboxAt?.(uid));
        adds.push(fresh);
        next.set(uid, fresh);
        continue;
      }
      if (semantic(prev.pod) !== semantic(p.pod)) {
        const kept = keepSeen(p, prev);
        (p.pod.metadata?.deletionTimestamp ? deletes : updates).push(kept);
        next.set(uid, kept);
      } else if (stableStringify(prev.pod.status) !== stableStringify(p.pod.status)) {
        const kept: SourcePod = { ...prev, pod: { ...prev.pod, status: p.pod.status } };
        reconciles.push(kept);
        next.set(uid, kept);
      } else next.set(uid, prev);
    }
    st.accepted = next;
    const send = (op: PodOp, pods: SourcePod[]) => { if (pods.length) this.#o.onUpdate({ op, source, pods }); };
    send('REMOVE', removes);
    send('ADD', adds);
    send('UPDATE', updates);
    send('DELETE', deletes);
    if (first && !adds.length && !updates.length && !deletes.length) this.#o.onUpdate({ op: 'ADD', source, pods: [] });
    send('RECONCILE', reconciles);
  }

  #publishErrors(source: string): void {
    const st = this.#state(source);
    const now = new Set([...st.snapshotErrors, ...st.reported, ...st.refused]);
    const fresh = [...now].filter((l) => !st.current.has(l));
    st.current = now;
    if (fresh.length) this.#o.onErrors?.(source, fresh);
  }

  #setConfigObjects(st: SourceState, configMaps: readonly ConfigMap[], secrets: readonly Secret[]): void {
    const changes: ConfigObjectChange[] = [];
    for (const [kind, list, get] of [
      ['ConfigMap', configMaps, (ns: string, n: string) => this.getConfigMap(ns, n)],
      ['Secret', secrets, (ns: string, n: string) => this.getSecret(ns, n)],
    ] as const) {
      const map = kind === 'ConfigMap' ? st.configMaps : st.secrets;
      const incoming = new Map(list.map((o) => [objectKey(o), o] as const));
      const keys = new Set([...map.keys(), ...incoming.keys()]);
      const before = new Map([...keys].map((k) => [k, stableStringify(get(...split(k)) ?? null)] as const));
      map.clear();
      for (const [k, o] of incoming) (map as Map<string, ConfigMap | Secret>).set(k, o);
      for (const k of keys) {
        if (stableStringify(get(...split(k)) ?? null) !== before.get(k)) changes.push({ kind, ...named(k) });
      }
    }
    if (changes.length) for (const l of this.#listeners) l(changes);
  }
}

const split = (key: string): [string, string] => { const i = key.indexOf('/'); return [key.slice(0, i), key.slice(i + 1)]; };
const named = (key: string): { namespace: string; name: string } => { const [namespace, name] = split(key); return { namespace, name }; };
