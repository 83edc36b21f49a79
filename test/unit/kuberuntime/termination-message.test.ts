// Unit tests for agent/kuberuntime/termination-message.ts: the tail of the termination-message file (also of
// sparse files of 768 MiB and past 2 GiB, which the old whole-file read stalled on or lost), the
// FallbackToLogsOnError rule, and the kubelet's error texts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerStatus, LogOptions } from '../../../cri/api.js';
import { A_TERM_MSG_HOST_PATH, A_TERM_MSG_POLICY } from '../../../agent/kuberuntime/labels.js';
import { readFileTail, terminationMessage } from '../../../agent/kuberuntime/termination-message.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-termmsg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;

/** A sparse file of `size` bytes whose last bytes are `tail`. */
async function sparse(name: string, size: number, tail: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, '');
  await truncate(path, size - Buffer.byteLength(tail));
  const fh = await open(path, 'a');
  await fh.write(tail);
  await fh.close();
  return path;
}

function status(o: { path?: string; policy?: string; exitCode?: number; reason?: string }): ContainerStatus {
  const annotations: Record<string, string> = { [A_TERM_MSG_POLICY]: o.policy ?? 'File' };
  if (o.path) annotations[A_TERM_MSG_HOST_PATH] = o.path;
  return { id: 'c1', annotations, exitCode: o.exitCode ?? 0, reason: o.reason ?? 'Completed' } as unknown as ContainerStatus;
}

function deps(logText = '') {
  const warnings: string[] = [];
  const logCalls: LogOptions[] = [];
  return {
    warnings,
    logCalls,
    runtime: {
      containerLogs: async (_id: string, opts: LogOptions) => { logCalls.push(opts); return Readable.from([Buffer.from(logText)]); },
    },
    log: { warn: (_o: object, msg: string) => { warnings.push(msg); } },
  };
}

describe('readFileTail', () => {
  it('a sparse 768 MiB file: its last bytes come back at once (one positional read, not the whole file)', async () => {
    const path = await sparse('big', 768 * MiB, 'the end of a big file\n');
    const t0 = performance.now();
    const buf = await readFileTail(path, 4096);
    const ms = performance.now() - t0;
    expect(buf.length).toBe(4096);
    expect(buf.toString('utf8').endsWith('the end of a big file\n')).toBe(true);
    expect(buf.subarray(0, 4096 - 22).every((b) => b === 0)).toBe(true);
    // Reading 768 MiB took 4–6 s; a tail read is a few syscalls. Generous bound: O(1), not O(size).
    expect(ms).toBeLessThan(1000);
  });

  it('a sparse file past 2 GiB (which readFile refuses) still gives its tail', async () => {
    const path = await sparse('huge', 2 * 1024 * MiB + 12345, 'past two gigabytes');
    const t0 = performance.now();
    const buf = await readFileTail(path, 4096);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(buf.length).toBe(4096);
    expect(buf.toString('utf8').endsWith('past two gigabytes')).toBe(true);
  });

  it('a file shorter than the limit comes back whole; an empty one as no bytes', async () => {
    writeFileSync(join(dir, 'short'), 'short\n');
    writeFileSync(join(dir, 'empty'), '');
    expect((await readFileTail(join(dir, 'short'), 4096)).toString()).toBe('short\n');
    expect((await readFileTail(join(dir, 'empty'), 4096)).length).toBe(0);
  });
});

describe('terminationMessage', () => {
  it('keeps the last 4096 bytes of the file', async () => {
    const path = join(dir, 'long');
    writeFileSync(path, 'x'.repeat(5000) + 'y'.repeat(4000));
    const d = deps();
    const msg = await terminationMessage(status({ path }), d);
    expect(msg).toBe('x'.repeat(96) + 'y'.repeat(4000));
    expect(d.logCalls).toEqual([]);
  });

  it('File policy: a missing file or no file at all is no message, and no log is read', async () => {
    const d = deps('log text');
    expect(await terminationMessage(status({ path: join(dir, 'absent'), exitCode: 1, reason: 'Error' }), d)).toBe('');
    expect(await terminationMessage(status({ exitCode: 1, reason: 'Error' }), d)).toBe('');
    expect(d.logCalls).toEqual([]);
  });

  it('FallbackToLogsOnError: an empty or missing file and exit ≠ 0 ⇒ the last 80 lines, cut to 2048 bytes', async () => {
    writeFileSync(join(dir, 'empty2'), '');
    const d = deps('a'.repeat(3000) + 'last words\n');
    const fallback = { policy: 'FallbackToLogsOnError', exitCode: 3, reason: 'Error' };
    const fromEmpty = await terminationMessage(status({ ...fallback, path: join(dir, 'empty2') }), d);
    const fromMissing = await terminationMessage(status({ ...fallback, path: join(dir, 'absent2') }), d);
    expect(fromEmpty).toBe('a'.repeat(2048 - 11) + 'last words\n');
    expect(fromMissing).toBe(fromEmpty);
    expect(d.logCalls).toEqual([{ tailLines: 80 }, { tailLines: 80 }]);
  });

  it('FallbackToLogsOnError: no fallback for exit 0, ContainerCannotRun, or a file with content', async () => {
    writeFileSync(join(dir, 'said'), 'from the file');
    const d = deps('from the log');
    const policy = 'FallbackToLogsOnError';
    expect(await terminationMessage(status({ policy, exitCode: 0, path: join(dir, 'absent3') }), d)).toBe('');
    expect(await terminationMessage(status({ policy, exitCode: 128, reason: 'ContainerCannotRun' }), d)).toBe('');
    expect(await terminationMessage(status({ policy, exitCode: 1, reason: 'Error', path: join(dir, 'said') }), d)).toBe('from the file');
    expect(d.logCalls).toEqual([]);
  });

  it('a file that cannot be read gives the kubelet\'s error text, is logged, and does not fall back', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    const d = deps('from the log');
    const msg = await terminationMessage(status({ path, policy: 'FallbackToLogsOnError', exitCode: 1, reason: 'Error' }), d);
    expect(msg).toBe(`Error on reading termination log ${path}: ${path}: not a regular file`);
    expect(d.warnings).toEqual(['Cannot read the termination message file']);
    expect(d.logCalls).toEqual([]);
  });

  it('a log that cannot be read gives the kubelet\'s error text and is logged', async () => {
    const d = deps();
    const failing = { ...d, runtime: { containerLogs: async () => { throw new Error('engine gone'); } } };
    const msg = await terminationMessage(status({ policy: 'FallbackToLogsOnError', exitCode: 2, reason: 'Error' }), failing);
    expect(msg).toBe('Error on reading termination message from logs: engine gone');
    expect(d.warnings).toEqual(['Cannot read the container log for its termination message']);
  });
});
