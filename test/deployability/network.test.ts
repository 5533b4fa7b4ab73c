/**
 * The networking deployability rules (deployability/rules/privateDns.ts, managedNetwork.ts): each
 * passes on the real program's plans (private prod, restricted dev) and fails on the smallest
 * change that breaks what it encodes. Cross-stack: two private stacks on one network must share
 * their private DNS zones.
 */
import { checkAcrossStacks, checkPlan, type Finding } from "../../deployability";
import { firewallIpRulesRule, managedNetworkRule } from "../../deployability/rules/managedNetwork";
import { N, privateDnsAcrossStacksRule, privateDnsGlobalRule, privateEndpointDnsRule, privateEndpointRegionRule } from "../../deployability/rules/privateDns";
import { T } from "../../deployability/resources";
import type { PlanResult } from "../../plan/run";
import type { PlannedResource } from "../../plan/types";
import { get, ofType, one, planWith, TEST_GROUP } from "../helpers/plan";
import { facts, res } from "./fixtures";

const SUB = "00000000-0000-0000-0000-000000000000";
const SPOKE = `/subscriptions/${SUB}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/spoke`;
/** These rules answer synchronously; PlanRule allows a promise. */
const sync = (findings: Finding[] | Promise<Finding[]>) => findings as Finding[];
const asFacts = (plan: PlanResult, resources: PlannedResource[] = plan.resources) => ({ stack: plan.stack, resources, today: plan.today });
const replace = (plan: PlanResult, r: PlannedResource, inputs: Record<string, unknown>) => plan.resources.map((x) => (x.urn === r.urn ? { ...x, inputs: { ...x.inputs, ...inputs } } : x));

let prod: PlanResult;
let restricted: PlanResult;
beforeAll(async () => {
  prod = await planWith("prod", "prod", { principals: [TEST_GROUP] });
  restricted = await planWith("dev", "dev", {
    network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24", "198.51.100.6/31"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } },
  });
});

test("the real private prod and restricted dev plans pass every deployability rule", async () => {
  expect(prod.deployability).toEqual([]);
  expect(restricted.deployability).toEqual([]);
  expect(await checkPlan(asFacts(prod))).toEqual([]);
});

describe("private-dns-global", () => {
  test("a zone or link in a region is refused", () => {
    const zone = ofType(prod, N.zone)[0]!;
    const findings = privateDnsGlobalRule.check(asFacts(prod, replace(prod, zone, { location: "westus3" })));
    expect(findings).toEqual([expect.objectContaining({ severity: "error", resourceName: zone.name, message: expect.stringContaining('location: "global"') })]);
  });
});

describe("private-endpoint-dns", () => {
  test("an endpoint without zone group, a zone group missing a zone, and a zone not linked to the endpoint's network are refused", () => {
    const blobGroup = one(prod, N.zoneGroup, (r) => r.name.endsWith("storage-blob-dns"));
    const withoutGroup = prod.resources.filter((r) => r.urn !== blobGroup.urn);
    expect(privateEndpointDnsRule.check(asFacts(prod, withoutGroup))).toEqual([expect.objectContaining({ message: expect.stringMatching(/private endpoint "llama-hub-storage-blob-pe" has no DNS zone group/) })]);

    const accountGroup = one(prod, N.zoneGroup, (r) => r.name.endsWith("aiservices-account-dns"));
    const configs = get(accountGroup.inputs, "privateDnsZoneConfigs") as unknown[];
    const partial = replace(prod, accountGroup, { privateDnsZoneConfigs: configs.slice(0, 1) });
    const withDeps = partial.map((r) => (r.urn === accountGroup.urn ? { ...r, propertyDependencies: { privateDnsZoneConfigs: (r.propertyDependencies?.privateDnsZoneConfigs ?? []).slice(0, 1) } } : r));
    expect(privateEndpointDnsRule.check(asFacts(prod, withDeps))).toEqual([expect.objectContaining({ message: expect.stringMatching(/lacks privatelink\.openai\.azure\.com, privatelink\.services\.ai\.azure\.com/) })]);

    const vaultLink = one(prod, N.link, (r) => r.inputs.privateZoneName === "privatelink.vaultcore.azure.net");
    expect(privateEndpointDnsRule.check(asFacts(prod, prod.resources.filter((r) => r.urn !== vaultLink.urn)))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/zone privatelink\.vaultcore\.azure\.net holds the records of "llama-hub-keyvault-vault-pe" but is not linked/) }),
    ]);
  });

  test("a second link between one zone and one network is refused", () => {
    const link = ofType(prod, N.link)[0]!;
    const twice = [...prod.resources, { ...link, urn: `${link.urn}-2`, name: `${link.name}-2` }];
    expect(privateEndpointDnsRule.check(asFacts(prod, twice))).toEqual([expect.objectContaining({ message: expect.stringContaining("only one link") })]);
  });
});

describe("private-endpoint-region", () => {
  test("an endpoint in another region than its network is refused", () => {
    const pe = one(prod, N.privateEndpoint, (r) => r.name.endsWith("keyvault-vault-pe"));
    expect(privateEndpointRegionRule.check(asFacts(prod, replace(prod, pe, { location: "eastus" })))).toEqual([expect.objectContaining({ message: expect.stringMatching(/is in eastus but its network "llama-network-vnet" is in westus3/) })]);
  });
});

describe("hub-managed-network", () => {
  const hub = (managedNetwork: unknown, extra: Record<string, unknown> = {}) => res(T.mlWorkspace, "hub", { kind: "Hub", managedNetwork, ...extra });
  const fqdn = (destination: string) => ({ type: "FQDN", destination });
  test("the real hub: approved outbound, one private-endpoint rule to AI Services, provisioned now in private mode only", () => {
    const privateHub = one(prod, T.mlWorkspace, (r) => r.inputs.kind === "Hub");
    expect(privateHub.inputs.provisionNetworkNow).toBe(true);
    expect(get(privateHub.inputs, "managedNetwork.isolationMode")).toBe("AllowOnlyApprovedOutbound");
    expect(get(privateHub.inputs, "managedNetwork.outboundRules.aiservices-account")).toMatchObject({ type: "PrivateEndpoint", destination: { subresourceTarget: "account" } });
    const restrictedHub = one(restricted, T.mlWorkspace, (r) => r.inputs.kind === "Hub");
    expect(restrictedHub.inputs.provisionNetworkNow).toBeUndefined();
    expect(one(prod, T.mlWorkspace, (r) => r.inputs.kind === "Project").inputs.managedNetwork).toBeUndefined();
  });
  test("refuses FQDN or service-tag rules outside approved outbound, an FQDN rule to storage, a project's managed network, and provisioning nothing", () => {
    const msgs = (r: PlannedResource) => sync(managedNetworkRule.check(facts([r]))).filter((f) => f.severity === "error").map((f) => f.message);
    expect(msgs(hub({ isolationMode: "AllowInternetOutbound", outboundRules: { pypi: fqdn("pypi.org") } }))).toEqual([expect.stringContaining("valid only with isolationMode AllowOnlyApprovedOutbound")]);
    expect(msgs(hub({ isolationMode: "AllowOnlyApprovedOutbound", outboundRules: { st: fqdn("mystore.blob.core.windows.net") } }))).toEqual([expect.stringContaining("reaches storage (mystore.blob.core.windows.net) by FQDN")]);
    expect(msgs(res(T.mlWorkspace, "proj", { kind: "Project", managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" } }))).toEqual([expect.stringContaining("belong to the hub")]);
    expect(msgs(hub(undefined, { provisionNetworkNow: true }))).toEqual([expect.stringContaining("nothing to provision")]);
    expect(msgs(hub({ isolationMode: "AllowOnlyApprovedOutbound", outboundRules: { pe: { type: "PrivateEndpoint", destination: { serviceResourceId: "/x" } } } }))).toEqual([expect.stringContaining("without destination.serviceResourceId and destination.subresourceTarget")]);
  });
  test("an allowed FQDN rule is a warning: it brings a billed Azure Firewall", () => {
    expect(managedNetworkRule.check(facts([hub({ isolationMode: "AllowOnlyApprovedOutbound", outboundRules: { pypi: fqdn("pypi.org") } })]))).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringContaining("Azure Firewall") })]);
  });
});

describe("firewall-ip-rules", () => {
  test("the restricted plan writes /31 as two addresses and /32 as one for storage, CIDR for key vault and AI Services", () => {
    const storage = one(restricted, T.storageAccount);
    expect(get(storage.inputs, "networkRuleSet")).toMatchObject({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [
        { iPAddressOrRange: "203.0.113.0/24", action: "Allow" },
        { iPAddressOrRange: "198.51.100.6", action: "Allow" },
        { iPAddressOrRange: "198.51.100.7", action: "Allow" },
      ],
    });
    expect(get(one(restricted, T.keyVault).inputs, "properties.networkAcls")).toEqual({ defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.6/31" }] });
  });
  test("a /32 on storage or a private range anywhere is refused", () => {
    const storage = one(restricted, T.storageAccount);
    const bad = replace(restricted, storage, { networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "203.0.113.9/32" }, { iPAddressOrRange: "10.1.0.0/16" }] } });
    expect(sync(firewallIpRulesRule.check(asFacts(restricted, bad))).map((f) => f.message)).toEqual([expect.stringContaining("storage refuses /31 and /32"), expect.stringContaining("private (RFC 1918)")]);
  });
});

describe("private-dns-zones-across-stacks", () => {
  const onSpoke = (subnet: string, zoneIds?: Record<string, string>) => ({
    mode: "private",
    deployer: { via: "inside-network" },
    virtualNetwork: { subnetId: `${SPOKE}/subnets/${subnet}` },
    ...(zoneIds ? { privateDnsZoneIds: zoneIds } : {}),
  });

  test("dev and prod on one spoke network, each creating its own zones, are refused; sharing prod's zones passes", async () => {
    const prodOnSpoke = await planWith("prod", "prod", { network: onSpoke("prod") });
    const devOwnZones = await planWith("dev", "dev", { network: onSpoke("dev") });
    const clash = checkAcrossStacks([asFacts(prodOnSpoke), asFacts(devOwnZones)]).filter((f) => f.rule === privateDnsAcrossStacksRule.name);
    expect(clash).toHaveLength(8);
    expect(clash[0]!.message).toMatch(/^stacks prod and dev each create their own privatelink\..* and link it to the same network .*spoke/);

    const prodZones = Object.fromEntries(ofType(prodOnSpoke, N.zone).map((z) => [z.inputs.privateZoneName as string, `/subscriptions/${SUB}/resourceGroups/${z.inputs.resourceGroupName as string}/providers/Microsoft.Network/privateDnsZones/${z.inputs.privateZoneName as string}`]));
    const devShared = await planWith("dev", "dev", { network: onSpoke("dev", prodZones) });
    expect(ofType(devShared, N.zone)).toEqual([]);
    expect(ofType(devShared, N.link)).toEqual([]);
    expect(checkAcrossStacks([asFacts(prodOnSpoke), asFacts(devShared)])).toEqual([]);
    // dev's endpoints register in prod's zones.
    const group = one(devShared, N.zoneGroup, (r) => r.name.endsWith("storage-blob-dns"));
    expect(get(group.inputs, "privateDnsZoneConfigs")).toEqual([{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: prodZones["privatelink.blob.core.windows.net"] }]);
  });

  test("two stacks creating one zone in the same resource group are refused", () => {
    const zone = (stack: string) => ({ stack, today: "2026-11-26", resources: [res(N.zone, `zone-${stack}`, { resourceGroupName: "shared-dns", privateZoneName: "privatelink.blob.core.windows.net", location: "global" })] });
    expect(privateDnsAcrossStacksRule.check([zone("dev"), zone("prod")])).toEqual([expect.objectContaining({ stack: "prod", message: expect.stringContaining("both create private DNS zone privatelink.blob.core.windows.net in resource group shared-dns") })]);
  });
});
