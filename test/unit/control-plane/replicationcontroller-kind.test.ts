// Unit tests of the ReplicationController kind (control-plane/registry/kinds/replicationcontrollers.ts)
// through the generic REST storage: SetDefaults_ReplicationController (selector and labels from the template,
// replicas 1), status on create, validation with kube-apiserver's field paths and texts, a selector that may
// change, the Table cells (+ wide), the field selector status.replicas and the Scale's selector string.
import { describe, expect, it } from 'vitest';
import { toTable, type KubeObject } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rc = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'ReplicationController', metadata: { name, ...meta },
  spec: { template: { metadata: { labels: { app: name, tier: 'fe' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
});

describe('ReplicationController (core/v1)', () => {
  it('defaults: an empty selector and empty labels take the template labels; replicas 1; status replicas 0; generation 1', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('replicationcontrollers'), 'default', rc('web'), by('t')) as Any;
    expect(o.spec.selector).toEqual({ app: 'web', tier: 'fe' });
    expect(o.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(o.spec.replicas).toBe(1);
    expect(o.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(o.status).toEqual({ replicas: 0 });
    expect(o.metadata.generation).toBe(1);
    const own = await rest.create(res('replicationcontrollers'), 'default', rc('api', { selector: { app: 'api' }, replicas: 0 }, { labels: { team: 'x' } }), by('t')) as Any;
    expect({ selector: own.spec.selector, labels: own.metadata.labels, replicas: own.spec.replicas }).toEqual({ selector: { app: 'api' }, labels: { team: 'x' }, replicas: 0 });
  });

  it('validation: the real messages and fields', async () => {
    const { rest, res } = await rig();
    const r = res('replicationcontrollers');
    await expect(rest.create(r, 'default', rc('web', { selector: { app: 'other' } }), by('t'))).rejects.toMatchObject({
      code: 422, message: 'ReplicationController "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web","tier":"fe"}: `selector` does not match template `labels`',
    });
    const noLabels = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'bare' }, spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } } } };
    await expect(rest.create(r, 'default', noLabels, by('t'))).rejects.toMatchObject({ code: 422, message: 'ReplicationController "bare" is invalid: spec.selector: Required value' });
    const noTemplate = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'none' }, spec: { selector: { app: 'x' } } };
    await expect(rest.create(r, 'default', noTemplate, by('t'))).rejects.toMatchObject({ code: 422, message: 'ReplicationController "none" is invalid: spec.template: Required value' });
    const bad = rc('web', { replicas: -1, template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', activeDeadlineSeconds: 5, containers: [{ name: 'main', image: 'busybox' }] } } });
    await expect(rest.create(r, 'default', bad, by('t'))).rejects.toMatchObject({
      code: 422,
      message: 'ReplicationController "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always", spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported]',
    });
  });

  it('the selector may change (unlike apps/v1); a status write keeps the generation', async () => {
    const { rest, res } = await rig();
    const r = res('replicationcontrollers');
    await rest.create(r, 'default', rc('web'), by('t'));
    const changed = (await rest.patch(r, 'default', 'web', 'merge', { spec: { selector: { tier: null } } }, by('t'))).object as Any;
    expect({ selector: changed.spec.selector, generation: changed.metadata.generation }).toEqual({ selector: { app: 'web' }, generation: 2 });
    const status = (await rest.patch(r, 'default', 'web', 'merge', { status: { replicas: 1 } }, by('t', { subresource: 'status' }))).object as Any;
    expect({ generation: status.metadata.generation, replicas: status.status.replicas }).toEqual({ generation: 2, replicas: 1 });
  });

  it('Table NAME DESIRED CURRENT READY AGE + CONTAINERS IMAGES SELECTOR; field selector status.replicas; Scale selector', async () => {
    const { rest, res } = await rig();
    const r = res('replicationcontrollers');
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    expect(r.def.table.columns.map((c) => c.priority ?? 0)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(r.shortNames).toEqual(['rc']);
    expect(r.categories).toEqual(['all']);
    expect(r.subresources).toEqual(['status', 'scale']);
    const o = await rest.create(r, 'default', rc('web', { replicas: 3 }), by('t'));
    const shown = { ...o, status: { replicas: 2, readyReplicas: 1 } } as KubeObject;
    expect(toTable(r.def.table, [shown], T0).rows[0]!.cells).toEqual(['web', 3, 2, 1, '0s', 'main', 'busybox', 'app=web,tier=fe']);
    expect(rest.list(r, 'default', { fieldSelector: 'status.replicas=0' }).items.map((i) => i.metadata?.name)).toEqual(['web']);
    expect(r.def.scale!.selector(o)).toBe('app=web,tier=fe');
  });
});
