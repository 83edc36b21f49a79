// The volume files: payloads of configMap/secret/downwardAPI/projected volumes (items, modes, optional,
// the kubelet's errors) and the atomic writer's ..data layout, swaps and cleanup (on a temp dir).
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod, Volume } from '../../../agent/api/v1.js';
import { writeAtomically, validatePayloadPath, type FileProjection } from '../../../agent/kuberuntime/atomic-writer.js';
import { volumePayload, type PayloadContext } from '../../../agent/kuberuntime/volume-payloads.js';
import { prepareVolumes, refreshPodVolumes, resolveSubPath } from '../../../agent/kuberuntime/volumes.js';

const store = {
  cms: { cfg: { data: { a: 'alpha', b: 'beta' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } } } as Record<string, { data?: Record<string, string>; binaryData?: Record<string, string> }>,
  getConfigMap(_ns: string, n: string) { return this.cms[n]; },
  getSecret(_ns: string, n: string) { return n === 'sec' ? { data: { pw: Buffer.from('hunter2').toString('base64') } } : undefined; },
};
const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'uid-1', labels: { app: 'x' } }, spec: { containers: [{ name: 'main', resources: { limits: { memory: '64Mi' } } }] } };
const pctx: PayloadContext = { store, allocatable: { cpuMilli: 2000, memoryBytes: 2 ** 30 }, nodeName: 'n', hostIP: '1.2.3.4' };
const files = (v: Volume) => Object.fromEntries([...volumePayload(pod, v, pctx)!].map(([p, f]) => [p, [f.data.toString('utf8'), f.mode.toString(8)]]));

describe('volume payloads', () => {
  it('configMap: all keys (binaryData too) with defaultMode, or the listed items with their modes', () => {
    expect(files({ name: 'v', configMap: { name: 'cfg', defaultMode: 0o640 } })).toEqual({ a: ['alpha', '640'], b: ['beta', '640'], bin: ['\u0000\u0001\u0002', '640'] });
    expect(files({ name: 'v', configMap: { name: 'cfg', items: [{ key: 'a', path: 'x/y', mode: 0o600 }, { key: 'b', path: 'b2' }] } })).toEqual({ 'x/y': ['alpha', '600'], b2: ['beta', '644'] });
  });

  it('the kubelet\'s errors, and optional objects and keys', () => {
    expect(() => files({ name: 'v', configMap: { name: 'gone' } })).toThrow('MountVolume.SetUp failed for volume "v" : configmap "gone" not found');
    expect(() => files({ name: 'v', secret: { secretName: 'gone' } })).toThrow('MountVolume.SetUp failed for volume "v" : secret "gone" not found');
    expect(() => files({ name: 'v', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } })).toThrow('configmap references non-existent config key: zz');
    expect(() => files({ name: 'v', secret: { secretName: 'sec', items: [{ key: 'zz', path: 'z' }] } })).toThrow('references non-existent secret key: zz');
    expect(files({ name: 'v', configMap: { name: 'gone', optional: true } })).toEqual({});
    expect(files({ name: 'v', configMap: { name: 'cfg', optional: true, items: [{ key: 'zz', path: 'z' }, { key: 'a', path: 'a' }] } })).toEqual({ a: ['alpha', '644'] });
  });

  it('downwardAPI and projected (with the serviceAccountToken placeholder)', () => {
    expect(files({ name: 'v', downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'm', resourceFieldRef: { containerName: 'main', resource: 'limits.memory', divisor: '1Mi' }, mode: 0o400 }] } }))
      .toEqual({ l: ['app="x"', '644'], m: ['64', '400'] });
    expect(files({ name: 'v', projected: { defaultMode: 0o440, sources: [
      { configMap: { name: 'cfg', items: [{ key: 'a', path: 'cfg/a' }] } }, { secret: { name: 'sec' } },
      { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }, { serviceAccountToken: { path: 'token' } },
    ] } })).toEqual({ 'cfg/a': ['alpha', '440'], pw: ['hunter2', '440'], name: ['web', '440'], token: ['', '440'] });
  });
});

describe('atomic writer', () => {
  const dirs: string[] = [];
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'mk-aw-')); dirs.push(d); return d; };
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const payload = (o: Record<string, string>, mode = 0o644) => new Map<string, FileProjection>(Object.entries(o).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

  it('writes ..<timestamp>/, ..data and one link per top-level entry; an equal payload writes nothing', () => {
    const d = tmp();
    expect(writeAtomically(d, payload({ a: '1', 'sub/b': '2' }))).toBe(true);
    expect(readlinkSync(join(d, 'a'))).toBe('..data/a');
    expect(readlinkSync(join(d, 'sub'))).toBe('..data/sub');
    expect(readlinkSync(join(d, '..data'))).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/);
    expect(readFileSync(join(d, 'sub/b'), 'utf8')).toBe('2');
    const before = readlinkSync(join(d, '..data'));
    expect(writeAtomically(d, payload({ a: '1', 'sub/b': '2' }))).toBe(false);
    expect(readlinkSync(join(d, '..data'))).toBe(before);
  });

  it('an update swaps ..data, drops links of removed keys, and cleans old payload directories', () => {
    const d = tmp();
    writeAtomically(d, payload({ a: '1', b: '2' }));
    mkdirSync(join(d, '..2000_01_01_00_00_00.000000000')); // left by an interrupted write
    expect(writeAtomically(d, payload({ a: 'new', c: '3' }))).toBe(true);
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('new');
    expect(() => lstatSync(join(d, 'b'))).toThrow();
    expect(readdirSync(d).sort()).toEqual(['..data', readlinkSync(join(d, '..data')), 'a', 'c'].sort());
    expect(writeAtomically(d, payload({ a: 'new', c: '3' }, 0o600))).toBe(true); // a mode change is a change
    expect(statSync(join(d, 'a')).mode & 0o777).toBe(0o600);
  });

  it('a file opened before an update keeps reading the complete old content', () => {
    const d = tmp();
    writeAtomically(d, payload({ big: 'x'.repeat(100_000) }));
    const old = readFileSync(join(d, 'big'));
    writeAtomically(d, payload({ big: 'y'.repeat(50) }));
    expect(old.length).toBe(100_000);
    expect(readFileSync(join(d, 'big'), 'utf8')).toBe('y'.repeat(50));
  });

  it('fsGroup adds group read, setgid directories; refuses paths the kubelet refuses', () => {
    const d = tmp();
    writeAtomically(d, payload({ 'x/y': 'v' }, 0o400), { gid: process.getgid?.() ?? 0 });
    expect(statSync(join(d, 'x/y')).mode & 0o777).toBe(0o440);
    expect(statSync(join(d, 'x')).mode & 0o2000).toBe(0o2000);
    for (const bad of ['/abs', '../up', 'a/../b', '..hidden']) expect(() => validatePayloadPath(bad)).toThrow();
  });
});

describe('pod volumes on disk', () => {
  it('prepare, refresh on change (keeping the last files when the object goes), subPath resolution', () => {
    const root = mkdtempSync(join(tmpdir(), 'mk-vols-'));
    try {
      const p: Pod = { ...pod, spec: { ...pod.spec!, volumes: [{ name: 'c', configMap: { name: 'cfg' } }, { name: 'e', emptyDir: {} }, { name: 'pvc', persistentVolumeClaim: { claimName: 'x' } }] } };
      const vols = prepareVolumes(root, p, store);
      const dir = vols.get('c')!.hostPath;
      expect(vols.get('c')!.readOnly).toBe(true);
      expect(statSync(vols.get('pvc')!.hostPath).isDirectory()).toBe(true);
      expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('alpha');
      store.cms.cfg = { data: { a: 'changed' } };
      expect(refreshPodVolumes(root, p, store)).toEqual([]);
      expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('changed');
      const saved = store.cms.cfg;
      delete store.cms.cfg;
      expect(refreshPodVolumes(root, p, store)).toEqual(['MountVolume.SetUp failed for volume "c" : configmap "cfg" not found']);
      expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('changed');
      store.cms.cfg = saved;
      // subPath: a key resolves to its file inside ..data; a missing directory is created; escapes are refused.
      expect(resolveSubPath(vols.get('c')!, 'a')).toMatch(/\/\.\.\d{4}_.*\/a$/);
      expect(statSync(resolveSubPath(vols.get('e')!, 'new/dir')).isDirectory()).toBe(true);
      symlinkSync('/etc', join(vols.get('e')!.hostPath, 'escape'));
      expect(() => resolveSubPath(vols.get('e')!, 'escape')).toThrow('resolves outside the volume');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
