// client/discovery.ts — which resource serves an apiVersion + kind, read from the API's discovery documents
// (`/api/v1`, `/apis/<group>/<version>`: APIResourceLists), as kubectl's RESTMapper does before it writes an
// object; and every listable resource of the server (`/apis`: each group's preferred version), for callers that
// look for their objects by label across kinds.
//
// Answers are cached per group version; a kind not found is looked up again only after `refreshMs` (a kind the
// server starts serving later is found then). Unknown kinds throw NoKindMatchError with kubectl's message.
import { isNotFound } from './errors.js';
import type { KubeClient, ResourceRef } from './types.js';

interface APIResource { name: string; namespaced: boolean; kind: string; verbs?: string[] }
interface APIResourceList { groupVersion?: string; resources?: APIResource[] }
interface APIGroupList { groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[] }

/** `no matches for kind "Service" in version "v1"` (kubectl's words). */
export class NoKindMatchError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`);
    this.name = 'NoKindMatchError';
  }
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const pathOf = (group: string, version: string): string => (group ? `/apis/${group}/${version}` : `/api/${version}`);

export class ResourceDiscovery {
  readonly #get: (path: string) => Promise<unknown>;
  readonly #now: () => number;
  readonly #refreshMs: number;
  readonly #lists = new Map<string, { at: number; resources: APIResource[] }>();

  constructor(client: Pick<KubeClient, 'getPath' | 'server'>, opts: { refreshMs?: number; now?: () => number } = {}) {
    const getPath = client.getPath?.bind(client);
    if (!getPath) throw new TypeError(`this client of ${client.server} cannot read discovery documents (no getPath)`);
    this.#get = (path) => getPath(path);
    this.#now = opts.now ?? Date.now;
    this.#refreshMs = opts.refreshMs ?? 10_000;
  }

  /** The resource that serves `kind` in `apiVersion`; throws NoKindMatchError, or the ApiError of a failed read. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceRef> {
    const { group, version } = splitApiVersion(apiVersion);
    const find = (rs: APIResource[]) => rs.find((r) => r.kind === kind && !r.name.includes('/'));
    let hit = find(await this.#resources(group, version, false));
    if (!hit) hit = find(await this.#resources(group, version, true));
    if (!hit) throw new NoKindMatchError(apiVersion, kind);
    return { group, version, resource: hit.name, namespaced: hit.namespaced };
  }

  /** Every resource that can be listed, with its kind, in each group's preferred version (the core group's v1 first). */
  async listable(): Promise<{ ref: ResourceRef; kind: string }[]> {
    const groups = ((await this.#get('/apis')) as APIGroupList).groups ?? [];
    const gvs: [string, string][] = [['', 'v1'], ...groups.flatMap((g): [string, string][] => {
      const v = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      return v ? [[g.name, v]] : [];
    })];
    const out: { ref: ResourceRef; kind: string }[] = [];
    for (const [group, version] of gvs) {
      for (const r of await this.#resources(group, version, true)) {
        if (!r.name.includes('/') && (r.verbs ?? []).includes('list')) out.push({ ref: { group, version, resource: r.name, namespaced: r.namespaced }, kind: r.kind });
      }
    }
    return out;
  }

  /** One group version's resources ([] when the server does not serve it); `fresh` re-reads a stale cache. */
  async #resources(group: string, version: string, fresh: boolean): Promise<APIResource[]> {
    const key = `${group}/${version}`;
    const cached = this.#lists.get(key);
    if (cached && (!fresh || this.#now() - cached.at < this.#refreshMs)) return cached.resources;
    let resources: APIResource[];
    try {
      resources = ((await this.#get(pathOf(group, version))) as APIResourceList).resources ?? [];
    } catch (e) {
      if (!isNotFound(e)) throw e;
      resources = [];
    }
    this.#lists.set(key, { at: this.#now(), resources });
    return resources;
  }
}
