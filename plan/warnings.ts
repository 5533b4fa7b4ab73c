/**
 * Things a reviewer should notice in a plan that are allowed but worth a second look.
 * (Hard rules live in the policy pack; these never fail the plan.)
 */
import type { StackConfig } from "../config/schema";
import { modelWarnings } from "../config/models";
import { networkWarnings } from "../config/network";

/** `today`: the day the plan is made for (the model's lifecycle is judged on it). */
export function planWarnings(config: StackConfig, stack: string, today: Date = new Date()): string[] {
  const warnings: string[] = [...modelWarnings(config, today)];
  if (!config.contentSafety) {
    warnings.push(`content safety is OFF for every serverless endpoint of stack "${stack}" (llama-finetune-env:contentSafety: false)`);
  }
  if (config.budget.contactEmails.length === 0) {
    warnings.push(`the budget has no contacts: nobody is e-mailed when spending crosses a threshold (set llama-finetune-env:budget.contactEmails)`);
  }
  warnings.push(...networkWarnings(config));
  if (config.endpointAuth.mode === "Key") warnings.push(`serverless endpoints use key authentication: ${config.endpointAuth.reason}`);
  if (config.environment === "test" && !config.expiresOn) {
    warnings.push(`test stack "${stack}" has no llama-finetune-env:expiresOn: the scheduled clean-up will never destroy it`);
  }
  if (config.principals.length === 0) {
    warnings.push(`no principals: nobody but the deployer can work in the project (set llama-finetune-env:principals; each gets the roles in README "Azure permissions")`);
  }
  return warnings;
}
