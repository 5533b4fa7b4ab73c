/**
 * The `network` block's refusals word for word (config/network.ts): keys that do nothing in the
 * stack's mode, every malformed key with its own message and limit, and the remaining deployment
 * refusals. The defaults, the deployer's reachability and the resolved network are in
 * network.test.ts.
 */
import { networkDeploymentProblems, resolveNetwork } from "../../config/network";
import { show } from "../../config/messages";
import { parseStackConfig } from "../../config/schema";
import { MINIMAL_CONFIG, refusalOf } from "./fixtures";

const base = MINIMAL_CONFIG;
const problems = refusalOf;
const SUB = "0b1f6471-1bf0-4dda-aec3-111122223333";
const ZONE = (name: string) => `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${name}`;


describe("keys that do nothing in the stack's mode are named with the modes that use them", () => {
  const unused = (key: string, modes: string, mode: string) => `llama-finetune-env:network.${key}: only used when network.mode is ${modes} (this stack's mode is "${mode}"); remove it or change the mode`;
  const everyKey = { allowedIpRanges: ["203.0.113.0/24"], virtualNetwork: { addressSpace: "10.90.0.0/24" }, dnsLinkedNetworkIds: [], privateDnsZoneIds: {} };

  test("public: the allow-list is for restricted, the network keys for private", () => {
    expect(problems({ ...base, network: { mode: "public", ...everyKey } })).toEqual([
      unused("allowedIpRanges", '"restricted"', "public"),
      unused("virtualNetwork", '"private"', "public"),
      unused("dnsLinkedNetworkIds", '"private"', "public"),
      unused("privateDnsZoneIds", '"private"', "public"),
    ]);
  });

  test("restricted: the network keys are for private (and a deployer inside a network has none to be inside of)", () => {
    expect(problems({ ...base, network: { mode: "restricted", deployer: { via: "inside-network" }, ...everyKey } })).toEqual([
      unused("virtualNetwork", '"private"', "restricted"),
      unused("dnsLinkedNetworkIds", '"private"', "restricted"),
      unused("privateDnsZoneIds", '"private"', "restricted"),
      'llama-finetune-env:network.deployer: mode "restricted" lets only listed IP ranges reach the storage account, and the identity running pulumi up uploads the training data there (a restricted stack has no private network to be inside of). ' +
        'Add its fixed egress: network.deployer: { via: allow-list, ipRanges: ["<egress>/32"] } with the same ranges in network.allowedIpRanges (a self-hosted runner or a runner with a static public IP; GitHub-hosted runners have none), or use mode "private" with a runner inside the network',
    ]);
  });

  test("several deployer ranges outside the allow-list are all named", () => {
    expect(problems({ ...base, network: { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["198.51.100.7", "203.0.113.9", "198.51.100.8/31"] } } })).toEqual([
      'llama-finetune-env:network.deployer.ipRanges: "198.51.100.7", "198.51.100.8/31" are not in network.allowedIpRanges: in mode "restricted" the storage firewall would refuse the upload (403 AuthorizationFailure). Add them to network.allowedIpRanges',
    ]);
  });
});

describe("each malformed network key draws its own message", () => {
  const vnet = (n: number) => `/subscriptions/${SUB}/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v${n}`;
  test.each<[string, unknown, string]>([
    ["the block not a map", "private", 'llama-finetune-env:network: "private" must be { mode?, allowedIpRanges?, deployer?, virtualNetwork?, dnsLinkedNetworkIds?, privateDnsZoneIds? }'],
    ["IP ranges not a list", { mode: "restricted", allowedIpRanges: "203.0.113.0/24" }, 'llama-finetune-env:network.allowedIpRanges: "203.0.113.0/24" must be a list of public IPv4 addresses or CIDR ranges, e.g. ["203.0.113.0/24"]'],
    [
      "the deployer's ranges not a list",
      { mode: "restricted", deployer: { via: "allow-list", ipRanges: "203.0.113.9" } },
      'llama-finetune-env:network.deployer.ipRanges: "203.0.113.9" must be a list of public IPv4 addresses or CIDR ranges, e.g. ["203.0.113.0/24"]',
    ],
    [
      "DNS-linked networks not a list",
      { mode: "private", dnsLinkedNetworkIds: "x" },
      'llama-finetune-env:network.dnsLinkedNetworkIds: "x" must be a list of virtual network ARM ids (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)',
    ],
    [
      "a DNS-linked network not text",
      { mode: "private", dnsLinkedNetworkIds: [5] },
      "llama-finetune-env:network.dnsLinkedNetworkIds[0]: 5 must be the ARM id of a virtual network (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)",
    ],
    ["zone ids not a map", { mode: "private", privateDnsZoneIds: "x" }, 'llama-finetune-env:network.privateDnsZoneIds: "x" must be a map of zone name to the ARM id of an existing private DNS zone'],
    [
      "a zone id not text",
      { mode: "private", privateDnsZoneIds: { "privatelink.blob.core.windows.net": 5 } },
      "llama-finetune-env:network.privateDnsZoneIds.privatelink.blob.core.windows.net: 5 must be the ARM id of a private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>)",
    ],
    ["an IP range not text", { mode: "restricted", allowedIpRanges: [5] }, 'llama-finetune-env:network.allowedIpRanges[0]: 5 must be an IPv4 address or CIDR range, e.g. "203.0.113.0/24"'],
    [
      "201 IP ranges",
      { mode: "restricted", allowedIpRanges: Array.from({ length: 201 }, (_, i) => `203.0.${Math.floor(i / 256)}.${i % 256}`) },
      'llama-finetune-env:network.allowedIpRanges: ["203.0.0.0","203.0.0.1","203.0.0.2","203.0.0.3","203.0.0.4","203.0.0.5","203... allows at most 200 ranges (the hub\'s limit)',
    ],
    ["a deployer with no ranges", { mode: "restricted", allowedIpRanges: ["203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: [] } }, "llama-finetune-env:network.deployer.ipRanges: [] needs the deployer's egress range(s)"],
    [
      "a deployer reaching by another way",
      { mode: "restricted", deployer: { via: "vpn" } },
      'llama-finetune-env:network.deployer.via: "vpn" must be { via: "allow-list", ipRanges: [...] } or { via: "inside-network" }',
    ],
    ["an address space smaller than /28", { mode: "private", virtualNetwork: { addressSpace: "10.90.0.0/29" } }, 'llama-finetune-env:network.virtualNetwork.addressSpace: "10.90.0.0/29" must be a CIDR range of /28 or larger, e.g. "10.90.0.0/24"'],
    ["a public address space", { mode: "private", virtualNetwork: { addressSpace: "203.0.113.0/24" } }, 'llama-finetune-env:network.virtualNetwork.addressSpace: "203.0.113.0/24" must be a private (RFC 1918) range'],
    [
      "a subnet prefix without its address space",
      { mode: "private", virtualNetwork: { subnetPrefix: "10.90.0.0/24" } },
      'llama-finetune-env:network.virtualNetwork: {"subnetPrefix":"10.90.0.0/24"} must be { subnetId } (an existing subnet) or { addressSpace, subnetPrefix? } (a network the stack creates)',
    ],
    [
      "a DNS-linked network that is no virtual network id",
      { mode: "private", dnsLinkedNetworkIds: ["x"] },
      'llama-finetune-env:network.dnsLinkedNetworkIds[0]: "x" must be the ARM id of a virtual network (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)',
    ],
    [
      "eleven DNS-linked networks",
      { mode: "private", dnsLinkedNetworkIds: Array.from({ length: 11 }, (_, i) => vnet(i)) },
      'llama-finetune-env:network.dnsLinkedNetworkIds: ["/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/r/provid... allows at most 10 networks',
    ],
    [
      "a zone id that is no private DNS zone id",
      { mode: "private", privateDnsZoneIds: { "privatelink.blob.core.windows.net": "y" } },
      'llama-finetune-env:network.privateDnsZoneIds.privatelink.blob.core.windows.net: "y" must be the ARM id of a private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>)',
    ],
  ])("%s", (_what, network, message) => {
    expect(problems({ ...base, network }, { deployment: false })).toEqual([message]);
  });

  test("ten DNS-linked networks and 200 IP ranges are the limits, and accepted", () => {
    const ten = Array.from({ length: 10 }, (_, i) => vnet(i));
    expect(parseStackConfig({ ...base, network: { mode: "private", dnsLinkedNetworkIds: ten } }, "p").network).toMatchObject({ dnsLinkedNetworkIds: ten });
    const ranges = Array.from({ length: 200 }, (_, i) => `203.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(parseStackConfig({ ...base, network: { mode: "restricted", allowedIpRanges: ranges } }, "p").network).toMatchObject({ allowedIpRanges: ranges });
  });
});

describe("the remaining refusals, word for word", () => {
  test("private without a declared deployer", () => {
    expect(problems({ ...base, network: { mode: "private" } })).toEqual([
      'llama-finetune-env:network.deployer: mode "private" turns public network access off on storage, key vault, AI Services, hub and project, and the identity running pulumi up uploads the training data to storage (the deployer\'s network is not declared). ' +
        'Run the deployment inside the network (a self-hosted runner in the virtual network or a network peered to it, or a VPN) and declare it: network.deployer: { via: inside-network }; or use mode "restricted" with the deployer\'s egress in network.allowedIpRanges',
    ]);
  });

  test("a zone the stack does not need lists the eight it does", () => {
    expect(problems({ ...base, network: { mode: "private", deployer: { via: "inside-network" }, privateDnsZoneIds: { "privatelink.example.com": ZONE("privatelink.example.com") } } })).toEqual([
      'llama-finetune-env:network.privateDnsZoneIds: "privatelink.example.com" is not a zone this stack needs; allowed: privatelink.api.azureml.ms, privatelink.blob.core.windows.net, privatelink.cognitiveservices.azure.com, ' +
        "privatelink.file.core.windows.net, privatelink.notebooks.azure.net, privatelink.openai.azure.com, privatelink.services.ai.azure.com, privatelink.vaultcore.azure.net",
    ]);
  });

  test("a subnet id that is not one", () => {
    expect(problems({ ...base, network: { mode: "private", deployer: { via: "inside-network" }, virtualNetwork: { subnetId: "/subscriptions/x/subnets/y" } } })).toEqual([
      'llama-finetune-env:network.virtualNetwork.subnetId: "/subscriptions/x/subnets/y" must be the ARM id of a subnet (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)',
    ]);
  });

  test("ARM ids must be whole: text before or after a valid id is refused, for each kind of id", () => {
    const subnet = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke/subnets/pe`;
    const vnet = `/subscriptions/${SUB}/resourceGroups/ci/providers/Microsoft.Network/virtualNetworks/runners`;
    const zone = ZONE("privatelink.blob.core.windows.net");
    const SUBNET_MESSAGE = "must be the ARM id of a subnet (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)";
    const VNET_MESSAGE = "must be the ARM id of a virtual network (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)";
    const ZONE_MESSAGE = "must be the ARM id of a private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>)";
    for (const [before, after] of [["x", ""], ["", "/x"]]) {
      const network = {
        mode: "private",
        deployer: { via: "inside-network" },
        virtualNetwork: { subnetId: before + subnet + after },
        dnsLinkedNetworkIds: [before + vnet + after],
        privateDnsZoneIds: { "privatelink.blob.core.windows.net": before + zone + after },
      };
      expect(problems({ ...base, network })).toEqual([
        `llama-finetune-env:network.virtualNetwork.subnetId: ${show(before + subnet + after)} ${SUBNET_MESSAGE}`,
        `llama-finetune-env:network.dnsLinkedNetworkIds[0]: ${show(before + vnet + after)} ${VNET_MESSAGE}`,
        `llama-finetune-env:network.privateDnsZoneIds.privatelink.blob.core.windows.net: ${show(before + zone + after)} ${ZONE_MESSAGE}`,
      ]);
    }
  });

  test("an address space of /28 is the smallest accepted", () => {
    expect(parseStackConfig({ ...base, network: { mode: "private", virtualNetwork: { addressSpace: "10.90.0.0/28" } } }, "p").network).toMatchObject({
      virtualNetwork: { kind: "create", addressSpace: "10.90.0.0/28", subnetPrefix: "10.90.0.0/28" },
    });
  });

  test("a deployer range inside any one of the allowed ranges is reachable", () => {
    const network = resolveNetwork({ mode: "restricted", allowedIpRanges: ["198.51.100.0/24", "203.0.113.0/24"], deployer: { via: "allow-list", ipRanges: ["203.0.113.9", "198.51.100.0/25"] } }, "public");
    expect(networkDeploymentProblems(network)).toEqual([]);
  });
});
