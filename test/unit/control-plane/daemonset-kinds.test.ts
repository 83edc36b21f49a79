// Unit tests of the DaemonSet and ControllerRevision kinds (control-plane/registry/kinds/{daemonsets,
// controllerrevisions}.ts) through the generic REST storage: apps/v1 defaults and the old versions' (OnDelete,
// selector from the template), the template-generation annotation, validation with kube-apiserver's field
// paths and texts, generation, and the Table cells.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toTable } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) =>
  ({ metadata: { labels }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }], ...spec } });
const ds = (name: string, spec: Record<string, unknown> = {}, apiVersion = 'apps/v1') =>
  ({ apiVersion, kind: 'DaemonSet', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec } });

describe('DaemonSet (apps/v1)', () => {
  it('defaults RollingUpdate maxUnavailable 1 maxSurge 0, history 10, the template as pods; generation 1, template generation 1', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('daemonsets', 'apps'), 'default', ds('agent'), by('t')) as Any;
    expect(o.spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    expect(o.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(o.metadata.generation).toBe(1);
    expect(o.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(o.status).toEqual({});
  });

  it('a template change bumps generation and template generation; another spec change only generation; status neither', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'apps');
    await rest.create(r, 'default', ds('agent'), by('t'));
    const img = (await rest.patch(r, 'default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:1.37' }] } } } }, by('t'))).object as Any;
    expect([img.metadata.generation, img.metadata.annotations['deprecated.daemonset.template.generation']]).toEqual([2, '2']);
    const hist = (await rest.patch(r, 'default', 'agent', 'merge', { spec: { revisionHistoryLimit: 3 } }, by('t'))).object as Any;
    expect([hist.metadata.generation, hist.metadata.annotations['deprecated.daemonset.template.generation']]).toEqual([3, '2']);
    const forged = (await rest.patch(r, 'default', 'agent', 'merge', { metadata: { annotations: { 'deprecated.daemonset.template.generation': '9' } } }, by('t'))).object as Any;
    expect(forged.metadata.annotations['deprecated.daemonset.template.generation']).toBe('2');
    const st = (await rest.patch(r, 'default', 'agent', 'merge', { status: { desiredNumberScheduled: 1 } }, by('t', { subresource: 'status' }))).object as Any;
    expect([st.metadata.generation, st.status.desiredNumberScheduled]).toEqual([3, 1]);
  });

  it('validation: the upstream field paths and texts', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'apps');
    const bad = async (spec: Record<string, unknown>, name = 'x'): Promise<string> => {
      try { await rest.create(r, 'default', ds(name, spec), by('t')); } catch (e) { return (e as Error).message; }
      return 'created';
    };
    expect(await bad({ template: template({ tier: 'node' }) })).toBe(
      'DaemonSet.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"tier":"node"}: `selector` does not match template `labels`');
    expect(await bad({ selector: undefined })).toBe(
      'DaemonSet.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`');
    expect(await bad({ selector: {} })).toContain('spec.selector: Invalid value: {}: empty selector is invalid for daemonset');
    expect(await bad({ template: template({ app: 'x' }, { restartPolicy: 'OnFailure' }) })).toBe(
      'DaemonSet.apps "x" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"');
    expect(await bad({ template: template({ app: 'x' }, { activeDeadlineSeconds: 5 }) })).toBe(
      'DaemonSet.apps "x" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported');
    expect(await bad({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })).toBe(
      'DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0');
    expect(await bad({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } })).toBe(
      'DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero');
    expect(await bad({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } } })).toBe(
      'DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%');
    expect(await bad({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } })).toBe('created');
    expect(await bad({ updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 0 }, 'y')).toBe('created');
  });

  it('the selector is immutable', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'apps');
    await rest.create(r, 'default', ds('agent'), by('t'));
    await expect(rest.patch(r, 'default', 'agent', 'merge', { spec: { selector: { matchLabels: { app: 'agent', v: '2' } }, template: { metadata: { labels: { v: '2' } } } } }, by('t'))).rejects.toMatchObject({
      message: 'DaemonSet.apps "agent" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"agent","v":"2"}}: field is immutable',
    });
  });

  it('Table: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'apps');
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
    const o = await rest.create(r, 'default', ds('agent', { template: template({ app: 'agent' }, { nodeSelector: { zone: 'b', disk: 'ssd' } }) }), by('t')) as Any;
    const shown: Any = { ...o, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } };
    expect(toTable(r.def.table, [shown], T0).rows[0]!.cells).toEqual(['agent', 2, 2, 1, 2, 1, 'disk=ssd,zone=b', '0s', 'agent', 'busybox:1.36', 'app=agent']);
    const plain = await rest.create(r, 'default', ds('plain'), by('t')) as Any;
    expect(toTable(r.def.table, [plain], T0).rows[0]!.cells.slice(0, 8)).toEqual(['plain', 0, 0, 0, 0, 0, '<none>', '0s']);
  });
});

describe('examples/api/daemonset.yaml', () => {
  it('is accepted as written', async () => {
    const { rest, res } = await rig();
    const body = parse(readFileSync(new URL('../../../examples/api/daemonset.yaml', import.meta.url), 'utf8')) as Any;
    const o = await rest.create(res('daemonsets', 'apps'), 'default', body, by('t')) as Any;
    expect(o.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });
});

describe('DaemonSet in its old versions', () => {
  it('extensions/v1beta1: OnDelete, selector and labels from the template, templateGeneration shown back; warning text', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'extensions', 'v1beta1');
    const body = ds('old', {}, 'extensions/v1beta1') as Any;
    delete body.spec.selector;
    const stored = await rest.create(r, 'default', body, by('t')) as Any;
    expect(stored.apiVersion).toBe('apps/v1');
    expect(stored.spec.selector).toEqual({ matchLabels: { app: 'old' } });
    expect(stored.metadata.labels).toEqual({ app: 'old' });
    expect(stored.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(stored.spec.revisionHistoryLimit).toBe(10);
    expect((r.fromStorage(stored) as Any).spec.templateGeneration).toBe(1);
    expect(r.deprecation).toBe('extensions/v1beta1 DaemonSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DaemonSet');
  });

  it('apps/v1beta2: apps/v1 defaults; warning text', async () => {
    const { rest, res } = await rig();
    const r = res('daemonsets', 'apps', 'v1beta2');
    const stored = await rest.create(r, 'default', ds('b2', {}, 'apps/v1beta2'), by('t')) as Any;
    expect(stored.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(r.deprecation).toBe('apps/v1beta2 DaemonSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 DaemonSet');
  });
});

describe('ControllerRevision', () => {
  const rev = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name }, data: { spec: { template: {} } }, revision: 1, ...extra });

  it('data required and immutable, revision ≥ 0; the revision number may change', async () => {
    const { rest, res } = await rig();
    const r = res('controllerrevisions', 'apps');
    await expect(rest.create(r, 'default', rev('a', { data: undefined }), by('t'))).rejects.toMatchObject({ message: 'ControllerRevision.apps "a" is invalid: data: Required value: data is mandatory' });
    await expect(rest.create(r, 'default', rev('a', { revision: -1 }), by('t'))).rejects.toMatchObject({ message: 'ControllerRevision.apps "a" is invalid: revision: Invalid value: -1: must be greater than or equal to 0' });
    await rest.create(r, 'default', rev('a'), by('t'));
    await expect(rest.patch(r, 'default', 'a', 'merge', { data: { spec: { x: 1 } } }, by('t'))).rejects.toMatchObject({ message: expect.stringContaining('data: Invalid value: ') });
    const bumped = (await rest.patch(r, 'default', 'a', 'merge', { revision: 3 }, by('t'))).object as Any;
    expect(bumped.revision).toBe(3);
  });

  it('Table: NAME CONTROLLER REVISION AGE, the controller as daemonset.apps/<name>', async () => {
    const { rest, res } = await rig();
    const r = res('controllerrevisions', 'apps');
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Controller', 'Revision', 'Age']);
    const owned = await rest.create(r, 'default', { ...rev('agent-5d4b9c'), metadata: { name: 'agent-5d4b9c', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true }] } }, by('t'));
    const loose = await rest.create(r, 'default', rev('loose', { revision: 2 }), by('t'));
    expect(toTable(r.def.table, [owned, loose], T0).rows.map((x) => x.cells)).toEqual([['agent-5d4b9c', 'daemonset.apps/agent', 1, '0s'], ['loose', '<none>', 2, '0s']]);
  });
});
