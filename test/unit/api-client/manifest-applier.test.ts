// Unit tests of agent/api-client/manifest-applier.ts with a fake KubeClient (an in-memory object map) and a fake
// kind resolver: apply once per document version (server-side apply as mini-kubelet-manifests, force), nothing
// again for the same set, a changed document applied again, a removed one deleted with background cascade and
// its UID as precondition; a restart (a new applier over the same objects) lists the owned objects by label,
// applies nothing unchanged and deletes what no file wants; the API down → retried with back-off; errors and
// warnings named by the document.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/errors.js';
import { NoKindMatchError } from '../../../client/discovery.js';
import type { DeleteOptions, KubeClient, KubeObject, ListOptions, PatchOptions, ResourceRef } from '../../../client/types.js';
import { ManifestApplier, type KindResolver } from '../../../agent/api-client/manifest-applier.js';
import { MANIFEST_NODE_LABEL } from '../../../agent/api-client/manifest-plan.js';
import type { FolderObject } from '../../../agent/sources/folder-objects.js';

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** Objects by `resource ns/name`; every call recorded as `verb resource ns/name`. */
class FakeApi {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  down = false;
  fail: ((name: string) => Error | undefined) | undefined;
  warning: string | undefined;
  #uid = 0;

  client(): KubeClient {
    const key = (ref: ResourceRef, ns: string | undefined, name: string) => `${ref.resource} ${ns ? `${ns}/` : ''}${name}`;
    const gate = (): void => { if (this.down) throw ApiError.unreachable('http://fake', 'ECONNREFUSED'); };
    const notFound = (name: string) => new ApiError({ code: 404, reason: 'NotFound', message: `"${name}" not found` });
    return {
      server: 'http://fake',
      get: async () => { throw new Error('not used'); },
      watch: () => { throw new Error('not used'); },
      create: async () => { throw new Error('not used'); },
      update: async () => { throw new Error('not used'); },
      close: async () => undefined,
      list: async <T extends KubeObject>(ref: ResourceRef, opts: ListOptions = {}) => {
        gate();
        this.calls.push(`list ${ref.resource} ${opts.labelSelector}`);
        const [k, v] = (opts.labelSelector ?? '').split('=');
        const items = [...this.objects.entries()].filter(([id, o]) => id.startsWith(`${ref.resource} `) && o.metadata?.labels?.[k!] === v).map(([, o]) => o);
        return { metadata: {}, items: items as T[] };
      },
      patch: async <T extends KubeObject>(ref: ResourceRef, ns: string | undefined, name: string, type: string, body: unknown, opts: PatchOptions = {}) => {
        gate();
        this.calls.push(`${type} ${key(ref, ns, name)} ${opts.fieldManager} force=${opts.force}`);
        const err = this.fail?.(name);
        if (err) throw err;
        const prev = this.objects.get(key(ref, ns, name));
        const obj = { ...(body as KubeObject), metadata: { ...(body as KubeObject).metadata, uid: prev?.metadata?.uid ?? `uid-${++this.#uid}` } };
        this.objects.set(key(ref, ns, name), obj);
        if (this.warning) opts.onWarning?.(this.warning);
        return obj as T;
      },
      delete: async (ref: ResourceRef, ns: string | undefined, name: string, opts: DeleteOptions = {}) => {
        gate();
        this.calls.push(`delete ${key(ref, ns, name)} ${opts.propagationPolicy} uid=${opts.preconditions?.uid}`);
        const o = this.objects.get(key(ref, ns, name));
        if (!o) throw notFound(name);
        this.objects.delete(key(ref, ns, name));
        return o;
      },
    };
  }
}

const resolver: KindResolver = {
  resolve: async (apiVersion, kind) => {
    if (kind === 'Deployment' && apiVersion.startsWith('apps/')) return DEPLOYMENTS;
    throw new NoKindMatchError(apiVersion, kind);
  },
  listable: async () => [{ ref: DEPLOYMENTS, kind: 'Deployment' }],
};

const deploy = (name: string, replicas: number, file = `${name}.yaml`, apiVersion = 'apps/v1'): FolderObject => ({
  object: { apiVersion, kind: 'Deployment', metadata: { name }, spec: { replicas } }, origin: `${file}[0]`, file,
});

let appliers: ManifestApplier[] = [];
afterEach(() => { for (const a of appliers) a.stop(); appliers = []; });

function start(api: FakeApi, node = 'node-a') {
  const errors: (readonly string[])[] = [];
  const warnings: string[] = [];
  const applier = new ManifestApplier({
    client: api.client(), nodeName: node, log: quiet, resolver, backoff: { initialMs: 5, maxMs: 20 },
    onErrors: (lines) => errors.push(lines), onWarning: (origin, text) => warnings.push(`${origin}: ${text}`),
  });
  appliers.push(applier);
  return { applier, errors, warnings, lastErrors: () => errors.at(-1) ?? [] };
}

const settle = async (a: ManifestApplier, ms = 0): Promise<void> => { await new Promise((r) => setTimeout(r, ms)); await a.idle(); };

describe('ManifestApplier', () => {
  it('applies each document once, again when it changes, and deletes with background cascade when it goes', async () => {
    const api = new FakeApi();
    const { applier } = start(api);
    applier.set([deploy('web', 1), deploy('db', 1)]);
    await settle(applier);
    expect(api.calls).toEqual([
      `list deployments ${MANIFEST_NODE_LABEL}=node-a`,
      'apply deployments default/web mini-kubelet-manifests force=true',
      'apply deployments default/db mini-kubelet-manifests force=true',
    ]);
    const web = api.objects.get('deployments default/web')!;
    expect(web.metadata?.labels).toEqual({ [MANIFEST_NODE_LABEL]: 'node-a' });
    expect(web.metadata?.annotations?.['mini-kubelet.dev/manifest']).toBe('web.yaml');

    api.calls.length = 0;
    applier.set([deploy('web', 1), deploy('db', 1)]);
    await settle(applier);
    expect(api.calls).toEqual([]);

    applier.set([deploy('web', 2)]);
    await settle(applier);
    expect(api.calls).toEqual(['apply deployments default/web mini-kubelet-manifests force=true', 'delete deployments default/db Background uid=uid-2']);
    expect([...api.objects.keys()]).toEqual(['deployments default/web']);
  });

  it('after a restart: nothing applied again, an object whose file went meanwhile deleted, another node\'s objects left alone', async () => {
    const api = new FakeApi();
    const first = start(api);
    first.applier.set([deploy('web', 1), deploy('gone', 1)]);
    await settle(first.applier);
    first.applier.stop();
    const other = start(api, 'node-b');
    other.applier.set([deploy('theirs', 1)]);
    await settle(other.applier);

    api.calls.length = 0;
    const second = start(api);
    second.applier.set([deploy('web', 1)]);
    await settle(second.applier);
    expect(api.calls).toEqual([`list deployments ${MANIFEST_NODE_LABEL}=node-a`, 'delete deployments default/gone Background uid=uid-2']);
    expect([...api.objects.keys()].sort()).toEqual(['deployments default/theirs', 'deployments default/web']);
  });

  it('waits for the folder before deleting anything', async () => {
    const api = new FakeApi();
    const first = start(api);
    first.applier.set([deploy('web', 1)]);
    await settle(first.applier);
    api.calls.length = 0;
    const second = start(api);
    await settle(second.applier, 20);
    expect(api.calls).toEqual([]);
  });

  it('retries with back-off while the API is down, then applies', async () => {
    const api = new FakeApi();
    api.down = true;
    const { applier } = start(api);
    applier.set([deploy('web', 1)]);
    await settle(applier, 30);
    expect(api.objects.size).toBe(0);
    api.down = false;
    await settle(applier, 40);
    expect([...api.objects.keys()]).toEqual(['deployments default/web']);
  });

  it('reports errors by document (an invalid object, an unknown kind, a duplicate) and retries the failed apply', async () => {
    const api = new FakeApi();
    api.fail = (name) => (name === 'bad' ? new ApiError({ code: 422, reason: 'Invalid', message: 'invalid', details: { causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }] } }) : undefined);
    const { applier, lastErrors } = start(api);
    const svc: FolderObject = { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, origin: 'all.yaml[1]', file: 'all.yaml' };
    applier.set([deploy('bad', -1, 'all.yaml'), svc, deploy('web', 1, 'all.yaml'), { ...deploy('web', 3, 'again.yaml') }]);
    await settle(applier);
    expect(lastErrors()).toEqual([
      'all.yaml[1]: kind: no matches for kind "Service" in version "v1" (the API server does not serve it)',
      'again.yaml[0]: metadata.name: Duplicate value: "Deployment default/web": already defined in all.yaml[0]; this one is ignored',
      'all.yaml[0]: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(api.objects.get('deployments default/web')?.spec).toEqual({ replicas: 1 });
    api.fail = undefined;
    applier.set([deploy('bad', 1, 'all.yaml')]);
    await settle(applier);
    expect(lastErrors()).toEqual([]);
    expect([...api.objects.keys()]).toEqual(['deployments default/bad']);
  });

  it('passes the API\'s Warning header on, named by the document', async () => {
    const api = new FakeApi();
    api.warning = 'apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment';
    const { applier, warnings } = start(api);
    applier.set([deploy('loap', 1, 'loap.yaml', 'apps/v1beta1')]);
    await settle(applier);
    expect(warnings).toEqual(['loap.yaml[0]: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment']);
  });
});
