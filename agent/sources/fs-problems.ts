// agent/sources/fs-problems.ts — why a manifest path cannot be read, as the reason of an error line
// (`web.yaml: cannot read: …`). Pure: called by file-source.ts with what stat/open said.
import type { Stats } from 'node:fs';

/** What a file-system entry is when it is not a regular file. */
export function notRegular(s: Stats): string {
  if (s.isDirectory()) return 'cannot read: is a directory, not a manifest file (subfolders are not read)';
  const what = s.isFIFO() ? 'a FIFO (named pipe)' : s.isSocket() ? 'a socket' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : 'not a file';
  return `cannot read: ${what}, not a regular file`;
}

export function fsProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'cannot read: too many levels of symbolic links (a symlink loop)';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read: permission denied';
  if (code === 'ENOENT') return 'cannot read: broken symlink (its target does not exist)';
  if (code === 'EISDIR') return 'cannot read: is a directory';
  return `cannot read: ${code ?? (e as Error).message}`;
}
