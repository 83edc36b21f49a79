// agent/api-client/mirror-pods.ts — mirror pods: the API's read-only copies of this node's static pods (folder
// and URL pods), so that `kubectl get pods` shows them (the kubelet's mirror pod client and its cleanup).
//
// Level-based: `sync()` compares the static pods the kubelet holds with the mirror pods on this node. A static
// pod without a mirror gets one (same namespace/name, spec and labels, annotation kubernetes.io/config.mirror =
// the static pod's hash, owned by the Node); a mirror of an older version of the pod, or one being deleted, is
// deleted and made again; a mirror whose static pod is gone (terminated) is deleted with grace 0 and a UID
// precondition. Deleting a mirror pod through the API therefore does not stop the static pod: it comes back.
// A name an API pod already holds gets no mirror (the static source refuses that pod anyway).
// Runs on demand (pods or mirrors changed), coalesced; errors are logged and retried on the next run.
import type { Pod } from '../api/v1.js';
import type { Logger } from '../log.js';
import type { PodManager } from '../pod-manager.js';
import { CONFIG_MIRROR_ANNOTATION } from '../sources/source.js';
import { API_SOURCE, isMirrorPod, mirrors, staticHash } from './pod-source.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { NODES, PODS, type KubeClient, type KubeObject } from '../../client/types.js';

export interface MirrorPodsOptions {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly pods: Pick<PodManager, 'all'>;
  /** The mirror pods on this node, as the pod source's cache has them. */
  readonly mirrors: () => Pod[];
  /** A mirror pod was made for this static pod UID (its status can be written now). */
  readonly onMirrorCreated: (staticUid: string) => void;
  readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

const key = (p: Pod): string => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`;

export class MirrorPods {
  readonly #o: MirrorPodsOptions;
  #running: Promise<void> | undefined;
  #again = false;
  #nodeUid: string | undefined;

  constructor(o: MirrorPodsOptions) {
    this.#o = o;
  }

  /** Brings the mirror pods in line with the static pods (coalesced: a call during a run runs once more). */
  sync(): Promise<void> {
    if (this.#running) { this.#again = true; return this.#running; }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#again) { this.#again = false; void this.sync(); }
    });
    return this.#running;
  }

  async #run(): Promise<void> {
    const statics = new Map<string, Pod>();
    for (const m of this.#o.pods.all()) {
      if (m.source === API_SOURCE) continue;
      const k = key(m.pod);
      // While an edited manifest's old pod terminates, the new one is the one to mirror.
      if (!statics.has(k) || !m.pod.metadata?.deletionTimestamp) statics.set(k, m.pod);
    }
    const existing = new Map(this.#o.mirrors().filter(isMirrorPod).map((p) => [key(p), p]));
    for (const [k, mirror] of existing) {
      const pod = statics.get(k);
      if (!pod || !mirrors(mirror, pod)) await this.#guard(`delete mirror pod ${k}`, () => this.#delete(mirror));
    }
    for (const [k, pod] of statics) {
      if (mirrors(existing.get(k), pod)) continue;
      await this.#guard(`create mirror pod ${k}`, () => this.#create(pod));
    }
  }

  async #guard(what: string, fn: () => Promise<void>): Promise<void> {
    try { await fn(); } catch (err) {
      this.#o.log.warn({ err: err instanceof Error ? err.message : String(err) }, `Failed to ${what}`);
    }
  }

  async #create(pod: Pod): Promise<void> {
    const md = pod.metadata!;
    const owner = await this.#nodeOwner();
    const mirror: KubeObject = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: md.name, namespace: md.namespace ?? 'default', labels: md.labels,
        annotations: { ...md.annotations, [CONFIG_MIRROR_ANNOTATION]: staticHash(pod) },
        ...(owner ? { ownerReferences: [owner] } : {}),
      },
      spec: { ...pod.spec, nodeName: this.#o.nodeName },
    };
    try {
      await this.#o.client.create(PODS, md.namespace ?? 'default', mirror, { fieldManager: 'kubelet' });
    } catch (err) {
      if (isAlreadyExists(err)) return; // an API pod holds the name, or the old mirror is still going
      throw err;
    }
    this.#o.log.debug({ pod: key(pod), podUID: md.uid }, 'Created mirror pod');
    this.#o.onMirrorCreated(md.uid!);
  }

  async #delete(mirror: Pod): Promise<void> {
    try {
      await this.#o.client.delete(PODS, mirror.metadata?.namespace ?? 'default', mirror.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata!.uid! } });
      this.#o.log.debug({ pod: key(mirror) }, 'Deleted mirror pod');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async #nodeOwner(): Promise<{ apiVersion: string; kind: string; name: string; uid: string; controller: boolean } | undefined> {
    if (!this.#nodeUid) {
      try {
        this.#nodeUid = (await this.#o.client.get(NODES, undefined, this.#o.nodeName)).metadata?.uid;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return this.#nodeUid ? { apiVersion: 'v1', kind: 'Node', name: this.#o.nodeName, uid: this.#nodeUid, controller: true } : undefined;
  }
}
