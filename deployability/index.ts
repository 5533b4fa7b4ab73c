/**
 * Every deployability rule, and the runners the offline plan and the tests use.
 *
 * When a new way ARM refuses a deployment is learned, it becomes one more rule here, with the
 * Azure behaviour and its source in the rule's comment, and a test that drives it.
 */
import { appInsightsIngestionRule } from "./rules/appInsights";
import { automaticRoleAssignmentsRule } from "./rules/automaticRoleAssignments";
import { budgetContactsRule } from "./rules/budgetContacts";
import { dataAfterUploadRule } from "./rules/dataDependencies";
import { datesRule } from "./rules/dates";
import { dynamicProvidersRule } from "./rules/dynamicProviders";
import { firewallIpRulesRule, managedNetworkRule } from "./rules/managedNetwork";
import { modelsRule } from "./rules/models";
import { principalTypeRule } from "./rules/principalType";
import { privateDnsAcrossStacksRule, privateDnsGlobalRule, privateEndpointDnsRule, privateEndpointRegionRule } from "./rules/privateDns";
import { registrationRule } from "./rules/registration";
import { recreateAfterDestroyRule, type RecreateHow, type RecreateRule } from "./rules/softDelete";
import { nothingUndeletableDeletedRule, undeletableRetainedRule } from "./rules/undeletable";
import { uniqueNamesAcrossStacksRule, uniqueNamesInPlanRule } from "./rules/uniqueNames";
import type { CrossStackRule, DeployabilityFinding, Finding, PlanFacts, PlanRule, TransitionRule } from "./types";

/** Rules over one plan: run by the offline plan (`npm run plan`), which fails on any error. */
export const PLAN_RULES: readonly PlanRule[] = [
  automaticRoleAssignmentsRule,
  principalTypeRule,
  uniqueNamesInPlanRule,
  undeletableRetainedRule,
  dynamicProvidersRule,
  datesRule,
  modelsRule,
  registrationRule,
  budgetContactsRule,
  dataAfterUploadRule,
  appInsightsIngestionRule,
  privateDnsGlobalRule,
  privateEndpointDnsRule,
  privateEndpointRegionRule,
  managedNetworkRule,
  firewallIpRulesRule,
];

/** Rules over the plans of several stacks of one tenant (dev, prod and a pr-N together). */
export const CROSS_STACK_RULES: readonly CrossStackRule[] = [uniqueNamesAcrossStacksRule, privateDnsAcrossStacksRule];

/** Rules over a change from one plan to the next, or a destroy. */
export const TRANSITION_RULES: readonly TransitionRule[] = [nothingUndeletableDeletedRule];

/** Rules over destroying a stack and creating it again. */
export const RECREATE_RULES: readonly RecreateRule[] = [recreateAfterDestroyRule];

const tag = (rule: { name: string; source: string }) => (f: Finding): DeployabilityFinding => ({ ...f, rule: rule.name, source: rule.source });

export async function checkPlan(plan: PlanFacts): Promise<DeployabilityFinding[]> {
  const findings: DeployabilityFinding[] = [];
  for (const rule of PLAN_RULES) findings.push(...(await rule.check(plan)).map(tag(rule)));
  return findings;
}

export function checkAcrossStacks(plans: readonly PlanFacts[]): DeployabilityFinding[] {
  return CROSS_STACK_RULES.flatMap((rule) => rule.check(plans).map(tag(rule)));
}

/** `after` undefined checks `pulumi destroy` of `before`. */
export function checkTransition(before: PlanFacts, after: PlanFacts | undefined): DeployabilityFinding[] {
  return TRANSITION_RULES.flatMap((rule) => rule.check(before, after).map(tag(rule)));
}

export function checkRecreate(destroyed: PlanFacts, recreated: PlanFacts, how: RecreateHow): DeployabilityFinding[] {
  return RECREATE_RULES.flatMap((rule) => rule.check(destroyed, recreated, how).map(tag(rule)));
}

export function hasError(findings: readonly DeployabilityFinding[]): boolean {
  return findings.some((f) => f.severity === "error");
}

/** One line per finding, errors first. */
export function formatFindings(findings: readonly DeployabilityFinding[]): string[] {
  const ordered = [...findings.filter((f) => f.severity === "error"), ...findings.filter((f) => f.severity === "warning")];
  return ordered.map((f) => `[${f.severity}] ${f.rule}${f.stack ? ` (stack ${f.stack})` : ""}: ${f.message}`);
}

export type { DeployabilityFinding, Finding, PlanFacts } from "./types";
export type { RecreateHow } from "./rules/softDelete";
