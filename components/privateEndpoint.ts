/**
 * "Private endpoint + DNS zone group for resource X, group id Y": the one helper every component
 * uses to expose a resource inside the stack's network.
 *
 * - The endpoint connects the subnet to the target through Private Link with an automatic
 *   approval (`privateLinkServiceConnections`, not `manualPrivateLinkServiceConnections`: the
 *   deployer owns both sides), as Learn's `az network private-endpoint create --group-id ...`
 *   does (azure-ai-docs articles/ai-foundry/how-to/hub-configure-private-link.md).
 * - The zone group registers the endpoint's A records in the private DNS zones its group id needs
 *   (config/network.ts PRIVATE_DNS_ZONES), so the resource's usual name resolves to the private
 *   address inside the network ("Private DNS zone group", Learn private-link/private-endpoint-dns).
 * - The endpoint waits for the virtual network and the zones' VNet links (`ready`), the zone
 *   group for the endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PRIVATE_DNS_ZONES, type PrivateLinkGroup } from "../config/network";

/** Where private endpoints go: the subnet, the zone ids by zone name, and what must exist first. */
export interface PrivateLinkPlacement {
  resourceGroupName: pulumi.Input<string>;
  /** ARM id of that resource group (endpoint ids, role-assignment scopes, known at preview). */
  resourceGroupId: string;
  location: string;
  tags: Record<string, string>;
  subnetId: pulumi.Input<string>;
  zoneIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** The virtual network, zones and links the endpoints need. */
  ready: pulumi.Resource[];
  /** `pe-<target>-<group>` (config/networkNames.ts). */
  endpointName(targetName: string, group: PrivateLinkGroup): string;
}

export interface PrivateLinkTarget {
  /** Physical name of the target (part of the endpoint's name). */
  name: string;
  /** ARM id of the target (deterministic, config/armIds.ts). */
  id: string;
  resource: pulumi.Resource;
  group: PrivateLinkGroup;
}

export interface ExposedPrivately {
  /** ARM id of the endpoint. */
  id: string;
  endpoint: network.PrivateEndpoint;
  zoneGroup: network.PrivateDnsZoneGroup;
}

/** The private endpoint of `target` in `placement`'s subnet, and its DNS zone group. */
export function exposePrivately(resourceName: string, placement: PrivateLinkPlacement, target: PrivateLinkTarget, opts: { parent: pulumi.Resource }): ExposedPrivately {
  const endpointName = placement.endpointName(target.name, target.group);
  const endpoint = new network.PrivateEndpoint(
    `${resourceName}-pe`,
    {
      resourceGroupName: placement.resourceGroupName,
      location: placement.location,
      tags: placement.tags,
      privateEndpointName: endpointName,
      subnet: { id: placement.subnetId },
      privateLinkServiceConnections: [{ name: endpointName, privateLinkServiceId: target.id, groupIds: [target.group] }],
    },
    { parent: opts.parent, dependsOn: [target.resource, ...placement.ready] },
  );
  const zoneGroup = new network.PrivateDnsZoneGroup(
    `${resourceName}-dns`,
    {
      resourceGroupName: placement.resourceGroupName,
      privateEndpointName: endpointName,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: PRIVATE_DNS_ZONES[target.group].map((zone) => {
        const id = placement.zoneIds[zone];
        if (id === undefined) throw new Error(`no private DNS zone ${zone} for ${target.group} endpoints (a bug: PrivateNetwork provides every zone in PRIVATE_DNS_ZONES)`);
        return { name: zone.replace(/\./g, "-"), privateDnsZoneId: id };
      }),
    },
    { parent: opts.parent, dependsOn: [endpoint] },
  );
  return { id: `${placement.resourceGroupId}/providers/Microsoft.Network/privateEndpoints/${endpointName}`, endpoint, zoneGroup };
}
