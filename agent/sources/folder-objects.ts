// agent/sources/folder-objects.ts — the manifest folder's documents of kinds other than Pod, ConfigMap and
// Secret (Deployment, Job, Service, …), which the kubelet applies to the API (agent/api-client/
// manifest-applier.ts), and the latch that hands the folder's current set from the file source to the applier
// (the applier may start after the folder's first relist). Types and a tiny holder: no I/O.

/** One document as the folder offers it. */
export interface FolderObject {
  /** As decoded (nulls dropped): apiVersion, kind and metadata.name are strings. */
  readonly object: Record<string, unknown>;
  /** `loap.yaml[0]`, `all.yaml[1].items[2]`. */
  readonly origin: string;
  /** The file's base name: the object's owner. */
  readonly file: string;
}

/** The folder's current objects: the latest set, kept until someone listens, then given to it on each change. */
export class FolderObjects {
  #latest: readonly FolderObject[] | undefined;
  #listener: ((objects: readonly FolderObject[]) => void) | undefined;

  /** The file source's whole current set (every file's documents). */
  set(objects: readonly FolderObject[]): void {
    this.#latest = objects;
    this.#listener?.(objects);
  }

  /** One listener; it gets the set already offered (if any) at once. */
  listen(listener: (objects: readonly FolderObject[]) => void): void {
    this.#listener = listener;
    if (this.#latest) listener(this.#latest);
  }
}
