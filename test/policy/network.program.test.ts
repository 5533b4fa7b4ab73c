/**
 * The pack refuses a public prod (issue 10), on the real program's plan of a prod stack
 * configured `network.mode: public`, through the offline runner (`evaluatePolicies`) and through
 * the CrossGuard policies the CLI loads. Each plan runs the whole program under the mock runtime
 * (seconds), so mutation runs leave this file out (stryker.config.js); the rules themselves are
 * tested in network.test.ts and refusals.test.ts.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies, hasMandatoryViolation } from "../../policy/offline";
import { policies } from "../../policy/policies";
import type { PlanResult } from "../../plan/run";
import { planWith, TEST_GROUP } from "../helpers/plan";

const SA = "azure-native:storage:StorageAccount";
const KV = "azure-native:keyvault:Vault";
const AIS = "azure-native:cognitiveservices:Account";
const WS = "azure-native:machinelearningservices:Workspace";

describe("a prod stack configured public, planned by the real program", () => {
  let plan: PlanResult;
  beforeAll(async () => {
    plan = await planWith("prod", "prod", { network: { mode: "public" }, principals: [TEST_GROUP] });
  });

  it("is refused by the offline runner: storage, key vault, AI Services, hub and project", () => {
    const refused = evaluatePolicies(plan.resources).filter((v) => v.policy.endsWith("-no-public-network-in-prod"));
    expect(refused.map((v) => [v.policy, v.resourceName]).sort()).toEqual(
      [
        ["data-plane-no-public-network-in-prod", "llama-hub-aiservices"],
        ["data-plane-no-public-network-in-prod", "llama-hub-keyvault"],
        ["data-plane-no-public-network-in-prod", "llama-hub-storage"],
        ["workspace-no-public-network-in-prod", "llama-hub-hub"],
        ["workspace-no-public-network-in-prod", "llama-project-project"],
      ].sort(),
    );
    expect(hasMandatoryViolation(plan.violations)).toBe(true);
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^network mode is "public" for a prod stack/)]));
  });

  it("is refused by the CrossGuard policies the CLI loads, resource by resource", () => {
    const reported: string[] = [];
    for (const r of plan.resources.filter((x) => [SA, KV, AIS, WS].includes(x.type))) {
      const args = { type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: { protect: r.protect } } as unknown as ResourceValidationArgs;
      for (const p of policies.filter((x): x is ResourceValidationPolicy => "validateResource" in x && x.name.endsWith("-no-public-network-in-prod"))) {
        void (p.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => void)(args, () => reported.push(`${p.name}: ${r.name}`));
      }
    }
    expect(reported.sort()).toEqual(
      [
        "data-plane-no-public-network-in-prod: llama-hub-aiservices",
        "data-plane-no-public-network-in-prod: llama-hub-keyvault",
        "data-plane-no-public-network-in-prod: llama-hub-storage",
        "workspace-no-public-network-in-prod: llama-hub-hub",
        "workspace-no-public-network-in-prod: llama-project-project",
      ].sort(),
    );
  });

  it("a restricted prod passes the data-plane rule but is refused for its open hub and project", async () => {
    const restricted = await planWith("prod", "prod", {
      network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } },
      principals: [TEST_GROUP],
    });
    expect(restricted.violations.map((v) => [v.policy, v.resourceName]).sort()).toEqual([
      ["workspace-no-public-network-in-prod", "llama-hub-hub"],
      ["workspace-no-public-network-in-prod", "llama-project-project"],
    ]);
    expect(restricted.violations[0]!.message).toContain('"restricted" leaves the workspace\'s public endpoint open to every network');
  });

  it("the committed prod stack (private) has no such violation", async () => {
    const privatePlan = await planWith("prod", "prod", { principals: [TEST_GROUP] });
    expect(privatePlan.violations).toEqual([]);
  });
});
