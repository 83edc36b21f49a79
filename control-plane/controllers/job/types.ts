// control-plane/controllers/job/types.ts — the batch/v1 Job as the Job controller reads and writes it, the
// keys it stamps (control-plane-semantics.md §2.1–2.2), the condition reasons and messages (§2.4), and the
// back-off constants (§2.3).
import type { KubeObject, ResourceRef } from '../../../client/index.js';
import type { PodTemplate, ReplicaSet } from '../replicaset/index.js';
import type { Pod } from '../replicaset/index.js';

export type { Pod };

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true };

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** Counted failures of the pods before this one in its index (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-failure-count';
/** Failures of the index that a podFailurePolicy Ignore rule did not count. */
export const INDEX_IGNORED_FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** First re-creation delay after a failed pod (DefaultJobPodFailureBackOff). */
export const POD_FAILURE_BACKOFF_MS = 10_000;
/** Where the doubling stops (MaxJobPodFailureBackOff in the controller's code; the docs say six minutes). */
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface SuccessPolicyRule { succeededIndexes?: string; succeededCount?: number }

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number | null;
  maxFailedIndexes?: number | null;
  successPolicy?: { rules: SuccessPolicyRule[] };
  manualSelector?: boolean;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  ttlSecondsAfterFinished?: number;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  selector?: NonNullable<ReplicaSet['spec']>['selector'];
  template?: PodTemplate;
}

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export interface JobStatus {
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  /** Only with backoffLimitPerIndex ('' until an index fails). */
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  conditions?: JobCondition[];
}

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}

/** A condition the controller sets on its way to the end (§2.4). */
export interface EndCondition { type: string; reason: string; message: string }

export const BACKOFF_LIMIT_EXCEEDED: EndCondition = { type: 'FailureTarget', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE_EXCEEDED: EndCondition = { type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const MAX_FAILED_INDEXES_EXCEEDED: EndCondition = { type: 'FailureTarget', reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
export const FAILED_INDEXES: EndCondition = { type: 'FailureTarget', reason: 'FailedIndexes', message: 'Job has failed indexes' };
/** successPolicy rule i met. */
export const successPolicyMet = (i: number): EndCondition => ({ type: 'SuccessCriteriaMet', reason: 'SuccessPolicy', message: `Matched rules at index ${i}` });
export const COMPLETIONS_REACHED: EndCondition = { type: 'SuccessCriteriaMet', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

export interface PlannedEvent { type: 'Normal' | 'Warning'; reason: string; message: string }

export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';
/** Indexed with spec.backoffLimitPerIndex: each index has its own failure budget. */
export const hasBackoffLimitPerIndex = (job: Job): boolean => isIndexed(job) && typeof job.spec?.backoffLimitPerIndex === 'number';
export const conditionTrue = (job: Job, type: string): JobCondition | undefined =>
  job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
/** Complete or Failed True: nothing more to do but cleanup and TTL. */
export const isFinished = (job: Job): JobCondition | undefined => conditionTrue(job, 'Complete') ?? conditionTrue(job, 'Failed');
