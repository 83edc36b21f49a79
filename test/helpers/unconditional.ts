// Helpers for asserting unconditionally (no assertion inside an `if` or a `catch`; see
// test/unit/architecture/test-hygiene.test.ts): what a function throws as a value, and a "starts with"
// matcher for expected values written as a prefix ending in "…".
import { expect } from 'vitest';

/** What `f` throws, undefined when it returns: `expect(thrown(() => parse('x'))).toMatchObject({ code })`. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `want` itself, or when it ends in "…" a matcher for any string that starts with what comes before. */
export function prefixOrExact(want: string): unknown {
  return want.endsWith('…') ? expect.stringMatching(new RegExp(`^${escapeRegExp(want.slice(0, -1))}`)) : want;
}
