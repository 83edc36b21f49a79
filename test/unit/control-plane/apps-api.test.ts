// Unit tests of the apps kinds over HTTP (control-plane/apiserver/{handlers,scale,discovery}.ts) on an
// in-memory store: the scale subresource (GET, merge PATCH as `kubectl scale` sends it, PUT with a stale
// resourceVersion, negative replicas), the deprecation Warning header of the old versions (and none on
// apps/v1), and discovery of deployments/scale and deployments/status (legacy and aggregated).
import { afterEach, describe, expect, it } from 'vitest';
import { AGGREGATED, httpApi } from './http-api.js';

const NS = '/apis/apps/v1/namespaces/default';

const { serve, call } = httpApi(afterEach);

const deployment = (name: string, apiVersion = 'apps/v1', selector = true) => ({
  apiVersion, kind: 'Deployment', metadata: { name },
  spec: {
    replicas: 2, ...(selector ? { selector: { matchLabels: { app: name } } } : {}),
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

describe('scale subresource', () => {
  it('GET answers an autoscaling/v1 Scale; a merge PATCH of spec.replicas (kubectl scale) writes spec.replicas and bumps generation', async () => {
    await serve();
    expect((await call(`${NS}/deployments`, { method: 'POST', body: deployment('web') })).status).toBe(201);
    const got = await call(`${NS}/deployments/web/scale`);
    expect(got.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
    const patched = await call(`${NS}/deployments/web/scale`, { method: 'PATCH', body: { spec: { replicas: 0 } }, type: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kind: 'Scale', spec: {}, status: { replicas: 0, selector: 'app=web' } });
    const d = (await call(`${NS}/deployments/web`)).body;
    expect([d.spec.replicas, d.metadata.generation]).toEqual([0, 2]);
  });

  it('PUT with a stale resourceVersion is a 409; negative replicas a 422 of Scale.autoscaling; replicasets/scale too', async () => {
    await serve();
    await call(`${NS}/replicasets`, { method: 'POST', body: { ...deployment('rs1'), kind: 'ReplicaSet' } });
    const scale = (await call(`${NS}/replicasets/rs1/scale`)).body;
    expect((await call(`${NS}/replicasets/rs1/scale`, { method: 'PUT', body: { ...scale, spec: { replicas: 5 } } })).body).toMatchObject({ spec: { replicas: 5 } });
    expect((await call(`${NS}/replicasets/rs1/scale`, { method: 'PUT', body: { ...scale, spec: { replicas: 6 } } })).status).toBe(409);
    const neg = await call(`${NS}/replicasets/rs1/scale`, { method: 'PATCH', body: { spec: { replicas: -1 } }, type: 'application/merge-patch+json' });
    expect([neg.status, neg.body.message]).toEqual([422, 'Scale.autoscaling "rs1" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect((await call('/api/v1/namespaces/default/configmaps/x/scale')).status).toBe(404);
  });
});

describe('deprecated versions', () => {
  it('every answer of apps/v1beta1 carries the 299 warning; the object is stored as apps/v1 with the selector from the template', async () => {
    await serve();
    const created = await call('/apis/apps/v1beta1/namespaces/default/deployments', { method: 'POST', body: deployment('loap', 'apps/v1beta1', false) });
    expect(created.status).toBe(201);
    expect(created.warning).toBe('299 - "apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment"');
    expect(created.body).toMatchObject({ apiVersion: 'apps/v1beta1', spec: { selector: { matchLabels: { app: 'loap' } }, revisionHistoryLimit: 2 } });
    const v1 = await call(`${NS}/deployments/loap`);
    expect([v1.warning, v1.body.apiVersion]).toEqual([null, 'apps/v1']);
    expect((await call('/apis/extensions/v1beta1/namespaces/default/replicasets')).warning).toBe(
      '299 - "extensions/v1beta1 ReplicaSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ReplicaSet"');
    expect((await call('/apis/apps/v1beta2/namespaces/default/deployments/nope')).warning).toBe(
      '299 - "apps/v1beta2 Deployment is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 Deployment"');
  });
});

describe('discovery', () => {
  it('apps/v1 lists deployments (deploy, all) with status and scale (autoscaling/v1 Scale); old versions have no category', async () => {
    await serve();
    const list = (await call('/apis/apps/v1')).body.resources;
    expect(list.map((r: { name: string }) => r.name).slice(0, 6)).toEqual(['replicasets', 'replicasets/status', 'replicasets/scale', 'deployments', 'deployments/status', 'deployments/scale']);
    expect(list[3]).toMatchObject({ kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], namespaced: true });
    expect(list[5]).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    expect((await call('/apis/extensions/v1beta1')).body.resources[0].categories).toBeUndefined();
    const agg = (await call('/apis', { accept: AGGREGATED })).body.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deploy = agg.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(agg.versions[0].version).toBe('v1');
    expect(deploy.subresources).toEqual([
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });
});
