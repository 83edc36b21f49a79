// test/helpers/hostile-fixtures.ts — the fixed hostile corpus (test/fixtures/hostile/) and the entries that
// cannot be committed as files (over the size limit, symlink loops, FIFOs, devices, unreadable), made on
// disk at run time. Shared by the FileSource corpus test, the real-agent test and examples.test.ts.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const HOSTILE_DIR = join(import.meta.dirname, '../fixtures/hostile');

/** Fixtures that are valid on their own: the first of a duplicate pair (its partner is refused). */
export const VALID_BY_DESIGN = new Set(['dup-across-a.yaml']);

/** Pods the corpus lets through (a valid first of a pair, the good documents beside bad ones). */
export const ACCEPTED_POD_NAMES = ['dup-across', 'good', 'twice'];

/** The committed fixtures, sorted by name. */
export function hostileFixtures(): string[] {
  return readdirSync(HOSTILE_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
}

/** A run-time entry: its name on disk, the name its error line starts with, and a pattern for the reason. */
export interface SpecialEntry { readonly file: string; readonly name: string; readonly reason: RegExp }

/**
 * Makes, in `dir`, the entries a repository cannot hold; returns each with the reason its error line must
 * give. Also returns a closer for the socket. Everything here really fails for root as well (mode bits
 * would not: root reads any file).
 */
export async function makeSpecialEntries(dir: string, maxBytes = 1 << 20): Promise<{ entries: SpecialEntry[]; close: () => void }> {
  const entries: SpecialEntry[] = [];
  const add = (name: string, reason: RegExp, file = name) => entries.push({ file, name, reason });
  writeFileSync(join(dir, 'oversize.yaml'), `# ${'x'.repeat(maxBytes)}\n`);
  add('oversize.yaml', /larger than the \d+-byte limit/);
  symlinkSync('loop-b.yaml', join(dir, 'loop-a.yaml'));
  symlinkSync('loop-a.yaml', join(dir, 'loop-b.yaml'));
  add('loop-a.yaml', /symlink loop/);
  add('loop-b.yaml', /symlink loop/);
  symlinkSync('self-loop.yaml', join(dir, 'self-loop.yaml'));
  add('self-loop.yaml', /symlink loop/);
  symlinkSync('/nonexistent/pod.yaml', join(dir, 'dangling.yaml'));
  add('dangling.yaml', /broken symlink/);
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  add('fifo.yaml', /FIFO/);
  mkdirSync(join(dir, 'a-directory.yaml'));
  add('a-directory.yaml', /is a directory/);
  symlinkSync('/dev/zero', join(dir, 'dev-zero.yaml'));
  add('dev-zero.yaml', /character device/);
  symlinkSync('/dev/urandom', join(dir, 'dev-urandom.json'));
  add('dev-urandom.json', /character device/);
  // A regular file that says it is empty and never ends: read in full it would exhaust memory.
  symlinkSync('/proc/self/pagemap', join(dir, 'proc-pagemap.yaml'));
  add('proc-pagemap.yaml', /larger than the \d+-byte limit/);
  symlinkSync('/etc', join(dir, 'etc-link.yml'));
  add('etc-link.yml', /is a directory/);
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(join(dir, 'socket.yaml'), r));
  add('socket.yaml', /socket/);
  // A name that tries to forge a second log line.
  writeFileSync(join(dir, 'forged\nfake: line.yaml'), 'kind: Nope\n');
  add('forged fake: line.yaml', /kind "Nope" is not supported|apiVersion/, 'forged\nfake: line.yaml');
  return { entries, close: () => server.close() };
}
