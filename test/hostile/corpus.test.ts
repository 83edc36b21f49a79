// Hostile input, the fixed corpus: every file of test/fixtures/hostile/ (at least 100) plus the entries made
// at run time (over the size limit, symlink loops, FIFO, socket, devices, a directory named x.yaml, an
// endless /proc file, a name with a newline) in one manifest folder, read by the real FileSource. Each is
// reported by file name with its reason, in one bounded line; only the pods meant to pass come through.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../agent/sources/file-source.js';
import type { PodSourceSnapshot } from '../../agent/sources/source.js';
import { ACCEPTED_POD_NAMES, HOSTILE_DIR, hostileFixtures, makeSpecialEntries, VALID_BY_DESIGN } from '../helpers/hostile-fixtures.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** The first snapshot of a FileSource on `dir`. */
async function firstSnapshot(dir: string): Promise<PodSourceSnapshot> {
  const ac = new AbortController();
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
  const source = new FileSource({ path: dir, nodeName: 'hostile-node', checkFrequencyMs: 60_000, settleMs: 50, watch: false, log: quiet });
  try {
    return await new Promise<PodSourceSnapshot>((resolve) => { void source.run(ac.signal, resolve); });
  } finally {
    ac.abort();
  }
}

/** The error lines about one file: `name: …` or `name[doc]: …`. */
const linesAbout = (errors: readonly string[], name: string) => errors.filter((e) => e.startsWith(`${name}:`) || e.startsWith(`${name}[`));

describe('the hostile corpus through the file source', () => {
  it('has at least 100 committed fixtures', () => {
    expect(hostileFixtures().length).toBeGreaterThanOrEqual(100);
  });

  it('reports every entry by file name and reason, in bounded single lines; only the pods meant to pass pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-hostile-corpus-'));
    dirs.push(dir);
    const files = hostileFixtures();
    for (const f of files) copyFileSync(join(HOSTILE_DIR, f), join(dir, f));
    const { entries, close } = await makeSpecialEntries(dir);
    const t0 = Date.now();
    let snap: PodSourceSnapshot;
    try {
      snap = await firstSnapshot(dir);
    } finally {
      close();
    }
    expect(Date.now() - t0).toBeLessThan(20_000);

    for (const line of snap.errors) {
      expect(line).not.toMatch(/[\n\r]/);
      expect(line.length).toBeLessThanOrEqual(1200);
    }
    const missing = files.filter((f) => !VALID_BY_DESIGN.has(f) && linesAbout(snap.errors, f).length === 0);
    expect(missing, 'fixtures without an error line').toEqual([]);
    for (const f of VALID_BY_DESIGN) expect(linesAbout(snap.errors, f)).toEqual([]);
    for (const e of entries) expect(linesAbout(snap.errors, e.name).join('\n'), e.name).toMatch(e.reason);
    expect(linesAbout(snap.errors, 'dup-across-b.yaml').join('\n')).toMatch(/Duplicate value: "default\/dup-across".*dup-across-a\.yaml/);
    expect(linesAbout(snap.errors, 'duplicate-pod-in-one-file.yaml').join('\n')).toMatch(/Duplicate value/);
    expect(snap.pods.map((p) => p.pod.metadata!.name).sort()).toEqual(ACCEPTED_POD_NAMES);
  });
});
