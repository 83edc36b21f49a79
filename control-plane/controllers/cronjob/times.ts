// control-plane/controllers/cronjob/times.ts — the CronJob controller's time: the lab clock (KubeletConfiguration
// `labClock.cronJobTimeScale`: schedules run `scale` times faster than real time from the agent's start, so a
// `*\/5` schedule can be watched in a lesson) as a ControllerClock plus the mapping between object timestamps
// (real, what the API server stamps and kubectl prints) and controller time; and the time formats the
// controller writes (RFC 1123Z of MissSchedule events, RFC 3339 in a time zone for the scheduled-timestamp
// annotation).
//
// Lab time = epoch + (real − epoch)·scale, epoch = the start floored to a whole minute, so that a minute
// boundary in lab time maps back to a whole real second when the scale divides 60 (statuses keep seconds).
import { realClock, rfc3339, type ControllerClock } from '../framework/index.js';

/** Real ↔ controller time. */
export interface TimeScale {
  readonly scale: number;
  /** A real instant (an object's timestamp) in controller time. */
  toLab(realMs: number): number;
  /** A controller instant as the real instant a status shows (rounded to the second when written). */
  toReal(labMs: number): number;
}

export const REAL_TIME: TimeScale = { scale: 1, toLab: (t) => t, toReal: (t) => t };

/** The lab clock: its now() runs `scale` times faster than `base`; its timers are shortened as much. */
export interface LabClock extends ControllerClock, TimeScale {}

export function labClock(scale: number, base: ControllerClock = realClock): LabClock {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`cronJobTimeScale must be a positive number, got ${scale}`);
  const epoch = Math.floor(base.now() / 60_000) * 60_000;
  const toLab = (t: number): number => epoch + (t - epoch) * scale;
  const toReal = (t: number): number => epoch + (t - epoch) / scale;
  return {
    scale, toLab, toReal,
    now: () => toLab(base.now()),
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / scale),
  };
}

/** The status form of a controller instant (RFC 3339, seconds). */
export const statusTime = (time: TimeScale, labMs: number): string => rfc3339(Math.round(time.toReal(labMs) / 1000) * 1000);

/** A status timestamp in controller time (undefined when absent or unreadable). */
export function labTimeOf(time: TimeScale, ts: unknown): number | undefined {
  const t = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? undefined : time.toLab(t);
}

/** Go's time.RFC1123Z of the instant in UTC: "Wed, 02 Dec 2026 04:45:00 +0000". */
export const rfc1123z = (ms: number): string => new Date(ms).toUTCString().replace(/GMT$/, '+0000');

/** Minutes east of UTC of `zone` at `ms`. */
function offsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(ms));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Go's t.In(zone).Format(time.RFC3339): UTC ('' or "UTC") ends in Z, other zones carry their offset. */
export function rfc3339In(ms: number, zone: string): string {
  if (zone === '' || zone === 'UTC') return rfc3339(ms);
  const off = offsetMinutes(ms, zone);
  if (off === 0) return rfc3339(ms); // Go writes Z for a zero offset
  const local = rfc3339(ms + off * 60_000).replace(/Z$/, '');
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
