// control-plane/controllers/cronjob/index.ts — the CronJob controller: startCronJobController (controller.ts),
// its pure decisions (decide.ts: one sync; missed.ts: the most recent unmet time, the requeue; jobs.ts: the
// Job of a scheduled time), the schedule parser the API server validates with (schedule.ts, duration.ts) and
// the lab clock (times.ts).
export { startCronJobController, CRONJOB_CONTROLLER, CRONJOBS, type CronJobController, type CronJobControllerOptions } from './controller.js';
export { syncCronJob, recordCreated, type SyncInput, type SyncPlan, type PlannedEvent } from './decide.js';
export { mostRecentScheduleTime, requeueAfter, NEXT_SCHEDULE_DELTA_MS, MAX_MISSED } from './missed.js';
export { jobFromTemplate, jobName, SCHEDULED_TIMESTAMP_ANNOTATION, type CronJob, type Job } from './jobs.js';
export { parseStandard, nextAfter, loadLocationError, type Schedule } from './schedule.js';
export { labClock, REAL_TIME, type LabClock, type TimeScale } from './times.js';
