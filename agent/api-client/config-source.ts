// agent/api-client/config-source.ts — the API's ConfigMaps and Secrets that this node's pods use, offered to
// PodConfig as one more source of config objects beside the folder and the URL (the kubelet's watch-based
// ConfigMap/Secret manager).
//
// Lazy, per object: the first time a pod asks for a ConfigMap or Secret that no source has (`want`), a list+
// watch of that one object starts (`metadata.name=<name>` in its namespace) and stays. Each add, change or
// delete reaches the sink on its own (PodConfig wakes the pods that use it: mounted files update, waiting pods
// start). The node never lists every ConfigMap and Secret of the cluster.
import type { ConfigMap, Secret } from '../api/v1.js';
import { Informer } from '../../client/informer.js';
import { CONFIGMAPS, SECRETS, type KubeClient, type KubeObject } from '../../client/types.js';

/** The PodConfig source name the API's config objects are offered under. */
export const API_CONFIG_SOURCE = 'api-config';

export type ConfigKind = 'ConfigMap' | 'Secret';

export interface ConfigSink {
  put(kind: ConfigKind, namespace: string, name: string, obj: ConfigMap | Secret | undefined): void;
}

export class ApiConfigSource {
  readonly #client: KubeClient;
  readonly #sink: ConfigSink;
  readonly #signal: AbortSignal;
  readonly #watched = new Set<string>();

  constructor(client: KubeClient, sink: ConfigSink, signal: AbortSignal) {
    this.#client = client;
    this.#sink = sink;
    this.#signal = signal;
  }

  /** A pod needs this object and no source has it: watch it from now on (once per object). */
  want(kind: ConfigKind, namespace: string, name: string): void {
    const key = `${kind}/${namespace}/${name}`;
    if (this.#watched.has(key) || this.#signal.aborted) return;
    this.#watched.add(key);
    const put = (o: KubeObject | undefined): void => this.#sink.put(kind, namespace, name, o as ConfigMap | Secret | undefined);
    const informer = new Informer<KubeObject>(this.#client, kind === 'ConfigMap' ? CONFIGMAPS : SECRETS, { namespace, fieldSelector: `metadata.name=${name}` }, {
      onAdd: (o) => put(o), onUpdate: (_old, o) => put(o), onDelete: () => put(undefined),
    });
    void informer.run(this.#signal);
  }

  /** How many objects are watched (for tests and metrics). */
  get watched(): number { return this.#watched.size; }
}
