// PodConfig: snapshots per source → UID-keyed PodUpdate deltas, cross-source name conflicts, ConfigMaps and
// Secrets per source, error lines, SeenAllSources. Pods come from real manifests through decodeManifest.
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Secret } from '../../../agent/api/v1.js';
import { decodeManifest } from '../../../agent/sources/manifest.js';
import { PodConfig, type ConfigObjectChange, type PodUpdate } from '../../../agent/sources/pod-config.js';
import { CONFIG_SEEN_ANNOTATION, stampStaticPod, type PodSource, type PodSourceSnapshot, type SourcePod } from '../../../agent/sources/source.js';

const manifest = (name: string, image = 'busybox:1.36', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${extra}spec:
  containers:
  - name: c
    image: ${image}
`;

function pods(source: string, file: string, yaml: string, seenMs = 1000): SourcePod[] {
  const d = decodeManifest(file, yaml);
  expect(d.errors).toEqual([]);
  return d.pods.map(({ pod, origin }) => ({ pod: stampStaticPod(pod, { source, uidSource: `${source}:/m/${file}`, nodeName: 'node-1', seenMs }), origin }));
}
const snap = (source: string, p: SourcePod[], more: Partial<PodSourceSnapshot> = {}): PodSourceSnapshot => ({ source, pods: p, configMaps: [], secrets: [], errors: [], ...more });
const uids = (u: PodUpdate) => u.pods.map((p) => p.pod.metadata!.uid);
const brief = (u: PodUpdate) => `${u.op} ${u.source} [${u.pods.map((p) => p.pod.metadata!.name).join(',')}]`;

function harness(sources = ['file', 'http']) {
  const updates: PodUpdate[] = [];
  const errors: [string, readonly string[]][] = [];
  const config = new PodConfig({ sources, onUpdate: (u) => updates.push(u), onErrors: (s, l) => errors.push([s, l]) });
  const take = () => updates.splice(0).map(brief);
  return { config, updates, errors, take };
}

describe('PodConfig merge', () => {
  it('sends ADD for new pods, nothing for an identical snapshot, REMOVE for gone ones', () => {
    const h = harness();
    const web = pods('file', 'web.yaml', manifest('web'));
    const db = pods('file', 'db.yaml', manifest('db'));
    h.config.apply(snap('file', [...web, ...db]));
    expect(h.take()).toEqual(['ADD file [web,db]']);
    h.config.apply(snap('file', [...pods('file', 'web.yaml', manifest('web'), 5000), ...db]));
    expect(h.take()).toEqual([]);
    h.config.apply(snap('file', web));
    expect(h.updates.map((u) => u.op)).toEqual(['REMOVE']);
    expect(uids(h.updates[0]!)).toEqual([db[0]!.pod.metadata!.uid]);
    expect(h.config.pods().map((p) => p.pod.metadata!.name)).toEqual(['web']);
  });

  it('turns an edited manifest (new UID) into REMOVE of the old pod, then ADD of the new one', () => {
    const h = harness();
    const v1 = pods('file', 'web.yaml', manifest('web', 'nginx:1.25'));
    const v2 = pods('file', 'web.yaml', manifest('web', 'nginx:1.26'));
    expect(v1[0]!.pod.metadata!.uid).not.toBe(v2[0]!.pod.metadata!.uid);
    h.config.apply(snap('file', v1));
    h.take();
    h.config.apply(snap('file', v2));
    expect(h.updates.map((u) => `${u.op} ${uids(u)}`)).toEqual([`REMOVE ${v1[0]!.pod.metadata!.uid}`, `ADD ${v2[0]!.pod.metadata!.uid}`]);
  });

  it('sends UPDATE for a spec change under the same UID, keeping the first-seen time', () => {
    const h = harness();
    const fixed = '  uid: 11111111-2222-3333-4444-555555555555\n';
    h.config.apply(snap('file', pods('file', 'web.yaml', manifest('web', 'nginx:1.25', fixed), 1000)));
    const first = h.updates[0]!.pods[0]!.pod.metadata!.annotations![CONFIG_SEEN_ANNOTATION];
    h.take();
    h.config.apply(snap('file', pods('file', 'web.yaml', manifest('web', 'nginx:1.26', fixed), 9000)));
    expect(h.take()).toEqual(['UPDATE file [web]']);
    const [p] = h.config.pods();
    expect(p!.pod.spec!.containers[0]!.image).toBe('nginx:1.26');
    expect(p!.pod.metadata!.annotations![CONFIG_SEEN_ANNOTATION]).toBe(first);
  });

  it('sends DELETE when a pod of the same UID gets a deletionTimestamp, RECONCILE when only status changes', () => {
    const h = harness();
    const [p] = pods('file', 'web.yaml', manifest('web'));
    h.config.apply(snap('file', [p!]));
    h.take();
    h.config.apply(snap('file', [{ ...p!, pod: { ...p!.pod, status: { phase: 'Running' } } }]));
    expect(h.take()).toEqual(['RECONCILE file [web]']);
    h.config.apply(snap('file', [{ ...p!, pod: { ...p!.pod, metadata: { ...p!.pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } } }]));
    expect(h.take()).toEqual(['DELETE file [web]']);
  });

  it('orders a mixed change REMOVE, ADD, UPDATE', () => {
    const h = harness();
    const fixed = '  uid: aaaaaaaa-2222-3333-4444-555555555555\n';
    h.config.apply(snap('file', [...pods('file', 'a.yaml', manifest('a')), ...pods('file', 'u.yaml', manifest('u', 'x:1', fixed))]));
    h.take();
    h.config.apply(snap('file', [...pods('file', 'b.yaml', manifest('b')), ...pods('file', 'u.yaml', manifest('u', 'x:2', fixed))]));
    expect(h.take()).toEqual(['REMOVE file [a]', 'ADD file [b]', 'UPDATE file [u]']);
  });

  it('sends an empty ADD for a first snapshot without pods, and knows when every source has been seen', async () => {
    const h = harness(['file', 'http']);
    expect(h.config.seenAllSources()).toBe(false);
    h.config.apply(snap('file', []));
    expect(h.take()).toEqual(['ADD file []']);
    expect(h.config.seenAllSources()).toBe(false);
    h.config.apply(snap('file', []));
    expect(h.take()).toEqual([]);
    h.config.apply(snap('http', pods('http', 'x', manifest('remote'))));
    expect(h.take()).toEqual(['ADD http [remote]']);
    expect(h.config.seenAllSources()).toBe(true);
    await expect(h.config.whenAllSourcesSeen()).resolves.toBeUndefined();
    expect(new PodConfig({ sources: [], onUpdate: () => {} }).seenAllSources()).toBe(true);
  });
});

describe('names across sources', () => {
  it('refuses a namespace/name held by another source, and admits it when the name frees up', () => {
    const h = harness();
    const local = pods('file', 'web.yaml', manifest('web'));
    const remote = pods('http', 'pods', manifest('web', 'nginx:1.25'));
    h.config.apply(snap('file', local));
    h.config.apply(snap('http', remote));
    expect(h.take()).toEqual(['ADD file [web]', 'ADD http []']);
    expect(h.errors).toEqual([['http', ['pods[0]: metadata.name: Duplicate value: "default/web": already used by a pod from the file source (web.yaml[0]); this pod is ignored']]]);
    expect(h.config.errors()).toHaveLength(1);
    h.config.apply(snap('file', []));
    expect(h.take()).toEqual(['REMOVE file [web]', 'ADD http [web]']);
    expect(h.config.errors()).toEqual([]);
  });

  it('refuses a second pod of the same name within one source', () => {
    const h = harness();
    h.config.apply(snap('http', [...pods('http', 'list', manifest('web')), ...pods('http', 'list2', manifest('web', 'other:1'))]));
    expect(h.take()).toEqual(['ADD http [web]']);
    expect(h.errors[0]![1][0]).toMatch(/^list2\[0\]: metadata\.name: Duplicate value: "default\/web": already used by list\[0\]/);
  });

  it('asks nameHeldBy about names held outside (the API pods), and rechecks on demand', () => {
    let apiHolds = true;
    const updates: PodUpdate[] = [];
    const config = new PodConfig({ sources: ['file'], onUpdate: (u) => updates.push(u), nameHeldBy: (ns, n) => (apiHolds && n === 'web' ? `the API pod ${ns}/${n}` : undefined) });
    config.apply(snap('file', pods('file', 'web.yaml', manifest('web'))));
    expect(updates.map(brief)).toEqual(['ADD file []']);
    expect(config.errors()[0]).toMatch(/already used by the API pod default\/web/);
    apiHolds = false;
    config.recheck();
    expect(updates.map(brief)).toEqual(['ADD file []', 'ADD file [web]']);
    expect(config.errors()).toEqual([]);
  });
});

describe('errors', () => {
  it('passes each new error line once, and keeps reported lines until the next snapshot or report', () => {
    const h = harness();
    h.config.apply(snap('file', [], { errors: ['bad.yaml[0]: spec.containers: Required value'] }));
    h.config.apply(snap('file', [], { errors: ['bad.yaml[0]: spec.containers: Required value'] }));
    expect(h.errors).toEqual([['file', ['bad.yaml[0]: spec.containers: Required value']]]);
    h.config.report('http', ['http://x/pods: 500 Internal Server Error']);
    h.config.report('http', ['http://x/pods: 500 Internal Server Error']);
    expect(h.errors).toHaveLength(2);
    expect(h.config.errors()).toEqual(['bad.yaml[0]: spec.containers: Required value', 'http://x/pods: 500 Internal Server Error']);
    h.config.report('http', []);
    h.config.apply(snap('file', []));
    expect(h.config.errors()).toEqual([]);
  });

  it('runs a source, feeding snapshots and reports in', async () => {
    const h = harness(['fake']);
    const source: PodSource = {
      name: 'fake',
      async run(_signal, emit, report) {
        emit(snap('fake', pods('fake', 'f', manifest('one'))));
        report?.(['fake: trouble']);
      },
    };
    await h.config.run(source, new AbortController().signal);
    expect(h.take()).toEqual(['ADD fake [one]']);
    expect(h.config.errors()).toEqual(['fake: trouble']);
    expect(h.config.seenAllSources()).toBe(true);
  });
});

describe('ConfigMaps and Secrets', () => {
  const cm = (name: string, data: Record<string, string>, namespace = 'default'): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
  const secret = (name: string): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: { k: 'dg==' } });

  it('keeps them per source, serves lookups and notifies changes only', () => {
    const h = harness();
    const changes: ConfigObjectChange[][] = [];
    h.config.onConfigObjectsChanged((c) => changes.push([...c]));
    const d = decodeManifest('all.yaml', `${manifest('web')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: fast }\n`);
    expect(d.configMaps).toHaveLength(1);
    h.config.apply(snap('file', [], { configMaps: d.configMaps, secrets: [secret('token')] }));
    expect(h.config.getConfigMap('default', 'settings')?.data).toEqual({ mode: 'fast' });
    expect(h.config.getSecret('default', 'token')?.data).toEqual({ k: 'dg==' });
    expect(h.config.getConfigMap('other', 'settings')).toBeUndefined();
    expect(changes).toEqual([[{ kind: 'ConfigMap', namespace: 'default', name: 'settings' }, { kind: 'Secret', namespace: 'default', name: 'token' }]]);
    h.config.apply(snap('file', [], { configMaps: [cm('settings', { mode: 'fast' })], secrets: [secret('token')] }));
    expect(changes).toHaveLength(1);
    h.config.apply(snap('file', [], { configMaps: [cm('settings', { mode: 'slow' })] }));
    expect(changes[1]).toEqual([{ kind: 'ConfigMap', namespace: 'default', name: 'settings' }, { kind: 'Secret', namespace: 'default', name: 'token' }]);
    expect(h.config.getConfigMap('default', 'settings')?.data).toEqual({ mode: 'slow' });
    expect(h.config.getSecret('default', 'token')).toBeUndefined();
  });

  it('lets another source\'s copy show through when the first one goes away', () => {
    const h = harness();
    const changes: ConfigObjectChange[][] = [];
    h.config.apply(snap('file', [], { configMaps: [cm('s', { from: 'file' })] }));
    h.config.apply(snap('http', [], { configMaps: [cm('s', { from: 'http' })] }));
    h.config.onConfigObjectsChanged((c) => changes.push([...c]));
    expect(h.config.getConfigMap('default', 's')?.data).toEqual({ from: 'file' });
    h.config.apply(snap('file', []));
    expect(h.config.getConfigMap('default', 's')?.data).toEqual({ from: 'http' });
    expect(changes).toEqual([[{ kind: 'ConfigMap', namespace: 'default', name: 's' }]]);
  });
});
