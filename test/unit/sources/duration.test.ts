// Go durations: parse what time.ParseDuration accepts, print what time.Duration.String() prints.
import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../../agent/util/duration.js';
import { thrown } from '../../helpers/unconditional.js';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['1s', 1000], ['500ms', 500], ['1m20s', 80_000], ['20s', 20_000], ['1.5s', 1500], ['1.5h', 5_400_000],
    ['2h45m', 9_900_000], ['300us', 0.3], ['300µs', 0.3], ['300μs', 0.3], ['1000000ns', 1], ['.5s', 500], ['5.s', 5000],
    ['-2s', -2000], ['+3s', 3000], ['0', 0], ['-0', 0], ['1h0m0s', 3_600_000], [' 20s ', 20_000],
  ])('%j → %d ms', (s, ms) => expect(parseDuration(s)).toBeCloseTo(ms, 9));

  it.each<[string, RegExp]>([
    ['20', /missing unit in duration "20"; write "20s"/],
    ['1.5', /missing unit/],
    ['', /invalid duration/],
    ['s', /invalid duration/],
    ['1d', /unknown unit "d" in duration "1d"; there is no day unit: write "24h"/],
    ['10 s', /unknown unit " s"/],
    ['1m20', /missing unit in duration "1m20"/],
    ['--1s', /invalid duration/],
    ['1sec', /unknown unit "sec".*write "s"/],
    ['abc', /invalid duration/],
  ])('%j is refused (%s)', (s, msg) => {
    expect(() => parseDuration(s)).toThrow(DurationError);
    expect(() => parseDuration(s)).toThrow(msg);
  });

  it('takes bare numbers as seconds only when asked', () => {
    expect(parseDuration('20', { bareNumber: 'seconds' })).toBe(20_000);
    expect(parseDuration('0.25', { bareNumber: 'seconds' })).toBe(250);
    expect(() => parseDuration('20')).toThrow(/missing unit/);
  });

  it('carries a stable code', () => {
    expect(thrown(() => parseDuration('x'))).toMatchObject({ code: 'MK_INVALID_DURATION' });
  });
});

describe('formatDuration (Go time.Duration.String)', () => {
  it.each<[number, string]>([
    [0, '0s'], [10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s'], [1500, '1.5s'], [300, '300ms'], [1, '1ms'],
    [1.5, '1.5ms'], [0.3, '300µs'], [0.000_5, '500ns'], [3_600_000, '1h0m0s'], [3_723_000, '1h2m3s'], [60_000, '1m0s'],
    [-2000, '-2s'], [90_061_001, '25h1m1.001s'], [100, '100ms'], [999, '999ms'], [1000, '1s'], [59_999, '59.999s'],
  ])('%d ms → %s', (ms, s) => expect(formatDuration(ms)).toBe(s));

  it('round-trips with parseDuration', () => {
    for (const s of ['10s', '1m20s', '5m0s', '1.5s', '300ms', '1h2m3s', '2h0m0s', '1.25ms']) expect(formatDuration(parseDuration(s))).toBe(s);
  });
});
