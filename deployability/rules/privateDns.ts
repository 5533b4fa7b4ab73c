/**
 * Private endpoints, private DNS zones and their links: what ARM refuses, and what it accepts but
 * leaves unresolvable (a private endpoint whose name still resolves to the public address inside
 * the network is as good as none: the firewall then refuses the caller).
 *
 * Azure behaviour and sources:
 * - Private DNS zones and their virtual network links are global resources, declared with
 *   `location: "global"` (Learn "What is a private Azure DNS zone", dns/private-dns-privatednszone.md;
 *   every quickstart, e.g. Azure/azure-quickstart-templates aistudio-network-restricted
 *   modules/ai-hub.bicep). A regional location is refused.
 * - Each private endpoint needs a DNS zone group with the zones its group id uses (Learn "Azure
 *   Private Endpoint private DNS zone values", private-link/private-endpoint-dns; the table is
 *   config/network.ts PRIVATE_DNS_ZONES), and a zone is resolved only in the virtual networks it is
 *   linked to ("Once you create a private DNS zone in Azure, it is not immediately accessible from
 *   any virtual network. You must link it to a virtual network", dns/private-dns-virtual-network-links.md).
 * - "You can create only one link between a private DNS zone and a virtual network" (same page).
 * - "The private endpoint must be deployed in the same region and subscription as the virtual
 *   network" (Learn "What is a private endpoint?", private-link/private-endpoint-overview.md).
 * - Across stacks: "A single private DNS zone is required for this configuration. Creating
 *   multiple zones with the same name for different virtual networks would need manual operations
 *   to merge the DNS records" (private-endpoint-dns); two stacks that each create a zone of one
 *   name and link it to the same network cannot both resolve, so they must share one zone (given
 *   by id, `network.privateDnsZoneIds`). Two stacks creating the same zone in the same resource
 *   group collide on its ARM id like any other resource.
 */
import { PRIVATE_DNS_ZONES, type PrivateLinkGroup } from "../../config/network";
import type { PlannedResource } from "../../plan/types";
import { get, known, lastSegment, ofType } from "../resources";
import type { CrossStackRule, Finding, PlanFacts, PlanRule } from "../types";

export const N = {
  virtualNetwork: "azure-native:network:VirtualNetwork",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
} as const;

const DNS_SOURCE = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns; https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links";

const err = (r: PlannedResource, message: string): Finding => ({ severity: "error", urn: r.urn, resourceName: r.name, message });

/** The network an endpoint's subnet belongs to (`.../virtualNetworks/<vnet>`), lower-cased, if known. */
function networkOfSubnet(subnetId: unknown): string | undefined {
  const id = known(subnetId);
  return id ? id.replace(/\/subnets\/[^/]+\/?$/i, "").toLowerCase() : undefined;
}

/** A network id as links carry it, lower-cased, if known. */
const networkId = (id: unknown) => known(id)?.replace(/\/+$/, "").toLowerCase();

/** Zone names a zone group points at: from the zone ids, or from the planned zones the ids came from. */
function zoneNamesOf(group: PlannedResource, zones: readonly PlannedResource[]): string[] {
  const configs = (get(group.inputs, "privateDnsZoneConfigs") as { privateDnsZoneId?: unknown }[] | undefined) ?? [];
  const fromIds = configs.map((c) => known(c.privateDnsZoneId)).filter((id): id is string => id !== undefined).map(lastSegment);
  const fromDeps = (group.propertyDependencies?.privateDnsZoneConfigs ?? []).map((urn) => zones.find((z) => z.urn === urn)).map((z) => known(z?.inputs.privateZoneName)?.toLowerCase());
  return [...new Set([...fromIds, ...fromDeps.filter((n): n is string => n !== undefined)])];
}

export const privateDnsGlobalRule: PlanRule = {
  name: "private-dns-global",
  description: "Private DNS zones and their virtual network links are declared with location \"global\".",
  source: "https://learn.microsoft.com/azure/dns/private-dns-privatednszone",
  check(plan: PlanFacts): Finding[] {
    return [...ofType(plan.resources, N.zone), ...ofType(plan.resources, N.link)]
      .filter((r) => String(r.inputs.location ?? "").toLowerCase() !== "global")
      .map((r) => err(r, `"${r.name}" has location ${JSON.stringify(r.inputs.location ?? null)}: private DNS zones and their links are global resources and ARM refuses a region. Fix: location: "global".`));
  },
};

export const privateEndpointDnsRule: PlanRule = {
  name: "private-endpoint-dns",
  description: "Every private endpoint has a DNS zone group with the zones of its group id, and each zone the stack creates is linked once to the endpoint's network.",
  source: DNS_SOURCE,
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    const zones = ofType(plan.resources, N.zone);
    const groups = ofType(plan.resources, N.zoneGroup);
    const links = ofType(plan.resources, N.link);
    const seenLinks = new Set<string>();
    for (const link of links) {
      const key = `${known(link.inputs.resourceGroupName) ?? "?"}|${String(link.inputs.privateZoneName).toLowerCase()}|${networkId(get(link.inputs, "virtualNetwork.id")) ?? link.urn}`;
      if (seenLinks.has(key)) findings.push(err(link, `"${link.name}" links zone ${String(link.inputs.privateZoneName)} to a network it is already linked to; "You can create only one link between a private DNS zone and a virtual network". Fix: link each zone once.`));
      seenLinks.add(key);
    }
    for (const pe of ofType(plan.resources, N.privateEndpoint)) {
      const name = known(pe.inputs.privateEndpointName);
      const groupIds = ((get(pe.inputs, "privateLinkServiceConnections") as { groupIds?: string[] }[] | undefined) ?? []).flatMap((c) => c.groupIds ?? []);
      const needed = groupIds.flatMap((g) => PRIVATE_DNS_ZONES[g as PrivateLinkGroup] ?? []);
      const mine = groups.filter((g) => (name !== undefined && known(g.inputs.privateEndpointName) === name) || g.dependsOn.includes(pe.urn));
      if (mine.length === 0) {
        findings.push(err(pe, `private endpoint "${pe.name}" has no DNS zone group: inside the network its target's name still resolves to the public address, which the target's firewall refuses. Fix: a PrivateDnsZoneGroup with ${needed.join(", ") || "the zones of its group id"}.`));
        continue;
      }
      const have = mine.flatMap((g) => zoneNamesOf(g, zones));
      const missing = needed.filter((z) => !have.includes(z));
      if (missing.length > 0) findings.push(err(mine[0]!, `the DNS zone group of "${pe.name}" (${groupIds.join(", ")}) lacks ${missing.join(", ")}: those names resolve to public addresses inside the network. Fix: add the zone(s) to privateDnsZoneConfigs.`));
      const network = networkOfSubnet(get(pe.inputs, "subnet.id"));
      for (const zoneName of have) {
        const zone = zones.find((z) => known(z.inputs.privateZoneName)?.toLowerCase() === zoneName);
        if (!zone || !network) continue; // a zone given by id is linked (or forwarded) by whoever owns it
        const linked = links.some((l) => known(l.inputs.privateZoneName)?.toLowerCase() === zoneName && networkId(get(l.inputs, "virtualNetwork.id")) === network);
        if (!linked) findings.push(err(zone, `zone ${zoneName} holds the records of "${pe.name}" but is not linked to its network ${network}: nothing there resolves it. Fix: a VirtualNetworkLink from the zone to that network.`));
      }
    }
    return findings;
  },
};

export const privateEndpointRegionRule: PlanRule = {
  name: "private-endpoint-region",
  description: "A private endpoint is in the region of the virtual network its subnet belongs to.",
  source: "https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
  check(plan: PlanFacts): Finding[] {
    const findings: Finding[] = [];
    for (const pe of ofType(plan.resources, N.privateEndpoint)) {
      const subnet = known(get(pe.inputs, "subnet.id"));
      const vnet = ofType(plan.resources, N.virtualNetwork).find((v) => subnet?.toLowerCase().includes(`/virtualnetworks/${String(v.inputs.virtualNetworkName).toLowerCase()}/subnets/`));
      const [a, b] = [known(pe.inputs.location), known(vnet?.inputs.location)];
      if (vnet && a && b && a.toLowerCase() !== b.toLowerCase()) findings.push(err(pe, `private endpoint "${pe.name}" is in ${a} but its network "${vnet.name}" is in ${b}; ARM refuses it. Fix: create the endpoint in ${b}.`));
    }
    return findings;
  },
};

interface ZoneClaim {
  stack: string;
  zone: string;
  resourceGroup: string;
  network?: string;
  resource: PlannedResource;
}

export const privateDnsAcrossStacksRule: CrossStackRule = {
  name: "private-dns-zones-across-stacks",
  description: "Two stacks do not create the same private DNS zone in one resource group, nor each their own zone of one name linked to the same network: they share one zone (network.privateDnsZoneIds).",
  source: DNS_SOURCE,
  check(plans: readonly PlanFacts[]): Finding[] {
    const findings: Finding[] = [];
    const claims: ZoneClaim[] = plans.flatMap((plan) =>
      ofType(plan.resources, N.link).map((link) => ({
        stack: plan.stack,
        zone: String(link.inputs.privateZoneName).toLowerCase(),
        resourceGroup: (known(link.inputs.resourceGroupName) ?? "").toLowerCase(),
        network: networkId(get(link.inputs, "virtualNetwork.id")),
        resource: link,
      })),
    );
    const zonesByStack = plans.flatMap((plan) => ofType(plan.resources, N.zone).map((z) => ({ stack: plan.stack, zone: String(z.inputs.privateZoneName).toLowerCase(), resourceGroup: (known(z.inputs.resourceGroupName) ?? "").toLowerCase(), resource: z })));
    for (const [i, a] of zonesByStack.entries()) {
      const b = zonesByStack.slice(0, i).find((x) => x.stack !== a.stack && x.zone === a.zone && x.resourceGroup !== "" && x.resourceGroup === a.resourceGroup);
      if (b) findings.push({ ...err(a.resource, `stacks ${b.stack} and ${a.stack} both create private DNS zone ${a.zone} in resource group ${a.resourceGroup}; the second is refused. Fix: one stack creates it, the other names it in network.privateDnsZoneIds.`), stack: a.stack });
    }
    for (const [i, a] of claims.entries()) {
      const b = claims.slice(0, i).find((x) => x.stack !== a.stack && x.zone === a.zone && x.network !== undefined && x.network === a.network && x.resourceGroup !== a.resourceGroup);
      if (b) {
        findings.push({
          ...err(a.resource, `stacks ${b.stack} and ${a.stack} each create their own ${a.zone} and link it to the same network ${a.network}: one network resolves a zone name from one zone only, so one stack's endpoints would not resolve. Fix: give ${a.stack} the zone of ${b.stack} (network.privateDnsZoneIds), or give each stack its own network.`),
          stack: a.stack,
        });
      }
    }
    return findings;
  },
};
