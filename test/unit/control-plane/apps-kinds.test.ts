// Unit tests of the apps kinds in the registry (control-plane/registry/kinds/{replicasets,deployments,
// workload-common}.ts) through the generic REST storage: defaults (apps/v1 and the old versions), validation
// with kube-apiserver's field paths and texts, the immutable selector, generation, conversion of the old
// versions to apps/v1 storage and back, and the Table cells.
import { describe, expect, it } from 'vitest';
import { toTable, type KubeObject } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) =>
  ({ metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec } });

const deploy = (name: string, spec: Record<string, unknown> = {}, apiVersion = 'apps/v1') =>
  ({ apiVersion, kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec } });

const rs = (name: string, spec: Record<string, unknown> = {}, apiVersion = 'apps/v1') =>
  ({ apiVersion, kind: 'ReplicaSet', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec } });

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Deployment (apps/v1)', () => {
  it('defaults exactly as the API: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600, the template as pods; generation 1', async () => {
    const { rest, res } = await rig();
    const d = await rest.create(res('deployments', 'apps'), 'default', deploy('web'), by('t')) as Any;
    expect(d.spec).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(d.spec.minReadySeconds).toBeUndefined();
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(d.metadata.generation).toBe(1);
    expect(d.status).toEqual({});
  });

  it('a selector that does not match the template labels: the real message and field', async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('deployments', 'apps'), 'default', deploy('web', { template: template({ tier: 'nginx', app: 'other' }) }), by('t'))).rejects.toMatchObject({
      code: 422,
      message: 'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other","tier":"nginx"}: `selector` does not match template `labels`',
    });
  });

  it('selector required and non-empty; replicas ≥ 0; Recreate without rollingUpdate; restartPolicy Always; both 0 surge/unavailable refused', async () => {
    const { rest, res } = await rig();
    const r = res('deployments', 'apps');
    const bad = async (spec: Record<string, unknown>): Promise<string> => {
      try { await rest.create(r, 'default', deploy('x', spec), by('t')); } catch (e) { return (e as Error).message; }
      return 'created';
    };
    expect(await bad({ selector: undefined })).toBe('Deployment.apps "x" is invalid: spec.selector: Required value');
    expect(await bad({ selector: {} })).toBe('Deployment.apps "x" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment');
    expect(await bad({ replicas: -1 })).toBe('Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(await bad({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } })).toBe(
      'Deployment.apps "x" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'');
    expect(await bad({ strategy: { type: 'Replace' } })).toBe('Deployment.apps "x" is invalid: spec.strategy.type: Unsupported value: "Replace": supported values: "Recreate", "RollingUpdate"');
    expect(await bad({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } })).toBe(
      'Deployment.apps "x" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0');
    expect(await bad({ template: template({ app: 'x' }, { restartPolicy: 'Never' }) })).toBe(
      'Deployment.apps "x" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
    expect(await bad({ template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } })).toBe('Deployment.apps "x" is invalid: spec.template.spec.containers: Required value');
    expect(await bad({ strategy: { type: 'Recreate' } })).toBe('created');
  });

  it('the selector is immutable; generation +1 on spec or annotation changes, not on status', async () => {
    const { rest, res } = await rig();
    const r = res('deployments', 'apps');
    const d = await rest.create(r, 'default', deploy('web'), by('t')) as Any;
    await expect(rest.update(r, 'default', 'web', { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'web', v: '2' } }, template: template({ app: 'web', v: '2' }) } }, by('t'))).rejects.toMatchObject({
      message: 'Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    });
    const annotated = (await rest.patch(r, 'default', 'web', 'merge', { metadata: { annotations: { a: 'b' } } }, by('t'))).object as Any;
    expect(annotated.metadata.generation).toBe(2);
    const status = (await rest.patch(r, 'default', 'web', 'merge', { status: { replicas: 1 } }, by('t', { subresource: 'status' }))).object as Any;
    expect(status.metadata.generation).toBe(2);
    expect(status.status.replicas).toBe(1);
  });

  it('Table: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR', async () => {
    const { res } = await rig();
    const def = res('deployments', 'apps').def.table;
    expect(def.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    const obj = { ...deploy('web', { replicas: 3 }), metadata: { name: 'web', creationTimestamp: new Date(T0 - 65_000).toISOString() }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(toTable(def, [obj], T0).rows[0]!.cells).toEqual(['web', '2/3', 3, 2, '65s', 'web', 'nginx:1.25', 'app=web']);
  });
});

describe('Deployment in its old versions', () => {
  it('apps/v1beta1 without a selector: selector and labels from the template, history 2; stored as apps/v1, shown back as apps/v1beta1', async () => {
    const { rest, res, store } = await rig();
    const body = deploy('loap', {}, 'apps/v1beta1') as Any;
    delete body.spec.selector;
    const r = res('deployments', 'apps', 'v1beta1');
    const stored = await rest.create(r, 'default', body, by('t')) as Any;
    expect(stored.apiVersion).toBe('apps/v1');
    expect(stored.spec.selector).toEqual({ matchLabels: { app: 'loap' } });
    expect(stored.metadata.labels).toEqual({ app: 'loap' });
    expect(stored.spec).toMatchObject({ revisionHistoryLimit: 2, progressDeadlineSeconds: 600, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(store.get('deployments.apps', 'default', 'loap').apiVersion).toBe('apps/v1');
    expect(r.fromStorage(stored).apiVersion).toBe('apps/v1beta1');
    expect(r.deprecation).toBe('apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment');
  });

  it('extensions/v1beta1: surge and unavailable 1, history and deadline MaxInt32; apps/v1beta2 needs its selector', async () => {
    const { rest, res } = await rig();
    const body = deploy('old', {}, 'extensions/v1beta1') as Any;
    delete body.spec.selector;
    const stored = await rest.create(res('deployments', 'extensions', 'v1beta1'), 'default', body, by('t')) as Any;
    expect(stored.spec).toMatchObject({ revisionHistoryLimit: 2147483647, progressDeadlineSeconds: 2147483647, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } });
    expect(res('deployments', 'extensions', 'v1beta1').deprecation).toBe('extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment');
    const b2 = deploy('b2', {}, 'apps/v1beta2') as Any;
    delete b2.spec.selector;
    await expect(rest.create(res('deployments', 'apps', 'v1beta2'), 'default', b2, by('t'))).rejects.toMatchObject({ message: 'Deployment.apps "b2" is invalid: spec.selector: Required value' });
    expect(res('deployments', 'apps', 'v1beta2').deprecation).toBe('apps/v1beta2 Deployment is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 Deployment');
  });
});

describe('ReplicaSet', () => {
  it('defaults replicas 1, status replicas 0, generation 1; field selector status.replicas; Table NAME DESIRED CURRENT READY AGE', async () => {
    const { rest, res } = await rig();
    const r = res('replicasets', 'apps');
    const o = await rest.create(r, 'default', rs('web'), by('t')) as Any;
    expect(o.spec.replicas).toBe(1);
    expect(o.status).toEqual({ replicas: 0 });
    expect(o.metadata.generation).toBe(1);
    expect(rest.list(r, 'default', { fieldSelector: 'status.replicas=0' }).items.map((i) => i.metadata?.name)).toEqual(['web']);
    expect(rest.list(r, 'default', { fieldSelector: 'status.replicas=1' }).items).toEqual([]);
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    const shown: KubeObject = { ...o, status: { replicas: 2, readyReplicas: 1 } } as KubeObject;
    expect(toTable(r.def.table, [shown], T0).rows[0]!.cells).toEqual(['web', 1, 2, 1, '0s', 'web', 'nginx:1.25', 'app=web']);
  });

  it('selector mismatch, immutable selector, set-based selectors print sorted', async () => {
    const { rest, res } = await rig();
    const r = res('replicasets', 'apps');
    await expect(rest.create(r, 'default', rs('x', { template: template({ tier: 'nginx' }) }), by('t'))).rejects.toMatchObject({
      message: 'ReplicaSet.apps "x" is invalid: spec.template.metadata.labels: Invalid value: {"tier":"nginx"}: `selector` does not match template `labels`',
    });
    const sel = { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    const o = await rest.create(r, 'default', rs('y', { selector: sel, template: template({ tier: 'web', env: 'dev' }) }), by('t')) as Any;
    expect(toTable(r.def.table, [o], T0).rows[0]!.cells[7]).toBe('!canary,env in (dev,prod),tier=web');
    await expect(rest.patch(r, 'default', 'y', 'merge', { spec: { selector: { matchLabels: { tier: 'db' } } } }, by('t'))).rejects.toMatchObject({
      message: expect.stringContaining('spec.selector: Invalid value: '),
    });
  });

  it('extensions/v1beta1 defaults the selector from the template; apps/v1beta2 is the same shape', async () => {
    const { rest, res } = await rig();
    const body = rs('old', {}, 'extensions/v1beta1') as Any;
    delete body.spec.selector;
    const o = await rest.create(res('replicasets', 'extensions', 'v1beta1'), 'default', body, by('t')) as Any;
    expect(o.spec.selector).toEqual({ matchLabels: { app: 'old' } });
    const b2 = await rest.create(res('replicasets', 'apps', 'v1beta2'), 'default', rs('b2', {}, 'apps/v1beta2'), by('t')) as Any;
    expect(b2.apiVersion).toBe('apps/v1');
    expect(res('replicasets', 'extensions', 'v1beta1').deprecation).toBe('extensions/v1beta1 ReplicaSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ReplicaSet');
  });
});
