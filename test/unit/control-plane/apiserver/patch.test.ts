// Unit tests of PATCH and apply (control-plane/apiserver/patch.ts, apply.ts, managed-fields.ts): the strategic
// merge patches `kubectl apply`/`edit` send (containers by name, $setElementOrder, $patch: delete/replace,
// $retainKeys, $deleteFromPrimitiveList, finalizers as a set), JSON merge patch, JSON patch with its errors,
// and server-side apply: managedFields after ordinary writes, removal of fields a manager stops applying,
// conflicts with other managers and --force-conflicts.
import { describe, expect, it } from 'vitest';
import { jsonMergePatch, jsonPatch, strategicMerge, type MergeSchema } from '../../../../control-plane/apiserver/patch.js';
import { thrown } from '../../../helpers/unconditional.js';
import { by, configMap, rig } from './helpers.js';

const POD: MergeSchema = { keys: { containers: 'name', env: 'name', volumes: 'name', ports: 'containerPort' }, sets: new Set(['finalizers']) };

const live = {
  metadata: { name: 'p', finalizers: ['a/x'], labels: { app: 'web', tier: 'front' } },
  spec: {
    containers: [
      { name: 'main', image: 'busybox', command: ['sleep', '3600'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'side', image: 'nginx' },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  },
};

describe('strategic merge patch', () => {
  it('merges lists of objects by their key and keeps what the patch does not name', () => {
    const out = strategicMerge(live, { spec: { containers: [{ name: 'main', image: 'busybox:1.36', env: [{ name: 'B', value: '3' }] }, { name: 'new', image: 'x' }] } }, POD);
    expect(out).toMatchObject({ spec: { containers: [
      { name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] },
      { name: 'side', image: 'nginx' }, { name: 'new', image: 'x' },
    ] } });
  });

  it('the directives kubectl writes: $setElementOrder, $patch delete/replace, $retainKeys, $deleteFromPrimitiveList; null deletes', () => {
    const reordered = strategicMerge(live, { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }], containers: [{ name: 'side', image: 'nginx:2' }] } }, POD) as typeof live;
    expect(reordered.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['side:nginx:2', 'main:busybox']);
    const deleted = strategicMerge(live, { spec: { containers: [{ $patch: 'delete', name: 'side' }] } }, POD) as typeof live;
    expect(deleted.spec.containers.map((c) => c.name)).toEqual(['main']);
    const replaced = strategicMerge(live, { spec: { volumes: [{ name: 'w', hostPath: { path: '/' } }, { $patch: 'replace' }] } }, POD) as typeof live;
    expect(replaced.spec.volumes).toEqual([{ name: 'w', hostPath: { path: '/' } }]);
    expect(strategicMerge(live, { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } }, POD))
      .toMatchObject({ spec: { volumes: [{ name: 'v', hostPath: { path: '/x' } }] } });
    expect(strategicMerge(live, { metadata: { finalizers: ['b/y'], '$deleteFromPrimitiveList/finalizers': ['a/x'] } }, POD)).toMatchObject({ metadata: { finalizers: ['b/y'] } });
    expect(strategicMerge(live, { metadata: { finalizers: ['b/y', 'a/x'] } }, POD)).toMatchObject({ metadata: { finalizers: ['a/x', 'b/y'] } });
    expect(strategicMerge(live, { metadata: { labels: { tier: null } } }, POD)).toMatchObject({ metadata: { labels: { app: 'web' } } });
    expect(live.spec.containers).toHaveLength(2);
  });

  it('a list item without its merge key is a 400', () => {
    expect(thrown(() => strategicMerge(live, { spec: { containers: [{ image: 'x' }] } }, POD))).toMatchObject({ code: 400 });
  });
});

describe('JSON merge patch and JSON patch', () => {
  it('merge patch replaces lists and deletes with null', () => {
    expect(jsonMergePatch(live, { spec: { volumes: [] }, metadata: { labels: { app: null } } })).toMatchObject({ spec: { volumes: [] }, metadata: { labels: { tier: 'front' } } });
  });

  it('JSON patch: add, remove, replace, move, copy, test; a missing path is a 422', () => {
    const ops = [
      { op: 'add', path: '/metadata/labels/new', value: 'n' }, { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'i' }, { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copy' },
      { op: 'move', from: '/metadata/labels/new', path: '/metadata/labels/moved' }, { op: 'add', path: '/spec/volumes/-', value: { name: 'z' } },
      { op: 'test', path: '/metadata/name', value: 'p' },
    ];
    expect(jsonPatch(live, ops)).toMatchObject({ metadata: { labels: { app: 'web', copy: 'web', moved: 'n' } }, spec: { containers: [{ image: 'i' }, {}], volumes: [{ name: 'v' }, { name: 'z' }] } });
    expect(thrown(() => jsonPatch(live, [{ op: 'remove', path: '/metadata/nope/x' }]))).toMatchObject({ code: 422 });
    expect(thrown(() => jsonPatch(live, [{ op: 'test', path: '/metadata/name', value: 'q' }]))).toMatchObject({ code: 422 });
    expect(thrown(() => jsonPatch(live, { op: 'add' }))).toMatchObject({ code: 400 });
  });
});

const fieldsOf = (o: { metadata?: { managedFields?: unknown } }, manager: string): unknown =>
  (o.metadata?.managedFields as Array<{ manager: string; fieldsV1: unknown }> | undefined)?.find((e) => e.manager === manager)?.fieldsV1;

describe('managedFields and server-side apply', () => {
  it('an ordinary write gives its manager what it changed and takes it from the others', async () => {
    const { rest, res } = await rig();
    const cms = res('configmaps');
    const made = await rest.create(cms, 'default', configMap('a', { x: '1', y: '2' }), by('kubectl-create'));
    expect(made.metadata?.managedFields).toEqual([{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-11-23T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:x': {}, 'f:y': {} } } }]);
    const { object } = await rest.patch(cms, 'default', 'a', 'merge', { data: { y: '3' } }, by('kubectl-patch'));
    expect(fieldsOf(object, 'kubectl-create')).toEqual({ 'f:data': { 'f:x': {} } });
    expect(fieldsOf(object, 'kubectl-patch')).toEqual({ 'f:data': { 'f:y': {} } });
    const same = await rest.patch(cms, 'default', 'a', 'merge', { data: { y: '3' } }, by('other'));
    expect(same.object.metadata?.resourceVersion).toBe(object.metadata?.resourceVersion);
  });

  it('apply creates, owns exactly what it applies, removes what it stops applying, and conflicts with other owners unless forced', async () => {
    const { rest, res } = await rig();
    const cms = res('configmaps');
    const first = await rest.patch(cms, 'default', 'ssa', 'apply', configMap('ssa', { one: '1', two: '2' }), by('kubectl'));
    expect(first).toMatchObject({ created: true, object: { data: { one: '1', two: '2' } } });
    expect(fieldsOf(first.object, 'kubectl')).toEqual({ 'f:data': { 'f:one': {}, 'f:two': {} } });
    await rest.patch(cms, 'default', 'ssa', 'merge', { data: { mine: 'm' } }, by('editor'));
    const second = await rest.patch(cms, 'default', 'ssa', 'apply', configMap('ssa', { one: '1', three: '3' }), by('kubectl'));
    expect(second.object).toMatchObject({ data: { one: '1', three: '3', mine: 'm' } });
    expect(second.object).not.toHaveProperty('data.two');
    await rest.patch(cms, 'default', 'ssa', 'merge', { data: { one: 'X' } }, by('editor'));
    await expect(rest.patch(cms, 'default', 'ssa', 'apply', configMap('ssa', { one: '1', three: '3' }), by('kubectl'))).rejects.toMatchObject({
      code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "editor" using v1: .data.one',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.data.one' }] },
    });
    const forced = await rest.patch(cms, 'default', 'ssa', 'apply', configMap('ssa', { one: '1', three: '3' }), by('kubectl', { force: true }));
    expect(forced.object).toMatchObject({ data: { one: '1' } });
    expect(fieldsOf(forced.object, 'editor')).toEqual({ 'f:data': { 'f:mine': {} } });
  });

  it('apply merges lists with a merge key by item (pods\' containers)', async () => {
    const { rest, res } = await rig();
    const pods = res('pods');
    const spec = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image }] } });
    await rest.patch(pods, 'default', 'p', 'apply', spec('busybox:1'), by('kubectl'));
    const { object } = await rest.patch(pods, 'default', 'p', 'apply', spec('busybox:2'), by('kubectl'));
    expect(object).toMatchObject({ metadata: { generation: 2 }, spec: { containers: [{ name: 'main', image: 'busybox:2', terminationMessagePath: '/dev/termination-log' }] } });
    expect(fieldsOf(object, 'kubectl')).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } });
  });
});
