/**
 * Runs the CrossGuard pack (`policy/policies.ts`) over a planned stack the way the Pulumi engine
 * does, without the CLI: every resource policy is called for every resource (the policy itself
 * decides whether the type concerns it), every stack policy once with all resources. The result
 * has the shape of `evaluatePolicies`' violations, so a test can hold both runners to the same
 * expectation. `policy/index.ts` is never imported: constructing the PolicyPack starts a server.
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { PlannedResource } from "../../plan/types";
import type { PolicyViolation } from "../../policy/offline";
import { policies } from "../../policy/policies";

/** Only the options the adapters read; the rest of CrossGuard's options are irrelevant here. */
function options(r: PlannedResource) {
  return { protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };
}

function resourceArgs(r: PlannedResource): ResourceValidationArgs {
  return { type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: options(r) } as unknown as ResourceValidationArgs;
}

/** The stack as CrossGuard hands it to stack policies: dependencies are resources, not URNs. */
function policyResources(stack: readonly PlannedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = stack.map((r) => {
    const resource = { type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: options(r), dependencies: [] as PolicyResource[], propertyDependencies: {} } as unknown as PolicyResource;
    byUrn.set(r.urn, resource);
    return resource;
  });
  stack.forEach((r, i) => resources[i]!.dependencies.push(...r.dependsOn.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined)));
  return resources;
}

const isResourcePolicy = (p: ResourceValidationPolicy | StackValidationPolicy): p is ResourceValidationPolicy => "validateResource" in p;

/** Every violation the pack reports, resource policies first (resource by resource), then stack policies. */
export function crossGuardViolations(stack: readonly PlannedResource[]): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const r of stack) {
    for (const policy of policies.filter(isResourcePolicy)) {
      const validate = policy.validateResource;
      if (typeof validate !== "function") throw new Error(`${policy.name}: expected a single validateResource function`);
      void validate(resourceArgs(r), (message) =>
        violations.push({ policy: policy.name, enforcement: policy.enforcementLevel as PolicyViolation["enforcement"], urn: r.urn, resourceName: r.name, message }),
      );
    }
  }
  const args = { resources: policyResources(stack) } as StackValidationArgs;
  for (const policy of policies.filter((p): p is StackValidationPolicy => !isResourcePolicy(p))) {
    void policy.validateStack(args, (message, urn) => {
      const resourceName = stack.find((r) => r.urn === urn)?.name;
      violations.push({ policy: policy.name, enforcement: policy.enforcementLevel as PolicyViolation["enforcement"], ...(urn ? { urn } : {}), ...(resourceName ? { resourceName } : {}), message });
    });
  }
  return violations;
}
