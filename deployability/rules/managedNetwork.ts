/**
 * The hub's managed network and the firewalls' IP rules: what ARM refuses.
 *
 * Azure behaviour and sources:
 * - Managed network (azure-ai-docs articles/ai-foundry/how-to/configure-managed-network.md):
 *   it belongs to the hub ("a managed virtual network is created for the hub. Managed compute
 *   resources you create for the hub automatically use this managed virtual network"), so projects
 *   declare none; "Adding an outbound for a service tag or FQDN is only valid when the managed VNet
 *   is configured to ALLOW_ONLY_APPROVED_OUTBOUND"; "If your managed network is configured to allow
 *   only approved outbound, you can't use an FQDN rule to access Azure Storage accounts. Use a
 *   private endpoint instead"; "FQDN outbound rules support only ports 80 and 443" and "Azure
 *   Firewall deploys when you add an outbound FQDN rule" (billed: a warning); provisioning "during
 *   hub creation" needs a managed network to provision (`provision_network_now` with
 *   `--managed-network`, "Manually provision a managed VNet").
 * - IP rules (Learn "Configure Azure Storage firewalls and virtual networks",
 *   storage/common/storage-network-security.md): only public internet addresses, RFC 1918 ranges are
 *   refused; storage refuses /31 and /32 prefixes ("Configure these ranges using individual IP
 *   address rules"). Key vault and AI Services take CIDR or single IPv4 addresses, public only.
 */
import { parseIpv4Range, nonPublicReason } from "../../config/ipRanges";
import type { PlannedResource } from "../../plan/types";
import { get, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

const MANAGED_NETWORK_SOURCE = "https://learn.microsoft.com/azure/ai-foundry/how-to/configure-managed-network (azure-ai-docs articles/ai-foundry/how-to/configure-managed-network.md)";
const STORAGE_FQDN = /(^|\.)(blob|file|queue|table|dfs|web)\.core\.(windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/i;

const err = (r: PlannedResource, message: string): Finding => ({ severity: "error", urn: r.urn, resourceName: r.name, message });

interface OutboundRule {
  type?: string;
  destination?: unknown;
}

export const managedNetworkRule: PlanRule = {
  name: "hub-managed-network",
  description: "Only the hub declares a managed network; FQDN and service-tag rules only with approved-outbound isolation, never an FQDN rule to storage; provisionNetworkNow only with a managed network.",
  source: MANAGED_NETWORK_SOURCE,
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const ws of ofType(plan.resources, T.mlWorkspace)) {
      const managed = ws.inputs.managedNetwork as { isolationMode?: string; outboundRules?: Record<string, OutboundRule> } | undefined;
      const isHub = String(ws.inputs.kind ?? "").toLowerCase() === "hub";
      if (!isHub && (managed !== undefined || ws.inputs.provisionNetworkNow !== undefined)) {
        findings.push(err(ws, `"${ws.name}" (kind ${JSON.stringify(ws.inputs.kind ?? null)}) declares managedNetwork/provisionNetworkNow, which belong to the hub: its projects use the hub's managed network. Fix: declare them on the hub only.`));
        continue;
      }
      const mode = managed?.isolationMode ?? "Disabled";
      if (ws.inputs.provisionNetworkNow === true && mode.toLowerCase() === "disabled") {
        findings.push(err(ws, `"${ws.name}" sets provisionNetworkNow without a managed network (isolationMode ${mode}): there is nothing to provision. Fix: set managedNetwork.isolationMode, or drop provisionNetworkNow.`));
      }
      for (const [name, rule] of Object.entries(managed?.outboundRules ?? {})) {
        const type = String(rule.type ?? "");
        if ((type === "FQDN" || type === "ServiceTag") && mode !== "AllowOnlyApprovedOutbound") {
          findings.push(err(ws, `outbound rule "${name}" of "${ws.name}" is of type ${type}, valid only with isolationMode AllowOnlyApprovedOutbound (it is ${mode}).`));
        }
        if (type === "FQDN") {
          const fqdn = known(rule.destination) ?? "";
          if (mode === "AllowOnlyApprovedOutbound" && STORAGE_FQDN.test(fqdn)) findings.push(err(ws, `outbound rule "${name}" of "${ws.name}" reaches storage (${fqdn}) by FQDN, which approved-outbound isolation refuses. Fix: a PrivateEndpoint rule to the storage account.`));
          else findings.push({ severity: "warning", urn: ws.urn, resourceName: ws.name, message: `outbound rule "${name}" of "${ws.name}" is an FQDN rule: the managed network then deploys an Azure Firewall, billed per hour (ports 80 and 443 only).` });
        }
        if (type === "PrivateEndpoint" && (get(rule.destination, "serviceResourceId") === undefined || get(rule.destination, "subresourceTarget") === undefined)) {
          findings.push(err(ws, `outbound rule "${name}" of "${ws.name}" is a PrivateEndpoint rule without destination.serviceResourceId and destination.subresourceTarget.`));
        }
      }
    }
    return findings;
  },
};

/** The IP rules of a firewall, as strings, with where they are. */
function ipRulesOf(r: PlannedResource): { values: string[]; storage: boolean } {
  if (r.type === T.storageAccount) {
    const rules = (get(r.inputs, "networkRuleSet.ipRules") as { iPAddressOrRange?: unknown }[] | undefined) ?? [];
    return { values: rules.map((x) => known(x.iPAddressOrRange)).filter((v): v is string => v !== undefined), storage: true };
  }
  const rules = (get(r.inputs, "properties.networkAcls.ipRules") as { value?: unknown }[] | undefined) ?? [];
  return { values: rules.map((x) => known(x.value)).filter((v): v is string => v !== undefined), storage: false };
}

export const firewallIpRulesRule: PlanRule = {
  name: "firewall-ip-rules",
  description: "Firewall IP rules of storage, key vault and AI Services are public IPv4 addresses or ranges; storage takes no /31 or /32 prefix.",
  source: "https://learn.microsoft.com/azure/storage/common/storage-network-security",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const r of [...ofType(plan.resources, T.storageAccount), ...ofType(plan.resources, T.keyVault), ...ofType(plan.resources, T.aiServices)]) {
      const { values, storage } = ipRulesOf(r);
      for (const value of values) {
        const range = parseIpv4Range(value);
        const why = range ? nonPublicReason(range) : "not an IPv4 address or CIDR range";
        if (why) findings.push(err(r, `"${r.name}" has IP rule "${value}" (${why}): IP rules take public internet addresses only.`));
        else if (storage && value.includes("/") && range!.prefix >= 31) findings.push(err(r, `"${r.name}" has IP rule "${value}": storage refuses /31 and /32 prefixes. Fix: write them as single addresses.`));
      }
    }
    return findings;
  },
};
