// Unit tests of agent/api-client/manifest-plan.ts: the ownership marks, the diff of the folder's set against the
// owned objects (apply new or changed, keep unchanged, delete the unwanted, duplicates refused), the order
// (Namespaces first, deleted last), and the error lines of failed calls.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/errors.js';
import { NoKindMatchError } from '../../../client/discovery.js';
import type { ResourceRef } from '../../../client/types.js';
import {
  contentHash, errorLines, knownFrom, MANIFEST_FILE_ANNOTATION, MANIFEST_HASH_ANNOTATION, MANIFEST_NODE_LABEL, nodeLabelValue, objectKey, plan, stamp,
  type Desired, type Known,
} from '../../../agent/api-client/manifest-plan.js';

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };

const desired = (kind: string, name: string, hash: string, origin = `${name}.yaml[0]`): Desired => {
  const ref = kind === 'Namespace' ? NAMESPACES : DEPLOYMENTS;
  const namespace = ref.namespaced ? 'default' : undefined;
  return { key: objectKey(kind, namespace, name), kind, ref, namespace, name, origin, file: origin.replace(/\[.*$/, ''), hash, body: {} };
};
const known = (d: Desired, hash = d.hash): Known => ({ key: d.key, kind: d.kind, ref: d.ref, namespace: d.namespace, name: d.name, uid: `uid-${d.name}`, hash, file: d.file });
const keys = (xs: readonly { key: string }[]): string[] => xs.map((x) => x.key);

describe('plan', () => {
  it('applies new and changed documents, keeps unchanged ones, deletes owned objects no document wants', () => {
    const a = desired('Deployment', 'a', 'h1');
    const b = desired('Deployment', 'b', 'h2');
    const c = desired('Deployment', 'c', 'h3');
    const gone = desired('Deployment', 'gone', 'h4');
    const p = plan([a, b, c], new Map([[a.key, known(a)], [b.key, known(b, 'old')], [gone.key, known(gone)]]));
    expect({ apply: keys(p.apply), remove: keys(p.remove), duplicates: p.duplicates }).toEqual({
      apply: ['Deployment default/b', 'Deployment default/c'], remove: ['Deployment default/gone'], duplicates: [],
    });
  });

  it('a second document naming the same object is refused by origin; the first one counts', () => {
    const first = desired('Deployment', 'web', 'h1', 'a.yaml[0]');
    const again = desired('Deployment', 'web', 'h2', 'b.yaml[1]');
    const p = plan([first, again], new Map());
    expect(p.apply).toEqual([first]);
    expect(p.duplicates).toEqual(['b.yaml[1]: metadata.name: Duplicate value: "Deployment default/web": already defined in a.yaml[0]; this one is ignored']);
  });

  it('Namespaces are applied first and deleted last; other kinds keep the folder order', () => {
    const d1 = desired('Deployment', 'd1', 'x');
    const ns = desired('Namespace', 'lab', 'y');
    const d2 = desired('Deployment', 'd2', 'z');
    expect(keys(plan([d1, ns, d2], new Map()).apply)).toEqual(['Namespace lab', 'Deployment default/d1', 'Deployment default/d2']);
    const p = plan([], new Map([ns, d1, d2].map((d) => [d.key, known(d)])));
    expect(keys(p.remove)).toEqual(['Deployment default/d2', 'Deployment default/d1', 'Namespace lab']);
  });

  it('nothing to do when the owned objects are exactly the folder (an agent restart)', () => {
    const a = desired('Deployment', 'a', 'h1');
    expect(plan([a], new Map([[a.key, known(a)]]))).toEqual({ apply: [], remove: [], duplicates: [] });
  });
});

describe('ownership marks', () => {
  it('stamp adds the node label, the file and hash annotations and the namespace, keeping the document', () => {
    const doc = { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'loap', labels: { app: 'loap' }, annotations: { a: 'b' } }, spec: { replicas: 1 } };
    expect(stamp(doc, { file: 'loap.yaml', nodeLabel: 'node-a', hash: 'abc', namespace: 'default' })).toEqual({
      apiVersion: 'apps/v1beta1', kind: 'Deployment', spec: { replicas: 1 },
      metadata: {
        name: 'loap', namespace: 'default', labels: { app: 'loap', [MANIFEST_NODE_LABEL]: 'node-a' },
        annotations: { a: 'b', [MANIFEST_FILE_ANNOTATION]: 'loap.yaml', [MANIFEST_HASH_ANNOTATION]: 'abc' },
      },
    });
    expect(doc.metadata).toEqual({ name: 'loap', labels: { app: 'loap' }, annotations: { a: 'b' } });
  });

  it('a cluster-scoped object gets no namespace, even one written in the document', () => {
    const s = stamp({ kind: 'Namespace', metadata: { name: 'lab', namespace: 'x' } }, { file: 'f.yaml', nodeLabel: 'n', hash: 'h', namespace: undefined });
    expect(s.metadata).not.toHaveProperty('namespace');
  });

  it('the node label value is the node name when it is a valid label value, else a hash of it', () => {
    expect(nodeLabelValue('node-a.example')).toBe('node-a.example');
    const long = `n${'x'.repeat(70)}`;
    expect(nodeLabelValue(long)).toMatch(/^h-[0-9a-f]{40}$/);
    expect(nodeLabelValue(long)).toBe(nodeLabelValue(long));
  });

  it('the content hash changes with the document, not with key order', () => {
    expect(contentHash({ a: 1, b: { c: 2 } })).toBe(contentHash({ b: { c: 2 }, a: 1 }));
    expect(contentHash({ spec: { replicas: 1 } })).not.toBe(contentHash({ spec: { replicas: 2 } }));
  });

  it('knownFrom reads a listed object (the kind from discovery), with its hash and file', () => {
    const item = { metadata: { name: 'web', namespace: 'default', uid: 'u1', annotations: { [MANIFEST_HASH_ANNOTATION]: 'h', [MANIFEST_FILE_ANNOTATION]: 'web.yaml' } } };
    expect(knownFrom(item, 'Deployment', DEPLOYMENTS)).toEqual({ key: 'Deployment default/web', kind: 'Deployment', ref: DEPLOYMENTS, namespace: 'default', name: 'web', uid: 'u1', hash: 'h', file: 'web.yaml' });
  });
});

describe('errorLines', () => {
  it('a 422 gives one line per field, named by the document', () => {
    const e = new ApiError({ code: 422, reason: 'Invalid', message: 'Deployment.apps "x" is invalid: …', details: { causes: [
      { reason: 'FieldValueRequired', field: 'spec.template.spec.containers[0].image', message: 'Required value' },
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
    ] } });
    expect(errorLines('x.yaml[0]', e)).toEqual([
      'x.yaml[0]: spec.template.spec.containers[0].image: Required value',
      'x.yaml[0]: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('an unknown kind gives kubectl\'s "no matches for kind"; other failures the API\'s message', () => {
    expect(errorLines('s.yaml[1]', new NoKindMatchError('v1', 'Service'))).toEqual(['s.yaml[1]: kind: no matches for kind "Service" in version "v1" (the API server does not serve it)']);
    expect(errorLines('n.yaml[0]', new ApiError({ code: 404, reason: 'NotFound', message: 'namespaces "lab" not found' }))).toEqual(['n.yaml[0]: namespaces "lab" not found']);
  });
});
