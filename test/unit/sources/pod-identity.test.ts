// Pod identity: the static-pod UID (content + node + source), the pod full name and format.Pod.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { formatPod, podFullName, stableStringify, staticPodUID } from '../../../agent/sources/pod-identity.js';

const pod = (): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', command: ['nginx', '-g', 'daemon off;'] }] },
});
const SRC = 'file:/etc/kubernetes/manifests/web.yaml';

describe('staticPodUID', () => {
  it('is 32 hex characters of MD5(sorted-key JSON, host:<node>, source)', () => {
    const p = pod();
    const want = createHash('md5').update(stableStringify(p)).update('host:node-1').update(SRC).digest('hex');
    expect(staticPodUID(p, SRC, 'node-1')).toBe(want);
    expect(want).toMatch(/^[0-9a-f]{32}$/);
  });
  it('does not depend on key order', () => {
    const a = pod();
    const b: Pod = { spec: a.spec, metadata: { labels: { app: 'web' }, namespace: 'default', name: 'web' }, kind: 'Pod', apiVersion: 'v1' };
    expect(staticPodUID(b, SRC, 'n')).toBe(staticPodUID(a, SRC, 'n'));
  });
  it.each<[string, (p: Pod) => void]>([
    ['the image', (p) => { p.spec!.containers[0]!.image = 'nginx:1.26'; }],
    ['a label', (p) => { p.metadata!.labels!.tier = 'front'; }],
    ['an argument', (p) => { p.spec!.containers[0]!.command!.push('-q'); }],
    ['the container order', (p) => { p.spec!.containers.unshift({ name: 'side', image: 'busybox' }); }],
    ['the restart policy', (p) => { p.spec!.restartPolicy = 'Never'; }],
    ['a user annotation', (p) => { p.metadata!.annotations = { note: 'x' }; }],
  ])('changes when %s changes', (_name, edit) => {
    const p = pod();
    edit(p);
    expect(staticPodUID(p, SRC, 'n')).not.toBe(staticPodUID(pod(), SRC, 'n'));
  });
  it.each([
    ['the node', SRC, 'node-2'],
    ['the source file', 'file:/etc/kubernetes/manifests/other.yaml', 'node-1'],
    ['the source kind', 'url:http://example.com/web.yaml', 'node-1'],
  ])('changes with %s', (_name, source, node) => {
    expect(staticPodUID(pod(), source, node)).not.toBe(staticPodUID(pod(), SRC, 'node-1'));
  });
  it('ignores what a source stamps on the pod: uid, kubernetes.io/config.* annotations, status', () => {
    const p = pod();
    const stamped: Pod = {
      ...p,
      metadata: { ...p.metadata, uid: 'abc', annotations: { 'kubernetes.io/config.hash': 'abc', 'kubernetes.io/config.source': 'file' } },
      status: { phase: 'Pending' },
    };
    expect(staticPodUID(stamped, SRC, 'n')).toBe(staticPodUID(pod(), SRC, 'n'));
  });
});

describe('podFullName and formatPod', () => {
  it.each<[string, Pod, string, string]>([
    ['a pod with a namespace', { metadata: { name: 'web', namespace: 'lab', uid: 'u1' } }, 'web_lab', 'web_lab(u1)'],
    ['no namespace', { metadata: { name: 'web', uid: 'u2' } }, 'web_default', 'web_default(u2)'],
    ['no uid yet', { metadata: { name: 'web', namespace: 'default' } }, 'web_default', 'web_default()'],
  ])('%s', (_name, p, full, formatted) => {
    expect(podFullName(p)).toBe(full);
    expect(formatPod(p)).toBe(formatted);
  });
});

describe('stableStringify', () => {
  it.each([
    ['sorts keys at every level', { b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }, '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}'],
    ['drops undefined members like JSON', { a: undefined, b: null, c: [undefined] }, '{"b":null,"c":[null]}'],
  ])('%s', (_name, v, want) => expect(stableStringify(v)).toBe(want));
});
