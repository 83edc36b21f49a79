// control-plane/apiserver/paths.ts — what a request path names: the version and health endpoints,
// discovery documents (/api, /apis, a group, a group version), OpenAPI documents, or a resource request
// (group, version, resource, namespace, name, subresource; the legacy /watch/ prefix).
//
// PURE. `/api/v1/namespaces/x/status|finalize` are the namespace's subresources, as kube-apiserver routes
// them; any other `/namespaces/x/<resource>` names a namespaced resource.
export interface ResourcePath {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/watch/` form of a list path. */
  watchPrefix: boolean;
}

export type Route =
  | { type: 'version' | 'healthz' | 'api' | 'apis' | 'openapi-v2' | 'openapi-v3' }
  | { type: 'group'; group: string }
  | { type: 'group-version' | 'openapi-v3-gv'; group: string; version: string }
  | { type: 'resource'; path: ResourcePath };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function resourcePath(group: string, version: string, rest: string[]): Route | undefined {
  const watchPrefix = rest[0] === 'watch';
  const r = watchPrefix ? rest.slice(1) : rest;
  if (r.length === 0) return undefined;
  let namespace: string | undefined;
  let tail = r;
  const namespaceSub = group === '' && r[0] === 'namespaces' && r.length === 3 && NAMESPACE_SUBRESOURCES.has(r[2]!);
  if (r[0] === 'namespaces' && r.length >= 3 && !namespaceSub) { namespace = r[1]; tail = r.slice(2); }
  if (tail.length > 3) return undefined;
  const [resource, name, subresource] = tail as [string, string | undefined, string | undefined];
  return { type: 'resource', path: { group, version, resource, namespace, name, subresource, watchPrefix } };
}

export function routeOf(pathname: string): Route | undefined {
  let segs: string[];
  try { segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent); } catch { return undefined; }
  const [a, b, c, d, e] = segs;
  switch (a) {
    case 'version': return segs.length === 1 ? { type: 'version' } : undefined;
    case 'healthz': case 'livez': case 'readyz': return { type: 'healthz' };
    case 'api':
      if (segs.length === 1) return { type: 'api' };
      if (segs.length === 2) return { type: 'group-version', group: '', version: b! };
      return resourcePath('', b!, segs.slice(2));
    case 'apis':
      if (segs.length === 1) return { type: 'apis' };
      if (segs.length === 2) return { type: 'group', group: b! };
      if (segs.length === 3) return { type: 'group-version', group: b!, version: c! };
      return resourcePath(b!, c!, segs.slice(3));
    case 'openapi':
      if (b === 'v2' && segs.length === 2) return { type: 'openapi-v2' };
      if (b !== 'v3') return undefined;
      if (segs.length === 2) return { type: 'openapi-v3' };
      if (c === 'api' && segs.length === 4) return { type: 'openapi-v3-gv', group: '', version: d! };
      if (c === 'apis' && segs.length === 5) return { type: 'openapi-v3-gv', group: d!, version: e! };
      return undefined;
    default: return undefined;
  }
}
