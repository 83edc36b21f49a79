// Unit tests for agent/api-server/config-objects.ts (the API's ConfigMaps and Secrets: validation,
// stringData, immutability, persistence under the root dir, conflicts with the folder) and protobuf.ts (the
// bodies `kubectl create configmap|secret` send).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiConfigObjects } from '../../../agent/api-server/config-objects.js';
import { decodeKubeProtobuf } from '../../../agent/api-server/protobuf.js';
import { ApiError } from '../../../agent/api-server/request.js';

const store = (definedElsewhere?: () => boolean, rootDir = mkdtempSync(join(tmpdir(), 'mk-cfg-'))) =>
  ({ rootDir, s: new ApiConfigObjects({ rootDir, now: () => Date.parse('2026-11-23T10:00:00Z'), definedElsewhere }) });

const status = (fn: () => unknown): number => {
  try { fn(); } catch (e) { if (e instanceof ApiError) return e.code; throw e; }
  return 200;
};

describe('ApiConfigObjects', () => {
  it('creates, stamps, persists across a restart and tells its listener the whole set', () => {
    const { rootDir, s } = store();
    const seen: number[] = [];
    s.subscribe((cms, secrets) => seen.push(cms.length + secrets.length));
    const cm = s.create('ConfigMap', 'default', { metadata: { name: 'web' }, data: { a: '1' } });
    expect(cm.metadata).toMatchObject({ name: 'web', namespace: 'default', creationTimestamp: '2026-11-23T10:00:00Z', resourceVersion: '1' });
    expect(cm.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    s.create('Secret', 'default', { metadata: { name: 'db' }, stringData: { pw: 'x' } });
    expect(seen).toEqual([1, 2]);
    const again = new ApiConfigObjects({ rootDir, now: Date.now });
    again.load();
    expect(again.get('ConfigMap', 'default', 'web')?.data).toEqual({ a: '1' });
    expect(again.get('Secret', 'default', 'db')).toMatchObject({ type: 'Opaque', data: { pw: 'eA==' } });
    expect(again.get('Secret', 'default', 'db')).not.toHaveProperty('stringData');
  });

  it('updates keep uid and creationTimestamp, bump resourceVersion; immutable data cannot change', () => {
    const { s } = store();
    const first = s.create('ConfigMap', 'default', { metadata: { name: 'c' }, data: { a: '1' }, immutable: true });
    expect(s.update('ConfigMap', 'default', 'c', { metadata: { name: 'c', labels: { x: 'y' } }, data: { a: '1' }, immutable: true }).metadata)
      .toMatchObject({ uid: first.metadata?.uid, creationTimestamp: first.metadata?.creationTimestamp, resourceVersion: '2', labels: { x: 'y' } });
    expect(status(() => s.update('ConfigMap', 'default', 'c', { metadata: { name: 'c' }, data: { a: '2' }, immutable: true }))).toBe(422);
  });

  it('refuses bad names, bad base64, duplicates and names the folder defines; dry runs keep nothing', () => {
    const { s } = store((() => true) as () => boolean);
    const { s: s2 } = store();
    expect(status(() => s2.create('ConfigMap', 'default', { metadata: { name: 'Bad_Name' } }))).toBe(422);
    expect(status(() => s2.create('Secret', 'default', { metadata: { name: 'x' }, data: { k: 'not base64!' } }))).toBe(422);
    expect(status(() => s.create('ConfigMap', 'default', { metadata: { name: 'taken' } }))).toBe(409);
    expect(status(() => s.delete('ConfigMap', 'default', 'taken'))).toBe(405);
    s2.create('ConfigMap', 'default', { metadata: { name: 'dry' } }, true);
    expect(s2.get('ConfigMap', 'default', 'dry')).toBeUndefined();
    s2.create('ConfigMap', 'default', { metadata: { name: 'once' } });
    expect(status(() => s2.create('ConfigMap', 'default', { metadata: { name: 'once' } }))).toBe(409);
    expect(status(() => s2.delete('ConfigMap', 'default', 'nope'))).toBe(404);
  });
});

// A tiny protobuf writer for the test: what kubectl's typed client sends.
const varint = (n: number): number[] => { const out: number[] = []; while (n > 127) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128); } out.push(n); return out; };
const ld = (no: number, b: Buffer): Buffer => Buffer.concat([Buffer.from([...varint(no * 8 + 2), ...varint(b.length)]), b]);
const s8 = (no: number, v: string): Buffer => ld(no, Buffer.from(v, 'utf8'));
const mapEntry = (no: number, k: string, v: Buffer | string): Buffer => ld(no, Buffer.concat([s8(1, k), ld(2, Buffer.from(v))]));
const envelope = (kind: string, raw: Buffer): Buffer => Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([s8(1, 'v1'), s8(2, kind)])), ld(2, raw)]);

describe('decodeKubeProtobuf', () => {
  it('reads a ConfigMap and a Secret as kubectl create sends them', () => {
    const meta = Buffer.concat([s8(1, 'web'), s8(3, ''), mapEntry(11, 'app', 'web')]);
    const cm = decodeKubeProtobuf(envelope('ConfigMap', Buffer.concat([ld(1, meta), mapEntry(2, 'greeting', 'hello'), mapEntry(3, 'bin', Buffer.from([0, 1, 2]))])));
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', labels: { app: 'web' } }, data: { greeting: 'hello' }, binaryData: { bin: 'AAEC' } });
    const sec = decodeKubeProtobuf(envelope('Secret', Buffer.concat([ld(1, s8(1, 'db')), mapEntry(2, 'pw', 's3cret'), s8(3, 'Opaque')])));
    expect(sec).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { pw: Buffer.from('s3cret').toString('base64') }, type: 'Opaque' });
  });

  it('refuses other kinds (415), a missing magic number and truncated input (400)', () => {
    expect(status(() => decodeKubeProtobuf(envelope('Pod', Buffer.alloc(0))))).toBe(415);
    expect(status(() => decodeKubeProtobuf(Buffer.from('{"kind":"ConfigMap"}')))).toBe(400);
    expect(status(() => decodeKubeProtobuf(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x12, 0x50, 0x01])])))).toBe(400);
  });
});
