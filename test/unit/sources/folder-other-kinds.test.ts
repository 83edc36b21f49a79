// The manifest folder's documents of other kinds (issue 12): decodeManifest keeps them when asked (Pods,
// ConfigMaps and Secrets as before; an apiVersion and a fixed name required; list items too), refuses them as
// before when not; FileSource offers every file's set to onObjects on the first relist and on each change.
import { mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeManifest, formatManifestError } from '../../../agent/sources/manifest.js';
import { FileSource } from '../../../agent/sources/file-source.js';
import { FolderObjects, type FolderObject } from '../../../agent/sources/folder-objects.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n';
const DEPLOY = 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: loap}\nspec: {replicas: 1}\n';

describe('decodeManifest with otherKinds', () => {
  it('keeps other kinds as objects beside pods, with their origin; ConfigMaps stay config objects', () => {
    const d = decodeManifest('all.yaml', `${POD}---\n${DEPLOY}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: batch/v1, kind: Job, metadata: {name: j}}\n`, { otherKinds: true });
    expect({ pods: d.pods.map((p) => p.origin), configMaps: d.configMaps.map((c) => c.metadata?.name), errors: d.errors }).toEqual({ pods: ['all.yaml[0]'], configMaps: ['cm'], errors: [] });
    expect(d.objects).toEqual([
      { origin: 'all.yaml[1]', object: { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'loap' }, spec: { replicas: 1 } } },
      { origin: 'all.yaml[3].items[0]', object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } } },
    ]);
  });

  it('an object needs an apiVersion and a name (generateName cannot be owned); a near-miss of Pod is still a typo', () => {
    const d = decodeManifest('x.yaml', 'kind: Deployment\nmetadata: {generateName: web-}\n---\napiVersion: v1\nkind: pod\nmetadata: {name: p}\n', { otherKinds: true });
    expect(d.objects).toEqual([]);
    expect(d.errors.map(formatManifestError)).toEqual([
      'x.yaml[0]: apiVersion: Required value: a Deployment needs the apiVersion of its API group, e.g. apps/v1',
      'x.yaml[0]: metadata.name: Required value: name is required; generateName is not supported here: the object is found again by its name when the file changes',
      'x.yaml[1]: kind: Unsupported value: "pod": supported values: "Pod", "ConfigMap", "Secret"; did you mean "Pod"? (kinds are case-sensitive)',
    ]);
  });

  it('without otherKinds they are refused as before', () => {
    const d = decodeManifest('loap.yaml', DEPLOY);
    expect(d.objects).toEqual([]);
    expect(d.errors.map(formatManifestError)[0]).toMatch(/^loap\.yaml\[0\]: kind "Deployment" is not supported: only Pod, ConfigMap and Secret/);
  });
});

describe('FileSource onObjects', () => {
  const stops: AbortController[] = [];
  afterEach(() => { for (const s of stops.splice(0)) s.abort(); });

  it('offers every file\'s objects on the first relist and on each change (named by file); pods still go to the snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-objects-'));
    writeFileSync(join(dir, 'a.yaml'), `${POD}---\n${DEPLOY}`);
    const latch = new FolderObjects();
    const sets: (readonly FolderObject[])[] = [];
    latch.listen((o) => sets.push(o));
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const source = new FileSource({ path: dir, nodeName: 'n', checkFrequencyMs: 60_000, settleMs: 20, log: quiet, onObjects: (o) => latch.set(o) });
    const ac = new AbortController();
    stops.push(ac);
    const pods: string[][] = [];
    void source.run(ac.signal, (s) => pods.push(s.pods.map((p) => p.origin)));
    const waitFor = async (n: number) => { for (let i = 0; i < 200 && sets.length < n; i++) await new Promise((r) => setTimeout(r, 20)); };
    await waitFor(1);
    expect(sets[0]!.map((o) => [o.file, o.origin, o.object.kind])).toEqual([['a.yaml', 'a.yaml[1]', 'Deployment']]);
    expect(pods[0]).toEqual(['a.yaml[0]']);

    unlinkSync(join(dir, 'a.yaml'));
    await waitFor(2);
    expect(sets[1]).toEqual([]);
  });

  it('the latch hands a set offered before anyone listened to the listener at once', () => {
    const latch = new FolderObjects();
    const o: FolderObject = { object: { kind: 'Job' }, origin: 'j.yaml[0]', file: 'j.yaml' };
    latch.set([o]);
    const got: (readonly FolderObject[])[] = [];
    latch.listen((x) => got.push(x));
    expect(got).toEqual([[o]]);
  });
});
