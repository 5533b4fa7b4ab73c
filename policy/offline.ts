/**
 * Runs the guardrails without the Pulumi CLI, over the resources the offline plan recorded.
 * Same rules and same policy names as the CrossGuard pack (`./policies.ts`), so a violation
 * reads the same in `npm run plan` and in `pulumi preview --policy-pack policy`.
 *
 * Imports only the pure rules: `./index.ts` constructs the `PolicyPack`, which starts a gRPC
 * server and waits for the engine, and must never be imported here.
 */
import type { PlannedResource } from "../plan/types";
import { appliesTo, policyName, RESOURCE_RULES, STACK_RULES, type Finding, type Rule, type StackResource } from "./rules";

export interface PolicyViolation {
  /** The CrossGuard policy name (`<rule>` or `<rule>-advisory`). */
  policy: string;
  enforcement: "mandatory" | "advisory";
  /** The offending resource; absent when the stack as a whole is at fault (e.g. no budget). */
  urn?: string;
  resourceName?: string;
  message: string;
}

function toStackResource(r: PlannedResource): StackResource {
  return { type: r.type, name: r.name, urn: r.urn, props: r.inputs, protect: r.protect, dependsOn: r.dependsOn };
}

function toViolation(rule: Rule, finding: Finding, resource?: StackResource): PolicyViolation {
  const urn = finding.urn ?? resource?.urn;
  const resourceName = finding.resourceName ?? resource?.name;
  return {
    policy: policyName(rule, finding.enforcement),
    enforcement: finding.enforcement,
    ...(urn !== undefined ? { urn } : {}),
    ...(resourceName !== undefined ? { resourceName } : {}),
    message: finding.message,
  };
}

/**
 * Every violation of every rule, resource rules first (in resource order, then rule order),
 * then stack rules. The caller decides what to do; the plan fails when any is mandatory.
 */
export function evaluatePolicies(resources: readonly PlannedResource[]): PolicyViolation[] {
  const stack = resources.map(toStackResource);
  const violations: PolicyViolation[] = [];
  for (const resource of stack) {
    for (const rule of RESOURCE_RULES) {
      if (!appliesTo(rule, resource.type)) continue;
      for (const finding of rule.check(resource)) violations.push(toViolation(rule, finding, resource));
    }
  }
  for (const rule of STACK_RULES) {
    for (const finding of rule.check(stack)) violations.push(toViolation(rule, finding));
  }
  return violations;
}

/** True if any violation would stop a deployment. */
export function hasMandatoryViolation(violations: readonly PolicyViolation[]): boolean {
  return violations.some((v) => v.enforcement === "mandatory");
}

/** One line per violation, mandatory first, for the plan's output. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  const ordered = [...violations.filter((v) => v.enforcement === "mandatory"), ...violations.filter((v) => v.enforcement === "advisory")];
  return ordered.map((v) => `[${v.enforcement}] ${v.policy}${v.resourceName ? ` (${v.resourceName})` : ""}: ${v.message}`).join("\n");
}
