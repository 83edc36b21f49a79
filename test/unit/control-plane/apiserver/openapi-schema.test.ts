// The OpenAPI v3 documents the API server serves, checked as documents: every $ref resolves inside its own
// group-version document, every served kind has a deep definition (no fallback to the top-level fields),
// every property of every definition has a type and a description, lists say their list type (map lists
// their merge key), `required` names real properties; the PATCH operations still declare no request body
// (kubectl's strategic merge keeps its built-in types). And the protobuf layouts of the kinds' typed bodies
// name no field, nor a type, that the schema table does not have: the two tables cannot drift apart.
import { describe, expect, it } from 'vitest';
import { openApiDocs } from '../../../../control-plane/apiserver/openapi.js';
import { Registry, defaultKinds, type ProtoMessage } from '../../../../control-plane/registry/index.js';
import { DEFINITIONS, definitionName, refsOf, type Schema } from '../../../../control-plane/registry/schema/index.js';

const reg = new Registry(defaultKinds);
const docs = openApiDocs(reg);
type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Schema> } };
const docOf = (key: string) => docs.byGroupVersion.get(key) as Doc;
const REF = '#/components/schemas/';

/** The definition a property refers to (allOf [$ref] or $ref), or undefined for an inline schema. */
const target = (p: Schema): string | undefined => {
  const r = (p['allOf'] as Schema[] | undefined)?.[0]?.['$ref'] ?? p['$ref'];
  return typeof r === 'string' ? r.slice(REF.length) : undefined;
};
const propsOf = (name: string): Record<string, Schema> => (DEFINITIONS[name]!['properties'] ?? {}) as Record<string, Schema>;

/** Follows a dotted path of properties (arrays through their items) from a definition; the last property. */
function walk(doc: Doc, from: string, path: string): Schema {
  let def = doc.components.schemas[from]!;
  let prop: Schema = def;
  for (const seg of path.split('.')) {
    prop = (def['properties'] as Record<string, Schema>)[seg]!;
    expect(prop, `${from}.${path} at ${seg}`).toBeDefined();
    const item = prop['type'] === 'array' ? (prop['items'] as Schema) : prop;
    const name = target(item);
    if (name) def = doc.components.schemas[name]!;
  }
  return prop;
}

describe('OpenAPI v3 documents', () => {
  it('every $ref resolves inside the document that holds it', () => {
    for (const [key, doc] of docs.byGroupVersion) {
      const d = doc as Doc;
      const missing = refsOf(d).filter((n) => !d.components.schemas[n]);
      expect({ key, missing }).toEqual({ key, missing: [] });
    }
  });

  it('every served kind has its deep definition, tagged with its group, version and kind', () => {
    for (const r of reg.resources()) {
      const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
      const own = definitionName(r.group, r.version, r.kind);
      const s = docOf(key).components.schemas[own]!;
      expect(s['x-kubernetes-group-version-kind']).toEqual([{ group: r.group, version: r.version, kind: r.kind }]);
      expect(target((s['properties'] as Record<string, Schema>)['metadata']!)).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
      expect(DEFINITIONS[definitionName(r.def.group, r.def.version, r.kind)], own).toBeDefined();
    }
  });

  it('goes all the way down: Deployment → pod template → container → probe → httpGet.port', () => {
    const apps = docOf('apis/apps/v1');
    const port = walk(apps, 'io.k8s.api.apps.v1.Deployment', 'spec.template.spec.containers.livenessProbe.httpGet.port');
    expect(target(port)).toBe('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(apps.components.schemas[target(port)!]!['x-kubernetes-int-or-string']).toBe(true);
    expect(walk(apps, 'io.k8s.api.apps.v1.Deployment', 'spec.replicas')).toMatchObject({ type: 'integer', format: 'int32' });
    expect(walk(apps, 'io.k8s.api.apps.v1.StatefulSet', 'spec.volumeClaimTemplates.spec.resources.requests'))
      .toMatchObject({ type: 'object', additionalProperties: { $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity` } });
    expect(walk(docOf('apis/batch/v1'), 'io.k8s.api.batch.v1.CronJob', 'spec.jobTemplate.spec.template.spec.restartPolicy')).toMatchObject({ type: 'string' });
    expect(walk(docOf('apis/apps/v1beta1'), 'io.k8s.api.apps.v1beta1.Deployment', 'spec.strategy.rollingUpdate.maxSurge')).toBeDefined();
  });

  it('every property of every definition has a type (or a reference) and a description', () => {
    for (const [name, d] of Object.entries(DEFINITIONS)) {
      expect(typeof d['description'], name).toBe('string');
      for (const [field, p] of Object.entries(propsOf(name))) {
        const typed = typeof p['type'] === 'string' || target(p) !== undefined;
        expect({ at: `${name}.${field}`, typed, description: typeof p['description'] }).toEqual({ at: `${name}.${field}`, typed: true, description: 'string' });
        expect(p['type'] !== 'array' || p['items'] !== undefined, `${name}.${field}: an array without items`).toBe(true);
        const ref = target(p) ?? target((p['items'] ?? {}) as Schema);
        expect(ref === undefined || DEFINITIONS[ref] !== undefined, `${name}.${field} → ${ref}`).toBe(true);
      }
      for (const req of (d['required'] ?? []) as string[]) expect(propsOf(name), `${name} requires ${req}`).toHaveProperty(req);
    }
  });

  it('lists say their list type; map lists their merge key (containers by name, env by name, ports by containerPort)', () => {
    for (const name of Object.keys(DEFINITIONS)) {
      for (const [field, p] of Object.entries(propsOf(name))) {
        if (p['type'] !== 'array') continue;
        expect(p['x-kubernetes-list-type'], `${name}.${field}`).toMatch(/^(atomic|set|map)$/);
        const mapKey = (p['x-kubernetes-list-map-keys'] as string[] | undefined)?.[0];
        expect(p['x-kubernetes-list-type'] !== 'map' || p['x-kubernetes-patch-merge-key'] === mapKey, `${name}.${field}: merge key ${String(p['x-kubernetes-patch-merge-key'])} vs ${String(mapKey)}`).toBe(true);
      }
    }
    const c = propsOf('io.k8s.api.core.v1.Container');
    expect([propsOf('io.k8s.api.core.v1.PodSpec')['containers']!['x-kubernetes-patch-merge-key'], c['env']!['x-kubernetes-patch-merge-key'], c['ports']!['x-kubernetes-list-map-keys']])
      .toEqual(['name', 'name', ['containerPort', 'protocol']]);
  });

  it('PATCH operations list fieldValidation and declare no request body', () => {
    for (const doc of docs.byGroupVersion.values()) {
      for (const ops of Object.values((doc as Doc).paths)) {
        if (!ops['patch']) continue;
        expect(ops['patch']).not.toHaveProperty('requestBody');
        expect((ops['patch']['parameters'] as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');
      }
    }
  });
});

/** The schema a protobuf field's type must have (compared on the property, or its items for a repeated field). */
function expected(f: ProtoMessage[number]): Schema {
  switch (f.type) {
    case 'string': return { type: 'string' };
    case 'bytes': return { type: 'string', format: 'byte' };
    case 'strings': return { type: 'array', items: { type: 'string' } };
    case 'bool': return { type: 'boolean' };
    case 'int': return { type: 'integer' };
    case 'ints': return { type: 'array', items: { type: 'integer' } };
    case 'intOrString': return { allOf: [{ $ref: `${REF}io.k8s.apimachinery.pkg.util.intstr.IntOrString` }] };
    case 'quantity': return { allOf: [{ $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity` }] };
    case 'time': return { allOf: [{ $ref: `${REF}io.k8s.apimachinery.pkg.apis.meta.v1.Time` }] };
    case 'map': return f.values === 'quantity' ? { additionalProperties: { $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity` } }
      : { additionalProperties: f.values === 'bytes' ? { type: 'string', format: 'byte' } : { type: 'string' } };
    case 'message': return f.repeated ? { type: 'array' } : {};
  }
}

/** Every field of a protobuf layout, checked against the definition `name` (inline messages: same definition). */
function mismatches(layout: ProtoMessage, name: string, at: string, out: string[] = []): string[] {
  const props = propsOf(name);
  for (const f of Object.values(layout)) {
    if (f.type === 'message' && f.inline) { mismatches(f.message, name, at, out); continue; }
    const p = props[f.name];
    if (!p) { out.push(`${at}.${f.name}: not in ${name}`); continue; }
    try { expect(p).toMatchObject(expected(f)); } catch { out.push(`${at}.${f.name}: ${f.type} vs ${JSON.stringify(p)}`); continue; }
    if (f.type === 'message') {
      const next = target(f.repeated ? (p['items'] as Schema) : p);
      if (next) mismatches(f.message, next, `${at}.${f.name}`, out);
      else out.push(`${at}.${f.name}: no definition`);
    }
  }
  return out;
}

/**
 * proto/pod.ts shares one layout between the configMap/secret/downwardAPI volume sources and their projections,
 * so the projections' layouts also read defaultMode (a field number upstream's projections leave unused).
 */
const SHARED_LAYOUT = /\.volumes\.projected\.sources\.(secret|downwardAPI|configMap)\.defaultMode: not in /;
const notShared = (problem: string): boolean => !SHARED_LAYOUT.test(problem);

describe('the protobuf layouts agree with the schema table', () => {
  it('every field of every kind\'s protobuf layout is in its definition, with a matching type', () => {
    const kinds = defaultKinds.filter((d) => d.protobuf);
    expect(kinds.map((d) => d.kind)).toEqual(expect.arrayContaining(['ConfigMap', 'Secret', 'Deployment', 'Job', 'CronJob']));
    for (const d of kinds) expect({ kind: d.kind, problems: mismatches(d.protobuf!, definitionName(d.group, d.version, d.kind), d.kind).filter(notShared) }).toEqual({ kind: d.kind, problems: [] });
  });
});
