// control-plane/registry/proto/workloads.ts — protobuf layouts of the top workload kinds kubectl's typed
// `create deployment|job|cronjob` (and `create job --from=cronjob/X`) send: apps/v1 Deployment (strategy with
// IntOrString rolling-update bounds), batch/v1 Job (JobSpec incl. podFailurePolicy and successPolicy) and
// CronJob (CronJobSpec with its jobTemplate). A KindDef's `protobuf:` is one of these.
//
// PURE data (k8s.io/api apps/v1 and batch/v1 generated.proto field numbers).
import type { ProtoMessage } from '../types.js';
import { bool, bool0, int, int0, intOrStr, ints, list, msg, str } from './fields.js';
import { LABEL_SELECTOR, OBJECT_META } from './meta.js';
import { POD_TEMPLATE_SPEC } from './pod.js';

const DEPLOYMENT_STRATEGY: ProtoMessage = {
  1: str('type'), 2: msg('rollingUpdate', { 1: intOrStr('maxUnavailable'), 2: intOrStr('maxSurge') }),
};

const DEPLOYMENT_SPEC: ProtoMessage = {
  1: int('replicas'), 2: msg('selector', LABEL_SELECTOR), 3: msg('template', POD_TEMPLATE_SPEC), 4: msg('strategy', DEPLOYMENT_STRATEGY),
  5: int0('minReadySeconds'), 6: int('revisionHistoryLimit'), 7: bool0('paused'), 9: int('progressDeadlineSeconds'),
};

/** apps/v1 Deployment (its status is not read: a create ignores it). */
export const DEPLOYMENT: ProtoMessage = { 1: msg('metadata', OBJECT_META), 2: msg('spec', DEPLOYMENT_SPEC) };

const POD_FAILURE_POLICY_RULE: ProtoMessage = {
  1: str('action'),
  2: msg('onExitCodes', { 1: str('containerName'), 2: str('operator'), 3: ints('values') }),
  3: list('onPodConditions', { 1: str('type'), 2: str('status') }),
};

export const JOB_SPEC: ProtoMessage = {
  1: int('parallelism'), 2: int('completions'), 3: int('activeDeadlineSeconds'),
  11: msg('podFailurePolicy', { 1: list('rules', POD_FAILURE_POLICY_RULE) }),
  16: msg('successPolicy', { 1: list('rules', { 1: str('succeededIndexes'), 2: int('succeededCount') }) }),
  7: int('backoffLimit'), 12: int('backoffLimitPerIndex'), 13: int('maxFailedIndexes'),
  4: msg('selector', LABEL_SELECTOR), 5: bool('manualSelector'), 6: msg('template', POD_TEMPLATE_SPEC),
  8: int('ttlSecondsAfterFinished'), 9: str('completionMode'), 10: bool('suspend'), 14: str('podReplacementPolicy'), 15: str('managedBy'),
};

/** batch/v1 Job. */
export const JOB: ProtoMessage = { 1: msg('metadata', OBJECT_META), 2: msg('spec', JOB_SPEC) };

const CRON_JOB_SPEC: ProtoMessage = {
  1: str('schedule'), 8: str('timeZone'), 2: int('startingDeadlineSeconds'), 3: str('concurrencyPolicy'), 4: bool('suspend'),
  5: msg('jobTemplate', { 1: msg('metadata', OBJECT_META), 2: msg('spec', JOB_SPEC) }),
  6: int('successfulJobsHistoryLimit'), 7: int('failedJobsHistoryLimit'),
};

/** batch/v1 CronJob. */
export const CRON_JOB: ProtoMessage = { 1: msg('metadata', OBJECT_META), 2: msg('spec', CRON_JOB_SPEC) };
