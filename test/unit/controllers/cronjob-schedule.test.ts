// CronJob schedules (control-plane/controllers/cronjob/schedule.ts, duration.ts): what robfig/cron v3
// ParseStandard accepts and the error texts it gives for what it rejects (the API server's
// `spec.schedule: Invalid value` detail), next run times from croner behind it (DOM/DOW AND when either
// field is `*`, OR when both are restricted, `*/2` counting as restricted), @every arithmetic, TZ= prefixes,
// time-zone names as Go's LoadLocation reads them.
import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../control-plane/controllers/cronjob/duration.js';
import { loadLocationError, nextAfter, parseStandard, type Schedule } from '../../../control-plane/controllers/cronjob/schedule.js';

const T0 = Date.parse('2026-12-02T04:40:30Z'); // a Wednesday
const iso = (ms: number | undefined): string => (ms === undefined ? 'none' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const sched = (spec: string): Schedule => {
  const r = parseStandard(spec);
  if (!r.ok) throw new Error(r.error);
  return r.schedule;
};
const nextN = (spec: string, n: number, from = T0, zone = 'UTC'): string[] => {
  const s = sched(spec);
  const out: string[] = [];
  let t = from;
  for (let i = 0; i < n; i++) { t = nextAfter(s, t, zone)!; out.push(iso(t)); }
  return out;
};
const error = (spec: string): string => { const r = parseStandard(spec); return r.ok ? 'accepted' : r.error; };

describe('robfig ParseStandard: rejected specs and their texts', () => {
  it.each([
    ['', 'empty spec string'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['L * * * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['0 0 ? * 5#3', 'failed to parse int from 5#3: strconv.Atoi: parsing "5#3": invalid syntax'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 */5 * * * *', 'expected exactly 5 fields, found 6: [0 */5 * * * *]'],
    ['   ', 'expected exactly 5 fields, found 0: []'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every', 'unrecognized descriptor: @every'],
    ['TZ=Mars/Olympus 0 3 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ])('%j → %s', (spec, text) => {
    expect(error(spec)).toBe(text);
  });

  it.each(['*/5 * * * *', '0 0 * * 0', '0 0 * * SUN', '0 9 * jan-mar mon-fri', '? ? ? ? ?', '5/15 * * * *', '@yearly', '@annually', '@monthly',
    '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', '@every 500ms', 'CRON_TZ=UTC 0 3 * * *', '0,30 8-18/2 * * 1-5'])('accepts %j', (spec) => {
    expect(error(spec)).toBe('accepted');
  });
});

describe('next run times', () => {
  it('*/5 from 04:40:30 → 04:45, 04:50, 04:55', () => {
    expect(nextN('*/5 * * * *', 3)).toEqual(['2026-12-02T04:45:00Z', '2026-12-02T04:50:00Z', '2026-12-02T04:55:00Z']);
  });

  it('strictly after: from exactly 04:45:00 the next */5 is 04:50', () => {
    expect(nextN('*/5 * * * *', 1, Date.parse('2026-12-02T04:45:00Z'))).toEqual(['2026-12-02T04:50:00Z']);
  });

  it('a/n means a-max/n', () => {
    expect(nextN('50/5 * * * *', 3)).toEqual(['2026-12-02T04:50:00Z', '2026-12-02T04:55:00Z', '2026-12-02T05:50:00Z']);
  });

  it('descriptors: @hourly, @daily, @weekly (Sunday), @monthly, @yearly', () => {
    expect(nextN('@hourly', 1)).toEqual(['2026-12-02T05:00:00Z']);
    expect(nextN('@daily', 1)).toEqual(['2026-12-03T00:00:00Z']);
    expect(nextN('@weekly', 1)).toEqual(['2026-12-06T00:00:00Z']);
    expect(nextN('@monthly', 1)).toEqual(['2027-01-01T00:00:00Z']);
    expect(nextN('@yearly', 1)).toEqual(['2027-01-01T00:00:00Z']);
  });

  it('DOM and DOW both restricted → either matches (Vixie OR): 13th or any Friday', () => {
    expect(nextN('0 0 13 * 5', 3)).toEqual(['2026-12-04T00:00:00Z', '2026-12-11T00:00:00Z', '2026-12-13T00:00:00Z']);
  });

  it('DOW restricted, DOM `*` → AND (only Fridays); `*/2` DOM clears the star bit → OR', () => {
    expect(nextN('0 0 * * 5', 2)).toEqual(['2026-12-04T00:00:00Z', '2026-12-11T00:00:00Z']);
    // days 1,3,5,…,31 or Fridays: Thu 3rd, Fri 4th, Sat 5th
    expect(nextN('0 0 */2 * 5', 3)).toEqual(['2026-12-03T00:00:00Z', '2026-12-04T00:00:00Z', '2026-12-05T00:00:00Z']);
  });

  it('names are case-insensitive; ranges of names', () => {
    expect(nextN('0 9 * * Fri-SAT', 2)).toEqual(['2026-12-04T09:00:00Z', '2026-12-05T09:00:00Z']);
    expect(error('0 9 * * sat-sun')).toBe('beginning of range (6) beyond end of range (0): sat-sun');
  });

  it('@every: the time truncated to the second plus the delay; under 1 s counts as 1 s', () => {
    expect(iso(nextAfter(sched('@every 90s'), T0 + 250))).toBe('2026-12-02T04:42:00Z');
    expect(iso(nextAfter(sched('@every 500ms'), T0))).toBe('2026-12-02T04:40:31Z');
    expect(iso(nextAfter(sched('@every 1m30.9s'), T0))).toBe('2026-12-02T04:42:00Z');
  });

  it('a time zone: 03:00 Europe/Paris is 02:00 UTC in winter (timeZone argument or TZ= prefix)', () => {
    expect(nextN('0 3 * * *', 1, T0, 'Europe/Paris')).toEqual(['2026-12-03T02:00:00Z']);
    expect(nextN('TZ=Europe/Paris 0 3 * * *', 1)).toEqual(['2026-12-03T02:00:00Z']);
  });

  it('a date that never comes (30 February) has no next run', () => {
    expect(nextAfter(sched('0 0 30 2 *'), T0, 'UTC')).toBeUndefined();
  });
});

describe('Go durations and locations', () => {
  it.each([
    ['1h30m', 5_400_000], ['90s', 90_000], ['1.5h', 5_400_000], ['-5m', -300_000], ['0', 0], ['300ms', 300], ['2us', 0.002],
  ])('ParseDuration(%j) = %d ms', (s, ms) => {
    expect(parseGoDuration(s)).toEqual({ ok: true, ms });
  });

  it.each([['', 'time: invalid duration ""'], ['h', 'time: invalid duration "h"'], ['5d', 'time: unknown unit "d" in duration "5d"'], ['.', 'time: invalid duration "."']])(
    'ParseDuration(%j) fails: %s', (s, error) => { expect(parseGoDuration(s)).toEqual({ ok: false, error }); },
  );

  it('LoadLocation: IANA names load, case matters, unknown names fail', () => {
    expect(loadLocationError('Europe/Paris')).toBeUndefined();
    expect(loadLocationError('UTC')).toBeUndefined();
    expect(loadLocationError('Local')).toBeUndefined();
    expect(loadLocationError('Europe/Pariss')).toBe('unknown time zone Europe/Pariss');
    expect(loadLocationError('europe/paris')).toBe('unknown time zone europe/paris');
  });
});
