/**
 * Issue 10 on the real program's plans: the committed prod stack is private (private endpoints
 * for hub, blob, file, vault and AI Services, their DNS zone groups, zones linked to the network,
 * nothing with public access on), a restricted stack shows its firewalls and allow-lists, dev
 * stays public; a deployer that could not reach storage is refused at plan time; endpoint auth
 * is in the plan and no key is output with Entra ID.
 */
import { CATALOG, type ModelCatalog } from "../../config/models";
import { ALL_PRIVATE_DNS_ZONES } from "../../config/network";
import { ConfigError } from "../../config/schema";
import { toJson } from "../../plan/render";
import { runPlan, type PlanResult } from "../../plan/run";
import type { PlannedResource } from "../../plan/types";
import { get, ofType, one, planWith, PROJECT_DIR, TEST_GROUP, dependsOnTransitively } from "../helpers/plan";

const T = {
  storage: "azure-native:storage:StorageAccount",
  vault: "azure-native:keyvault:Vault",
  ais: "azure-native:cognitiveservices:Account",
  workspace: "azure-native:machinelearningservices:Workspace",
  endpoint: "azure-native:machinelearningservices:ServerlessEndpoint",
  vnet: "azure-native:network:VirtualNetwork",
  pe: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
  upload: "pulumi-nodejs:dynamic/llama-finetune:BlobUpload",
  role: "azure-native:authorization:RoleAssignment",
};
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/** `publicNetworkAccess` wherever the resource type keeps it. */
const publicAccess = (r: PlannedResource) => r.inputs.publicNetworkAccess ?? get(r.inputs, "properties.publicNetworkAccess");

describe("prod (committed stack file): private", () => {
  let plan: PlanResult;
  let json: Record<string, unknown>;
  beforeAll(async () => {
    // What `npm run plan -- --stack prod --json` runs and prints.
    plan = await runPlan({ stack: "prod", projectDir: PROJECT_DIR, env: {}, azureProfile: undefined });
    json = toJson(plan);
  });

  test("private endpoints for the hub (amlworkspace), storage (blob, file), key vault (vault) and AI Services (account), each with its DNS zone group", () => {
    const endpoints = ofType(plan, T.pe);
    const targets = endpoints.map((pe) => {
      const [connection] = get(pe.inputs, "privateLinkServiceConnections") as { privateLinkServiceId: string; groupIds: string[] }[];
      return `${connection!.privateLinkServiceId.split("/providers/")[1]!.split("/")[1]}:${connection!.groupIds.join(",")}`;
    });
    expect(targets.sort()).toEqual(["accounts:account", "storageAccounts:blob", "storageAccounts:file", "vaults:vault", "workspaces:amlworkspace"]);
    for (const pe of endpoints) {
      const group = one(plan, T.zoneGroup, (g) => g.inputs.privateEndpointName === pe.inputs.privateEndpointName);
      expect(group.dependsOn).toContain(pe.urn);
      expect(get(pe.inputs, "subnet.id")).toMatch(/\/providers\/Microsoft\.Network\/virtualNetworks\/llft-vnet-prod-[0-9a-f]{6}\/subnets\/private-endpoints$/);
    }
    const vaultGroup = one(plan, T.zoneGroup, (g) => String(g.inputs.privateEndpointName).endsWith("-vault"));
    expect(get(vaultGroup.inputs, "privateDnsZoneConfigs")).toEqual([{ name: "privatelink-vaultcore-azure-net", privateDnsZoneId: expect.stringMatching(/\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/) }]);
  });

  test("eight private DNS zones, global, each linked once to the stack's network without auto-registration", () => {
    const vnet = one(plan, T.vnet);
    expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.90.0.0/24"] });
    const zones = ofType(plan, T.zone);
    // The zone list itself is written out in test/config/network.test.ts.
    expect(zones.map((z) => z.inputs.privateZoneName).sort()).toEqual([...ALL_PRIVATE_DNS_ZONES]);
    for (const zone of zones) {
      expect(zone.inputs.location).toBe("global");
      const links = ofType(plan, T.link).filter((l) => l.inputs.privateZoneName === zone.inputs.privateZoneName);
      expect(links).toHaveLength(1);
      expect(links[0]!.inputs).toMatchObject({ location: "global", registrationEnabled: false, virtualNetwork: { id: expect.stringMatching(/\/virtualNetworks\/llft-vnet-prod-[0-9a-f]{6}$/) } });
    }
  });

  test("no resource has public network access on; the firewalls deny by default; the hub's managed network is approved-outbound and provisioned now", () => {
    const exposed = [...ofType(plan, T.storage), ...ofType(plan, T.vault), ...ofType(plan, T.ais), ...ofType(plan, T.workspace)];
    expect(exposed).toHaveLength(5);
    for (const r of exposed) expect([r.name, publicAccess(r)]).toEqual([r.name, "Disabled"]);
    const everyAccessSetting = (json.resources as { inputs: Record<string, unknown> }[]).map((r) => r.inputs.publicNetworkAccess ?? get(r.inputs, "properties.publicNetworkAccess")).filter((v) => v !== undefined);
    expect(new Set(everyAccessSetting)).toEqual(new Set(["Disabled"]));
    expect(get(one(plan, T.storage).inputs, "networkRuleSet")).toMatchObject({ defaultAction: "Deny", bypass: "AzureServices", ipRules: [], resourceAccessRules: [{ resourceId: expect.stringMatching(/\/workspaces\/llft-hub-prod-/) }, { resourceId: expect.stringMatching(/\/workspaces\/llft-proj-prod-/) }] });
    const hub = one(plan, T.workspace, (r) => r.inputs.kind === "Hub");
    expect(hub.inputs).toMatchObject({ provisionNetworkNow: true, managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" } });
  });

  test("uploads wait for the blob endpoint's DNS; the project's identity reads through both storage endpoints", () => {
    const blobDns = one(plan, T.zoneGroup, (g) => String(g.inputs.privateEndpointName).endsWith("-blob"));
    for (const upload of ofType(plan, T.upload)) expect(dependsOnTransitively(plan, upload.urn, blobDns.urn)).toBe(true);
    const readers = ofType(plan, T.role).filter((r) => String(r.inputs.roleDefinitionId).endsWith(READER) && String(r.inputs.scope).includes("/privateEndpoints/"));
    expect(readers.map((r) => String(r.inputs.scope).split("/").pop()).sort()).toEqual([expect.stringMatching(/-blob$/), expect.stringMatching(/-file$/)]);
    for (const r of readers) expect(r.inputs.principalType).toBe("ServicePrincipal");
  });
});

describe("private on an existing subnet, with the runner's network linked too", () => {
  test("no network is created; every zone is linked to the subnet's network and to the runner's", async () => {
    const spoke = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke";
    const runner = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ci/providers/Microsoft.Network/virtualNetworks/runners";
    const plan = await planWith("prod", "prod", { network: { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { subnetId: `${spoke}/subnets/pe` }, dnsLinkedNetworkIds: [runner, spoke] } });
    expect(ofType(plan, T.vnet)).toEqual([]);
    for (const pe of ofType(plan, T.pe)) expect(get(pe.inputs, "subnet.id")).toBe(`${spoke}/subnets/pe`);
    const links = ofType(plan, T.link);
    expect(links).toHaveLength(16);
    for (const zone of ofType(plan, T.zone)) {
      const linked = links.filter((l) => l.inputs.privateZoneName === zone.inputs.privateZoneName).map((l) => get(l.inputs, "virtualNetwork.id"));
      expect(linked).toEqual([spoke, runner]);
    }
    expect(plan.deployability).toEqual([]);
  });
});

describe("restricted", () => {
  test("firewalls deny by default and list the allowed ranges; hub and project stay reachable (no workspace allow-list in azure-native 3.28), and the plan says so", async () => {
    const plan = await planWith("dev", "dev", { network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } } });
    expect(get(one(plan, T.storage).inputs, "networkRuleSet")).toMatchObject({ defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "203.0.113.0/24", action: "Allow" }] });
    for (const type of [T.vault, T.ais]) expect(get(one(plan, type).inputs, "properties.networkAcls")).toEqual({ defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }] });
    const hub = one(plan, T.workspace, (r) => r.inputs.kind === "Hub");
    expect(hub.inputs).toMatchObject({ publicNetworkAccess: "Enabled", managedNetwork: { isolationMode: "AllowOnlyApprovedOutbound" } });
    expect(ofType(plan, T.pe)).toEqual([]);
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^network mode "restricted": .*networkAcls, preview.*not in azure-native 3\.28's Workspace/)]));
  });
});

describe("dev (committed stack file): public", () => {
  test("no network resources, no firewall, public access on, no managed network", async () => {
    const plan = await planWith("dev", "dev", { principals: [TEST_GROUP] });
    for (const type of [T.vnet, T.pe, T.zoneGroup, T.zone, T.link]) expect(ofType(plan, type)).toEqual([]);
    expect(one(plan, T.storage).inputs.networkRuleSet).toBeUndefined();
    for (const r of [...ofType(plan, T.storage), ...ofType(plan, T.vault), ...ofType(plan, T.ais), ...ofType(plan, T.workspace)]) expect(publicAccess(r)).toBe("Enabled");
    expect(one(plan, T.workspace, (r) => r.inputs.kind === "Hub").inputs.managedNetwork).toBeUndefined();
  });
});

describe("a deployer that could not reach storage is refused at plan time", () => {
  test.each([
    ["private without a runner inside the network", { mode: "private" }, /^llama-finetune-env:network\.deployer: mode "private" turns public network access off .*declare it: network\.deployer: \{ via: inside-network \}/],
    [
      "restricted without the deployer's egress listed",
      { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["198.51.100.7"] } },
      /^llama-finetune-env:network\.deployer\.ipRanges: "198\.51\.100\.7" is not in network\.allowedIpRanges: in mode "restricted" the storage firewall would refuse the upload \(403 AuthorizationFailure\)\. Add it to network\.allowedIpRanges$/,
    ],
  ])("%s", async (_, network, message) => {
    const error = await planWith("prod", "prod", { network }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(message)]);
    expect((error as Error).message).toMatch(/^Invalid stack configuration in Pulumi\.prod\.yaml \(1 problem\)/);
  });
});

describe("endpoint auth", () => {
  test("Key for today's catalog: in the plan, the key output only as a secret", async () => {
    const plan = await planWith("dev", "dev");
    expect(get(one(plan, T.endpoint).inputs, "properties.authMode")).toBe("Key");
    expect(get(plan.outputs, "baseEndpoint")).toMatchObject({ authMode: "Key", primaryKey: "[secret]" });
  });

  test("AAD where the catalog records it: the endpoints say AAD and no key is output at all", async () => {
    const catalog: ModelCatalog = { ...CATALOG, models: CATALOG.models.map((m) => ({ ...m, serverlessAuthModes: ["AAD", "Key"] })) };
    const plan = await planWith("dev", "dev", { fineTunedModelId: "azureml://locations/westus3/workspaces/0f1e2d3c-0000-4000-8000-000000000000/models/llama-ft/versions/1" }, { catalog });
    for (const endpoint of ofType(plan, T.endpoint)) expect(get(endpoint.inputs, "properties.authMode")).toBe("AAD");
    for (const key of ["baseEndpoint", "fineTunedEndpoint"]) {
      expect(get(plan.outputs, key)).toEqual({ name: expect.any(String), scoringUri: expect.stringMatching(/^https:\/\//), authMode: "AAD" });
    }
    expect(JSON.stringify(plan.outputs)).not.toMatch(/primaryKey|\[secret\]|mock-primary-key/);
    expect(plan.warnings.some((w) => w.includes("key authentication"))).toBe(false);
  });
});
