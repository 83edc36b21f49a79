// agent/api-client/claim-source.ts — the PersistentVolumeClaims this node's pods mount, and their
// PersistentVolumes, read from the API (the kubelet's volume manager fetching the PVC, then its PV).
//
// Lazy, per object, like config-source.ts: the first lookup of a claim starts a list+watch of that one claim
// (`metadata.name=<claim>` in its namespace); once the claim names a volume, a list+watch of that PV starts. A
// lookup is answered from these caches at once (pvc.ts turns it into a mount or a FailedMount). Every change
// of a claim or its volume calls `changed(namespace, claim)`, so the pods that wait on it sync again at once.
import { Informer } from '../../client/informer.js';
import { PVCS, PVS, type KubeClient, type KubeObject, type ResourceRef } from '../../client/types.js';
import type { ClaimLookup, ClaimObject, VolumeObject } from '../kuberuntime/pvc.js';


interface Watched<T> { synced: boolean; obj?: T }

export class ApiClaimSource {
  readonly #client: KubeClient;
  readonly #signal: AbortSignal;
  readonly #changed: (namespace: string, claim: string) => void;
  readonly #claims = new Map<string, Watched<ClaimObject>>();
  readonly #volumes = new Map<string, Watched<VolumeObject>>();
  /** Which claims use a volume (to tell them when it changes). */
  readonly #users = new Map<string, Set<string>>();

  constructor(client: KubeClient, signal: AbortSignal, changed: (namespace: string, claim: string) => void) {
    this.#client = client;
    this.#signal = signal;
    this.#changed = changed;
  }

  /** What is known of the claim and its volume now; starts watching them the first time. */
  lookup(namespace: string, claim: string): ClaimLookup {
    const key = `${namespace}/${claim}`;
    const c = this.#claims.get(key) ?? this.#watchClaim(namespace, claim, key);
    if (!c.synced) return { known: false };
    const pvName = c.obj?.spec?.volumeName;
    if (!c.obj || !pvName) return { known: true, claim: c.obj };
    const v = this.#volumes.get(pvName) ?? this.#watchVolume(pvName);
    this.#users.get(pvName)!.add(key);
    return v.synced ? { known: true, claim: c.obj, volume: v.obj } : { known: false };
  }

  /** How many claims and volumes are watched (tests). */
  get watched(): number { return this.#claims.size + this.#volumes.size; }

  #watch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, entry: Watched<T>, changed: () => void): void {
    const put = (o: T | undefined): void => { entry.obj = o; entry.synced = true; changed(); };
    const informer = new Informer<T>(this.#client, ref, { namespace, fieldSelector: `metadata.name=${name}` }, {
      onAdd: (o) => put(o), onUpdate: (_old, o) => put(o), onDelete: () => put(undefined),
      onSynced: () => { if (!entry.synced) put(entry.obj); },
    });
    if (!this.#signal.aborted) void informer.run(this.#signal);
  }

  #watchClaim(namespace: string, claim: string, key: string): Watched<ClaimObject> {
    const entry: Watched<ClaimObject> = { synced: false };
    this.#claims.set(key, entry);
    this.#watch(PVCS, namespace, claim, entry as Watched<KubeObject>, () => {
      const pv = entry.obj?.spec?.volumeName;
      if (pv && !this.#volumes.has(pv)) this.#watchVolume(pv);
      if (pv) this.#users.get(pv)!.add(key);
      this.#changed(namespace, claim);
    });
    return entry;
  }

  #watchVolume(name: string): Watched<VolumeObject> {
    const entry: Watched<VolumeObject> = { synced: false };
    this.#volumes.set(name, entry);
    this.#users.set(name, new Set());
    this.#watch(PVS, undefined, name, entry as Watched<KubeObject>, () => {
      for (const key of this.#users.get(name) ?? []) {
        const i = key.indexOf('/');
        this.#changed(key.slice(0, i), key.slice(i + 1));
      }
    });
    return entry;
  }
}
