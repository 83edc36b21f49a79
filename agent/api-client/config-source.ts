// agent/api-client/config-source.ts — the ConfigMaps and Secrets of the API, offered to PodConfig as one more
// source of config objects beside the folder and the URL (the kubelet's watch-based ConfigMap/Secret managers,
// simplified to one list+watch of each kind: a dev machine holds few).
//
// Incremental: each object added, changed or deleted reaches the sink on its own (PodConfig then wakes the pods
// that use it: mounted files update, waiting pods start); `synced` once both kinds are listed.
import type { ConfigMap, Secret } from '../api/v1.js';
import { Informer } from '../../client/informer.js';
import { CONFIGMAPS, SECRETS, type KubeClient, type KubeObject, type ResourceRef } from '../../client/types.js';

/** The PodConfig source name the API's config objects are offered under. */
export const API_CONFIG_SOURCE = 'api-config';

export interface ConfigSink {
  put(kind: 'ConfigMap' | 'Secret', namespace: string, name: string, obj: ConfigMap | Secret | undefined): void;
  /** Both kinds have been listed once. */
  synced(): void;
}

export class ApiConfigSource {
  readonly #informers: Informer<KubeObject>[];

  constructor(client: KubeClient, sink: ConfigSink) {
    const watch = (ref: ResourceRef, kind: 'ConfigMap' | 'Secret'): Informer<KubeObject> => {
      const put = (o: KubeObject, gone = false): void => sink.put(kind, o.metadata?.namespace ?? 'default', o.metadata?.name ?? '', gone ? undefined : (o as ConfigMap | Secret));
      return new Informer<KubeObject>(client, ref, {}, {
        onAdd: (o) => put(o), onUpdate: (_old, o) => put(o), onDelete: (o) => put(o, true),
        onSynced: () => { if (this.#informers.every((i) => i.hasSynced())) sink.synced(); },
      });
    };
    this.#informers = [watch(CONFIGMAPS, 'ConfigMap'), watch(SECRETS, 'Secret')];
  }

  run(signal: AbortSignal): Promise<void> {
    return Promise.all(this.#informers.map((i) => i.run(signal))).then(() => undefined);
  }
}
