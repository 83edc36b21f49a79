// The StatefulSet kind (control-plane/registry/kinds/statefulsets.ts) through the generic REST storage:
// SetDefaults_StatefulSet (policies, partition, history, PVC retention, claim templates as PVCs), validation
// texts and field paths, the update rule (only replicas, ordinals, template, updateStrategy,
// persistentVolumeClaimRetentionPolicy, minReadySeconds), the old versions (apps/v1beta1: OnDelete and the
// selector from the template) with their deprecation texts, and the Table NAME READY AGE (+ CONTAINERS IMAGES).
import { describe, expect, it } from 'vitest';
import { toTable, type KubeObject } from '../../../control-plane/registry/index.js';
import { by, rig, T0 } from './apiserver/helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sts = (spec: Record<string, unknown> = {}, apiVersion = 'apps/v1'): Any => ({
  apiVersion, kind: 'StatefulSet', metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'nginx', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } }, ...spec },
});

describe('StatefulSet (apps/v1)', () => {
  it('defaults: replicas 1, OrderedReady, RollingUpdate partition 0, history 10, Retain/Retain; claim templates as PVCs; generation 1', async () => {
    const { rest, res } = await rig();
    const o = await rest.create(res('statefulsets', 'apps'), 'default', sts({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }] }), by('t')) as Any;
    expect(o.spec).toMatchObject({
      replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(o.spec.volumeClaimTemplates[0]).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(o.spec.template.spec.restartPolicy).toBe('Always');
    expect(o.metadata.generation).toBe(1);
    expect(o.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('validation: selector mismatch, empty selector, policies, partition, retention, restartPolicy', async () => {
    const { rest, res } = await rig();
    const r = res('statefulsets', 'apps');
    const bad = async (spec: Record<string, unknown>): Promise<string> => (await rest.create(r, 'default', sts(spec), by('t')).then(() => '', (e: Error) => e.message));
    expect(await bad({ template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'b' }] } } })).toBe('StatefulSet.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`');
    expect(await bad({ selector: {} })).toContain('spec.selector: Invalid value: {}: empty selector is invalid for statefulset');
    expect(await bad({ podManagementPolicy: 'Random' })).toBe('StatefulSet.apps "web" is invalid: spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'');
    expect(await bad({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } })).toContain("spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'");
    expect(await bad({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } })).toContain('spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0');
    expect(await bad({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } })).toContain('spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"');
    expect(await bad({ template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'b' }] } } })).toContain('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
  });

  it('update: replicas, template, updateStrategy, minReadySeconds may change; serviceName and claim templates may not', async () => {
    const { rest, res } = await rig();
    const r = res('statefulsets', 'apps');
    const o = await rest.create(r, 'default', sts(), by('t')) as Any;
    const ok = structuredClone(o);
    ok.spec.replicas = 3; ok.spec.minReadySeconds = 5; ok.spec.template.spec.containers[0].image = 'nginx:1.26'; ok.spec.updateStrategy = { type: 'OnDelete' };
    const u = (await rest.update(r, 'default', 'web', ok, by('t'))).object as Any;
    expect(u.metadata.generation).toBe(2);
    const bad = structuredClone(u);
    bad.spec.serviceName = 'other';
    await expect(rest.update(r, 'default', 'web', bad, by('t'))).rejects.toMatchObject({
      message: "StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    });
  });

  it('Table NAME READY AGE (+ CONTAINERS IMAGES); short name sts, category all, scale subresource', async () => {
    const { res } = await rig();
    const r = res('statefulsets', 'apps');
    expect(r.shortNames).toEqual(['sts']);
    expect(r.categories).toEqual(['all']);
    expect(r.subresources).toEqual(['status', 'scale']);
    expect(r.def.table.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Age', 'Containers', 'Images']);
    const shown = { ...sts({ replicas: 3 }), metadata: { name: 'web', creationTimestamp: new Date(T0 - 65_000).toISOString() }, status: { readyReplicas: 2 } } as KubeObject;
    expect(toTable(r.def.table, [shown], T0).rows[0]!.cells).toEqual(['web', '2/3', '65s', 'nginx', 'nginx:1.25']);
  });
});

describe('StatefulSet in its old versions', () => {
  it('apps/v1beta1: OnDelete, selector and labels from the template, stored as apps/v1, deprecated in 1.8', async () => {
    const { rest, res } = await rig();
    const body = sts({}, 'apps/v1beta1');
    delete body.spec.selector;
    const r = res('statefulsets', 'apps', 'v1beta1');
    const stored = await rest.create(r, 'default', body, by('t')) as Any;
    expect(stored.apiVersion).toBe('apps/v1');
    expect(stored.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(stored.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(r.deprecation).toBe('apps/v1beta1 StatefulSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSet');
  });

  it('apps/v1beta2: the v1 defaults; deprecated in 1.9', async () => {
    const { rest, res } = await rig();
    const r = res('statefulsets', 'apps', 'v1beta2');
    const stored = await rest.create(r, 'default', sts({}, 'apps/v1beta2'), by('t')) as Any;
    expect(stored.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(r.deprecation).toBe('apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet');
  });
});
