/**
 * The pack refuses a public prod (issue 10): the data-plane rule on its own. The real program's
 * plan of a prod stack configured `network.mode: public` is in network.program.test.ts.
 */
import { dataPlanePublicNetworkRule } from "../../policy/rules/network";
import { resource, storageProps, tagsFor, vaultProps } from "./fixtures";

const SA = "azure-native:storage:StorageAccount";
const KV = "azure-native:keyvault:Vault";
const AIS = "azure-native:cognitiveservices:Account";

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
