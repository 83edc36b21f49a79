// control-plane/controllers/job/success-policy.ts — PURE: spec.successPolicy of an Indexed Job (GA in 1.33):
// the rules are tried in order against the succeeded indexes; a rule with succeededIndexes is met when all
// those indexes succeeded, or at least succeededCount of them; a rule with only succeededCount when that many
// indexes succeeded. The first rule met gives SuccessCriteriaMet with reason SuccessPolicy and the message
// "Matched rules at index <i>"; the remaining pods are then deleted and Complete follows (decide.ts).
import { parseIndexes } from './indexes.js';
import { successPolicyMet, type EndCondition, type Job } from './types.js';

export function matchSuccessPolicy(job: Job, succeeded: ReadonlySet<number>): EndCondition | undefined {
  const rules = job.spec?.successPolicy?.rules ?? [];
  if (succeeded.size === 0) return undefined;
  const completions = job.spec?.completions ?? 0;
  for (const [i, rule] of rules.entries()) {
    const count = typeof rule.succeededCount === 'number' ? rule.succeededCount : undefined;
    if (typeof rule.succeededIndexes === 'string') {
      const wanted = parseIndexes(rule.succeededIndexes, completions);
      if (wanted.size === 0) continue;
      const hit = [...wanted].filter((ix) => succeeded.has(ix)).length;
      if (hit === wanted.size || (count !== undefined && hit >= count)) return successPolicyMet(i);
    } else if (count !== undefined && succeeded.size >= count) {
      return successPolicyMet(i);
    }
  }
  return undefined;
}
