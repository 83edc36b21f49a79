// control-plane/controllers/job/failure-policy.ts — PURE: podFailurePolicy (§2.5) for one failed pod: the
// first rule that matches (onExitCodes: a terminated init or app container, filtered by containerName, with a
// non-zero exit code In / NotIn the values; onPodConditions: a pod condition of that type and status) decides
// FailJob (with upstream's message), Ignore (not counted) or Count. No rule matches: Count.
import { containerStatuses } from './pods.js';
import type { Job, Pod, PodFailurePolicyRule } from './types.js';

export interface PolicyOutcome { action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex'; message?: string }

function matchExitCodes(rule: PodFailurePolicyRule, p: Pod): string | undefined {
  const req = rule.onExitCodes!;
  for (const c of containerStatuses(p)) {
    const code = c.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.containerName !== undefined && req.containerName !== c.name) continue;
    if (req.values.includes(code) === (req.operator === 'In')) return `Container ${c.name} for pod ${p.metadata?.namespace}/${p.metadata?.name} failed with exit code ${code}`;
  }
  return undefined;
}

function matchConditions(rule: PodFailurePolicyRule, p: Pod): string | undefined {
  for (const pat of rule.onPodConditions ?? []) {
    if (p.status?.conditions?.some((c) => c.type === pat.type && c.status === (pat.status ?? 'True'))) {
      return `Pod ${p.metadata?.namespace}/${p.metadata?.name} has condition ${pat.type}`;
    }
  }
  return undefined;
}

export function matchPodFailurePolicy(job: Job, p: Pod): PolicyOutcome {
  for (const [i, rule] of (job.spec?.podFailurePolicy?.rules ?? []).entries()) {
    const what = rule.onExitCodes ? matchExitCodes(rule, p) : matchConditions(rule, p);
    if (what === undefined) continue;
    return rule.action === 'FailJob' ? { action: 'FailJob', message: `${what} matching FailJob rule at index ${i}` } : { action: rule.action };
  }
  return { action: 'Count' };
}
