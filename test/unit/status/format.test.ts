// Tests of the status formatting helpers: RFC3339 at second precision, Go's `[a b]` lists, byte truncation.
import { describe, expect, it } from 'vitest';
import { goList, rfc3339, truncateBytes } from '../../../agent/status/format.js';

describe('status formatting', () => {
  it('rfc3339 truncates to the second, in UTC, zero → null', () => {
    expect(rfc3339(Date.parse('2026-11-23T09:41:58.999Z'))).toBe('2026-11-23T09:41:58Z');
    expect(rfc3339(0)).toBeNull();
  });

  it('goList renders like fmt %s of a []string', () => {
    expect(goList(['a', 'b'])).toBe('[a b]');
    expect(goList(['web'])).toBe('[web]');
  });

  it.each([
    ['ascii', 'abcdef', 4, 'abcd'],
    ['short enough', 'abc', 4, 'abc'],
    ['cut inside a 2-byte char drops it', 'aéé', 4, 'aé'],
    ['cut inside a 4-byte char drops it', 'a😀', 4, 'a'],
    ['exact boundary keeps it', 'a😀', 5, 'a😀'],
    ['zero', 'abc', 0, ''],
  ] as const)('truncateBytes: %s', (_n, s, max, want) => {
    expect(truncateBytes(s, max)).toBe(want);
    expect(truncateBytes(truncateBytes(s, max), max)).toBe(want);
  });
});
