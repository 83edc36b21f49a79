// control-plane/controllers/cronjob/duration.ts — Go's time.ParseDuration, for `@every <duration>` schedules:
// a signed sequence of decimal numbers with units (ns, us, µs, μs, ms, s, m, h), "0" alone allowed, with Go's
// error texts (`time: invalid duration "x"`, `time: missing unit in duration "5"`, `time: unknown unit "d" in
// duration "5d"`). The result is in milliseconds (fractions kept); schedule.ts rounds as robfig does.
//
// PURE.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Go's maximum duration (about 290 years), in ms. */
const MAX_MS = 9_223_372_036_854.775;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

const quote = (s: string): string => `"${s}"`;

/** time.ParseDuration(s). */
export function parseGoDuration(orig: string): DurationResult {
  const invalid: DurationResult = { ok: false, error: `time: invalid duration ${quote(orig)}` };
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return { ok: true, ms: 0 };
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const num = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const whole = num[1]!;
    const frac = num[3] ?? '';
    if (whole === '' && frac === '') return invalid; // no digits at all (".", "", "h")
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return { ok: false, error: `time: missing unit in duration ${quote(orig)}` };
    const perUnit = UNIT_MS[unit];
    if (perUnit === undefined) return { ok: false, error: `time: unknown unit ${quote(unit)} in duration ${quote(orig)}` };
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac || '0'}`) * perUnit;
    if (total > MAX_MS) return invalid;
  }
  return { ok: true, ms: neg ? -total : total };
}
