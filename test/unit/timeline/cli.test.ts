// `mini-kubelet timeline` and `mini-kubelet kubeconfig`: flags, output forms, errors, and the kubeconfig
// merge on a temp file.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { runTimeline } from '../../../agent/cli/commands/timeline.js';
import { kubeconfigPath, mergeKubeconfig, runKubeconfig } from '../../../agent/cli/commands/kubeconfig.js';
import { loap } from './fixtures.js';
import { capture } from './capture.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('runTimeline', () => {
  let server: Server;
  let base = '';
  let gone = false; // after the first answer for "leaving", answer 404
  beforeAll(async () => {
    server = createServer((req, res) => {
      const f = loap();
      const notFound = (name: string) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `pods "${name}" not found` }));
      };
      if (req.url === '/lifecycle/default/loap') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(f)); return; }
      if (req.url === '/lifecycle/default/leaving') {
        if (gone) return notFound('leaving');
        gone = true;
        res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(f)); return;
      }
      if (req.url === '/lifecycle/default/finished') { // the agent's last view of a removed pod
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...f, entries: [...f.entries, { time: f.entries.at(-1)!.time + 1000, podUID: 'uid-1', kind: 'delete' }], deleted: true }));
        return;
      }
      notFound(decodeURIComponent(req.url!.split('/').pop()!));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('draws the chart without colour when stdout is not a terminal', async () => {
    const io = capture();
    expect(await runTimeline(['loap', '--server', base, '--width', '90'])).toBe(0);
    expect(io.out()).toContain('pod default/loap');
    expect(io.out()).toContain('init:init');
    expect(io.out()).not.toContain('\x1b[');
    for (const line of io.out().split('\n')) expect([...line].length).toBeLessThanOrEqual(90);
  });

  it('writes the model as JSON and a Chrome trace', async () => {
    let io = capture();
    expect(await runTimeline(['loap', '--server', base, '-o', 'json'])).toBe(0);
    expect(JSON.parse(io.out()).lanes.map((l: { id: string }) => l.id)).toEqual(['pod', 'init', 'main']);
    vi.restoreAllMocks();
    io = capture();
    expect(await runTimeline(['loap', '-n', 'default', '--server', `${base}/`, '--output', 'trace'])).toBe(0);
    expect(JSON.parse(io.out()).traceEvents.length).toBeGreaterThan(10);
  });

  it('answers like kubectl for a pod that is not there', async () => {
    const io = capture();
    expect(await runTimeline(['nope', '--server', base])).toBe(1);
    expect(io.err()).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  it('names --server and `mini-kubelet agent` when the agent is not reachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const io = capture();
    expect(await runTimeline(['loap', '--server', `http://127.0.0.1:${port}`])).toBe(1);
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--server');
    expect(lines[0]).toContain('mini-kubelet agent');
  });

  it('follows until the pod is removed', async () => {
    const io = capture();
    expect(await runTimeline(['leaving', '--server', base, '--follow'])).toBe(0);
    expect(io.out()).toContain('pod default/loap');
    expect(io.out()).toContain('pod removed');
  });

  it('follows a pod the agent already removed: one drawing, then done', async () => {
    const io = capture();
    expect(await runTimeline(['finished', '--server', base, '-f'])).toBe(0);
    expect(io.out().match(/^pod default\/loap/gm)).toHaveLength(1);
    expect(io.out()).toContain('removed from the node');
    expect(io.out()).toContain('pod removed');
  });

  it('has --help and refuses bad flags', async () => {
    let io = capture();
    expect(await runTimeline(['--help'])).toBe(0);
    expect(io.out()).toMatch(/^Usage: mini-kubelet timeline POD/);
    vi.restoreAllMocks();
    io = capture();
    expect(await runTimeline([])).toBe(2);
    expect(await runTimeline(['x', '-o', 'yaml'])).toBe(2);
    expect(await runTimeline(['x', '--width', 'wide'])).toBe(2);
    expect(await runTimeline(['x', '--follow', '-o', 'trace'])).toBe(2);
    expect(await runTimeline(['x', '--bogus'])).toBe(2);
    expect(await runTimeline(['x', '--server', '127.0.0.1:10255'])).toBe(2);
    expect(io.err()).toContain('a POD name is required');
  });
});

describe('kubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-kubeconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const EXISTING = `# my clusters
apiVersion: v1
kind: Config
clusters:
- name: kind-kind
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: Zm9v
contexts:
- name: kind-kind
  context:
    cluster: kind-kind
    user: kind-kind
current-context: kind-kind
preferences: {}
users:
- name: kind-kind
  user:
    client-key-data: YmFy # keep me
`;

  it('merges a context without touching the others', () => {
    const text = mergeKubeconfig(EXISTING, { server: 'http://127.0.0.1:10255', context: 'mini-kubelet' });
    const cfg = parse(text);
    expect(text).toContain('# my clusters');
    expect(text).toContain('# keep me');
    expect(cfg['current-context']).toBe('kind-kind');
    expect(cfg.clusters).toEqual([
      { name: 'kind-kind', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Zm9v' } },
      { name: 'mini-kubelet', cluster: { server: 'http://127.0.0.1:10255' } },
    ]);
    expect(cfg.contexts[1]).toEqual({ name: 'mini-kubelet', context: { cluster: 'mini-kubelet', user: 'mini-kubelet' } });
    expect(cfg.users.map((u: { name: string }) => u.name)).toEqual(['kind-kind', 'mini-kubelet']);
    // Again, with --use, a token and another server: replaced in place, never duplicated.
    const again = parse(mergeKubeconfig(text, { server: 'http://10.0.0.2:10255', context: 'mini-kubelet', token: 's3cret', use: true, namespace: 'demo' }));
    expect(again.clusters).toHaveLength(2);
    expect(again.clusters[1].cluster.server).toBe('http://10.0.0.2:10255');
    expect(again.users[1]).toEqual({ name: 'mini-kubelet', user: { token: 's3cret' } });
    expect(again.contexts[1].context.namespace).toBe('demo');
    expect(again['current-context']).toBe('mini-kubelet');
  });

  it('starts a new file, and accepts the null lists kubectl leaves behind', () => {
    const fresh = parse(mergeKubeconfig(undefined, { server: 'http://127.0.0.1:10255', context: 'mk' }));
    expect(fresh).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'mk', clusters: [{ name: 'mk' }], users: [{ name: 'mk', user: {} }] });
    const fromNulls = parse(mergeKubeconfig('apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\nusers: null\ncurrent-context: ""\n', { server: 'http://h:1', context: 'mk' }));
    expect(fromNulls.contexts).toHaveLength(1);
    expect(fromNulls['current-context']).toBe('mk');
    expect(() => mergeKubeconfig('- a\n- b\n', { server: 'http://h:1', context: 'mk' })).toThrow(/not a YAML mapping/);
    expect(() => mergeKubeconfig('clusters: 3\n', { server: 'http://h:1', context: 'mk' })).toThrow(/not a list/);
  });

  it('writes the file given with --kubeconfig, keeping its mode; --print writes nothing', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, EXISTING, { mode: 0o640 });
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'abc123\n');
    let io = capture();
    expect(await runKubeconfig(['--kubeconfig', path, '--use', '--token-file', tokenFile])).toBe(0);
    expect(io.out()).toContain('Switched to context "mini-kubelet"');
    const cfg = parse(readFileSync(path, 'utf8'));
    expect(cfg['current-context']).toBe('mini-kubelet');
    expect(cfg.users[1].user.token).toBe('abc123');
    expect(cfg.contexts).toHaveLength(2);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    vi.restoreAllMocks();
    io = capture();
    const before = readFileSync(path, 'utf8');
    expect(await runKubeconfig(['--kubeconfig', path, '--print', '--context', 'other'])).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(parse(io.out())).toMatchObject({ 'current-context': 'other', contexts: [{ name: 'other' }] });
    expect(parse(io.out()).contexts).toHaveLength(1);
  });

  it('creates a new file with mode 0600 and refuses bad flags', async () => {
    const path = join(dir, 'sub', 'new-config');
    let io = capture();
    expect(await runKubeconfig(['--kubeconfig', path, '--server', 'http://127.0.0.1:10255/'])).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(path, 'utf8')).clusters[0].cluster.server).toBe('http://127.0.0.1:10255');
    vi.restoreAllMocks();
    io = capture();
    expect(await runKubeconfig(['--server', 'ftp://x'])).toBe(2);
    expect(await runKubeconfig(['--token-file', join(dir, 'missing')])).toBe(2);
    expect(await runKubeconfig(['--help'])).toBe(0);
    expect(io.out()).toMatch(/^Usage: mini-kubelet kubeconfig/);
  });

  it('picks the file as kubectl does', () => {
    const a = join(dir, 'a'), b = join(dir, 'b');
    writeFileSync(b, '');
    expect(kubeconfigPath(undefined, { KUBECONFIG: `${a}:${b}` }, '/home/u')).toBe(b);
    expect(kubeconfigPath(undefined, { KUBECONFIG: `${a}:${join(dir, 'c')}` }, '/home/u')).toBe(join(dir, 'c'));
    expect(kubeconfigPath(undefined, { KUBECONFIG: a }, '/home/u')).toBe(a);
    expect(kubeconfigPath(undefined, {}, '/home/u')).toBe('/home/u/.kube/config');
    expect(kubeconfigPath('x/y', {}, '/home/u')).toMatch(/\/x\/y$/);
  });
});
