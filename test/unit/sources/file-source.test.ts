// FileSource on real temp folders: events within a second, relist as the safety net, half-written files,
// dot-files, multi-document files, duplicate names across files, symlinks (followed, looping), missing path.
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSource, type FileSourceOptions } from '../../../agent/sources/file-source.js';
import { decodeManifest } from '../../../agent/sources/manifest.js';
import { staticPodUID } from '../../../agent/sources/pod-identity.js';
import type { PodSourceSnapshot } from '../../../agent/sources/source.js';

const pod = (name: string, image = 'busybox:1.36') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: ${image}
    command: ["sleep", "3600"]
`;

interface Run {
  readonly dir: string;
  readonly snaps: PodSourceSnapshot[];
  readonly logs: string[];
  /** Resolves with the first snapshot (from now on) that matches. */
  next(pred: (s: PodSourceSnapshot) => boolean, timeoutMs?: number): Promise<PodSourceSnapshot>;
  stop(): void;
}

const runs: Run[] = [];
afterEach(() => { for (const r of runs.splice(0)) r.stop(); });

function start(opts: Partial<FileSourceOptions> & { dir?: string } = {}): Run {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'mk-files-'));
  const snaps: PodSourceSnapshot[] = [];
  const logs: string[] = [];
  const waiters: { pred: (s: PodSourceSnapshot) => boolean; resolve: (s: PodSourceSnapshot) => void }[] = [];
  const log = { debug: (_o: object, m: string) => logs.push(m), info: (_o: object, m: string) => logs.push(m), warn: (_o: object, m: string) => logs.push(m) };
  const ac = new AbortController();
  const source = new FileSource({ path: dir, nodeName: 'node-1', checkFrequencyMs: 60_000, log, ...opts });
  void source.run(ac.signal, (s) => {
    snaps.push(s);
    for (const w of [...waiters]) if (w.pred(s)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(s); }
  });
  const run: Run = {
    dir, snaps, logs,
    next: (pred, timeoutMs = 3000) => new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(summary(snaps.at(-1)))}`)), timeoutMs);
      waiters.push({ pred, resolve: (s) => { clearTimeout(t); resolve(s); } });
    }),
    stop: () => ac.abort(),
  };
  runs.push(run);
  return run;
}

const names = (s: PodSourceSnapshot) => s.pods.map((p) => p.pod.metadata!.name);
const summary = (s?: PodSourceSnapshot) => s && { pods: s.pods.map((p) => `${p.origin}:${p.pod.metadata?.name}`), errors: s.errors };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('FileSource', () => {
  it('emits the first relist even when empty, then a new file within a second (fs events)', async () => {
    const r = start();
    await r.next((s) => s.pods.length === 0);
    const t0 = Date.now();
    writeFileSync(join(r.dir, 'web.yaml'), pod('web'));
    const s = await r.next((x) => x.pods.length === 1, 2000);
    expect(Date.now() - t0).toBeLessThan(1000);
    const p = s.pods[0]!;
    expect(p.origin).toBe('web.yaml[0]');
    expect(s.source).toBe('file');
    const decoded = decodeManifest('web.yaml', pod('web')).pods[0]!.pod;
    expect(p.pod.metadata!.uid).toBe(staticPodUID(decoded, `file:${join(r.dir, 'web.yaml')}`, 'node-1'));
    expect(p.pod.metadata!.annotations).toMatchObject({
      'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': p.pod.metadata!.uid,
      'kubernetes.io/config.seen': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(p.pod.metadata!.name).toBe('web');
    expect(p.pod.metadata!.namespace).toBe('default');
    expect(p.pod.spec!.nodeName).toBe('node-1');
    expect(p.pod.status).toEqual({ phase: 'Pending' });
  });

  it('follows an edit (new UID), a rename (new UID, new origin) and a removal', async () => {
    const r = start();
    await r.next(() => true);
    writeFileSync(join(r.dir, 'web.yaml'), pod('web', 'nginx:1.25'));
    const a = await r.next((s) => s.pods.length === 1);
    writeFileSync(join(r.dir, 'web.yaml'), pod('web', 'nginx:1.26'));
    const b = await r.next((s) => s.pods[0]?.pod.spec?.containers[0]?.image === 'nginx:1.26');
    expect(b.pods[0]!.pod.metadata!.uid).not.toBe(a.pods[0]!.pod.metadata!.uid);
    renameSync(join(r.dir, 'web.yaml'), join(r.dir, 'site.yaml'));
    const c = await r.next((s) => s.pods[0]?.origin === 'site.yaml[0]');
    expect(c.pods).toHaveLength(1);
    expect(c.pods[0]!.pod.metadata!.uid).not.toBe(b.pods[0]!.pod.metadata!.uid);
    renameSync(join(r.dir, 'site.yaml'), join(r.dir, '.site.yaml'));
    await r.next((s) => s.pods.length === 0);
    writeFileSync(join(r.dir, 'x.yaml'), pod('x'));
    await r.next((s) => s.pods.length === 1);
    unlinkSync(join(r.dir, 'x.yaml'));
    await r.next((s) => s.pods.length === 0);
  });

  it('reads only .yaml, .yml and .json regular files not starting with a dot, in name order, without recursing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    writeFileSync(join(dir, 'b.yml'), pod('b'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(decodeManifest('x.yaml', pod('a')).pods[0]!.pod));
    writeFileSync(join(dir, 'c.yaml'), pod('c'));
    writeFileSync(join(dir, '.hidden.yaml'), pod('hidden'));
    writeFileSync(join(dir, '.web.yaml.swp'), 'binary junk');
    writeFileSync(join(dir, 'c.yaml~'), pod('backup'));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'deep.yaml'), pod('deep'));
    const r = start({ dir });
    const s = await r.next(() => true);
    expect(names(s)).toEqual(['a', 'b', 'c']);
    expect(s.errors).toEqual([]);
    expect(r.logs).toContain('Not recursing into manifest path');
  });

  it('never acts on a half-written file: two chunks with a pause give only the whole pod', async () => {
    const r = start();
    await r.next(() => true);
    const whole = pod('half', 'busybox:1.36');
    const cut = whole.indexOf('busybox') + 4; // the first chunk ends in `image: busy`: a valid pod on its own
    writeFileSync(join(r.dir, 'half.yaml'), whole.slice(0, cut));
    await sleep(200);
    appendFileSync(join(r.dir, 'half.yaml'), whole.slice(cut));
    const s = await r.next((x) => x.pods.length === 1);
    expect(s.pods[0]!.pod.spec!.containers[0]!.image).toBe('busybox:1.36');
    await sleep(500);
    for (const x of r.snaps) {
      expect(x.pods.map((p) => p.pod.spec!.containers[0]!.image)).not.toContain('busy');
      expect(x.errors).toEqual([]);
    }
  });

  it('a file moved in whole (temp file + rename) is accepted without the settle wait', async () => {
    const r = start({ settleMs: 5000 });
    await r.next(() => true);
    const t0 = Date.now();
    writeFileSync(join(r.dir, '.web.yaml.tmp'), pod('web'));
    renameSync(join(r.dir, '.web.yaml.tmp'), join(r.dir, 'web.yaml'));
    const s = await r.next((x) => x.pods.length === 1, 4000);
    expect(Date.now() - t0).toBeLessThan(2000); // not the 5 s settle wait
    expect(names(s)).toEqual(['web']);
    // Replacing it the same way is as quick, and the new version wins.
    writeFileSync(join(r.dir, '.web.yaml.tmp'), pod('web', 'busybox:1.37'));
    renameSync(join(r.dir, '.web.yaml.tmp'), join(r.dir, 'web.yaml'));
    const t1 = Date.now();
    const s2 = await r.next((x) => x.pods[0]?.pod.spec?.containers[0]?.image === 'busybox:1.37', 4000);
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(s2.pods).toHaveLength(1);
  });

  it('a file created in place and written slowly still waits to settle: the first chunk is never acted on', async () => {
    const r = start({ settleMs: 400 });
    await r.next(() => true);
    const whole = pod('slow', 'busybox:1.36');
    const cut = whole.indexOf('busybox') + 4;
    const f = join(r.dir, 'slow.yaml');
    writeFileSync(f, '');            // created empty (a 'rename' event), then written in chunks ('change')
    await sleep(30);
    appendFileSync(f, whole.slice(0, cut));
    await sleep(250);
    appendFileSync(f, whole.slice(cut));
    const s = await r.next((x) => x.pods.length === 1);
    expect(s.pods[0]!.pod.spec!.containers[0]!.image).toBe('busybox:1.36');
    for (const x of r.snaps) expect(x.pods.map((p) => p.pod.spec!.containers[0]!.image)).not.toContain('busy');
  });

  it('keeps the previous version of a file in force while a rewrite is under way', async () => {
    const r = start();
    await r.next(() => true);
    writeFileSync(join(r.dir, 'web.yaml'), pod('web', 'nginx:1.25'));
    await r.next((s) => s.pods.length === 1);
    const whole = pod('web', 'nginx:1.26');
    writeFileSync(join(r.dir, 'web.yaml'), whole.slice(0, whole.indexOf('nginx') + 3));
    await sleep(150);
    appendFileSync(join(r.dir, 'web.yaml'), whole.slice(whole.indexOf('nginx') + 3));
    await r.next((s) => s.pods[0]?.pod.spec?.containers[0]?.image === 'nginx:1.26');
    expect(r.snaps.flatMap((s) => s.pods.map((p) => p.pod.spec!.containers[0]!.image))).not.toContain('ngi');
    expect(r.snaps.every((s) => s.pods.length === 1 || s === r.snaps[0])).toBe(true);
  });

  it('reads every document of a multi-document file, with ConfigMaps and Secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    writeFileSync(join(dir, 'app.yaml'), `${pod('one')}---\n${pod('two')}---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
---
apiVersion: v1
kind: Secret
metadata: { name: token }
stringData: { t: x }
`);
    const r = start({ dir });
    const s = await r.next(() => true);
    expect(s.pods.map((p) => p.origin)).toEqual(['app.yaml[0]', 'app.yaml[1]']);
    expect(s.configMaps.map((c) => c.metadata!.name)).toEqual(['settings']);
    expect(s.secrets.map((c) => c.metadata!.name)).toEqual(['token']);
  });

  it('rejects the later of two files that define the same pod name, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    writeFileSync(join(dir, 'a.yaml'), pod('web', 'nginx:1.25'));
    writeFileSync(join(dir, 'b.yaml'), pod('web', 'nginx:1.26'));
    const r = start({ dir });
    const s = await r.next(() => true);
    expect(s.pods.map((p) => p.origin)).toEqual(['a.yaml[0]']);
    expect(s.errors).toEqual(['b.yaml[0]: metadata.name: Duplicate value: "default/web": a pod of that namespace/name is already defined in a.yaml[0]; this one is ignored']);
    unlinkSync(join(dir, 'a.yaml'));
    const t = await r.next((x) => x.pods[0]?.origin === 'b.yaml[0]');
    expect(t.errors).toEqual([]);
  });

  it('reports bad manifests by file, document and field, and carries on with the good ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    writeFileSync(join(dir, 'good.yaml'), pod('good'));
    writeFileSync(join(dir, 'web.yaml'), `${pod('ok')}---\napiVersion: v1\nkind: Pod\nmetadata: { name: bad }\nspec:\n  containers:\n  - name: c\n`);
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');
    const r = start({ dir });
    const s = await r.next(() => true);
    expect(names(s)).toEqual(['good', 'ok']);
    expect(s.errors).toContainEqual(expect.stringMatching(/^web\.yaml\[1\]: spec\.containers\[0\]\.image: /));
    expect(s.errors).toContainEqual(expect.stringMatching(/^broken\.yaml\[0\]: YAML syntax error/));
  });

  it('follows symlinks, and reports a symlink loop or a broken link as an error line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'mk-elsewhere-'));
    writeFileSync(join(elsewhere, 'real.yaml'), pod('linked'));
    symlinkSync(join(elsewhere, 'real.yaml'), join(dir, 'linked.yaml'));
    symlinkSync(join(dir, 'loop.yaml'), join(dir, 'loop.yaml'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.yaml'));
    const r = start({ dir });
    const s = await r.next(() => true);
    expect(names(s)).toEqual(['linked']);
    expect(s.pods[0]!.pod.metadata!.uid).toBe(staticPodUID(decodeManifest('linked.yaml', pod('linked')).pods[0]!.pod, `file:${join(dir, 'linked.yaml')}`, 'node-1'));
    expect(s.errors).toEqual([
      'dangling.yaml: cannot read: broken symlink (its target does not exist)',
      'loop.yaml: cannot read: too many levels of symbolic links (a symlink loop)',
    ]);
  });

  it('reports an unreadable file (as root, which reads anything, the pod is simply read)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    writeFileSync(join(dir, 'secret.yaml'), pod('s'));
    chmodSync(join(dir, 'secret.yaml'), 0);
    const r = start({ dir });
    const s = await r.next(() => true);
    const root = process.getuid?.() === 0;
    expect({ errors: s.errors, pods: names(s) }).toEqual(root
      ? { errors: [], pods: ['s'] }
      : { errors: ['secret.yaml: cannot read: permission denied'], pods: [] });
  });

  it('treats a missing path as empty (one log line) and picks the folder up when it appears', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'mk-files-'));
    const dir = join(parent, 'manifests');
    const r = start({ dir, checkFrequencyMs: 200 });
    const s = await r.next(() => true);
    expect(s.pods).toEqual([]);
    expect(s.errors).toEqual([]);
    await sleep(600);
    expect(r.logs.filter((l) => l === 'path does not exist, ignoring')).toHaveLength(1);
    expect(r.snaps).toHaveLength(1);
    mkdirSync(dir);
    writeFileSync(join(dir, 'late.yaml'), pod('late'));
    await r.next((x) => x.pods.length === 1);
    rmSync(dir, { recursive: true });
    await r.next((x) => x.pods.length === 0);
  });

  it('relists every check period without fs events, and an identical relist emits nothing', async () => {
    const r = start({ watch: false, checkFrequencyMs: 150, settleMs: 50 });
    await r.next(() => true);
    await sleep(700);
    expect(r.snaps).toHaveLength(1);
    writeFileSync(join(r.dir, 'web.yaml'), pod('web'));
    await r.next((s) => s.pods.length === 1);
    await sleep(700);
    expect(r.snaps).toHaveLength(2);
  });

  it('can watch a single manifest file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-files-'));
    const file = join(dir, 'only.yaml');
    writeFileSync(file, pod('only', 'nginx:1.25'));
    writeFileSync(join(dir, 'other.yaml'), pod('other'));
    const r = start({ dir: file });
    const s = await r.next(() => true);
    expect(names(s)).toEqual(['only']);
    writeFileSync(file, pod('only', 'nginx:1.26'));
    await r.next((x) => x.pods[0]?.pod.spec?.containers[0]?.image === 'nginx:1.26', 1500);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    const log = { debug: () => {}, info: () => {}, warn: () => {} };
    const source = new FileSource({ path: mkdtempSync(join(tmpdir(), 'mk-files-')), nodeName: 'n', checkFrequencyMs: 100, log });
    const done = source.run(ac.signal, () => {});
    await sleep(50);
    ac.abort();
    await expect(done).resolves.toBeUndefined();
  });
});

