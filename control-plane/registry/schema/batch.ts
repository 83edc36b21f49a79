// control-plane/registry/schema/batch.ts — OpenAPI definitions of batch/v1 Job (completions, parallelism,
// back-off, pod failure and success policies) and CronJob (schedule, concurrency, history), with statuses.
//
// PURE data (descriptions are this project's own).
import {
  conditionDef, batch, bool, core, def, i32, i64, ints, kindDef, list, meta, ref, str, time, type Definitions,
} from './build.js';

export const BATCH_DEFINITIONS: Definitions = {
  [batch('Job')]: kindDef('Runs pods until a number of them succeed, retrying failures up to a limit.', {
    spec: ref(batch('JobSpec'), 'What the Job runs and when it is done.'),
    status: ref(batch('JobStatus'), 'The observed progress of the Job.'),
  }),
  [batch('JobSpec')]: def('What a Job runs and when it is complete or failed.', {
    parallelism: i32('The most pods running at once (default 1).'),
    completions: i32('Successful pods needed to complete the Job (unset: any one success completes it).'),
    activeDeadlineSeconds: i64('Seconds the Job may be active before it is failed and its pods stopped.'),
    podFailurePolicy: ref(batch('PodFailurePolicy'), 'Rules on how a failed pod counts (fail the Job, ignore, count).'),
    successPolicy: ref(batch('SuccessPolicy'), 'Rules that declare an Indexed Job succeeded early.'),
    backoffLimit: i32('Failed pods tolerated before the Job fails (default 6).'),
    backoffLimitPerIndex: i32('Failed pods tolerated per index of an Indexed Job.'),
    maxFailedIndexes: i32('Failed indexes tolerated before an Indexed Job fails.'),
    selector: ref(meta('LabelSelector'), 'The label query over pods; generated from the Job\'s uid unless manualSelector.'),
    manualSelector: bool('Use the given selector instead of the generated one.'),
    template: ref(core('PodTemplateSpec'), 'The pod each attempt runs (restartPolicy Never or OnFailure).'),
    ttlSecondsAfterFinished: i32('Seconds after the Job finishes before it is deleted.'),
    completionMode: str('NonIndexed (default) or Indexed (each pod gets a completion index).'),
    suspend: bool('Stop creating pods, and delete running ones, while true.'),
    podReplacementPolicy: str('TerminatingOrFailed (default) or Failed: when a replacement pod is created.'),
    managedBy: str('The controller that manages the Job (default: the built-in one).'),
  }, ['template']),
  [batch('PodFailurePolicy')]: def('Rules applied, in order, to each failed pod.', {
    rules: list(batch('PodFailurePolicyRule'), 'The rules; the first that matches decides.'),
  }, ['rules']),
  [batch('PodFailurePolicyRule')]: def('One rule: a match on exit codes or pod conditions, and an action.', {
    action: str('FailJob, FailIndex, Ignore (not counted against backoffLimit) or Count.'),
    onExitCodes: ref(batch('PodFailurePolicyOnExitCodesRequirement'), 'Matches the exit codes of the containers.'),
    onPodConditions: list(batch('PodFailurePolicyOnPodConditionsPattern'), 'Matches conditions of the pod (DisruptionTarget, …).'),
  }, ['action']),
  [batch('PodFailurePolicyOnExitCodesRequirement')]: def('A match on container exit codes.', {
    containerName: str('Only this container (default: any).'),
    operator: str('In or NotIn.'),
    values: ints('The exit codes.'),
  }, ['operator', 'values']),
  [batch('PodFailurePolicyOnPodConditionsPattern')]: def('A match on a pod condition.', {
    type: str('The condition type.'),
    status: str('The condition status (default True).'),
  }, ['type']),
  [batch('SuccessPolicy')]: def('When an Indexed Job counts as succeeded.', {
    rules: list(batch('SuccessPolicyRule'), 'The rules; any one that holds succeeds the Job.'),
  }, ['rules']),
  [batch('SuccessPolicyRule')]: def('A set of indexes, or a count of them, that must succeed.', {
    succeededIndexes: str('Indexes, as "1,3-5", that must all succeed.'),
    succeededCount: i32('How many (of succeededIndexes, if given) must succeed.'),
  }),
  [batch('JobStatus')]: def('The observed state of a Job.', {
    conditions: list(batch('JobCondition'), 'Complete, Failed, Suspended and the steps before them.', 'type'),
    startTime: time('When the Job started (or was resumed).'),
    completionTime: time('When the Job completed.'),
    active: i32('Pods running now.'),
    succeeded: i32('Pods that succeeded.'),
    failed: i32('Pods that failed.'),
    terminating: i32('Pods terminating now.'),
    completedIndexes: str('The indexes of an Indexed Job that succeeded, as "1,3-5".'),
    failedIndexes: str('The indexes that failed, with backoffLimitPerIndex.'),
    uncountedTerminatedPods: ref(batch('UncountedTerminatedPods'), 'Finished pods not yet added to the counts.'),
    ready: i32('Pods that are Ready.'),
  }),
  [batch('JobCondition')]: conditionDef('a Job', 'Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.', {
    lastProbeTime: time('When the condition was last checked.'),
  }),
  [batch('UncountedTerminatedPods')]: def('Uids of finished pods the controller has yet to count.', {
    succeeded: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', description: 'Uids of succeeded pods.' },
    failed: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set', description: 'Uids of failed pods.' },
  }),

  [batch('CronJob')]: kindDef('Creates a Job on a repeating schedule.', {
    spec: ref(batch('CronJobSpec'), 'The schedule and the Job to create.'),
    status: ref(batch('CronJobStatus'), 'The observed Jobs of the CronJob.'),
  }),
  [batch('CronJobSpec')]: def('When a CronJob creates Jobs and what they are.', {
    schedule: str('The schedule in cron form ("*/5 * * * *") or a macro (@hourly, @every 1h, …).'),
    timeZone: str('The time zone of the schedule, e.g. "Europe/Paris" (default: the controller\'s).'),
    startingDeadlineSeconds: i64('Seconds after a scheduled time during which a missed Job may still start.'),
    concurrencyPolicy: str('Allow (default), Forbid (skip while one runs) or Replace (stop the running one).'),
    suspend: bool('Create no new Jobs while true.'),
    jobTemplate: ref(batch('JobTemplateSpec'), 'The Job created at each scheduled time.'),
    successfulJobsHistoryLimit: i32('Finished successful Jobs kept (default 3).'),
    failedJobsHistoryLimit: i32('Failed Jobs kept (default 1).'),
  }, ['schedule', 'jobTemplate']),
  [batch('JobTemplateSpec')]: def('The Job a CronJob creates: its metadata and spec.', {
    metadata: ref(meta('ObjectMeta'), 'Labels and annotations every created Job gets.'),
    spec: ref(batch('JobSpec'), 'The spec of every created Job.'),
  }),
  [batch('CronJobStatus')]: def('The observed state of a CronJob.', {
    active: list(core('ObjectReference'), 'The Jobs running now.'),
    lastScheduleTime: time('The last time a Job was scheduled.'),
    lastSuccessfulTime: time('The last time a Job succeeded.'),
  }),
};
