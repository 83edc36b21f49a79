// control-plane/controllers/cronjob/schedule.ts — CronJob schedules as the real API server and controller read
// them: robfig/cron v3 ParseStandard (control-plane-semantics.md §3.1) — 5 fields minute hour dom month dow,
// `*`/`?`, `a-b`, `a,b`, `*/n`, `a/n` (= a-max/n), month and weekday names, the descriptors (@yearly
// @annually @monthly @weekly @daily @midnight @hourly) and `@every <Go duration>`, a `TZ=`/`CRON_TZ=` prefix —
// with robfig's error texts (dow 7: "end of range (7) above maximum (6): 7"). Next run times: croner for
// field schedules (explicit value lists; day-of-month/day-of-week AND when either field carries robfig's star
// bit, OR otherwise), our own arithmetic for @every (a constant delay, whole seconds, at least 1 s).
// Also Go's time.LoadLocation check of a zone name (spec.timeZone, TZ=). Shared by the registry's validation
// (registry/kinds/cronjobs.ts) and the controller.
//
// PURE (croner computes; nothing is scheduled).
import { Cron } from 'croner';
import { parseGoDuration } from './duration.js';

export interface FieldSchedule {
  readonly kind: 'fields';
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  readonly dom: readonly number[];
  readonly month: readonly number[];
  readonly dow: readonly number[];
  /** robfig's star bit: the field was `*` or `?` without a step > 1. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** IANA zone from a TZ= prefix; undefined = the process's local zone. */
  readonly location?: string;
}
export interface EverySchedule { readonly kind: 'every'; readonly delayMs: number }
export type Schedule = FieldSchedule | EverySchedule;
export type ParseResult = { ok: true; schedule: Schedule } | { ok: false; error: string };

interface Bounds { min: number; max: number; names?: Readonly<Record<string, number>> }
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

// ---- time zones (Go's time.LoadLocation) ----

/** Go's LoadLocation: undefined when the zone loads ("" and "UTC" are UTC, "Local" the local zone), else its error. */
export function loadLocationError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // zoneinfo files are looked up case-sensitively; Intl folds case.
    if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `unknown time zone ${name}`;
    return undefined;
  } catch {
    return `unknown time zone ${name}`;
  }
}

// ---- fields ----

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Go's strconv.Atoi, then robfig's "negative number" check. */
function parseUint(expr: string): Parsed<number> {
  if (!/^[+-]?[0-9]+$/.test(expr)) return fail(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`);
  const n = Number(expr);
  if (!Number.isSafeInteger(n)) return fail(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": value out of range`);
  if (n < 0) return fail(`negative number (${n}) not allowed: ${expr}`);
  return { ok: true, value: n };
}

const parseIntOrName = (expr: string, b: Bounds): Parsed<number> => {
  const named = b.names?.[expr.toLowerCase()];
  return named !== undefined ? { ok: true, value: named } : parseUint(expr);
};

interface RangeBits { values: number[]; star: boolean }

/** robfig getRange: `number | number "-" number [ "/" number ]`, or `*`/`?` [ "/" number ]. */
function getRange(expr: string, b: Bounds): Parsed<RangeBits> {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [b.min, b.max, true];
  } else {
    const s = parseIntOrName(lowAndHigh[0]!, b);
    if (!s.ok) return s;
    start = s.value;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1]!, b);
      if (!e.ok) return e;
      end = e.value;
    } else return fail(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = parseUint(rangeAndStep[1]!);
    if (!st.ok) return st;
    step = st.value;
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return fail(`too many slashes: ${expr}`);
  if (start < b.min) return fail(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) return fail(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) return fail(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) return fail(`step of range should be a positive number: ${expr}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { ok: true, value: { values, star } };
}

/** robfig getField: a comma-separated list of ranges (empty items skipped). */
function getField(field: string, b: Bounds): Parsed<RangeBits> {
  const set = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const r = getRange(expr, b);
    if (!r.ok) return r;
    r.value.values.forEach((v) => set.add(v));
    star ||= r.value.star;
  }
  return { ok: true, value: { values: [...set].sort((x, y) => x - y), star } };
}

const range = (b: Bounds): number[] => Array.from({ length: b.max - b.min + 1 }, (_, i) => b.min + i);

/** The descriptors, as field schedules (robfig's parseDescriptor). */
function descriptor(spec: string, location: string | undefined): ParseResult | undefined {
  const at = (minute: number[], hour: number[], dom: number[], month: number[], dow: number[], domStar: boolean, dowStar: boolean): ParseResult =>
    ({ ok: true, schedule: { kind: 'fields', minute, hour, dom, month, dow, domStar, dowStar, ...(location !== undefined ? { location } : {}) } });
  switch (spec) {
    case '@yearly': case '@annually': return at([0], [0], [1], [1], range(DOW), false, true);
    case '@monthly': return at([0], [0], [1], range(MONTHS), range(DOW), false, true);
    case '@weekly': return at([0], [0], range(DOM), range(MONTHS), [0], true, false);
    case '@daily': case '@midnight': return at([0], [0], range(DOM), range(MONTHS), range(DOW), true, true);
    case '@hourly': return at([0], range(HOURS), range(DOM), range(MONTHS), range(DOW), true, true);
    default: return undefined;
  }
}

/** robfig/cron v3 ParseStandard(spec). */
export function parseStandard(input: string): ParseResult {
  if (input.length === 0) return { ok: false, error: 'empty spec string' };
  let spec = input;
  let location: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    const err = loadLocationError(name);
    if (err !== undefined) return { ok: false, error: `provided bad location ${name}: ${err}` };
    location = name === '' ? 'UTC' : name;
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    const d = descriptor(spec, location);
    if (d) return d;
    if (spec.startsWith('@every ')) {
      const dur = parseGoDuration(spec.slice('@every '.length));
      if (!dur.ok) return { ok: false, error: `failed to parse duration ${spec}: ${dur.error}` };
      return { ok: true, schedule: { kind: 'every', delayMs: everyDelay(dur.ms) } };
    }
    return { ok: false, error: `unrecognized descriptor: ${spec}` };
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  const parsed: RangeBits[] = [];
  for (const [i, b] of [MINUTES, HOURS, DOM, MONTHS, DOW].entries()) {
    const f = getField(fields[i]!, b);
    if (!f.ok) return f;
    parsed.push(f.value);
  }
  const [minute, hour, dom, month, dow] = parsed as [RangeBits, RangeBits, RangeBits, RangeBits, RangeBits];
  return {
    ok: true,
    schedule: {
      kind: 'fields', minute: minute.values, hour: hour.values, dom: dom.values, month: month.values, dow: dow.values,
      domStar: dom.star, dowStar: dow.star, ...(location !== undefined ? { location } : {}),
    },
  };
}

/** robfig Every(d): under a second → 1 s; otherwise truncated to whole seconds. */
function everyDelay(ms: number): number {
  return ms < 1000 ? 1000 : Math.floor(ms / 1000) * 1000;
}

// ---- next run ----

const crons = new Map<string, Cron>();

function cronFor(s: FieldSchedule, zone: string | undefined): Cron | undefined {
  if ([s.minute, s.hour, s.dom, s.month, s.dow].some((v) => v.length === 0)) return undefined; // e.g. a field of ","
  const pattern = [s.minute, s.hour, s.dom, s.month, s.dow].map((v) => v.join(',')).join(' ');
  const domAndDow = s.domStar || s.dowStar;
  const key = `${pattern}|${zone ?? ''}|${domAndDow}`;
  let c = crons.get(key);
  if (!c) {
    c = new Cron(pattern, { paused: true, mode: '5-part', domAndDow, ...(zone && zone !== 'Local' ? { timezone: zone } : {}) });
    crons.set(key, c);
  }
  return c;
}

/**
 * Schedule.Next(t): the first activation strictly after `t` (ms), or undefined when there is none (robfig's
 * zero time, e.g. "0 0 30 2 *"). `zone` is where a field schedule is read when it has no TZ= prefix.
 */
export function nextAfter(s: Schedule, t: number, zone?: string): number | undefined {
  if (s.kind === 'every') return Math.floor(t / 1000) * 1000 + s.delayMs;
  const c = cronFor(s, s.location ?? zone);
  const next = c?.nextRun(new Date(t));
  return next ? next.getTime() : undefined;
}
