import { evaluatePolicies, formatViolations, hasMandatoryViolation } from "../../policy/offline";
import { ALL_RULES, policyName } from "../../policy/rules";
import { compliantStack, endpointProps, planned, urnOf, withResource } from "./fixtures";

const EP = "azure-native:machinelearningservices:ServerlessEndpoint";

describe("evaluatePolicies", () => {
  it.each(["prod", "dev", "test"] as const)("finds nothing in a compliant %s stack", (env) => {
    expect(evaluatePolicies(compliantStack(env))).toEqual([]);
  });

  it("refuses a prod stack with content safety off: one mandatory violation naming the endpoint", () => {
    const stack = withResource(compliantStack("prod"), "llama-ep", (r) => ({ ...r, inputs: endpointProps("prod", "Disabled") }));
    const violations = evaluatePolicies(stack);
    expect(violations).toEqual([
      {
        policy: "serverless-endpoint-content-safety",
        enforcement: "mandatory",
        urn: urnOf("prod", EP, "llama-ep"),
        resourceName: "llama-ep",
        message: expect.stringContaining("set `llama-finetune-env:contentSafety: true` in Pulumi.prod.yaml"),
      },
    ]);
    expect(hasMandatoryViolation(violations)).toBe(true);
  });

  it("reports the same problem in dev under the advisory policy, which does not block", () => {
    const stack = withResource(compliantStack("dev"), "llama-ep", (r) => ({ ...r, inputs: endpointProps("dev", "Disabled") }));
    const violations = evaluatePolicies(stack);
    expect(violations.map((v) => [v.policy, v.enforcement])).toEqual([["serverless-endpoint-content-safety-advisory", "advisory"]]);
    expect(hasMandatoryViolation(violations)).toBe(false);
  });

  it("lists every violation, resource rules in resource order, then stack rules", () => {
    let stack = compliantStack("prod").filter((r) => r.type !== "azure-native:consumption:Budget");
    stack = withResource(stack, "storage", (r) => ({ ...r, protect: false, inputs: { ...r.inputs, minimumTlsVersion: "TLS1_0", allowSharedKeyAccess: true } }));
    stack = withResource(stack, "vault", (r) => ({ ...r, inputs: { ...r.inputs, tags: { environment: "prod" } } }));
    const violations = evaluatePolicies(stack);
    expect(violations.map((v) => `${v.policy}:${v.resourceName ?? "(stack)"}`)).toEqual([
      "storage-min-tls-1-2:storage",
      "data-resources-protected-in-prod:storage",
      "required-tags:vault",
      "storage-shared-key-off-for-identity-datastores:storage",
      "stack-has-budget-with-contact:(stack)",
    ]);
    expect(violations.every((v) => v.enforcement === "mandatory")).toBe(true);
    expect(violations[4].urn).toBeUndefined();
  });

  it("uses the plan's protect flag and dependencies", () => {
    const stack = withResource(compliantStack("prod"), "training_data", (r) => ({ ...r, inputs: { properties: { ...(r.inputs.properties as object), accountName: undefined } } }));
    const withKeys = withResource(stack, "storage", (r) => ({ ...r, inputs: { ...r.inputs, allowSharedKeyAccess: true } }));
    expect(evaluatePolicies(withKeys).map((v) => v.policy)).toEqual(["storage-shared-key-off-for-identity-datastores"]);
  });

  it("formats mandatory violations first, one line each", () => {
    const stack = [
      ...withResource(compliantStack("dev"), "llama-ep", (r) => ({ ...r, inputs: endpointProps("dev", "Disabled") })),
      planned("dev", "azure-native:resources:ResourceGroup", "rg2", {}),
    ];
    const lines = formatViolations(evaluatePolicies(stack)).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[mandatory\] required-tags \(rg2\): /);
    expect(lines[1]).toMatch(/^\[advisory\] serverless-endpoint-content-safety-advisory \(llama-ep\): /);
  });

  it("blocks when any violation is mandatory, whatever else there is", () => {
    const advisory = { policy: "serverless-endpoint-content-safety-advisory", enforcement: "advisory" as const, message: "m" };
    const mandatory = { policy: "required-tags", enforcement: "mandatory" as const, message: "m" };
    expect(hasMandatoryViolation([advisory, mandatory])).toBe(true);
    expect(hasMandatoryViolation([advisory])).toBe(false);
    expect(hasMandatoryViolation([])).toBe(false);
  });

  it("formats a violation of the stack as a whole without a resource name", () => {
    const stack = compliantStack("dev").filter((r) => r.type !== "azure-native:consumption:Budget");
    expect(formatViolations(evaluatePolicies(stack))).toBe(
      '[mandatory] stack-has-budget-with-contact: Stack "dev" has no budget (azure-native:consumption:Budget); nobody would be told when spending runs away. ' +
        "Fix: set `llama-finetune-env:budget` with amount and contactEmails in Pulumi.dev.yaml (the budget starts in the month the stack is created).",
    );
  });

  it("names each violation after a policy the CrossGuard pack defines", () => {
    const names = ALL_RULES.flatMap((rule) => rule.levels.map((level) => policyName(rule, level)));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("serverless-endpoint-content-safety-advisory");
  });
});
