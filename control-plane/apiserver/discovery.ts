// control-plane/apiserver/discovery.ts — what clients read before they act, built from the registry:
// /version (its `minor` makes the kubectl dispatcher run a 1.33 client), legacy discovery (/api, /apis,
// /apis/<group>, the APIResourceLists with short names, categories, verbs and subresources), and the
// aggregated form (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) that kubectl ≥ 1.30 asks /api and /apis for,
// which saves it one request per group version. A `scale` subresource answers autoscaling/v1 Scale (an old
// apps/extensions version: its own Scale).
//
// PURE: documents from the registry.
import type { Registry, Resource } from '../registry/index.js';
import { scaleKindOf } from './scale.js';

export const SERVER_VERSION = {
  major: '1', minor: '33', gitVersion: 'v1.33.0-mini', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'node', platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

export function apiVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
}

function apiGroup(name: string, versions: string[]): object {
  const gvs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroupList(reg: Registry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: reg.groups().map((g) => apiGroup(g.name, g.versions)) };
}

export function apiGroupDoc(reg: Registry, group: string): object | undefined {
  const g = reg.groups().find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) } : undefined;
}

function legacyEntries(r: Resource): object[] {
  const main = {
    name: r.resource, singularName: r.def.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}), ...(r.categories.length ? { categories: r.categories } : {}),
  };
  const subs = r.subresources.map((s) => ({
    name: `${r.resource}/${s}`, singularName: '', namespaced: r.namespaced, ...(s === 'scale' ? scaleKindOf(r) : { kind: r.kind }), verbs: SUBRESOURCE_VERBS,
  }));
  return [main, ...subs];
}

export function apiResourceList(reg: Registry, group: string, version: string): object | undefined {
  const rs = reg.inGroupVersion(group, version);
  if (rs.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: rs.flatMap(legacyEntries) };
}

// ---- aggregated (apidiscovery.k8s.io/v2) ----

function discoveryResource(r: Resource): object {
  const responseKind = { group: r.group, version: r.version, kind: r.kind };
  return {
    resource: r.resource, responseKind, scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: r.def.singular, verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}), ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length ? { subresources: r.subresources.map((subresource) => ({ subresource, responseKind: subresource === 'scale' ? scaleKindOf(r) : responseKind, verbs: SUBRESOURCE_VERBS })) } : {}),
  };
}

function groupDiscovery(reg: Registry, group: string, versions: string[]): object {
  return {
    metadata: group ? { name: group } : {},
    versions: versions.map((version) => ({ version, resources: reg.inGroupVersion(group, version).map(discoveryResource), freshness: 'Current' })),
  };
}

/** /api (`core: true`: the legacy group) or /apis (the named groups) in the aggregated form. */
export function aggregatedDiscovery(reg: Registry, core: boolean): object {
  const items = core ? [groupDiscovery(reg, '', ['v1'])] : reg.groups().map((g) => groupDiscovery(reg, g.name, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
