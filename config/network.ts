/**
 * How a stack is reached over the network: the `network` config block, its defaults per
 * environment kind, and the pure decisions the components build from (which private DNS zones
 * each private endpoint needs, the names of the network resources).
 *
 * Three modes:
 * - `public`: every endpoint public, authenticated with Entra ID (today's dev).
 * - `restricted`: public endpoints stay, but storage, key vault and AI Services admit only the
 *   listed IP ranges and trusted Azure services; the hub's managed network allows only approved
 *   outbound traffic. (The hub's and project's own IP allow-list, `networkAcls`, is a preview
 *   property that azure-native 3.28's Workspace, REST 2025-12-01, does not have: their public
 *   endpoint stays open to every network, with Entra ID.)
 * - `private`: a virtual network (or an existing subnet), inbound private endpoints for the hub
 *   (`amlworkspace`), storage (`blob`, `file`), key vault (`vault`) and AI Services (`account`),
 *   the private DNS zones they need linked to that network (or existing zones given by id), public
 *   access off everywhere, and the hub's managed network provisioned with the hub.
 *
 * The identity running `pulumi up` uploads the training files to the storage account, so it must
 * be able to reach it: `network.deployer` declares how, and a stack whose deployer could not reach
 * storage is refused before anything is declared (`networkDeploymentProblems`).
 */
import { z } from "zod";
import { contains, nonPublicReason, parseIpv4Range, type Ipv4Range } from "./ipRanges";

export const NETWORK_MODES = ["public", "restricted", "private"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** Private-link sub-resources (group ids) this stack exposes, per target resource type. */
export type PrivateLinkGroup = "amlworkspace" | "blob" | "file" | "vault" | "account";

/**
 * The private DNS zones each group id needs, Azure public cloud. Sources: Learn "Azure Private
 * Endpoint private DNS zone values" (https://learn.microsoft.com/azure/private-link/private-endpoint-dns):
 * Azure Machine Learning / amlworkspace → privatelink.api.azureml.ms + privatelink.notebooks.azure.net
 * (also azure-ai-docs articles/ai-foundry/how-to/hub-configure-private-link.md, which creates both);
 * Storage blob / file → privatelink.blob.core.windows.net / privatelink.file.core.windows.net;
 * Key Vault / vault → privatelink.vaultcore.azure.net; Azure AI services
 * (Microsoft.CognitiveServices/accounts) / account → privatelink.cognitiveservices.azure.com,
 * privatelink.openai.azure.com and privatelink.services.ai.azure.com (the first two are also what
 * Azure's quickstart `aistudio-network-restricted` modules/dependent/aiservices.bicep creates).
 * Sovereign clouds use other names; this stack can only be deployed where Llama fine-tuning is
 * offered (westus3, config/models.ts), which is in the public cloud.
 */
export const PRIVATE_DNS_ZONES: Readonly<Record<PrivateLinkGroup, readonly string[]>> = {
  amlworkspace: ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
  blob: ["privatelink.blob.core.windows.net"],
  file: ["privatelink.file.core.windows.net"],
  vault: ["privatelink.vaultcore.azure.net"],
  account: ["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com", "privatelink.services.ai.azure.com"],
};

export const ALL_PRIVATE_DNS_ZONES: readonly string[] = [...new Set(Object.values(PRIVATE_DNS_ZONES).flat())].sort();

/** Most IP rules a hub accepts ("Each Azure AI Foundry hub supports up to 200 rules", hub-configure-private-link.md); storage and key vault allow more. */
export const MAX_IP_RULES = 200;
/** The Docker bridge network: Learn advises against it for the virtual network (hub-configure-private-link.md, "Prerequisites"). */
const DOCKER_BRIDGE = "172.17.0.0/16";
export const DEFAULT_ADDRESS_SPACE = "10.90.0.0/24";

const SUBNET_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]+\/subnets\/[-\w.]+$/i;
const VNET_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]+$/i;
const ZONE_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Network\/privateDnsZones\/([-\w.]+)$/i;

const PUBLIC_RANGES = 'must be a list of public IPv4 addresses or CIDR ranges, e.g. ["203.0.113.0/24"]';
const VNET_ID_MESSAGE = "must be the ARM id of a virtual network (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)";
const ZONE_ID_MESSAGE = "must be the ARM id of a private DNS zone (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>)";

const publicRange = z.string({ error: 'must be an IPv4 address or CIDR range, e.g. "203.0.113.0/24"' }).superRefine((text, ctx) => {
  const range = parseIpv4Range(text);
  if (!range) ctx.addIssue({ code: "custom", message: 'is not an IPv4 address or CIDR range (e.g. "203.0.113.7" or "203.0.113.0/24", host bits zero)' });
  else {
    const why = nonPublicReason(range);
    if (why) ctx.addIssue({ code: "custom", message: `is not a public internet range (${why}); Azure IP rules take only public addresses` });
  }
});

const privateRange = z.string().superRefine((text, ctx) => {
  const range = parseIpv4Range(text);
  if (!range || range.prefix > 28) ctx.addIssue({ code: "custom", message: 'must be a CIDR range of /28 or larger, e.g. "10.90.0.0/24"' });
  else if (nonPublicReason(range) === undefined) ctx.addIssue({ code: "custom", message: "must be a private (RFC 1918) range" });
  else if (overlaps(range, parseIpv4Range(DOCKER_BRIDGE)!)) ctx.addIssue({ code: "custom", message: `overlaps ${DOCKER_BRIDGE}, the Docker bridge network, which Learn advises against` });
});

const overlaps = (a: Ipv4Range, b: Ipv4Range) => contains(a, b) || contains(b, a);

export const deployerSchema = z.discriminatedUnion(
  "via",
  [
    z.strictObject({ via: z.literal("allow-list"), ipRanges: z.array(publicRange, { error: PUBLIC_RANGES }).min(1, { error: "needs the deployer's egress range(s)" }) }),
    z.strictObject({ via: z.literal("inside-network") }),
  ],
  { error: 'must be { via: "allow-list", ipRanges: [...] } or { via: "inside-network" }' },
);

export const networkSchema = z.strictObject(
  {
    mode: z.enum(NETWORK_MODES, { error: `must be one of ${NETWORK_MODES.map((m) => `"${m}"`).join(", ")}` }).optional(),
    allowedIpRanges: z.array(publicRange, { error: PUBLIC_RANGES }).max(MAX_IP_RULES, { error: `allows at most ${MAX_IP_RULES} ranges (the hub's limit)` }).optional(),
    deployer: deployerSchema.optional(),
    virtualNetwork: z
      .union([z.strictObject({ subnetId: z.string().regex(SUBNET_ID, { error: "must be the ARM id of a subnet (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)" }) }), z.strictObject({ addressSpace: privateRange, subnetPrefix: privateRange.optional() })], {
        error: "must be { subnetId } (an existing subnet) or { addressSpace, subnetPrefix? } (a network the stack creates)",
      })
      .optional(),
    // Other networks whose machines must resolve the stack's endpoints (the CI runner's, a hub network):
    // the zones the stack creates are linked to them too.
    dnsLinkedNetworkIds: z
      .array(z.string({ error: VNET_ID_MESSAGE }).regex(VNET_ID, { error: VNET_ID_MESSAGE }), {
        error: "must be a list of virtual network ARM ids (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>)",
      })
      .max(10, { error: "allows at most 10 networks" })
      .optional(),
    privateDnsZoneIds: z
      .record(z.string(), z.string({ error: ZONE_ID_MESSAGE }).regex(ZONE_ID, { error: ZONE_ID_MESSAGE }), { error: "must be a map of zone name to the ARM id of an existing private DNS zone" })
      .optional(),
  },
  { error: "must be { mode?, allowedIpRanges?, deployer?, virtualNetwork?, dnsLinkedNetworkIds?, privateDnsZoneIds? }" },
);

export type RawNetworkConfig = z.infer<typeof networkSchema>;
export type DeployerReach = z.infer<typeof deployerSchema>;

export type VirtualNetworkPlan =
  | { kind: "create"; addressSpace: string; subnetPrefix: string }
  | { kind: "existing"; subnetId: string; virtualNetworkId: string };

export type NetworkConfig =
  | { mode: "public" }
  | { mode: "restricted"; allowedIpRanges: string[]; deployer?: DeployerReach }
  | { mode: "private"; virtualNetwork: VirtualNetworkPlan; privateDnsZoneIds: Record<string, string>; dnsLinkedNetworkIds: string[]; deployer?: DeployerReach };

const KEY = "llama-finetune-env:network";

/**
 * Cross-key problems of a well-formed `network` block (keys that do nothing in the chosen mode,
 * zone ids that name zones the stack does not need, a subnet inside the address space).
 */
export function networkShapeProblems(raw: RawNetworkConfig | undefined, mode: NetworkMode): string[] {
  const problems: string[] = [];
  if (!raw) return problems;
  const unused = (key: keyof RawNetworkConfig, modes: string) => problems.push(`${KEY}.${key}: only used when network.mode is ${modes} (this stack's mode is "${mode}"); remove it or change the mode`);
  if (mode === "public") {
    for (const key of ["allowedIpRanges", "deployer", "virtualNetwork", "dnsLinkedNetworkIds", "privateDnsZoneIds"] as const) if (raw[key] !== undefined) unused(key, key === "allowedIpRanges" ? '"restricted"' : key === "deployer" ? '"restricted" or "private"' : '"private"');
  } else if (mode === "restricted") {
    for (const key of ["virtualNetwork", "dnsLinkedNetworkIds", "privateDnsZoneIds"] as const) if (raw[key] !== undefined) unused(key, '"private"');
  } else if (raw.allowedIpRanges !== undefined) {
    problems.push(`${KEY}.allowedIpRanges: mode "private" leaves no public endpoint for IP ranges to open; remove them (people and CI reach a private stack from inside its network), or use mode "restricted"`);
  }
  for (const [zone, id] of Object.entries(raw.privateDnsZoneIds ?? {})) {
    if (!ALL_PRIVATE_DNS_ZONES.includes(zone)) problems.push(`${KEY}.privateDnsZoneIds: "${zone}" is not a zone this stack needs; allowed: ${ALL_PRIVATE_DNS_ZONES.join(", ")}`);
    const named = ZONE_ID.exec(id)?.[1];
    if (named !== undefined && named.toLowerCase() !== zone.toLowerCase()) problems.push(`${KEY}.privateDnsZoneIds.${zone}: the id names zone "${named}", not "${zone}"`);
  }
  const vnet = raw.virtualNetwork;
  if (vnet && "addressSpace" in vnet && vnet.subnetPrefix !== undefined) {
    const outer = parseIpv4Range(vnet.addressSpace);
    const inner = parseIpv4Range(vnet.subnetPrefix);
    if (outer && inner && !contains(outer, inner)) problems.push(`${KEY}.virtualNetwork.subnetPrefix: "${vnet.subnetPrefix}" is not inside addressSpace "${vnet.addressSpace}"`);
  }
  return problems;
}

/** The resolved network of a stack: its mode (the environment kind's default unless set) and what that mode needs. */
export function resolveNetwork(raw: RawNetworkConfig | undefined, defaultMode: NetworkMode): NetworkConfig {
  const mode = raw?.mode ?? defaultMode;
  const deployer = raw?.deployer !== undefined ? { deployer: raw.deployer } : {};
  if (mode === "public") return { mode };
  if (mode === "restricted") return { mode, allowedIpRanges: raw?.allowedIpRanges ?? [], ...deployer };
  const vnet = raw?.virtualNetwork;
  const virtualNetwork: VirtualNetworkPlan =
    vnet && "subnetId" in vnet
      ? { kind: "existing", subnetId: vnet.subnetId, virtualNetworkId: vnet.subnetId.replace(/\/subnets\/[^/]+$/i, "") }
      : { kind: "create", addressSpace: vnet?.addressSpace ?? DEFAULT_ADDRESS_SPACE, subnetPrefix: vnet?.subnetPrefix ?? vnet?.addressSpace ?? DEFAULT_ADDRESS_SPACE };
  const own = virtualNetwork.kind === "existing" ? virtualNetwork.virtualNetworkId.toLowerCase() : undefined;
  const dnsLinkedNetworkIds = [...new Set(raw?.dnsLinkedNetworkIds ?? [])].filter((id) => id.toLowerCase() !== own);
  return { mode, virtualNetwork, privateDnsZoneIds: raw?.privateDnsZoneIds ?? {}, dnsLinkedNetworkIds, ...deployer };
}

/**
 * Can the identity running `pulumi up` reach the storage account it uploads the training data
 * to? Checked for deployments (up, preview, the offline plan), not for teardown or the
 * fine-tuning CLI, which talk to ARM only. Each message names the mode and what to add.
 */
export function networkDeploymentProblems(network: NetworkConfig): string[] {
  if (network.mode === "public") return [];
  const deployer = network.deployer;
  if (network.mode === "restricted") {
    if (network.allowedIpRanges.length === 0) {
      return [`${KEY}.allowedIpRanges: mode "restricted" admits only the listed IP ranges, and none are listed: nobody (and no CI runner) could reach storage, key vault or AI Services. Add the egress ranges of your people and of the deployer`];
    }
    if (deployer === undefined || deployer.via !== "allow-list") {
      const why = deployer?.via === "inside-network" ? "a restricted stack has no private network to be inside of" : "the deployer's network is not declared";
      return [
        `${KEY}.deployer: mode "restricted" lets only listed IP ranges reach the storage account, and the identity running pulumi up uploads the training data there (${why}). ` +
          `Add its fixed egress: network.deployer: { via: allow-list, ipRanges: ["<egress>/32"] } with the same ranges in network.allowedIpRanges (a self-hosted runner or a runner with a static public IP; GitHub-hosted runners have none), or use mode "private" with a runner inside the network`,
      ];
    }
    const allowed = network.allowedIpRanges.map(parseIpv4Range).filter((r): r is Ipv4Range => r !== undefined);
    const outside = deployer.ipRanges.filter((text) => {
      const r = parseIpv4Range(text);
      return r !== undefined && !allowed.some((a) => contains(a, r));
    });
    return outside.length === 0
      ? []
      : [`${KEY}.deployer.ipRanges: ${outside.map((r) => `"${r}"`).join(", ")} ${outside.length === 1 ? "is" : "are"} not in network.allowedIpRanges: in mode "restricted" the storage firewall would refuse the upload (403 AuthorizationFailure). Add ${outside.length === 1 ? "it" : "them"} to network.allowedIpRanges`];
  }
  if (deployer?.via === "inside-network") return [];
  const why = deployer?.via === "allow-list" ? "an allow-listed IP cannot reach it: no public endpoint is left" : "the deployer's network is not declared";
  return [
    `${KEY}.deployer: mode "private" turns public network access off on storage, key vault, AI Services, hub and project, and the identity running pulumi up uploads the training data to storage (${why}). ` +
      `Run the deployment inside the network (a self-hosted runner in the virtual network or a network peered to it, or a VPN) and declare it: network.deployer: { via: inside-network }; or use mode "restricted" with the deployer's egress in network.allowedIpRanges`,
  ];
}

/** What a reviewer should know about the stack's network (shown by the plan; never fails it). */
export function networkWarnings(config: { environment: string; network: NetworkConfig }): string[] {
  const net = config.network;
  if (net.mode === "public") {
    return config.environment === "prod" ? ['network mode is "public" for a prod stack: every endpoint is reachable from the internet (the policy pack refuses it; set llama-finetune-env:network.mode: private)'] : [];
  }
  if (net.mode === "restricted") {
    return [
      'network mode "restricted": storage, key vault and AI Services admit only network.allowedIpRanges and trusted Azure services, but the hub\'s and project\'s own IP allow-list (networkAcls, preview) ' +
        "is not in azure-native 3.28's Workspace (REST 2025-12-01): their public endpoints, and the serverless endpoints that follow the hub, stay reachable from every network with Entra ID or the endpoint key",
    ];
  }
  const where = net.virtualNetwork.kind === "create" ? "the virtual network this stack creates (or a network peered to it)" : "the network of the given subnet (or a network peered to it)";
  return [`network mode "private": pulumi up, AI Studio and the endpoints are reachable only from ${where}; the deployer declares it runs there (network.deployer: inside-network), see docs/delivery.md`];
}
