// The manifest folder's applier against the REAL embedded API server over HTTP (client/discovery.ts finds the
// resource of each kind, server-side apply, the Warning header, 422 causes): an apps/v1beta1 Deployment is
// applied as written and stored as apps/v1 with the deprecation warning named by its document; an invalid one and
// an unknown kind are reported by document and field; a removed document's object is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceDiscovery } from '../../../client/discovery.js';
import type { KubeObject, ResourceRef } from '../../../client/types.js';
import { ManifestApplier } from '../../../agent/api-client/manifest-applier.js';
import type { FolderObject } from '../../../agent/sources/folder-objects.js';
import { startRig, type Rig } from '../node/node-rig.js';

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
let rig: Rig;
beforeAll(async () => { rig = await startRig({ memory: true }); });
afterAll(async () => { await rig?.close(); });

const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
const doc = (origin: string, object: Record<string, unknown>): FolderObject => ({ object, origin, file: origin.replace(/\[.*$/, '') });

describe('discovery', () => {
  it('finds the resource of a kind in an old version, and says no match for a kind not served', async () => {
    const d = new ResourceDiscovery(rig.client);
    expect(await d.resolve('apps/v1beta1', 'Deployment')).toEqual({ group: 'apps', version: 'v1beta1', resource: 'deployments', namespaced: true });
    expect(await d.resolve('v1', 'Namespace')).toEqual({ group: '', version: 'v1', resource: 'namespaces', namespaced: false });
    await expect(d.resolve('v1', 'Frobnicator')).rejects.toThrow('no matches for kind "Frobnicator" in version "v1"');
    await expect(d.resolve('nowhere.example/v1', 'Thing')).rejects.toThrow('no matches for kind "Thing" in version "nowhere.example/v1"');
    const listable = await d.listable();
    expect(listable).toContainEqual({ ref: DEPLOYMENTS, kind: 'Deployment' });
    expect(listable).toContainEqual({ ref: { group: '', version: 'v1', resource: 'pods', namespaced: true }, kind: 'Pod' });
  });
});

describe('ManifestApplier on the embedded API server', () => {
  it('applies an apps/v1beta1 Deployment as written (warning named by the document), reports errors by field, deletes on removal', async () => {
    const errors: (readonly string[])[] = [];
    const warnings: string[] = [];
    const applier = new ManifestApplier({
      client: rig.client, nodeName: 'node-a', log: rig.log, backoff: { initialMs: 10_000, maxMs: 10_000 },
      onErrors: (l) => errors.push(l), onWarning: (origin, text) => warnings.push(`${origin}: ${text}`),
    });
    try {
      const loap = doc('loap.yaml[0]', { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'loap' }, spec: { replicas: 1, template: template({ app: 'loap' }) } });
      const bad = doc('bad.yaml[0]', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'x' } }, template: template({ app: 'y' }) } });
      const unknown = doc('bad.yaml[1]', { apiVersion: 'v1', kind: 'Frobnicator', metadata: { name: 'f' } });
      applier.set([loap, bad, unknown]);
      await applier.idle();

      const live = await rig.client.get<KubeObject>(DEPLOYMENTS, 'default', 'loap');
      expect({ apiVersion: live.apiVersion, selector: (live.spec as { selector?: unknown }).selector, file: live.metadata?.annotations?.['mini-kubelet.dev/manifest'] })
        .toEqual({ apiVersion: 'apps/v1', selector: { matchLabels: { app: 'loap' } }, file: 'loap.yaml' });
      expect(live.metadata?.managedFields).toContainEqual(expect.objectContaining({ manager: 'mini-kubelet-manifests', operation: 'Apply' }));
      expect(warnings).toEqual(['loap.yaml[0]: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment']);
      expect(errors.at(-1)).toEqual([
        'bad.yaml[1]: kind: no matches for kind "Frobnicator" in version "v1" (the API server does not serve it)',
        expect.stringMatching(/^bad\.yaml\[0\]: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`$/),
      ]);

      applier.set([]);
      await applier.idle();
      await expect(rig.client.get(DEPLOYMENTS, 'default', 'loap')).rejects.toThrow(/not found/);
      expect(errors.at(-1)).toEqual([]);
    } finally {
      applier.stop();
    }
  });
});
