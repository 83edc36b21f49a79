// agent/api-client/pod-source.ts — the kubelet's API pod source: a list+watch of the pods bound to this node
// (`fieldSelector=spec.nodeName=<node>`), turned into sync-loop calls, as the kubelet's config.NewSourceApiserver.
//
// A pod seen → `loop.add` (a new UID starts a worker; the same UID updates it: an image changed through the
// API restarts that container). A deletionTimestamp → `loop.remove(uid, deletionGracePeriodSeconds)` (a second
// delete with a shorter grace shrinks the kill under way). The object gone (deleted by the status syncer once
// the pod terminated, or force-deleted) → `loop.remove(uid, 0)`. Mirror pods (the API's copies of this node's
// static pods, annotation kubernetes.io/config.mirror) are not run: they are kept for the mirror-pod manager.
// Never writes to the API.
import type { Pod } from '../api/v1.js';
import type { Logger } from '../log.js';
import type { SyncLoop } from '../sync-loop.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION, CONFIG_SOURCE_ANNOTATION } from '../sources/source.js';
import { Informer } from '../../client/informer.js';
import { PODS, type KubeClient, type KubeObject } from '../../client/types.js';

export const API_SOURCE = 'api';

export const isMirrorPod = (p: Pod): boolean => p.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
/** A static pod's hash (config.hash, its UID): what its mirror pod's config.mirror annotation carries. */
export const staticHash = (p: Pod): string => p.metadata?.annotations?.[CONFIG_HASH_ANNOTATION] ?? p.metadata!.uid!;
/** `obj` is the mirror pod of this version of the static pod (not being deleted). */
export const mirrors = (obj: Pod | undefined, staticPod: Pod): obj is Pod =>
  !!obj && !obj.metadata?.deletionTimestamp && obj.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === staticHash(staticPod);
const fullName = (p: Pod): string => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`;

export interface ApiPodSourceOptions {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly loop: Pick<SyncLoop, 'add' | 'remove'>;
  readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

type MirrorListener = (namespace: string, name: string) => void;

export class ApiPodSource {
  readonly #o: ApiPodSourceOptions;
  readonly #informer: Informer<KubeObject>;
  readonly #freed = new Set<() => void>();
  readonly #mirrorListeners = new Set<MirrorListener>();
  #synced!: () => void;
  readonly #whenSynced = new Promise<void>((r) => { this.#synced = r; });

  constructor(o: ApiPodSourceOptions) {
    this.#o = o;
    this.#informer = new Informer<KubeObject>(o.client, PODS, { fieldSelector: `spec.nodeName=${o.nodeName}` }, {
      onAdd: (obj) => this.#seen(obj as Pod),
      onUpdate: (_old, obj) => this.#seen(obj as Pod),
      onDelete: (obj) => this.#gone(obj as Pod),
      onSynced: () => this.#synced(),
    });
  }

  /** Runs the list+watch until `signal` aborts (reconnecting and relisting on its own). */
  run(signal: AbortSignal): Promise<void> {
    return this.#informer.run(signal);
  }

  /** Resolves once the first list has been handed to the sync loop. */
  whenSynced(): Promise<void> {
    return this.#whenSynced;
  }

  /** The API's object for this namespace/name on this node (a mirror pod or an API pod). */
  get(namespace: string, name: string): Pod | undefined {
    return this.#informer.get(namespace, name) as Pod | undefined;
  }

  /** The API's mirror pod of this static pod (its current version), if there is one yet. */
  mirrorOf(staticPod: Pod): Pod | undefined {
    const m = this.get(staticPod.metadata?.namespace ?? 'default', staticPod.metadata!.name!);
    return mirrors(m, staticPod) ? m : undefined;
  }

  /** The mirror pods on this node. */
  mirrors(): Pod[] {
    return (this.#informer.list() as Pod[]).filter(isMirrorPod);
  }

  /** For the static sources' name check (PodConfig's nameHeldBy): an API pod (not a mirror) holding the name. */
  nameHeldBy(namespace: string, name: string): string | undefined {
    const p = this.get(namespace, name);
    return p && !isMirrorPod(p) ? `a pod created through the API (${namespace}/${name})` : undefined;
  }

  /** Calls `fn` whenever an API pod's name is freed, so the static sources may take it (PodConfig.recheck). */
  onNameFreed(fn: () => void): void {
    this.#freed.add(fn);
  }

  /** Calls `fn(namespace, name)` when a mirror pod appears, changes or goes (the mirror-pod manager listens). */
  onMirrorChanged(fn: MirrorListener): void {
    this.#mirrorListeners.add(fn);
  }

  #seen(pod: Pod): void {
    if (isMirrorPod(pod)) { this.#mirrorChanged(pod); return; }
    const md = pod.metadata!;
    // The kubelet marks where a pod came from; the status generator reads it (static pods differ a little).
    const annotated: Pod = { ...pod, metadata: { ...md, annotations: { ...md.annotations, [CONFIG_SOURCE_ANNOTATION]: API_SOURCE } } };
    this.#o.loop.add(API_SOURCE, [{ pod: annotated, origin: `${API_SOURCE}:${fullName(pod)}` }]);
    if (md.deletionTimestamp) this.#o.loop.remove([md.uid!], md.deletionGracePeriodSeconds ?? 0);
  }

  #gone(pod: Pod): void {
    if (isMirrorPod(pod)) { this.#mirrorChanged(pod); return; }
    const md = pod.metadata!;
    this.#o.loop.remove([md.uid!], md.deletionGracePeriodSeconds ?? 0);
    this.#o.log.debug({ pod: fullName(pod), podUID: md.uid }, 'Pod removed from the API');
    for (const fn of this.#freed) fn();
  }

  #mirrorChanged(pod: Pod): void {
    for (const fn of this.#mirrorListeners) fn(pod.metadata?.namespace ?? 'default', pod.metadata!.name!);
  }
}
