// control-plane/apiserver/openapi.ts — the OpenAPI documents kubectl downloads, built from the registry:
// v2 is an empty protobuf document (no schemas: kubectl then skips client-side validation, kubectl-wire.md
// §4); v3 lists every group version, and each group version document carries, per kind, a PATCH and a POST
// operation tagged with the kind that list the `fieldValidation` parameter (kubectl then leaves validation
// to the server) and, under components.schemas, the kind's definition from the schema table
// (registry/schema/: the whole object tree, shared types by $ref, what `kubectl explain` prints at any depth)
// with `x-kubernetes-group-version-kind`, and every definition it refers to. An old version (apps/v1beta1)
// shows its kind's current definition under its own name; a kind the table lacks falls back to its KindDef's
// top-level documented fields. The PATCH operations declare no request body on purpose: kubectl then
// computes strategic merge patches from its built-in types, which know every merge key.
//
// PURE: documents from the registry, made once.
import { createHash } from 'node:crypto';
import type { FieldDoc, Registry, Resource } from '../registry/index.js';
import { DEFINITIONS, closureOf, definitionName, refsOf, type Schema } from '../registry/schema/index.js';

const str = { type: 'string' };
const param = (name: string) => ({ name, in: 'query', schema: str, uniqueItems: true });
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map(param);

const schemaName = (r: Resource): string => definitionName(r.group, r.version, r.kind);
const gvkOf = (r: Resource) => ({ group: r.group, version: r.version, kind: r.kind });

function propertyOf(doc: FieldDoc): object {
  if (typeof doc === 'string') return { type: 'object', description: doc };
  if (doc.type === 'map') return { type: 'object', additionalProperties: str, description: doc.description };
  return { type: doc.type, description: doc.description };
}

/** The kind's top-level documented fields only: for a kind the schema table does not have. */
function shallowSchemaOf(r: Resource): Schema {
  const properties: Record<string, object> = {
    apiVersion: { ...str, description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { ...str, description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { type: 'object', description: "Standard object's metadata." },
  };
  for (const [name, doc] of Object.entries(r.def.fields)) properties[name] = propertyOf(doc);
  return { type: 'object', description: r.def.description, properties };
}

/** The resource's definition: its own, or its kind's current one (an old version), or the shallow one. */
const schemaOf = (r: Resource): Schema =>
  DEFINITIONS[schemaName(r)] ?? DEFINITIONS[definitionName(r.def.group, r.def.version, r.kind)] ?? shallowSchemaOf(r);

/** components.schemas of one group version: its kinds (tagged with their GVK) and all they refer to. */
function componentsOf(rs: readonly Resource[], native: ReadonlyMap<string, object>): Record<string, Schema> {
  const kinds = rs.map((r): [string, Schema] => [schemaName(r), { ...schemaOf(r), 'x-kubernetes-group-version-kind': [gvkOf(r)] }]);
  const out: Record<string, Schema> = {};
  for (const name of closureOf(refsOf(kinds))) {
    const gvk = native.get(name);
    out[name] = gvk ? { ...DEFINITIONS[name], 'x-kubernetes-group-version-kind': [gvk] } : DEFINITIONS[name]!;
  }
  return Object.assign(out, Object.fromEntries(kinds));
}

function pathsOf(r: Resource): Record<string, object> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const gvk = gvkOf(r);
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
  /** Definition name → GVK of the kinds in their own (storage) version: a PVC inside a StatefulSet keeps its GVK. */
  const native = new Map<string, object>();
  for (const r of reg.resources()) {
    if (r.group === r.def.group && r.version === r.def.version) native.set(schemaName(r), gvkOf(r));
    const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
    gvs.set(key, [...(gvs.get(key) ?? []), r]);
  }
  for (const [key, rs] of gvs) {
    const doc = {
      openapi: '3.0.0', info: { title: 'Kubernetes (mini-kubelet control plane)', version: 'v1.33.0-mini' },
      paths: Object.assign({}, ...rs.map(pathsOf)),
      components: { schemas: componentsOf(rs, native) },
    };
    byGroupVersion.set(key, doc);
    const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { root: { paths }, byGroupVersion };
}
