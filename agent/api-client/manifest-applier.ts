// agent/api-client/manifest-applier.ts — the manifest folder's documents of other kinds (Deployment, Job,
// Service, …) applied to the API, like k3s's auto-deploying manifests: each is server-side applied (field
// manager `mini-kubelet-manifests`, force) when its document is new or changed, marked as this node's and its
// file's (manifest-plan.ts), and deleted with background cascade when its document or file goes.
//
// One reconcile at a time, level-based and idempotent: the folder's whole set against the owned objects
// known. Those are listed once by the ownership label across every listable resource (discovery) before
// anything is deleted, so an agent restart neither creates twice nor forgets files removed while it was down.
// Kinds are resolved through discovery (old versions such as apps/v1beta1 are applied as written; the server's
// Warning header goes to `onWarning`). A failed round (API not up, a 422) is retried with back-off; the
// current error lines, named by file and document, go to `onErrors` (replaced each round).
import { ResourceDiscovery } from '../../client/discovery.js';
import { isConflict, isNotFound, isUnreachable } from '../../client/errors.js';
import type { KubeClient, KubeObject, ResourceRef } from '../../client/types.js';
import type { FolderObject } from '../sources/folder-objects.js';
import {
  contentHash, errorLines, FIELD_MANAGER, knownFrom, MANIFEST_NODE_LABEL, nodeLabelValue, objectKey, plan, stamp, type Desired, type Known,
} from './manifest-plan.js';

/** The PodConfig source name the applier's error lines are reported under (beside the folder's own). */
export const MANIFEST_APPLY_SOURCE = 'manifest-apply';

/** What the applier needs of discovery (ResourceDiscovery; a fake in tests). */
export interface KindResolver {
  resolve(apiVersion: string, kind: string): Promise<ResourceRef>;
  /** Every listable resource with its kind. */
  listable(): Promise<{ ref: ResourceRef; kind: string }[]>;
}

export interface ManifestApplierOptions {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly log: { debug(o: object, m: string): void; info(o: object, m: string): void; warn(o: object, m: string): void };
  /** The current error lines (each round replaces them; [] clears). */
  readonly onErrors: (lines: readonly string[]) => void;
  /** A Warning header the API answered an apply of `origin` with. */
  readonly onWarning: (origin: string, text: string) => void;
  readonly resolver?: KindResolver;
  /** Retry back-off after a failed round (default 1 s doubling to 60 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

type Obj = Record<string, unknown>;
const metaOf = (o: Obj): { name?: string; namespace?: string } => (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata as { name?: string; namespace?: string } : {});

/** Thrown inside a round when the API is not answering: the round ends and is retried, nothing decided. */
class Unavailable extends Error {}

export class ManifestApplier {
  readonly #o: ManifestApplierOptions;
  readonly #resolver: KindResolver;
  readonly #nodeLabel: string;
  #objects: readonly FolderObject[] | undefined;
  /** Owned objects as the API has them; undefined until the first list succeeded. */
  #known: Map<string, Known> | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #retry: NodeJS.Timeout | undefined;
  #delayMs = 0;
  #stopped = false;

  constructor(o: ManifestApplierOptions) {
    this.#o = o;
    this.#resolver = o.resolver ?? discoveryResolver(o.client);
    this.#nodeLabel = nodeLabelValue(o.nodeName);
  }

  /** The folder's whole current set: reconciled now (or right after the round in flight). */
  set(objects: readonly FolderObject[]): void {
    this.#objects = objects;
    this.#kick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
  }

  /** Resolves when no round is running or queued (a retry timer may still be set). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #kick(): void {
    if (this.#stopped) return;
    if (this.#running) { this.#again = true; return; }
    if (this.#retry) { clearTimeout(this.#retry); this.#retry = undefined; }
    this.#running = this.#loop().finally(() => { this.#running = undefined; });
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      const ok = await this.#round().catch((e: unknown) => {
        this.#o.log.warn({ err: (e as Error).message }, 'Manifest folder: applying to the API failed; will retry');
        return false;
      });
      if (this.#stopped) return;
      if (ok) this.#delayMs = 0;
      else if (!this.#again) this.#scheduleRetry();
    } while (this.#again && !this.#stopped);
  }

  #scheduleRetry(): void {
    const { initialMs, maxMs } = this.#o.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    this.#delayMs = this.#delayMs ? Math.min(maxMs, this.#delayMs * 2) : initialMs;
    this.#retry = setTimeout(() => { this.#retry = undefined; this.#kick(); }, this.#delayMs);
    this.#retry.unref?.();
  }

  /** One reconcile; true when everything wanted was done. */
  async #round(): Promise<boolean> {
    const objects = this.#objects;
    if (!objects) return true; // the folder has not been read yet: nothing is known to be unwanted
    try {
      this.#known ??= await this.#listOwned();
      const errors: string[] = [];
      const desired = await this.#resolveAll(objects, errors);
      const p = plan(desired, this.#known);
      errors.push(...p.duplicates);
      let ok = errors.length === 0;
      for (const d of p.apply) ok = (await this.#apply(d, errors)) && ok;
      for (const k of p.remove) ok = (await this.#remove(k, errors)) && ok;
      this.#o.onErrors(errors);
      return ok;
    } catch (e) {
      if (!(e instanceof Unavailable)) throw e;
      this.#o.log.info({ err: e.message }, 'Manifest folder: the API is not answering; applying later');
      return false;
    }
  }

  /** Every object labelled as this node's, across every listable resource (once per start). */
  async #listOwned(): Promise<Map<string, Known>> {
    const known = new Map<string, Known>();
    const uids = new Set<string>();
    for (const { ref, kind } of await unavailableIfUnreachable(() => this.#resolver.listable())) {
      let items: KubeObject[];
      try {
        items = (await this.#o.client.list(ref, { labelSelector: `${MANIFEST_NODE_LABEL}=${this.#nodeLabel}` })).items;
      } catch (e) {
        if (isUnreachable(e)) throw new Unavailable((e as Error).message);
        this.#o.log.debug({ resource: ref.resource, err: (e as Error).message }, 'Manifest folder: cannot list owned objects of a resource');
        continue;
      }
      for (const item of items) {
        const k = knownFrom(item, kind, ref);
        // One object served by two groups (extensions and apps Deployments) is seen once.
        if (!k || (k.uid && uids.has(k.uid)) || known.has(k.key)) continue;
        if (k.uid) uids.add(k.uid);
        known.set(k.key, k);
      }
    }
    this.#o.log.debug({ owned: known.size }, 'Manifest folder: owned objects listed');
    return known;
  }

  async #resolveAll(objects: readonly FolderObject[], errors: string[]): Promise<Desired[]> {
    const out: Desired[] = [];
    for (const f of objects) {
      const o = f.object;
      const kind = o.kind as string;
      let ref: ResourceRef;
      try {
        ref = await unavailableIfUnreachable(() => this.#resolver.resolve(o.apiVersion as string, kind));
      } catch (e) {
        if (e instanceof Unavailable) throw e;
        errors.push(...errorLines(f.origin, e));
        continue;
      }
      const name = metaOf(o).name!;
      const namespace = ref.namespaced ? metaOf(o).namespace || 'default' : undefined;
      const hash = contentHash(o);
      const body = stamp(o, { file: f.file, nodeLabel: this.#nodeLabel, hash, namespace });
      out.push({ key: objectKey(kind, namespace, name), kind, ref, namespace, name, origin: f.origin, file: f.file, hash, body });
    }
    return out;
  }

  async #apply(d: Desired, errors: string[]): Promise<boolean> {
    try {
      const live = await this.#o.client.patch(d.ref, d.namespace, d.name, 'apply', d.body, {
        fieldManager: FIELD_MANAGER, force: true, onWarning: (text) => this.#o.onWarning(d.origin, text),
      });
      this.#known!.set(d.key, { key: d.key, kind: d.kind, ref: d.ref, namespace: d.namespace, name: d.name, uid: live.metadata?.uid, hash: d.hash, file: d.file });
      this.#o.log.info({ origin: d.origin, object: d.key }, 'Manifest folder: applied');
      return true;
    } catch (e) {
      if (isUnreachable(e)) throw new Unavailable((e as Error).message);
      errors.push(...errorLines(d.origin, e));
      return false;
    }
  }

  /** Deletes an owned object (background cascade), only the one this node applied (its UID). */
  async #remove(k: Known, errors: string[]): Promise<boolean> {
    try {
      await this.#o.client.delete(k.ref, k.namespace, k.name, { propagationPolicy: 'Background', ...(k.uid ? { preconditions: { uid: k.uid } } : {}) });
      this.#o.log.info({ file: k.file, object: k.key }, 'Manifest folder: deleted (its document is gone)');
    } catch (e) {
      if (isUnreachable(e)) throw new Unavailable((e as Error).message);
      // Gone already, or replaced by another object of that name (not ours to delete).
      if (!isNotFound(e) && !isConflict(e)) {
        errors.push(...errorLines(k.file ?? k.key, e).map((l) => `${l} (deleting ${k.key})`));
        return false;
      }
    }
    this.#known!.delete(k.key);
    return true;
  }
}

async function unavailableIfUnreachable<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isUnreachable(e)) throw new Unavailable((e as Error).message);
    throw e;
  }
}

/** Discovery through the client (client/discovery.ts). */
export function discoveryResolver(client: KubeClient): KindResolver {
  const d = new ResourceDiscovery(client);
  return { resolve: (apiVersion, kind) => d.resolve(apiVersion, kind), listable: () => d.listable() };
}
