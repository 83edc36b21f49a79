// agent/api-server/config-objects.ts — ApiConfigObjects: the ConfigMaps and Secrets created through the API
// (`kubectl create configmap`, `kubectl apply -f cm.yaml`), a source of config objects beside the manifest
// folder and the URL.
//
// Owns the API's ConfigMaps and Secrets and their files under `<rootDir>/api-config/` (one JSON file each, so
// a restarted agent has them again). Validates them as the folder does (validateConfigObject), turns a
// Secret's stringData into base64 data as the API server does, stamps uid/resourceVersion/creationTimestamp,
// and refuses a name another source already defines (409). Tells its listener the full set after every
// change; the wiring hands that set to PodConfig as the `api` source's config objects. Never touches pods.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Secret } from '../api/v1.js';
import { validateConfigObject } from '../sources/validate.js';
import { isObj, type Obj } from '../sources/validate-util.js';
import { ApiError, badRequest, notFound, rfc3339 } from './request.js';

/** The PodConfig source name the API's config objects are offered under. */
export const API_CONFIG_SOURCE = 'api-config';

export type ConfigKind = 'ConfigMap' | 'Secret';
export type ConfigObject = ConfigMap | Secret;

const RESOURCE: Record<ConfigKind, string> = { ConfigMap: 'configmaps', Secret: 'secrets' };
export const resourceOf = (kind: ConfigKind): string => RESOURCE[kind];

export interface ApiConfigObjectsOptions {
  readonly rootDir: string;
  readonly now: () => number;
  /** Which other source defines this object already (`web.yaml`, the URL), if any. */
  readonly definedElsewhere?: (kind: ConfigKind, namespace: string, name: string) => boolean;
}

export class ApiConfigObjects {
  readonly #o: ApiConfigObjectsOptions;
  readonly #objects = new Map<string, ConfigObject>();
  readonly #listeners = new Set<(configMaps: ConfigMap[], secrets: Secret[]) => void>();
  #rv = 0;

  constructor(o: ApiConfigObjectsOptions) {
    this.#o = o;
  }

  get #dir(): string { return join(this.#o.rootDir, 'api-config'); }
  #key(kind: ConfigKind, ns: string, name: string): string { return `${kind}/${ns}/${name}`; }
  #file(kind: ConfigKind, ns: string, name: string): string { return join(this.#dir, `${kind}_${ns}_${name}.json`); }

  /** Reads what an earlier run kept; unreadable files are skipped (and left for the user to see). */
  load(): void {
    let names: string[] = [];
    try { names = readdirSync(this.#dir).filter((n) => n.endsWith('.json')); } catch { return; }
    for (const n of names) {
      try {
        const o = JSON.parse(readFileSync(join(this.#dir, n), 'utf8')) as ConfigObject;
        const kind = o.kind as ConfigKind;
        if ((kind !== 'ConfigMap' && kind !== 'Secret') || !o.metadata?.name) continue;
        this.#objects.set(this.#key(kind, o.metadata.namespace ?? 'default', o.metadata.name), o);
        this.#rv = Math.max(this.#rv, Number(o.metadata.resourceVersion ?? 0) || 0);
      } catch { /* a damaged file is not an object */ }
    }
  }

  /** Called with the full set after every change (and by the wiring once at start). */
  subscribe(l: (configMaps: ConfigMap[], secrets: Secret[]) => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  configMaps(): ConfigMap[] { return [...this.#objects.values()].filter((o): o is ConfigMap => o.kind === 'ConfigMap'); }
  secrets(): Secret[] { return [...this.#objects.values()].filter((o): o is Secret => o.kind === 'Secret'); }

  get(kind: ConfigKind, ns: string, name: string): ConfigObject | undefined {
    return this.#objects.get(this.#key(kind, ns, name));
  }

  create(kind: ConfigKind, ns: string, body: Obj, dryRun = false): ConfigObject {
    const name = this.#nameOf(kind, body);
    if (this.get(kind, ns, name) || this.#o.definedElsewhere?.(kind, ns, name)) {
      throw new ApiError(409, 'AlreadyExists', `${resourceOf(kind)} "${name}" already exists`, { name, kind: resourceOf(kind) });
    }
    const obj = this.#normalize(kind, ns, body, undefined);
    if (!dryRun) this.#store(kind, ns, name, obj);
    return obj;
  }

  /** PUT, PATCH and apply: the whole new object for an existing one. */
  update(kind: ConfigKind, ns: string, name: string, body: Obj, dryRun = false): ConfigObject {
    const current = this.get(kind, ns, name);
    if (!current) throw this.missing(kind, ns, name);
    const bodyName = isObj(body.metadata) ? body.metadata.name : undefined;
    if (bodyName !== undefined && bodyName !== name) throw badRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`);
    const obj = this.#normalize(kind, ns, { ...body, metadata: { ...(isObj(body.metadata) ? body.metadata : {}), name } }, current);
    if (!dryRun) this.#store(kind, ns, name, obj);
    return obj;
  }

  delete(kind: ConfigKind, ns: string, name: string, dryRun = false): ConfigObject {
    const current = this.get(kind, ns, name);
    if (!current) throw this.missing(kind, ns, name);
    if (!dryRun) {
      this.#objects.delete(this.#key(kind, ns, name));
      rmSync(this.#file(kind, ns, name), { force: true });
      this.#emit();
    }
    return current;
  }

  /** The error for an object the API does not hold: 405 when the folder or URL defines it, else 404. */
  missing(kind: ConfigKind, ns: string, name: string): ApiError {
    if (this.#o.definedElsewhere?.(kind, ns, name)) {
      return new ApiError(405, 'MethodNotAllowed', `${resourceOf(kind)} "${name}" comes from the manifest folder or URL: edit it there`);
    }
    return notFound(resourceOf(kind), name);
  }

  #nameOf(kind: ConfigKind, body: Obj): string {
    const name = isObj(body.metadata) ? body.metadata.name : undefined;
    if (typeof name !== 'string' || name === '') {
      throw new ApiError(422, 'Invalid', `${kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind: resourceOf(kind), causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });
    }
    return name;
  }

  #normalize(kind: ConfigKind, ns: string, body: Obj, current: ConfigObject | undefined): ConfigObject {
    if (body.kind !== undefined && body.kind !== kind) throw badRequest(`the kind of the object (${String(body.kind)}) is not ${kind}`);
    const md = isObj(body.metadata) ? body.metadata : {};
    if (md.namespace !== undefined && md.namespace !== '' && md.namespace !== ns) throw badRequest(`the namespace of the provided object does not match the namespace sent on the request`);
    const { status: _status, ...rest } = body;
    const obj: Obj = { ...rest, apiVersion: 'v1', kind, metadata: { ...md, namespace: ns } };
    if (kind === 'Secret') {
      // The API server stores stringData as base64 data (stringData wins on a shared key) and drops stringData.
      const data: Record<string, string> = isObj(obj.data) ? { ...(obj.data as Record<string, string>) } : {};
      if (isObj(obj.stringData)) for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete obj.stringData;
      if (Object.keys(data).length) obj.data = data;
      if (obj.type === undefined || obj.type === '') obj.type = 'Opaque';
    }
    const errs = validateConfigObject(obj, kind);
    if (errs.length) {
      const name = String(md.name ?? '');
      const parts = errs.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
      throw new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`, {
        name, kind: resourceOf(kind), causes: errs.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field })),
      });
    }
    if (current?.immutable === true) {
      const same = JSON.stringify([current.data ?? {}, (current as ConfigMap).binaryData ?? {}]) === JSON.stringify([obj.data ?? {}, obj.binaryData ?? {}]);
      if (!same) throw new ApiError(422, 'Invalid', `${kind} "${String(md.name)}" is invalid: data: Forbidden: field is immutable when \`immutable\` is set`);
    }
    const meta = obj.metadata as Obj;
    meta.uid = current?.metadata?.uid ?? randomUUID();
    meta.creationTimestamp = current?.metadata?.creationTimestamp ?? rfc3339(this.#o.now());
    meta.resourceVersion = String(++this.#rv);
    return obj as unknown as ConfigObject;
  }

  #store(kind: ConfigKind, ns: string, name: string, obj: ConfigObject): void {
    this.#objects.set(this.#key(kind, ns, name), obj);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const file = this.#file(kind, ns, name);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(obj), { mode: 0o600 });
    renameSync(tmp, file);
    this.#emit();
  }

  #emit(): void {
    const cms = this.configMaps();
    const secrets = this.secrets();
    for (const l of this.#listeners) l(cms, secrets);
  }
}
