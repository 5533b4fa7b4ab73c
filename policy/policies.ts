/**
 * The CrossGuard policies, built from the pure rules. Kept apart from `./index.ts` because
 * constructing a `PolicyPack` immediately starts the analyzer's gRPC server (see
 * `@pulumi/policy/policy.js`); this module only builds plain objects, so tests can inspect
 * and call every policy without a server or the CLI. Only types come from `@pulumi/policy`.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { appliesTo, policyName, RESOURCE_RULES, STACK_RULES, type Enforcement, type ResourceRule, type ResourceUnderTest, type StackResource, type StackRule } from "./rules";

export const POLICY_PACK_NAME = "llama-finetune-guardrails";

/*
 * CrossGuard always sets `opts`, `dependencies` and `propertyDependencies` (@pulumi/policy 1.21
 * server.js: `getResourceOptions` throws "A more recent version of the Pulumi CLI is required"
 * rather than leave `opts` out; the stack's resources get a list and a map, empty when there are
 * none), as its types say, so they are read without fallbacks.
 */

/** CrossGuard's view of a resource → the rules' view. `props` may be CrossGuard's unknown-checking proxy. */
function fromResourceArgs(args: ResourceValidationArgs): ResourceUnderTest {
  const props: Record<string, unknown> = args.props;
  return { type: args.type, name: args.name, urn: args.urn, props, protect: args.opts.protect };
}

function fromPolicyResource(resource: PolicyResource): StackResource {
  const props: Record<string, unknown> = resource.props;
  const dependsOn = new Set<string>(resource.dependencies.map((d) => d.urn));
  for (const deps of Object.values(resource.propertyDependencies)) for (const d of deps) dependsOn.add(d.urn);
  return { type: resource.type, name: resource.name, urn: resource.urn, props, protect: resource.opts.protect, dependsOn: [...dependsOn] };
}

function levelDescription(rule: ResourceRule | StackRule, level: Enforcement): string {
  return rule.levels.length > 1 ? `${rule.description} [${level} part]` : rule.description;
}

function resourcePolicy(rule: ResourceRule, level: Enforcement): ResourceValidationPolicy {
  return {
    name: policyName(rule, level),
    description: levelDescription(rule, level),
    enforcementLevel: level,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!appliesTo(rule, args.type)) return;
      for (const finding of rule.check(fromResourceArgs(args))) {
        if (finding.enforcement === level) reportViolation(finding.message);
      }
    },
  };
}

function stackPolicy(rule: StackRule, level: Enforcement): StackValidationPolicy {
  return {
    name: policyName(rule, level),
    description: levelDescription(rule, level),
    enforcementLevel: level,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      for (const finding of rule.check(args.resources.map(fromPolicyResource))) {
        if (finding.enforcement === level) reportViolation(finding.message, finding.urn);
      }
    },
  };
}

/** One policy per rule and level, in rule order. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...RESOURCE_RULES.flatMap((rule) => rule.levels.map((level) => resourcePolicy(rule, level))),
  ...STACK_RULES.flatMap((rule) => rule.levels.map((level) => stackPolicy(rule, level))),
];
