// control-plane/apiserver/openapi.ts — the OpenAPI documents kubectl downloads, built from the registry:
// v2 is an empty protobuf document (no schemas: kubectl then skips client-side validation, kubectl-wire.md
// §4); v3 lists every group version, and each group version document carries, per kind, a PATCH and a POST
// operation tagged with the kind that list the `fieldValidation` parameter (kubectl then leaves validation
// to the server) and a schema with `x-kubernetes-group-version-kind` and the kind's documented fields (what
// `kubectl explain` prints). The PATCH operations declare no request body on purpose: kubectl then computes
// strategic merge patches from its built-in types, which know every merge key.
//
// PURE: documents from the registry, made once.
import { createHash } from 'node:crypto';
import type { FieldDoc, Registry, Resource } from '../registry/index.js';

const str = { type: 'string' };
const param = (name: string) => ({ name, in: 'query', schema: str, uniqueItems: true });
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map(param);

const schemaName = (r: Resource): string => `io.k8s.api.${r.group ? r.group.split('.')[0] : 'core'}.${r.version}.${r.kind}`;

function propertyOf(doc: FieldDoc): object {
  if (typeof doc === 'string') return { type: 'object', description: doc };
  if (doc.type === 'map') return { type: 'object', additionalProperties: str, description: doc.description };
  return { type: doc.type, description: doc.description };
}

function schemaOf(r: Resource): object {
  const properties: Record<string, object> = {
    apiVersion: { ...str, description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { ...str, description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { type: 'object', description: "Standard object's metadata." },
  };
  for (const [name, doc] of Object.entries(r.def.fields)) properties[name] = propertyOf(doc);
  return { type: 'object', description: r.def.description, properties, 'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }] };
}

function pathsOf(r: Resource): Record<string, object> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  return {
    [collection]: { post: { 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': 'post', parameters: WRITE_PARAMS, responses: {} } },
    [`${collection}/{name}`]: { patch: { 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': 'patch', parameters: [...WRITE_PARAMS, param('force')], responses: {} } },
  };
}

export interface OpenApiDocs {
  root: object;
  /** Keyed by "api/v1" / "apis/<group>/<version>". */
  byGroupVersion: Map<string, object>;
}

export function openApiDocs(reg: Registry): OpenApiDocs {
  const byGroupVersion = new Map<string, object>();
  const paths: Record<string, object> = {};
  const gvs = new Map<string, Resource[]>();
  for (const r of reg.resources()) {
    const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    gvs.set(key, [...(gvs.get(key) ?? []), r]);
  }
  for (const [key, rs] of gvs) {
    const doc = {
      openapi: '3.0.0', info: { title: 'Kubernetes (mini-kubelet control plane)', version: 'v1.33.0-mini' },
      paths: Object.assign({}, ...rs.map(pathsOf)),
      components: { schemas: Object.fromEntries(rs.map((r) => [schemaName(r), schemaOf(r)])) },
    };
    byGroupVersion.set(key, doc);
    const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { root: { paths }, byGroupVersion };
}
