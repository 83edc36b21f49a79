// control-plane/controllers/cronjob/missed.ts — which scheduled time a CronJob owes now (§3.2 steps 2–3): the
// earliest instant still to consider (lastScheduleTime, else creation; not before now − startingDeadlineSeconds
// when asked), the most recent schedule time at or before now after it, and whether more than 100 were
// missed (counted as upstream does: (now − t1) / (t2 − t1) + 1, t1 and t2 the first two times after the
// earliest). And when to look again: the next time after the most recent one, + 100 ms.
//
// PURE: times are controller-time ms.
import { nextAfter, type Schedule } from './schedule.js';

/** Reconcile again this long after the next schedule time (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this raise TooManyMissedTimes. */
export const MAX_MISSED = 100;

export interface RecentInput {
  readonly schedule: Schedule;
  /** Zone a field schedule is read in (spec.timeZone; undefined = local). */
  readonly zone?: string;
  readonly now: number;
  /** lastScheduleTime, else creationTimestamp (controller time). */
  readonly earliest: number;
  readonly startingDeadlineSeconds?: number;
}

export type Recent =
  | { kind: 'none'; earliest: number }
  | { kind: 'due'; earliest: number; time: number; tooMany: boolean }
  | { kind: 'error'; earliest: number; message: string };

/** mostRecentScheduleTime. */
export function mostRecentScheduleTime(i: RecentInput, includeDeadline: boolean): Recent {
  let earliest = i.earliest;
  if (includeDeadline && i.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, i.now - i.startingDeadlineSeconds * 1000);
  const next = (t: number): number | undefined => nextAfter(i.schedule, t, i.zone);
  const t1 = next(earliest);
  if (t1 === undefined || i.now < t1) return { kind: 'none', earliest };
  const t2 = next(t1);
  if (t2 === undefined || i.now < t2) return { kind: 'due', earliest, time: t1, tooMany: false };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { kind: 'error', earliest, message: 'time difference between two schedules is less than 1 second' };
  const missed = Math.trunc((i.now - t1) / 1000 / between) + 1;
  // Jump close to now, one interval early, and let the schedule find the exact most recent time.
  let t = next(t1 + (missed - 2) * between * 1000);
  let recent: number | undefined;
  while (t !== undefined && t <= i.now) { recent = t; t = next(t); }
  if (recent === undefined) return { kind: 'none', earliest };
  return { kind: 'due', earliest, time: recent, tooMany: missed > MAX_MISSED };
}

/** nextScheduleTimeDuration: ms from now until the schedule after the most recent time (or after earliest), + 100 ms. */
export function requeueAfter(i: RecentInput): number | undefined {
  const r = mostRecentScheduleTime(i, false);
  const from = r.kind === 'due' ? r.time : r.kind === 'none' ? r.earliest : i.now;
  const next = nextAfter(i.schedule, from, i.zone);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - i.now;
}
