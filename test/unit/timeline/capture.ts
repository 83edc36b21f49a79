// test/unit/timeline/capture.ts — what a CLI command writes to stdout and stderr, captured (restore with
// vi.restoreAllMocks() after each test).
import { vi } from 'vitest';

export function capture(): { out(): string; err(): string } {
  let out = '', err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  return { out: () => out, err: () => err };
}
