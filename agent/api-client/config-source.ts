// agent/api-client/config-source.ts — the ConfigMaps and Secrets of the API, offered to PodConfig as one more
// source of config objects beside the folder and the URL (the kubelet's watch-based ConfigMap/Secret managers,
// simplified to one list+watch of each kind: a dev machine holds few).
//
// Every change (coalesced over a few milliseconds) hands the full set to `offer`; PodConfig works out which
// objects changed and wakes the pods that use them (mounted files update, waiting pods start).
import type { ConfigMap, Secret } from '../api/v1.js';
import { Informer } from '../../client/informer.js';
import { CONFIGMAPS, SECRETS, type KubeClient, type KubeObject } from '../../client/types.js';

/** The PodConfig source name the API's config objects are offered under. */
export const API_CONFIG_SOURCE = 'api-config';

export class ApiConfigSource {
  readonly #configMaps: Informer<KubeObject>;
  readonly #secrets: Informer<KubeObject>;
  readonly #offer: (configMaps: ConfigMap[], secrets: Secret[]) => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(client: KubeClient, offer: (configMaps: ConfigMap[], secrets: Secret[]) => void) {
    this.#offer = offer;
    const changed = { onAdd: () => this.#changed(), onUpdate: () => this.#changed(), onDelete: () => this.#changed(), onSynced: () => this.#changed() };
    this.#configMaps = new Informer<KubeObject>(client, CONFIGMAPS, {}, changed);
    this.#secrets = new Informer<KubeObject>(client, SECRETS, {}, changed);
  }

  run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => clearTimeout(this.#timer), { once: true });
    return Promise.all([this.#configMaps.run(signal), this.#secrets.run(signal)]).then(() => undefined);
  }

  #changed(): void {
    if (!this.#configMaps.hasSynced() || !this.#secrets.hasSynced()) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#offer(this.#configMaps.list() as ConfigMap[], this.#secrets.list() as Secret[]);
    }, 5);
  }
}
