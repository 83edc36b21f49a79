// test/e2e/api-pure.test.ts — the pure parts of the API subset that kubectl relies on without showing
// them: strategic merge directives, selectors, and the pod feed's resource versions and replay.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { PodManager } from '../../agent/pod-manager.js';
import { StatusManager } from '../../agent/status-manager.js';
import { filterEvent, PodFeed } from '../../agent/api-server/pod-feed.js';
import { jsonMergePatch, jsonPatch, strategicMerge } from '../../agent/api-server/patch.js';
import { parseFieldSelector, parseLabelSelector } from '../../agent/api-server/selectors.js';

describe('strategic merge patch', () => {
  const live = {
    metadata: { labels: { app: 'a', tier: 'web' } },
    spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }, { name: 'side', image: 'nginx' }] },
  };
  it.each([
    ['merges containers by name, keeping unpatched fields',
      { spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
      [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }, { name: 'side', image: 'nginx' }]],
    ['$patch: delete removes a list item',
      { spec: { $setElementOrder$containers: [{ name: 'main' }], containers: [{ $patch: 'delete', name: 'side' }] } },
      [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }]],
  ])('%s', (_name, patch, containers) => {
    const p = JSON.parse(JSON.stringify(patch).replace('$setElementOrder$containers', '$setElementOrder/containers'));
    const out = strategicMerge(live, p) as typeof live;
    expect(out.spec.containers).toEqual(containers);
  });
  it('$setElementOrder orders merged lists; null deletes a key; $patch: replace replaces', () => {
    const out = strategicMerge(live, {
      metadata: { labels: { tier: null } },
      spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }], containers: [{ name: 'side', image: 'nginx:1' }] },
    }) as typeof live;
    expect(out.metadata.labels).toEqual({ app: 'a' });
    expect(out.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['side=nginx:1', 'main=busybox']);
    expect(strategicMerge(live, { metadata: { labels: { $patch: 'replace', x: '1' } } })).toMatchObject({ metadata: { labels: { x: '1' } } });
    expect(live.metadata.labels).toEqual({ app: 'a', tier: 'web' });
  });
  it('JSON merge patch and JSON patch', () => {
    expect(jsonMergePatch(live, { metadata: { labels: { app: null, x: 'y' } } })).toMatchObject({ metadata: { labels: { tier: 'web', x: 'y' } } });
    const out = jsonPatch(live, [
      { op: 'replace', path: '/spec/containers/0/image', value: 'busybox:2' },
      { op: 'add', path: '/metadata/labels/new', value: 'v' },
      { op: 'remove', path: '/spec/containers/1' },
    ]) as typeof live;
    expect(out.spec.containers).toEqual([{ name: 'main', image: 'busybox:2', command: ['sleep', '3600'] }]);
    expect(out.metadata.labels).toMatchObject({ new: 'v' });
    expect(() => jsonPatch(live, [{ op: 'test', path: '/metadata/labels/app', value: 'b' }])).toThrow(/failed/);
  });
});

describe('selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true], ['app==web', { app: 'x' }, false], ['app!=web', {}, true],
    ['app', { app: '' }, true], ['!app', { app: '1' }, false], ['env in (a, b),tier', { env: 'b', tier: 'x' }, true],
    ['env notin (a,b)', { env: 'a' }, false], ['', {}, true],
  ])('label selector %j on %j → %s', (sel, labels, want) => {
    expect(parseLabelSelector(sel)(labels)).toBe(want);
  });
  it('field selectors parse terms in any order and refuse unknown fields', () => {
    const m = parseFieldSelector<{ a?: string; b?: string }>('b!=x,a=1', { a: (o) => o.a, b: (o) => o.b }, 'T');
    expect(m({ a: '1', b: 'y' })).toBe(true);
    expect(m({ a: '1', b: 'x' })).toBe(false);
    expect(() => parseFieldSelector('c=1', { a: () => '' }, 'T')).toThrow(/field label not supported: c/);
    expect(() => parseLabelSelector('a=(')).toThrow(/unable to parse/);
  });
});

describe('pod feed', () => {
  const pod = (name: string, uid: string, labels: Record<string, string> = {}): Pod => ({ metadata: { name, namespace: 'default', uid, labels }, spec: { containers: [] } });
  it('versions changes, replays from a resourceVersion, expires old ones, and filters by selector', () => {
    const pods = new PodManager();
    const statuses = new StatusManager();
    const feed = new PodFeed({ pods, statuses, nodeName: 'n', now: () => 0, logSize: 3 });
    pods.set({ pod: pod('a', 'u1', { app: 'x' }), source: 'file', origin: 'f' });
    const rv0 = feed.resourceVersion;
    const [a] = feed.list();
    expect(a!.metadata?.resourceVersion).toBe(String(rv0));
    expect(a!.spec?.nodeName).toBe('n');
    statuses.set('u1', { phase: 'Running' });
    pods.get('u1')!.pod = pod('a', 'u1', { app: 'y' });
    const events = feed.since(rv0);
    expect(events).not.toBe('expired');
    const [e] = events as Exclude<typeof events, 'expired'>;
    expect(e!.type).toBe('MODIFIED');
    expect(filterEvent(e!, (p) => p.metadata?.labels?.app === 'x')?.type).toBe('DELETED');
    expect(filterEvent(e!, (p) => p.metadata?.labels?.app === 'y')?.type).toBe('ADDED');
    pods.delete('u1');
    for (let i = 0; i < 4; i++) pods.set({ pod: pod(`p${i}`, `v${i}`), source: 'api', origin: 'api' });
    expect(feed.list().map((p) => p.metadata?.name)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(feed.since(rv0)).toBe('expired');
  });
});
