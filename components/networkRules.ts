/**
 * The network settings of each resource the stack exposes, per network mode (config/network.ts):
 * what `public`, `restricted` and `private` mean for storage, key vault, AI Services and the
 * hub's managed network. Plain functions returning azure-native input shapes, so the components
 * stay short and the decisions can be read in one place.
 *
 * Sources:
 * - Storage `networkRuleSet` (default action, IP rules, trusted-service bypass, resource instance
 *   rules): Learn "Configure Azure Storage firewalls and virtual networks"
 *   (storage/common/storage-network-security.md). The hub and project reach a private storage
 *   account as trusted services: "Our services need to read/write data in your private storage
 *   account using Allow Azure services on the trusted services list"
 *   (azure-ai-docs articles/ai-foundry/how-to/hub-configure-private-link.md, "Private storage
 *   configuration"); the resource instance rules name exactly the stack's hub and project.
 * - Key vault `networkAcls`: with public access "Disabled" "all traffic except private endpoint
 *   traffic and that that originates from trusted services will be blocked" (KeyVaultProperties
 *   .PublicNetworkAccess, Azure REST / SDK reference).
 * - AI Services `networkAcls` with `bypass: AzureServices`: Azure Machine Learning is on the
 *   trusted-services list of Azure OpenAI/AI Services (azure-ai-docs
 *   articles/ai-foundry/how-to/configure-private-link.md, "Grant access to trusted Azure services").
 * - Hub managed network: "Allow only approved outbound" adds the required private endpoints to
 *   the hub, its storage, key vault and container registry itself; FQDN and service-tag rules are
 *   valid only in that mode, FQDN rules bring an Azure Firewall (billed), and storage must be
 *   reached with a private endpoint, never an FQDN rule (azure-ai-docs
 *   articles/ai-foundry/how-to/configure-managed-network.md, "Limitations", "List of required
 *   rules", "Pricing"). Serverless fine-tuning and serverless endpoints run on Microsoft's
 *   capacity, not in the managed network, so the only user-defined rule is a private endpoint to
 *   the AI Services account the hub's connection uses; no FQDN rule, so no firewall is billed.
 *   `provisionNetworkNow` creates the managed network with the hub instead of with the first
 *   compute ("Manually provision a managed VNet", same page).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkMode } from "../config/network";
import { cidrIpRules, storageIpRules } from "../config/ipRanges";

export interface NetworkRulesInput {
  mode: NetworkMode;
  /** Public ranges admitted in `restricted` mode. */
  allowedIpRanges: readonly string[];
}

/** `publicNetworkAccess` of storage, key vault, AI Services, hub and project. */
export function publicNetworkAccess(network: NetworkRulesInput): "Enabled" | "Disabled" {
  return network.mode === "private" ? "Disabled" : "Enabled";
}

/** Storage firewall: undefined (Azure's default, allow) in `public`; otherwise deny by default. */
export function storageNetworkRuleSet(network: NetworkRulesInput, trusted: { tenantId: string; resourceIds: readonly string[] }) {
  if (network.mode === "public") return undefined;
  return {
    defaultAction: "Deny" as const,
    bypass: "AzureServices",
    ipRules: network.mode === "restricted" ? storageIpRules(network.allowedIpRanges).map((ip) => ({ iPAddressOrRange: ip, action: "Allow" as const })) : [],
    resourceAccessRules: trusted.resourceIds.map((resourceId) => ({ tenantId: trusted.tenantId, resourceId })),
  };
}

/** Key vault and AI Services `networkAcls`: undefined in `public`; otherwise deny by default, trusted services allowed. */
export function serviceNetworkAcls(network: NetworkRulesInput) {
  if (network.mode === "public") return undefined;
  return {
    defaultAction: "Deny",
    bypass: "AzureServices",
    ipRules: network.mode === "restricted" ? cidrIpRules(network.allowedIpRanges).map((value) => ({ value })) : [],
  };
}

/** Name of the hub's user-defined outbound rule to its AI Services account. */
export const AI_SERVICES_OUTBOUND_RULE = "aiservices-account";

/** The hub's `managedNetwork` and `provisionNetworkNow`: none in `public` (as before issue 10). */
export function hubManagedNetwork(network: NetworkRulesInput, aiServicesId: pulumi.Input<string>) {
  if (network.mode === "public") return { managedNetwork: undefined, provisionNetworkNow: undefined };
  return {
    managedNetwork: {
      isolationMode: "AllowOnlyApprovedOutbound",
      outboundRules: {
        [AI_SERVICES_OUTBOUND_RULE]: {
          type: "PrivateEndpoint" as const,
          category: "UserDefined",
          destination: { serviceResourceId: aiServicesId, subresourceTarget: "account", sparkEnabled: false },
        },
      },
    },
    // Private stacks: the managed network (and its private endpoints) exists once the hub does.
    provisionNetworkNow: network.mode === "private" ? true : undefined,
  };
}
