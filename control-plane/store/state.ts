// control-plane/store/state.ts — the store's in-memory view: every live object by (resource, namespace,
// name), by uid, and the owner → dependents index the garbage collector walks.
//
// Objects here are deeply frozen and shared with readers and watchers; only the store's commit changes
// the maps. No I/O.
import { keyString, metaOf } from './meta.js';
import type { KubeObject, ObjectKey } from './types.js';

export interface Entry { key: ObjectKey; object: KubeObject }

export class ObjectIndex {
  /** resource → "namespace/name" (or "name") → entry. */
  private readonly byResource = new Map<string, Map<string, Entry>>();
  private readonly byUid = new Map<string, Entry>();
  /** owner uid → key strings of the objects whose ownerReferences name it. */
  private readonly dependents = new Map<string, Map<string, Entry>>();

  get(resource: string, namespace: string, name: string): Entry | undefined {
    return this.byResource.get(resource)?.get(inner(namespace, name));
  }

  getByUid(uid: string): Entry | undefined { return this.byUid.get(uid); }

  /** Sets (or replaces) the object at `key`. */
  put(key: ObjectKey, object: KubeObject): void {
    const old = this.get(key.resource, key.namespace, key.name);
    if (old) this.unindex(old);
    let m = this.byResource.get(key.resource);
    if (!m) { m = new Map(); this.byResource.set(key.resource, m); }
    const e: Entry = { key, object };
    m.set(inner(key.namespace, key.name), e);
    this.index(e);
  }

  remove(key: ObjectKey): void {
    const m = this.byResource.get(key.resource);
    const old = m?.get(inner(key.namespace, key.name));
    if (!old) return;
    m!.delete(inner(key.namespace, key.name));
    this.unindex(old);
  }

  /** Entries of one resource (optionally one namespace), sorted by namespace then name as etcd keys sort. */
  list(resource: string, namespace?: string): Entry[] {
    const m = this.byResource.get(resource);
    if (!m) return [];
    const out: Entry[] = [];
    for (const e of m.values()) if (!namespace || e.key.namespace === namespace) out.push(e);
    return out.sort(byKey);
  }

  /** Every entry in a namespace, across resources. */
  inNamespace(namespace: string): Entry[] {
    const out: Entry[] = [];
    for (const m of this.byResource.values()) for (const e of m.values()) if (e.key.namespace === namespace) out.push(e);
    return out;
  }

  resources(): string[] { return [...this.byResource.keys()]; }

  dependentsOf(ownerUid: string): Entry[] { return [...(this.dependents.get(ownerUid)?.values() ?? [])]; }

  get size(): number { return this.byUid.size; }

  private index(e: Entry): void {
    const uid = metaOf(e.object).uid;
    if (uid) this.byUid.set(uid, e);
    for (const ref of metaOf(e.object).ownerReferences ?? []) {
      let d = this.dependents.get(ref.uid);
      if (!d) { d = new Map(); this.dependents.set(ref.uid, d); }
      d.set(keyString(e.key), e);
    }
  }

  private unindex(e: Entry): void {
    const uid = metaOf(e.object).uid;
    if (uid && this.byUid.get(uid) === e) this.byUid.delete(uid);
    for (const ref of metaOf(e.object).ownerReferences ?? []) {
      const d = this.dependents.get(ref.uid);
      d?.delete(keyString(e.key));
      if (d?.size === 0) this.dependents.delete(ref.uid);
    }
  }
}

const inner = (namespace: string, name: string): string => `${namespace}/${name}`;

function byKey(a: Entry, b: Entry): number {
  if (a.key.namespace !== b.key.namespace) return a.key.namespace < b.key.namespace ? -1 : 1;
  return a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0;
}
