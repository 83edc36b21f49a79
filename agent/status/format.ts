// agent/status/format.ts — the small formatting rules the API status follows: RFC3339 timestamps at second
// precision (metav1.Time), `null` for zero times, Go's `%s` rendering of a string slice (`[a b]`), and
// byte-exact truncation of messages.
//
// Pure helpers shared by the status generator and its tests; nothing here knows about pods.

/**
 * A zero metav1.Time serialises as JSON `null` (e.g. `lastProbeTime: null`, or the timestamps of a
 * ContainerStatusUnknown termination). The v1 types say `string | undefined`, so the null is smuggled in.
 */
export const NULL_TIME = null as unknown as string;

/** ms since the epoch → `2026-11-23T09:41:58Z` (UTC, truncated to the second); 0 → null (zero time). */
export function rfc3339(ms: number): string {
  if (!ms) return NULL_TIME;
  const s = Math.floor(ms / 1000) * 1000;
  return new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's fmt `%s` of a []string: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/**
 * Keeps at most `maxBytes` UTF-8 bytes of `s` (Go's `s[:n]` on a string). A multi-byte character cut in
 * half is dropped rather than rendered as U+FFFD, so truncating twice gives the same result.
 */
export function truncateBytes(s: string, maxBytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return s;
  let end = Math.max(0, maxBytes);
  // Step back over a partial sequence: continuation bytes are 10xxxxxx.
  let back = end;
  while (back > 0 && (buf[back - 1]! & 0xc0) === 0x80) back--;
  if (back > 0) {
    const lead = buf[back - 1]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - (back - 1) < need) end = back - 1;
  }
  return buf.subarray(0, end).toString('utf8');
}
