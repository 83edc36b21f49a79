// agent/util/duration.ts — Go/Kubernetes durations: `parseDuration` reads what `time.ParseDuration` (and so
// metav1.Duration, and the kubelet's duration flags) accepts (`1s`, `500ms`, `1m20s`, `1.5h`, `-2s`, `0`) into
// milliseconds; `formatDuration` writes milliseconds as Go's `time.Duration.String()` (`10s`, `1m20s`,
// `5m0s`, `1.5s`, `300ms`, `1h0m0s`).
//
// Called by the flag parser and the KubeletConfiguration loader (and by anything that prints a duration the
// way the kubelet's messages do). Pure: no clock, no I/O. It never guesses a unit: a bare number is an error
// with a hint, unless the caller says bare numbers are seconds (`{ bareNumber: 'seconds' }`).

/** A duration that does not parse; `code` is stable, the message says what to write instead. */
export class DurationError extends Error {
  readonly code = 'MK_INVALID_DURATION';
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

export interface ParseDurationOptions {
  /** Accept a bare number (`20`, `1.5`) as that many seconds. Go and the kubelet do not; off by default. */
  readonly bareNumber?: 'seconds';
}

/** Nanoseconds per unit, Go's spellings (`us`, `µs` U+00B5 and `μs` U+03BC are all microseconds). */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};
const UNITS_HINT = 'valid units are "ns", "us" (or "µs"), "ms", "s", "m", "h"';
const NUMBER = /^[0-9]*(\.[0-9]*)?/;
const UNIT = /^[^0-9.]+/;

/** Parses a Go duration string into milliseconds (fractions kept: `1500us` → 1.5). Throws DurationError. */
export function parseDuration(input: string, opts: ParseDurationOptions = {}): number {
  const s = input.trim();
  const quoted = JSON.stringify(input);
  if (s === '') throw new DurationError(`time: invalid duration ${quoted}: empty; write a number with a unit, e.g. "20s"`);
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    const n = Number(s);
    if (n === 0) return 0; // Go accepts a bare "0" (and "-0", "+0")
    if (opts.bareNumber === 'seconds') return n * 1000;
    throw new DurationError(`time: missing unit in duration ${quoted}; write "${s}s" for seconds (${UNITS_HINT})`);
  }
  let rest = s;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  let ns = 0;
  while (rest !== '') {
    const num = NUMBER.exec(rest)![0];
    if (num === '' || num === '.') throw new DurationError(`time: invalid duration ${quoted}; expected a number before each unit, e.g. "1m30s"`);
    rest = rest.slice(num.length);
    const unit = UNIT.exec(rest)?.[0];
    if (unit === undefined) throw new DurationError(`time: missing unit in duration ${quoted}; ${UNITS_HINT}`);
    const per = UNIT_NS[unit];
    if (per === undefined) {
      const hint = unit === 'd' ? '; there is no day unit: write "24h"' : unit === 'sec' || unit === 'min' ? `; write "${unit[0]}"` : '';
      throw new DurationError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}${hint} (${UNITS_HINT})`);
    }
    rest = rest.slice(unit.length);
    ns += Number(num) * per;
  }
  // Go's limit: an int64 of nanoseconds (about 292 years).
  if (ns > 9.223372036854775e18) throw new DurationError(`time: invalid duration ${quoted}: out of range`);
  return (sign * ns) / 1e6;
}

/** `v / 10^prec` with the fraction's trailing zeros (and a bare point) dropped, as Go's fmtFrac does. */
function fraction(v: bigint, prec: number): string {
  const scale = 10n ** BigInt(prec);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Milliseconds → Go's `time.Duration.String()`. Sub-nanosecond parts are rounded away. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let ns = BigInt(Math.round(ms * 1e6));
  const sign = ns < 0n ? '-' : '';
  if (ns < 0n) ns = -ns;
  if (ns === 0n) return '0s';
  if (ns < 1000n) return `${sign}${ns}ns`;
  if (ns < 1_000_000n) return `${sign}${fraction(ns, 3)}µs`;
  if (ns < 1_000_000_000n) return `${sign}${fraction(ns, 6)}ms`;
  const seconds = fraction(ns % 60_000_000_000n, 9);
  const totalMin = ns / 60_000_000_000n;
  if (totalMin === 0n) return `${sign}${seconds}s`;
  const hours = totalMin / 60n;
  const minutes = totalMin % 60n;
  return `${sign}${hours > 0n ? `${hours}h` : ''}${minutes}m${seconds}s`;
}
