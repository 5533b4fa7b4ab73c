/**
 * The pack refuses a public prod (issue 10): the data-plane rule on its own, then the real
 * program's plan of a prod stack configured `network.mode: public`, through the offline runner
 * (`evaluatePolicies`) and through the CrossGuard policies the CLI loads.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies, hasMandatoryViolation } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { dataPlanePublicNetworkRule } from "../../policy/rules/network";
import type { PlanResult } from "../../plan/run";
import { planWith, TEST_GROUP } from "../helpers/plan";
import { resource, storageProps, tagsFor, vaultProps } from "./fixtures";

const SA = "azure-native:storage:StorageAccount";
const KV = "azure-native:keyvault:Vault";
const AIS = "azure-native:cognitiveservices:Account";
const WS = "azure-native:machinelearningservices:Workspace";

describe("data-plane-no-public-network-in-prod", () => {
  it("passes a prod store that is private, or whose firewall denies by default (restricted)", () => {
    expect(dataPlanePublicNetworkRule.check(resource(SA, "storage", storageProps("prod")))).toEqual([]);
    const restricted = { ...storageProps("prod"), publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "203.0.113.7" }] } };
    expect(dataPlanePublicNetworkRule.check(resource(SA, "storage", restricted))).toEqual([]);
    const vault = vaultProps("prod");
    expect(dataPlanePublicNetworkRule.check(resource(KV, "vault", { ...vault, properties: { ...vault.properties, publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } } }))).toEqual([]);
  });

  it("refuses an open prod storage account, key vault or AI Services account, unset counting as open", () => {
    const vault = vaultProps("prod");
    const cases = [
      resource(SA, "storage", { ...storageProps("prod"), publicNetworkAccess: undefined }),
      resource(KV, "vault", { ...vault, properties: { ...vault.properties, publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } } }),
      resource(AIS, "ai", { kind: "AIServices", properties: {}, tags: tagsFor("prod") }),
    ];
    const messages = cases.map((r) => dataPlanePublicNetworkRule.check(r)).map(([f]) => f);
    expect(messages.map((f) => f?.enforcement)).toEqual(["mandatory", "mandatory", "mandatory"]);
    expect(messages[0]!.message).toMatch(/^Storage account "storage" \(environment prod\) has publicNetworkAccess not set and networkRuleSet\.defaultAction not set: it is open/);
    expect(messages[1]!.message).toMatch(/^Key vault "vault" .* properties\.networkAcls\.defaultAction "Allow"/);
    expect(messages[2]!.message).toMatch(/^AI Services account "ai" .*Fix: set `llama-finetune-env:network: \{ mode: private/);
  });

  it("does not check dev and test", () => {
    expect(dataPlanePublicNetworkRule.check(resource(SA, "storage", { ...storageProps("dev"), publicNetworkAccess: "Enabled" }, { stack: "dev" }))).toEqual([]);
  });
});

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
