/**
 * Every guardrail rule, in the order they are evaluated and documented. Pure code: importing
 * this starts nothing, so the offline plan and the tests use it directly.
 */
import { budgetRule } from "./budget";
import { contentSafetyRule } from "./contentSafety";
import { dataProtectionRule } from "./dataProtection";
import { keyVaultPurgeProtectionRule, keyVaultRbacRule } from "./keyVault";
import { supportedModelRule } from "./models";
import { dataPlanePublicNetworkRule } from "./network";
import { httpsOnlyRule, minimumTlsRule, noPublicBlobAccessRule, sharedKeyOffRule } from "./storage";
import { requiredTagsRule } from "./tags";
import type { Enforcement, ResourceRule, Rule, StackRule } from "./types";
import { workspaceIdentityRule, workspacePublicNetworkRule } from "./workspace";

export const RESOURCE_RULES: readonly ResourceRule[] = [
  contentSafetyRule,
  noPublicBlobAccessRule,
  httpsOnlyRule,
  minimumTlsRule,
  keyVaultRbacRule,
  keyVaultPurgeProtectionRule,
  workspaceIdentityRule,
  workspacePublicNetworkRule,
  dataPlanePublicNetworkRule,
  requiredTagsRule,
  supportedModelRule,
  dataProtectionRule,
];

export const STACK_RULES: readonly StackRule[] = [sharedKeyOffRule, budgetRule];

export const ALL_RULES: readonly Rule[] = [...RESOURCE_RULES, ...STACK_RULES];

/**
 * The CrossGuard policy that reports a rule's findings of one level. CrossGuard fixes one
 * enforcement level per policy, so a rule whose level depends on the environment becomes two
 * policies: `<rule>` (mandatory) and `<rule>-advisory`. The offline runner uses the same names.
 */
export function policyName(rule: Rule, level: Enforcement): string {
  return level === "advisory" && rule.levels.includes("mandatory") ? `${rule.name}-advisory` : rule.name;
}

/** Does a resource rule look at this type? */
export function appliesTo(rule: ResourceRule, type: string): boolean {
  return rule.types === undefined || rule.types.includes(type);
}

export type { Enforcement, Finding, ResourceRule, ResourceUnderTest, Rule, StackResource, StackRule } from "./types";
