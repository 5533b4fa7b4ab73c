/**
 * The `network` config block (config/network.ts, config/ipRanges.ts) and `endpointAuth`
 * (config/endpointAuth.ts): defaults per environment kind, every refusal with its key and fix,
 * the deployer's reachability, the private DNS zones per group id.
 */
import { ENDPOINT_AUTH_CHOICES, endpointAuthFor, endpointAuthProblem } from "../../config/endpointAuth";
import { cidrIpRules, parseIpv4Range, storageIpRules } from "../../config/ipRanges";
import { CATALOG, defaultModel } from "../../config/models";
import { ALL_PRIVATE_DNS_ZONES, networkDeploymentProblems, networkWarnings, PRIVATE_DNS_ZONES, resolveNetwork } from "../../config/network";
import { networkNames } from "../../config/networkNames";
import { parseStackConfig } from "../../config/schema";
import { MINIMAL_CONFIG, refusalOf, TODAY } from "./fixtures";

const base = MINIMAL_CONFIG;
const problems = refusalOf;
const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const SUBNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/pe`;
const ZONE = (name: string) => `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${name}`;


describe("network mode per environment kind", () => {
  test("dev and test default to public, prod to private (with a created network)", () => {
    expect(parseStackConfig(base, "p").network).toEqual({ mode: "public" });
    expect(parseStackConfig({ ...base, environment: "test" }, "p").network).toEqual({ mode: "public" });
    expect(parseStackConfig({ ...base, environment: "prod" }, "p").network).toEqual({
      mode: "private",
      virtualNetwork: { kind: "create", addressSpace: "10.90.0.0/24", subnetPrefix: "10.90.0.0/24" },
      privateDnsZoneIds: {},
      dnsLinkedNetworkIds: [],
    });
  });

  test("an existing subnet gives its network; zones given by id are kept by name; extra DNS networks exclude the own one", () => {
    const runner = `/subscriptions/${SUB}/resourceGroups/ci/providers/Microsoft.Network/virtualNetworks/runners`;
    const network = parseStackConfig(
      {
        ...base,
        network: {
          mode: "private",
          deployer: { via: "inside-network" },
          virtualNetwork: { subnetId: SUBNET },
          dnsLinkedNetworkIds: [runner, runner, SUBNET.replace(/\/subnets\/pe$/, "")],
          privateDnsZoneIds: { "privatelink.blob.core.windows.net": ZONE("privatelink.blob.core.windows.net") },
        },
      },
      "p",
      { today: TODAY },
    ).network;
    expect(network).toEqual({
      mode: "private",
      deployer: { via: "inside-network" },
      virtualNetwork: { kind: "existing", subnetId: SUBNET, virtualNetworkId: SUBNET.replace(/\/subnets\/pe$/, "") },
      privateDnsZoneIds: { "privatelink.blob.core.windows.net": ZONE("privatelink.blob.core.windows.net") },
      dnsLinkedNetworkIds: [runner],
    });
  });

  test("the old publicNetworkAccess key is refused, saying what replaced it", () => {
    expect(problems({ ...base, publicNetworkAccess: false })).toEqual([expect.stringMatching(/^llama-finetune-env:publicNetworkAccess: removed: replaced by network\.mode \("public", "restricted" or "private"/)]);
  });
});

describe("the deployer must reach storage (checked for deployments only)", () => {
  test("private without a deployer inside the network names the mode and what to add", () => {
    const [problem] = problems({ ...base, network: { mode: "private" } });
    expect(problem).toMatch(/^llama-finetune-env:network\.deployer: mode "private" turns public network access off .* network\.deployer: \{ via: inside-network \}/);
    expect(problems({ ...base, network: { mode: "private", deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } } })[0]).toMatch(/an allow-listed IP cannot reach it: no public endpoint is left/);
    // Prod's default is private: a prod stack file without a network block is refused the same way.
    expect(problems({ ...base, environment: "prod" })[0]).toMatch(/mode "private"/);
  });

  test("restricted without its egress listed names the mode and what to add", () => {
    expect(problems({ ...base, network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"] } })[0]).toMatch(
      /^llama-finetune-env:network\.deployer: mode "restricted" lets only listed IP ranges reach the storage account, and the identity running pulumi up uploads the training data there \(the deployer's network is not declared\)\. Add its fixed egress: network\.deployer: \{ via: allow-list, ipRanges: \["<egress>\/32"\] \}/,
    );
    expect(problems({ ...base, network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9", "198.51.100.7/32"] } } })).toEqual([
      'llama-finetune-env:network.deployer.ipRanges: "198.51.100.7/32" is not in network.allowedIpRanges: in mode "restricted" the storage firewall would refuse the upload (403 AuthorizationFailure). Add it to network.allowedIpRanges',
    ]);
    expect(problems({ ...base, network: { mode: "restricted", deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } } })[0]).toMatch(/allowedIpRanges: mode "restricted" admits only the listed IP ranges, and none are listed/);
  });

  test("teardown and the fine-tuning CLI (no deployment) still load such a stack", () => {
    expect(parseStackConfig({ ...base, environment: "prod" }, "p").network.mode).toBe("private");
    expect(parseStackConfig({ ...base, network: { mode: "private" } }, "p", { today: TODAY, deployment: false }).network.mode).toBe("private");
  });

  test("declared reachability passes", () => {
    const restricted = resolveNetwork({ mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } }, "public");
    expect(networkDeploymentProblems(restricted)).toEqual([]);
    expect(networkDeploymentProblems(resolveNetwork({ deployer: { via: "inside-network" } }, "private"))).toEqual([]);
    expect(networkDeploymentProblems({ mode: "public" })).toEqual([]);
  });
});

describe("shape of the network block", () => {
  test("keys that do nothing in the mode, bad ranges, bad ids and foreign zones are all named at once", () => {
    const found = problems({
      ...base,
      network: {
        mode: "restricted",
        allowedIpRanges: ["10.1.0.0/16", "203.0.113.7/24", "300.1.1.1"],
        deployer: { via: "allow-list", ipRanges: ["203.0.113.0/24"] },
        virtualNetwork: { addressSpace: "10.90.0.0/24" },
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'llama-finetune-env:network.allowedIpRanges[0]: "10.1.0.0/16" is not a public internet range (overlaps 10.0.0.0/8, private (RFC 1918)); Azure IP rules take only public addresses',
        expect.stringMatching(/^llama-finetune-env:network\.allowedIpRanges\[1\]: "203\.0\.113\.7\/24" is not an IPv4 address or CIDR range .*host bits zero/),
        expect.stringMatching(/^llama-finetune-env:network\.allowedIpRanges\[2\]: "300\.1\.1\.1" is not an IPv4/),
      ]),
    );
    const privateProblems = problems({
      ...base,
      network: {
        mode: "private",
        deployer: { via: "inside-network" },
        allowedIpRanges: ["203.0.113.0/24"],
        virtualNetwork: { addressSpace: "10.90.0.0/24", subnetPrefix: "10.91.0.0/26" },
        privateDnsZoneIds: { "privatelink.example.com": ZONE("privatelink.example.com"), "privatelink.blob.core.windows.net": ZONE("privatelink.file.core.windows.net") },
      },
    });
    expect(privateProblems).toEqual([
      expect.stringMatching(/^llama-finetune-env:network\.allowedIpRanges: mode "private" leaves no public endpoint/),
      expect.stringMatching(/^llama-finetune-env:network\.privateDnsZoneIds: "privatelink\.example\.com" is not a zone this stack needs/),
      'llama-finetune-env:network.privateDnsZoneIds.privatelink.blob.core.windows.net: the id names zone "privatelink.file.core.windows.net", not "privatelink.blob.core.windows.net"',
      'llama-finetune-env:network.virtualNetwork.subnetPrefix: "10.91.0.0/26" is not inside addressSpace "10.90.0.0/24"',
    ]);
    expect(problems({ ...base, network: { mode: "public", deployer: { via: "inside-network" } } })).toEqual([
      'llama-finetune-env:network.deployer: only used when network.mode is "restricted" or "private" (this stack\'s mode is "public"); remove it or change the mode',
    ]);
    expect(problems({ ...base, network: { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { addressSpace: "172.17.0.0/24" } } })[0]).toMatch(/overlaps 172\.17\.0\.0\/16, the Docker bridge network/);
    expect(problems({ ...base, network: { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { subnetId: "/subscriptions/x/subnets/y" } } })[0]).toMatch(/^llama-finetune-env:network\.virtualNetwork/);
    expect(problems({ ...base, network: { mode: "hidden" } })[0]).toBe('llama-finetune-env:network.mode: "hidden" must be one of "public", "restricted", "private"');
  });
});

describe("resolveNetwork", () => {
  test("restricted: the listed ranges (none when unset) and the deployer when declared", () => {
    expect(resolveNetwork({ mode: "restricted" }, "public")).toEqual({ mode: "restricted", allowedIpRanges: [] });
    expect(resolveNetwork(undefined, "restricted")).toEqual({ mode: "restricted", allowedIpRanges: [] });
    expect(resolveNetwork({ allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] } }, "restricted")).toEqual({
      mode: "restricted",
      allowedIpRanges: ["203.0.113.0/24"],
      deployer: { via: "allow-list", ipRanges: ["203.0.113.9"] },
    });
  });

  test("private with a created network: the subnet is the whole address space unless given", () => {
    expect(resolveNetwork({ virtualNetwork: { addressSpace: "10.1.0.0/16" } }, "private")).toEqual({
      mode: "private",
      virtualNetwork: { kind: "create", addressSpace: "10.1.0.0/16", subnetPrefix: "10.1.0.0/16" },
      privateDnsZoneIds: {},
      dnsLinkedNetworkIds: [],
    });
    expect(resolveNetwork({ virtualNetwork: { addressSpace: "10.1.0.0/16", subnetPrefix: "10.1.2.0/24" } }, "private")).toMatchObject({
      virtualNetwork: { kind: "create", addressSpace: "10.1.0.0/16", subnetPrefix: "10.1.2.0/24" },
    });
    expect(resolveNetwork(undefined, "public")).toEqual({ mode: "public" });
  });

  test("an existing subnet: its network's id whatever the case of /subnets/, and that network is not linked twice", () => {
    const upper = SUBNET.replace("/subnets/", "/SUBNETS/");
    const own = SUBNET.replace(/\/subnets\/pe$/, "");
    expect(resolveNetwork({ virtualNetwork: { subnetId: upper }, dnsLinkedNetworkIds: [own.toUpperCase()] }, "private")).toEqual({
      mode: "private",
      virtualNetwork: { kind: "existing", subnetId: upper, virtualNetworkId: own },
      privateDnsZoneIds: {},
      dnsLinkedNetworkIds: [],
    });
  });

  test("a subnet inside the address space, and a zone id naming its zone in another case, are fine", () => {
    const network = { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { addressSpace: "10.90.0.0/24", subnetPrefix: "10.90.0.64/26" }, privateDnsZoneIds: { "privatelink.blob.core.windows.net": ZONE("PrivateLink.Blob.Core.Windows.Net") } };
    expect(parseStackConfig({ ...base, network }, "p", { today: TODAY }).network).toMatchObject({ virtualNetwork: { subnetPrefix: "10.90.0.64/26" } });
  });
});

describe("networkWarnings (shown by the plan)", () => {
  test("public: only a prod stack is warned about", () => {
    expect(networkWarnings({ environment: "dev", network: { mode: "public" } })).toEqual([]);
    expect(networkWarnings({ environment: "prod", network: { mode: "public" } })).toEqual([
      'network mode is "public" for a prod stack: every endpoint is reachable from the internet (the policy pack refuses it; set llama-finetune-env:network.mode: private)',
    ]);
  });

  test("restricted: the hub and project stay open, for want of networkAcls in azure-native 3.28", () => {
    expect(networkWarnings({ environment: "dev", network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"] } })).toEqual([
      'network mode "restricted": storage, key vault and AI Services admit only network.allowedIpRanges and trusted Azure services, but the hub\'s and project\'s own IP allow-list (networkAcls, preview) ' +
        "is not in azure-native 3.28's Workspace (REST 2025-12-01): their public endpoints, and the serverless endpoints that follow the hub, stay reachable from every network with Entra ID or the endpoint key",
    ]);
  });

  test("private: where the stack can be reached from, for a created or an existing network", () => {
    const prefix = 'network mode "private": pulumi up, AI Studio and the endpoints are reachable only from ';
    const suffix = "; the deployer declares it runs there (network.deployer: inside-network), see docs/delivery.md";
    expect(networkWarnings({ environment: "prod", network: resolveNetwork(undefined, "private") })).toEqual([`${prefix}the virtual network this stack creates (or a network peered to it)${suffix}`]);
    expect(networkWarnings({ environment: "prod", network: resolveNetwork({ virtualNetwork: { subnetId: SUBNET } }, "private") })).toEqual([`${prefix}the network of the given subnet (or a network peered to it)${suffix}`]);
  });
});

describe("IP ranges", () => {
  test("parse, host bits, storage's single-address form for /31 and /32", () => {
    expect(parseIpv4Range("203.0.113.0/24")).toEqual({ start: 203 * 2 ** 24 + 113 * 2 ** 8, prefix: 24 });
    expect(parseIpv4Range("203.0.113.1/24")).toBeUndefined();
    expect(parseIpv4Range("01.2.3.4")).toBeUndefined();
    expect(storageIpRules(["198.51.100.6/31", "203.0.113.9/32", "203.0.113.0/24", "203.0.113.9"])).toEqual(["198.51.100.6", "198.51.100.7", "203.0.113.9", "203.0.113.0/24"]);
    expect(cidrIpRules(["203.0.113.9/32", "198.51.100.6/31"])).toEqual(["203.0.113.9", "198.51.100.6/31"]);
  });
});

describe("private DNS zones and names", () => {
  test("each group id maps to the zones Learn lists, eight zones in all, sorted", () => {
    expect(PRIVATE_DNS_ZONES).toEqual({
      amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
      blob: ["privatelink.blob.core.windows.net"],
      file: ["privatelink.file.core.windows.net"],
      vault: ["privatelink.vaultcore.azure.net"],
      account: ["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com", "privatelink.services.ai.azure.com"],
    });
    expect(ALL_PRIVATE_DNS_ZONES).toEqual([
      "privatelink.api.azureml.ms",
      "privatelink.blob.core.windows.net",
      "privatelink.cognitiveservices.azure.com",
      "privatelink.file.core.windows.net",
      "privatelink.notebooks.azure.net",
      "privatelink.openai.azure.com",
      "privatelink.services.ai.azure.com",
      "privatelink.vaultcore.azure.net",
    ]);
  });

  test("ARM ids are matched whole and in any case (ARM ids are case-insensitive)", () => {
    const vnetId = `/subscriptions/${SUB}/resourceGroups/ci/providers/Microsoft.Network/virtualNetworks/runners`;
    const zoneId = ZONE("privatelink.blob.core.windows.net");
    const network = (subnetId: string, linked: string, zone: string) => ({
      ...base,
      network: { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { subnetId }, dnsLinkedNetworkIds: [linked], privateDnsZoneIds: { "privatelink.blob.core.windows.net": zone } },
    });
    const lower = parseStackConfig(network(SUBNET.toLowerCase(), vnetId.toLowerCase(), zoneId.toLowerCase()), "p", { today: TODAY }).network;
    expect(lower).toMatchObject({ virtualNetwork: { subnetId: SUBNET.toLowerCase() }, dnsLinkedNetworkIds: [vnetId.toLowerCase()] });
    for (const [before, after] of [["x", ""], ["", "/x"]]) {
      expect(problems(network(`${before}${SUBNET}${after}`, `${before}${vnetId}${after}`, `${before}${zoneId}${after}`)).map((p) => p.split(":")[1])).toEqual([
        "network.virtualNetwork.subnetId",
        "network.dnsLinkedNetworkIds[0]",
        "network.privateDnsZoneIds.privatelink.blob.core.windows.net",
      ]);
    }
  });

  test("link names carry stack and hash (shared zones), endpoint names fit 80 characters", () => {
    const dev = networkNames({ prefix: "llft", project: "p", stack: "dev", subscriptionId: SUB });
    const prod = networkNames({ prefix: "llft", project: "p", stack: "prod", subscriptionId: SUB });
    expect(dev.zoneLink).toMatch(/^llft-dev-[0-9a-f]{6}$/);
    expect(dev.zoneLink).not.toBe(prod.zoneLink);
    expect(dev.privateEndpoint("x".repeat(90), "account")).toHaveLength(80);
  });
});

describe("endpointAuth", () => {
  test("Key with the catalog's source for today's Llama models; AAD where the catalog records it; Key on request", () => {
    expect(endpointAuthFor(defaultModel())).toEqual({ mode: "Key", reason: expect.stringMatching(/Entra ID is not documented .*how-to\/deploy-models-serverless \(/) });
    const aad = { ...defaultModel(), serverlessAuthModes: ["AAD", "Key"] as const };
    expect(endpointAuthFor(aad).mode).toBe("AAD");
    expect(endpointAuthFor(aad, "Key").mode).toBe("Key");
  });

  const SERVERLESS = "https://learn.microsoft.com/azure/ai-foundry/how-to/deploy-models-serverless (azure-ai-docs articles/ai-foundry/how-to/deploy-models-serverless.md, 06/13/2025)";

  test("each mode says why it was chosen, naming the catalog's source (or the catalog field when the model cites none)", () => {
    expect(ENDPOINT_AUTH_CHOICES).toEqual(["AAD", "Key"]);
    expect(endpointAuthFor(defaultModel())).toEqual({
      mode: "Key",
      reason: `Microsoft Entra ID is not documented for Meta-Llama-3.1-8B-Instruct's serverless endpoints (${SERVERLESS}), so they use a key, exported only as a Pulumi secret`,
    });
    expect(endpointAuthFor(defaultModel(), "Key")).toEqual({ mode: "Key", reason: 'llama-finetune-env:endpointAuth is "Key"' });
    const aad = { ...defaultModel(), serverlessAuthModes: ["Key", "AAD"] as const };
    expect(endpointAuthFor(aad)).toEqual({ mode: "AAD", reason: "the catalog records Microsoft Entra ID for Meta-Llama-3.1-8B-Instruct's serverless endpoints" });
    expect(endpointAuthFor(aad, "AAD").mode).toBe("AAD");
    // The availability page (deploy-models-serverless-availability) is not the auth page.
    const uncited = { ...defaultModel(), sources: [defaultModel().sources[0]!] };
    expect(endpointAuthFor(uncited).reason).toBe(
      "Microsoft Entra ID is not documented for Meta-Llama-3.1-8B-Instruct's serverless endpoints (config/models.ts serverlessAuthModes), so they use a key, exported only as a Pulumi secret",
    );
  });

  test("the whole refusal of AAD on a key-only model; nothing to refuse for Key, no choice, or an AAD model", () => {
    expect(endpointAuthProblem(defaultModel(), "AAD")).toBe(
      'llama-finetune-env:endpointAuth: "AAD" is not available for Meta-Llama-3.1-8B-Instruct: Learn documents only key authentication for its serverless endpoints ' +
        `(${SERVERLESS}). Leave endpointAuth unset (the stack picks Entra ID wherever the catalog records it) or set "Key"`,
    );
    expect(endpointAuthProblem(defaultModel(), "Key")).toBeUndefined();
    expect(endpointAuthProblem(defaultModel())).toBeUndefined();
    expect(endpointAuthProblem({ ...defaultModel(), serverlessAuthModes: ["AAD"] }, "AAD")).toBeUndefined();
  });

  test("asking for AAD on a key-only model is refused with the source; allowed where the catalog has it", () => {
    expect(problems({ ...base, endpointAuth: "AAD" })).toEqual([expect.stringMatching(/^llama-finetune-env:endpointAuth: "AAD" is not available for Meta-Llama-3\.1-8B-Instruct: Learn documents only key authentication/)]);
    const catalog = { ...CATALOG, models: CATALOG.models.map((m) => ({ ...m, serverlessAuthModes: ["AAD" as const] })) };
    expect(parseStackConfig({ ...base, endpointAuth: "AAD" }, "p", { today: TODAY, catalog }).endpointAuth.mode).toBe("AAD");
    expect(problems({ ...base, endpointAuth: "Token" })[0]).toBe('llama-finetune-env:endpointAuth: "Token" must be one of "AAD", "Key"');
  });
});
