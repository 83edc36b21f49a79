// Unit tests of what the old apps versions did differently, over HTTP on an in-memory store
// (control-plane/registry/kinds/workload-common.ts's selectorImmutableExceptIn, strategy.ts passing the
// request's version, apiserver/scale.ts and discovery.ts): a selector change is refused through apps/v1 and
// apps/v1beta2 but allowed through extensions/v1beta1 (and apps/v1beta1 for Deployments), as upstream's
// strategies decide from the RequestInfo; /scale answers and accepts the Scale of the request's version
// (extensions/v1beta1, apps/v1beta1, apps/v1beta2: status.selector a map, status.targetSelector the string);
// discovery lists that Scale per version.
import { afterEach, describe, expect, it } from 'vitest';
import { AGGREGATED, httpApi, type Reply } from './http-api.js';

const { serve, call } = httpApi(afterEach);

const at = (gv: string, resource: string, name = ''): string => `/apis/${gv}/namespaces/default/${resource}${name ? `/${name}` : ''}`;

const podTemplate = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

const workload = (kind: string, name: string, matchExpressions?: object[]) => ({
  apiVersion: 'apps/v1', kind, metadata: { name },
  spec: {
    ...(kind === 'DaemonSet' ? {} : { replicas: 2 }), ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
    selector: { matchLabels: { app: name }, ...(matchExpressions ? { matchExpressions } : {}) },
    template: podTemplate({ app: name, tier: 'a' }),
  },
});

/** PUT through `gv` of the object as that version shows it, with the selector (and template labels) widened by tier=a. */
async function changeSelector(gv: string, resource: string, name: string): Promise<Reply> {
  const cur = (await call(at(gv, resource, name))).body;
  cur.spec.selector = { matchLabels: { app: name, tier: 'a' } };
  return call(at(gv, resource, name), { method: 'PUT', body: cur });
}

const RESOURCE: Record<string, string> = { Deployment: 'deployments', ReplicaSet: 'replicasets', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets' };

describe('spec.selector per served version', () => {
  // kind, the version of the update, whether the selector may change (upstream's strategies, 1.15).
  const cases: Array<[string, string, boolean]> = [
    ['Deployment', 'apps/v1', false], ['Deployment', 'apps/v1beta2', false], ['Deployment', 'apps/v1beta1', true], ['Deployment', 'extensions/v1beta1', true],
    ['ReplicaSet', 'apps/v1', false], ['ReplicaSet', 'apps/v1beta2', false], ['ReplicaSet', 'extensions/v1beta1', true],
    ['DaemonSet', 'apps/v1', false], ['DaemonSet', 'apps/v1beta2', false], ['DaemonSet', 'extensions/v1beta1', true],
    ['StatefulSet', 'apps/v1', false], ['StatefulSet', 'apps/v1beta1', false], ['StatefulSet', 'apps/v1beta2', false],
  ];
  it.each(cases)('%s updated through %s: selector change allowed = %s', async (kind, gv, allowed) => {
    await serve();
    const resource = RESOURCE[kind]!;
    expect((await call(at('apps/v1', resource), { method: 'POST', body: workload(kind, 'w') })).status).toBe(201);
    const r = await changeSelector(gv, resource, 'w');
    const stored = (await call(at('apps/v1', resource, 'w'))).body;
    expect([r.status, stored.spec.selector.matchLabels]).toEqual(allowed ? [200, { app: 'w', tier: 'a' }] : [422, { app: 'w' }]);
  });

  it('the refusals are upstream texts: ValidateImmutableField, and StatefulSet\'s update rule', async () => {
    await serve();
    await call(at('apps/v1', 'deployments'), { method: 'POST', body: workload('Deployment', 'web') });
    await call(at('apps/v1', 'statefulsets'), { method: 'POST', body: workload('StatefulSet', 'db') });
    expect((await changeSelector('apps/v1beta2', 'deployments', 'web')).body.message).toBe(
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"a"}}: field is immutable');
    expect((await changeSelector('apps/v1beta1', 'statefulsets', 'db')).body.message).toBe(
      "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
  });

  it('a merge PATCH through extensions/v1beta1 may change a ReplicaSet selector too', async () => {
    await serve();
    await call(at('apps/v1', 'replicasets'), { method: 'POST', body: workload('ReplicaSet', 'rs') });
    const patch = { spec: { selector: { matchLabels: { tier: 'a' } } } };
    const viaV1 = await call(at('apps/v1', 'replicasets', 'rs'), { method: 'PATCH', body: patch, type: 'application/merge-patch+json' });
    const viaExt = await call(at('extensions/v1beta1', 'replicasets', 'rs'), { method: 'PATCH', body: patch, type: 'application/merge-patch+json' });
    expect([viaV1.status, viaExt.status, viaExt.body.apiVersion, viaExt.body.spec.selector]).toEqual([422, 200, 'extensions/v1beta1', { matchLabels: { app: 'rs', tier: 'a' } }]);
  });
});

describe('the scale subresource per served version', () => {
  const scaleAt = (gv: string, resource: string, name: string): string => `${at(gv, resource, name)}/scale`;

  it.each([
    ['extensions/v1beta1', 'deployments'], ['apps/v1beta1', 'deployments'], ['apps/v1beta2', 'deployments'],
    ['extensions/v1beta1', 'replicasets'], ['apps/v1beta2', 'replicasets'], ['apps/v1beta1', 'statefulsets'], ['apps/v1beta2', 'statefulsets'],
  ])('GET %s %s/scale answers that version\'s Scale: status.selector a map, status.targetSelector the string', async (gv, resource) => {
    await serve();
    const kind = Object.keys(RESOURCE).find((k) => RESOURCE[k] === resource)!;
    await call(at('apps/v1', resource), { method: 'POST', body: workload(kind, 'web') });
    const got = await call(scaleAt(gv, resource, 'web'));
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      kind: 'Scale', apiVersion: gv, metadata: expect.objectContaining({ name: 'web', namespace: 'default' }),
      spec: { replicas: 2 }, status: { replicas: 0, selector: { app: 'web' }, targetSelector: 'app=web' },
    });
  });

  it('a selector with expressions has no map (only equality requirements convert), the string stays; apps/v1 keeps autoscaling/v1', async () => {
    await serve();
    await call(at('apps/v1', 'deployments'), { method: 'POST', body: workload('Deployment', 'web', [{ key: 'tier', operator: 'In', values: ['b', 'a'] }]) });
    expect((await call(scaleAt('extensions/v1beta1', 'deployments', 'web'))).body.status).toEqual({ replicas: 0, targetSelector: 'app=web,tier in (a,b)' });
    expect((await call(scaleAt('apps/v1', 'deployments', 'web'))).body).toMatchObject({ apiVersion: 'autoscaling/v1', status: { replicas: 0, selector: 'app=web,tier in (a,b)' } });
  });

  it('PUT and PATCH accept the version\'s own Scale; a Scale of another version is a 400', async () => {
    await serve();
    await call(at('apps/v1', 'deployments'), { method: 'POST', body: workload('Deployment', 'web') });
    const ext = scaleAt('extensions/v1beta1', 'deployments', 'web');
    const cur = (await call(ext)).body;
    const put = await call(ext, { method: 'PUT', body: { ...cur, spec: { replicas: 4 } } });
    expect([put.status, put.body.apiVersion, put.body.spec]).toEqual([200, 'extensions/v1beta1', { replicas: 4 }]);
    const wrong = await call(ext, { method: 'PUT', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 1 } } });
    expect([wrong.status, wrong.body.message]).toEqual([400, 'the API version in the data (autoscaling/v1) does not match the expected API version (extensions/v1beta1)']);
    const patched = await call(scaleAt('apps/v1beta2', 'deployments', 'web'), { method: 'PATCH', body: { spec: { replicas: 3 } }, type: 'application/merge-patch+json' });
    expect([patched.status, patched.body.apiVersion, patched.body.spec]).toEqual([200, 'apps/v1beta2', { replicas: 3 }]);
    const d = (await call(at('apps/v1', 'deployments', 'web'))).body;
    expect([d.spec.replicas, d.metadata.generation]).toEqual([3, 3]);
  });

  it('discovery lists each version\'s Scale for the scale subresource (legacy and aggregated)', async () => {
    await serve();
    const legacy = async (gv: string, name: string) => (await call(`/apis/${gv}`)).body.resources.find((r: { name: string }) => r.name === name);
    expect(await legacy('extensions/v1beta1', 'deployments/scale')).toMatchObject({ group: 'extensions', version: 'v1beta1', kind: 'Scale' });
    expect(await legacy('apps/v1beta1', 'deployments/scale')).toMatchObject({ group: 'apps', version: 'v1beta1', kind: 'Scale' });
    expect(await legacy('apps/v1beta2', 'replicasets/scale')).toMatchObject({ group: 'apps', version: 'v1beta2', kind: 'Scale' });
    expect(await legacy('apps/v1', 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const agg = (await call('/apis', { accept: AGGREGATED })).body.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'extensions');
    const deploy = agg.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deploy.subresources.find((s: { subresource: string }) => s.subresource === 'scale').responseKind).toEqual({ group: 'extensions', version: 'v1beta1', kind: 'Scale' });
  });
});
