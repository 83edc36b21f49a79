// agent/api-server/api-source.ts — ApiPodSource: the pods created through the Kubernetes API (`kubectl
// apply/create/run`), a pod source beside the manifest folder and the URL.
//
// Owns the API pods' desired objects and their files under `<rootDir>/api-pods/` (one JSON file per pod, with
// its random UID, so a restarted agent re-adds the same pods and adopts their containers). Applies the API
// server's defaulting and validation (422 with field causes), refuses a name any source already uses (409).
// Called by the pods handlers (create, update, delete) and by the wiring (`start()` at agent start). It hands
// pods to the agent only through the SyncLoop (add / remove) and never touches workers, statuses or Docker.
import { randomUUID, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../api/v1.js';
import { applyPodDefaults } from '../api/defaults.js';
import type { Logger } from '../log.js';
import type { PodManager } from '../pod-manager.js';
import type { SyncLoop } from '../sync-loop.js';
import { stableStringify } from '../sources/pod-identity.js';
import { validatePod } from '../sources/validate.js';
import { ApiError, badRequest, notFound, rfc3339 } from './request.js';

export const API_SOURCE = 'api';
const CONFIG_SOURCE = 'kubernetes.io/config.source';

export interface ApiPodSourceOptions {
  readonly rootDir: string;
  readonly nodeName: string;
  readonly loop: Pick<SyncLoop, 'add' | 'remove'>;
  readonly pods: Pick<PodManager, 'get' | 'byFullName'>;
  readonly now: () => number;
  readonly log: Pick<Logger, 'warn' | 'info'>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (ns: string, name: string): string => `${ns}/${name}`;

/** The Status body of a 422 naming each invalid field, as the API server answers. */
export function invalidPod(name: string, errs: readonly { field: string; message: string }[]): ApiError {
  const parts = errs.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const message = `Pod "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`;
  const causes = errs.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field }));
  return new ApiError(422, 'Invalid', message, { name, kind: 'Pod', causes });
}

export class ApiPodSource {
  readonly #o: ApiPodSourceOptions;
  readonly #byName = new Map<string, Pod>();
  /** UIDs removed from the API's view while their containers still stop (force-deleted, replaced). */
  readonly #retired = new Set<string>();
  readonly #dir: string;
  readonly #freed = new Set<() => void>();
  #started = false;

  constructor(o: ApiPodSourceOptions) {
    this.#o = o;
    this.#dir = join(o.rootDir, 'api-pods');
  }

  /**
   * Re-adds the pods persisted by an earlier run; returns how many. Call once, after the first relist (so the
   * workers see the containers these pods already have) and before orphans are adopted. Writes are refused
   * (503) until then.
   */
  start(): number {
    if (this.#started) return 0;
    this.#started = true;
    mkdirSync(this.#dir, { recursive: true });
    const refs: { pod: Pod; origin: string }[] = [];
    for (const f of readdirSync(this.#dir).filter((n) => n.endsWith('.json')).sort()) {
      try {
        const pod = JSON.parse(readFileSync(join(this.#dir, f), 'utf8')) as Pod;
        const md = pod.metadata;
        if (!md?.uid || !md.name || !md.namespace || validatePod(pod).length) throw new Error('not a valid pod');
        this.#byName.set(key(md.namespace, md.name), pod);
        refs.push({ pod, origin: `${API_SOURCE}:${md.namespace}/${md.name}` });
      } catch (err) {
        this.#o.log.warn({ file: join(this.#dir, f), err: err instanceof Error ? err.message : String(err) }, 'Skipping unreadable API pod file');
      }
    }
    if (refs.length) this.#o.loop.add(API_SOURCE, refs);
    return refs.length;
  }

  list(): Pod[] {
    return [...this.#byName.values()];
  }

  get(namespace: string, name: string): Pod | undefined {
    return this.#byName.get(key(namespace, name));
  }

  /** For the other sources' name check (PodConfig's nameHeldBy): who holds namespace/name, if an API pod does. */
  nameHeldBy(namespace: string, name: string): string | undefined {
    return this.get(namespace, name) ? `a pod created through the API (${namespace}/${name})` : undefined;
  }

  /** Calls `fn` whenever an API pod's name is freed (deleted), so other sources may take it (PodConfig.recheck). */
  onNameFreed(fn: () => void): void {
    this.#freed.add(fn);
  }

  /** True for pods the API no longer shows though their containers may still be stopping. */
  isRetired(uid: string): boolean {
    if (!this.#retired.has(uid)) return false;
    if (!this.#o.pods.get(uid)) { this.#retired.delete(uid); return false; }
    return true;
  }

  /** POST: a new pod in `namespace`. Returns the stored pod (without status). */
  create(body: Obj, namespace: string, dryRun = false): Pod {
    this.#ready();
    const admitted = this.#admit(body, namespace);
    const name = admitted.metadata!.name!;
    const taken = this.#o.pods.byFullName(namespace, name).filter((m) => !this.isRetired(m.pod.metadata!.uid!));
    if (taken.length) {
      const deleting = taken.every((m) => m.pod.metadata?.deletionTimestamp);
      throw new ApiError(409, 'AlreadyExists', `${deleting ? 'object is being deleted: ' : ''}pods "${name}" already exists`, { name, kind: 'pods' });
    }
    const pod: Pod = { ...admitted, metadata: { ...admitted.metadata, uid: randomUUID(), creationTimestamp: rfc3339(this.#o.now()) } };
    if (dryRun) return pod;
    this.#store(pod);
    this.#o.loop.add(API_SOURCE, [{ pod, origin: `${API_SOURCE}:${namespace}/${name}` }]);
    if (!this.#o.pods.get(pod.metadata!.uid!)) {
      this.#unstore(namespace, name);
      throw new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: node "${this.#o.nodeName}" has no room for another pod (maxPods)`, { name, kind: 'pods' });
    }
    this.#o.log.info({ pod: `${namespace}/${name}`, podUID: pod.metadata!.uid }, 'Pod created through the API');
    return pod;
  }

  /**
   * PUT/PATCH result for an API pod. Metadata-only changes update the pod in place; a changed spec replaces
   * it (new UID: the old pod stops with its grace period, then the new one starts), as a changed manifest does.
   */
  update(current: Pod, body: Obj, dryRun = false): Pod {
    this.#ready();
    const md = current.metadata!;
    const stored = this.get(md.namespace!, md.name!);
    if (!stored || stored.metadata?.uid !== md.uid) {
      const m = this.#o.pods.get(md.uid ?? '');
      if (m?.source === API_SOURCE && md.deletionTimestamp) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods "${md.name}": the pod is being deleted`, { name: md.name, kind: 'pods' });
      }
      throw this.#notOurs(current, m?.source, m?.origin);
    }
    const bmd = isObj(body.metadata) ? body.metadata : {};
    if ((bmd.name ?? md.name) !== md.name) throw badRequest(`the name of the object (${String(bmd.name)}) does not match the name on the URL (${md.name})`);
    const admitted = this.#admit(body, md.namespace!);
    const sameSpec = stableStringify(admitted.spec) === stableStringify(stored.spec);
    const next: Pod = {
      ...admitted,
      metadata: {
        ...admitted.metadata,
        uid: sameSpec ? md.uid : randomUUID(),
        creationTimestamp: sameSpec ? stored.metadata?.creationTimestamp : rfc3339(this.#o.now()),
      },
    };
    if (dryRun) return next;
    this.#store(next);
    if (!sameSpec) {
      this.#retired.add(md.uid!);
      this.#o.loop.remove([md.uid!]);
      this.#o.log.info({ pod: `${md.namespace}/${md.name}`, podUID: md.uid, newUID: next.metadata!.uid }, 'Pod spec changed through the API; replacing the pod');
    }
    this.#o.loop.add(API_SOURCE, [{ pod: next, origin: `${API_SOURCE}:${md.namespace}/${md.name}` }]);
    return next;
  }

  /**
   * DELETE: graceful with `grace` seconds (undefined = the pod's own period); 0 removes it from view at once.
   * A pod already terminating is deleted again as the API server does: a shorter grace shrinks the period
   * (0 removes the object at once), a longer one or none leaves it pending as it is.
   */
  delete(namespace: string, name: string, grace?: number, dryRun = false): Pod {
    this.#ready();
    const pod = this.get(namespace, name);
    if (!pod) {
      const held = this.#o.pods.byFullName(namespace, name).filter((m) => !this.isRetired(m.pod.metadata!.uid!));
      const terminating = held.find((m) => m.source === API_SOURCE && m.pod.metadata?.deletionTimestamp);
      const other = held.find((m) => m.source !== API_SOURCE && !m.pod.metadata?.deletionTimestamp) ?? (terminating ? undefined : held[0]);
      if (other) throw this.#notOurs(other.pod, other.source, other.origin);
      if (terminating) return this.#deleteAgain(terminating.pod, grace, dryRun);
      throw notFound('pods', name);
    }
    if (dryRun) return pod;
    const uid = pod.metadata!.uid!;
    this.#unstore(namespace, name);
    if (grace === 0) this.#retired.add(uid);
    this.#o.loop.remove([uid], grace);
    this.#o.log.info({ pod: `${namespace}/${name}`, podUID: uid, gracePeriod: grace ?? pod.spec?.terminationGracePeriodSeconds }, 'Pod deleted through the API');
    for (const fn of this.#freed) fn();
    return this.#o.pods.get(uid)?.pod ?? pod;
  }

  /** A delete of a pod that is already terminating: only a shorter grace period does anything. */
  #deleteAgain(pod: Pod, grace: number | undefined, dryRun: boolean): Pod {
    const md = pod.metadata!;
    const uid = md.uid!;
    if (dryRun || grace === undefined || grace >= (md.deletionGracePeriodSeconds ?? Infinity)) return pod;
    if (grace === 0) this.#retired.add(uid);
    this.#o.loop.remove([uid], grace);
    this.#o.log.info({ pod: `${md.namespace}/${md.name}`, podUID: uid, gracePeriod: grace }, 'Pod deleted again through the API; grace period shortened');
    return this.#o.pods.get(uid)?.pod ?? pod;
  }

  #ready(): void {
    if (!this.#started) throw new ApiError(503, 'ServiceUnavailable', 'the agent is still starting (reading what the runtime holds); try again in a moment');
  }

  #notOurs(pod: Pod, source?: string, origin?: string): ApiError {
    const name = pod.metadata?.name ?? '';
    const from = source && source !== API_SOURCE ? ` comes from the ${source} source${origin ? ` (${origin})` : ''}:` : ' is not an API pod:';
    return new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: this pod${from} change or remove its manifest instead`, { name, kind: 'pods' });
  }

  /** Checks kind/version/namespace, drops server-owned fields, defaults and validates. */
  #admit(body: Obj, namespace: string): Pod {
    if (body.kind !== undefined && body.kind !== 'Pod') throw badRequest(`the object's kind is "${String(body.kind)}"; this endpoint only takes kind Pod`);
    if (body.apiVersion !== undefined && body.apiVersion !== 'v1') throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (v1)`);
    const input = structuredClone(body);
    const md: Obj = isObj(input.metadata) ? input.metadata : {};
    if (md.namespace !== undefined && md.namespace !== '' && md.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generation']) delete md[f];
    if ((md.name === undefined || md.name === '') && typeof md.generateName === 'string' && md.generateName !== '') {
      md.name = `${md.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    if (typeof md.name !== 'string' || md.name === '') throw invalidPod('', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    md.namespace = namespace;
    md.annotations = { ...(isObj(md.annotations) ? md.annotations : {}), [CONFIG_SOURCE]: API_SOURCE };
    input.metadata = md;
    delete input.status;
    const pod = applyPodDefaults({ ...input, apiVersion: 'v1', kind: 'Pod' } as Pod);
    if (isObj(pod.spec)) {
      if (pod.spec.nodeName && pod.spec.nodeName !== this.#o.nodeName) {
        throw invalidPod(md.name, [{ field: 'spec.nodeName', message: `Invalid value: "${pod.spec.nodeName}": this node is "${this.#o.nodeName}"` }]);
      }
      pod.spec.nodeName = this.#o.nodeName;
    }
    const errs = validatePod(pod);
    if (errs.length) throw invalidPod(md.name, errs);
    return pod;
  }

  #file(namespace: string, name: string): string {
    return join(this.#dir, `${namespace}_${name}.json`);
  }

  #store(pod: Pod): void {
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    mkdirSync(this.#dir, { recursive: true });
    const tmp = join(this.#dir, `.${ns}_${name}.${process.pid}.tmp`);
    writeFileSync(tmp, `${JSON.stringify(pod, null, 2)}\n`);
    renameSync(tmp, this.#file(ns, name));
    this.#byName.set(key(ns, name), pod);
  }

  #unstore(namespace: string, name: string): void {
    this.#byName.delete(key(namespace, name));
    rmSync(this.#file(namespace, name), { force: true });
  }
}
