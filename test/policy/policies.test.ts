/**
 * The CrossGuard side, without the CLI: `policy/policies.ts` is inspected and its validate
 * functions are called with hand-built args. `policy/index.ts` is never imported here:
 * constructing the PolicyPack starts a gRPC server.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "../../policy/policies";
import { RESOURCE_RULES, STACK_RULES } from "../../policy/rules";
import { budgetProps, endpointProps, storageProps, urnOf } from "./fixtures";

const EP = "azure-native:machinelearningservices:ServerlessEndpoint";
const SA = "azure-native:storage:StorageAccount";
const policyDir = join(__dirname, "../../policy");

function byName<P extends ResourceValidationPolicy | StackValidationPolicy>(name: string): P {
  const policy = policies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy as P;
}

function resourceArgs(type: string, name: string, props: Record<string, unknown>, protect = false): ResourceValidationArgs {
  // Only the fields the adapters read; the rest of CrossGuard's args are irrelevant here.
  return { type, name, urn: urnOf("prod", type, name), props, opts: { protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } } } as unknown as ResourceValidationArgs;
}

function runResource(policyName: string, args: ResourceValidationArgs): string[] {
  const reported: string[] = [];
  const validate = byName<ResourceValidationPolicy>(policyName).validateResource;
  if (typeof validate !== "function") throw new Error("expected a single validateResource function");
  void validate(args, (message) => reported.push(message));
  return reported;
}

describe("CrossGuard policies", () => {
  it("has the pack name and one policy per rule and level, with the expected enforcement", () => {
    expect(POLICY_PACK_NAME).toBe("llama-finetune-guardrails");
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["serverless-endpoint-content-safety", "mandatory"],
      ["serverless-endpoint-content-safety-advisory", "advisory"],
      ["storage-no-public-blob-access", "mandatory"],
      ["storage-https-only", "mandatory"],
      ["storage-min-tls-1-2", "mandatory"],
      ["key-vault-rbac-authorization", "mandatory"],
      ["key-vault-purge-protection-in-prod", "mandatory"],
      ["workspace-managed-identity", "mandatory"],
      ["workspace-no-public-network-in-prod", "mandatory"],
      ["data-plane-no-public-network-in-prod", "mandatory"],
      ["required-tags", "mandatory"],
      ["supported-llama-model", "mandatory"],
      ["data-resources-protected-in-prod", "mandatory"],
      ["storage-shared-key-off-for-identity-datastores", "mandatory"],
      ["stack-has-budget-with-contact", "mandatory"],
    ]);
    for (const p of policies) expect(p.description.length).toBeGreaterThan(20);
  });

  it("tells the two levels of a split rule apart in their descriptions; a single-level rule keeps its own", () => {
    const description = (name: string) => byName(name).description;
    expect(description("serverless-endpoint-content-safety")).toBe("Serverless endpoints have content safety enabled (mandatory in prod, advisory elsewhere). [mandatory part]");
    expect(description("serverless-endpoint-content-safety-advisory")).toBe("Serverless endpoints have content safety enabled (mandatory in prod, advisory elsewhere). [advisory part]");
    expect(description("required-tags")).toBe("Every taggable resource carries the tags environment, stack, cost-center, managed-by, and environment is one of prod|dev|test.");
    expect(description("stack-has-budget-with-contact")).toBe("The stack has a consumption budget with a positive amount, and every budget notifies at least one contact.");
  });

  it("builds resource policies from the resource rules and stack policies from the stack rules", () => {
    expect(RESOURCE_RULES.map((r) => r.kind)).toEqual(RESOURCE_RULES.map(() => "resource"));
    expect(STACK_RULES.map((r) => r.kind)).toEqual(["stack", "stack"]);
    const kinds = policies.map((p) => ("validateResource" in p ? "resource" : "stack"));
    expect(kinds).toEqual([...RESOURCE_RULES.flatMap((r) => r.levels.map(() => "resource")), "stack", "stack"]);
  });

  it("reports a prod endpoint without content safety only through the mandatory policy", () => {
    const args = resourceArgs(EP, "llama-ep", endpointProps("prod", "Disabled"));
    expect(runResource("serverless-endpoint-content-safety", args)).toEqual([expect.stringContaining('Serverless endpoint "llama-ep" (environment prod)')]);
    expect(runResource("serverless-endpoint-content-safety-advisory", args)).toEqual([]);
  });

  it("reports a dev endpoint without content safety only through the advisory policy", () => {
    const args = resourceArgs(EP, "llama-ep", endpointProps("dev", "Disabled"));
    expect(runResource("serverless-endpoint-content-safety", args)).toEqual([]);
    expect(runResource("serverless-endpoint-content-safety-advisory", args)).toHaveLength(1);
  });

  it("reads protect from args.opts and ignores resources of other types", () => {
    expect(runResource("data-resources-protected-in-prod", resourceArgs(SA, "storage", storageProps("prod"), false))).toHaveLength(1);
    expect(runResource("data-resources-protected-in-prod", resourceArgs(SA, "storage", storageProps("prod"), true))).toEqual([]);
    expect(runResource("storage-https-only", resourceArgs(EP, "ep", {}))).toEqual([]);
  });

  it("validates the stack from CrossGuard resources, with dependencies and URNs", () => {
    const storage = { type: SA, name: "storage", urn: urnOf("prod", SA, "storage"), props: { ...storageProps("prod"), allowSharedKeyAccess: true }, opts: { protect: true }, dependencies: [], propertyDependencies: {} };
    const datastore = {
      type: "azure-native:machinelearningservices:Datastore",
      name: "training_data",
      urn: urnOf("prod", "azure-native:machinelearningservices:Datastore", "training_data"),
      props: { properties: { credentials: { credentialsType: "None" } } },
      opts: { protect: false },
      dependencies: [],
      propertyDependencies: { properties: [storage] },
    };
    const budget = { type: "azure-native:consumption:Budget", name: "budget", urn: urnOf("prod", "azure-native:consumption:Budget", "budget"), props: budgetProps([]), opts: { protect: false }, dependencies: [], propertyDependencies: {} };
    const args = { resources: [storage, datastore, budget] as unknown as PolicyResource[] } as StackValidationArgs;
    const run = (name: string) => {
      const reported: [string, string | undefined][] = [];
      void byName<StackValidationPolicy>(name).validateStack(args, (message, urn) => reported.push([message, urn]));
      return reported;
    };
    expect(run("storage-shared-key-off-for-identity-datastores")).toEqual([[expect.stringContaining('"training_data" reaches it'), storage.urn]]);
    expect(run("stack-has-budget-with-contact")).toEqual([[expect.stringContaining('Budget "budget" has no enabled notification'), budget.urn]]);
  });

  it("ships what the CLI needs: PulumiPolicy.yaml (nodejs) and a package.json with a version", () => {
    expect(readFileSync(join(policyDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(readFileSync(join(policyDir, "package.json"), "utf8")) as { version?: string };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(policyDir, "index.ts"))).toBe(true);
  });

  it("keeps the offline runner free of the pack's entry point (which would start a server)", () => {
    const offline = readFileSync(join(policyDir, "offline.ts"), "utf8");
    expect(offline).not.toMatch(/from "\.\/(index|policies)"|@pulumi\/policy/);
  });
});
