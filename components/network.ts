/**
 * The private network of a `private` stack: the subnet its private endpoints go into and the
 * private DNS zones those endpoints register in, linked to the network.
 *
 * - Subnet: a virtual network the stack creates (one subnet for private endpoints), or an existing
 *   subnet given by id (a spoke of a hub-and-spoke network). The subnet is declared inside the
 *   VirtualNetwork resource, so an update of the network never drops it; its id is derived from
 *   names, so it is known at preview.
 * - Zones: every zone in config/network.ts PRIVATE_DNS_ZONES. A zone given by id
 *   (`network.privateDnsZoneIds`, central DNS) is used as it is and not linked by the stack: with
 *   central DNS the hub network resolves for its spokes. A zone the stack creates is linked to its
 *   network and to `network.dnsLinkedNetworkIds` (e.g. the network of a self-hosted CI runner
 *   peered to it: peering routes the traffic, but names resolve only where the zone is linked). A zone the stack creates lives in the
 *   stack's resource group with `location: "global"` (private DNS zones and their links are
 *   global resources: Learn "What is a private Azure DNS zone", dns/private-dns-privatednszone.md;
 *   every Azure quickstart declares them so, e.g. aistudio-network-restricted/modules/ai-hub.bicep),
 *   and is linked to the network without auto-registration.
 * - Every resource waits for the Microsoft.Network registration (privateDnsZones belong to it too).
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { ALL_PRIVATE_DNS_ZONES, type VirtualNetworkPlan } from "../config/network";
import type { NetworkNames } from "../config/networkNames";
import { typeToken, type PlacementArgs } from "./common";
import type { PrivateLinkPlacement } from "./privateEndpoint";

export interface PrivateNetworkArgs extends PlacementArgs {
  subscriptionId: string;
  /** The stack's resource group name (ARM ids are built from it). */
  resourceGroup: string;
  names: NetworkNames;
  virtualNetwork: VirtualNetworkPlan;
  /** Zones given by id, by zone name; the others are created. */
  existingZoneIds: Readonly<Record<string, string>>;
  /** Other networks the created zones are linked to (the CI runner's, a hub network). */
  dnsLinkedNetworkIds: readonly string[];
  /** The resource provider registrations. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

export class PrivateNetwork extends pulumi.ComponentResource {
  readonly virtualNetwork?: network.VirtualNetwork;
  readonly zones: Record<string, privatedns.PrivateZone> = {};
  /** VNet links by `<zone>` (the stack's network) and `<zone>#<n>` (the n-th of dnsLinkedNetworkIds). */
  readonly links: Record<string, privatedns.VirtualNetworkLink> = {};
  /** ARM id of the network the endpoints are in. */
  readonly virtualNetworkId: string;
  readonly subnetId: string;
  /** What the stack's private endpoints need (components/privateEndpoint.ts). */
  readonly placement: PrivateLinkPlacement;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("network", "PrivateNetwork"), name, {}, opts);
    const placed = { resourceGroupName: args.resourceGroupName, tags: args.tags };
    const first = { parent: this, dependsOn: args.dependsOn };
    const vnet = args.virtualNetwork;

    if (vnet.kind === "create") {
      this.virtualNetworkId = `/subscriptions/${args.subscriptionId}/resourceGroups/${args.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${args.names.virtualNetwork}`;
      this.subnetId = `${this.virtualNetworkId}/subnets/${args.names.subnet}`;
      this.virtualNetwork = new network.VirtualNetwork(
        `${name}-vnet`,
        {
          ...placed,
          location: args.location,
          virtualNetworkName: args.names.virtualNetwork,
          addressSpace: { addressPrefixes: [vnet.addressSpace] },
          subnets: [{ name: args.names.subnet, addressPrefix: vnet.subnetPrefix, privateEndpointNetworkPolicies: "Disabled" }],
        },
        first,
      );
    } else {
      this.virtualNetworkId = vnet.virtualNetworkId;
      this.subnetId = vnet.subnetId;
    }

    const zoneIds: Record<string, pulumi.Input<string>> = {};
    for (const zone of ALL_PRIVATE_DNS_ZONES) {
      const given = args.existingZoneIds[zone];
      if (given !== undefined) {
        zoneIds[zone] = given;
        continue;
      }
      const suffix = zone.replace(/^privatelink\./, "").replace(/\./g, "-");
      const created = new privatedns.PrivateZone(`${name}-zone-${suffix}`, { ...placed, privateZoneName: zone, location: "global" }, first);
      this.zones[zone] = created;
      zoneIds[zone] = created.id;
      const networks = [this.virtualNetworkId, ...args.dnsLinkedNetworkIds];
      for (const [n, networkId] of networks.entries()) {
        this.links[n === 0 ? zone : `${zone}#${n}`] = new privatedns.VirtualNetworkLink(
          `${name}-link-${suffix}${n === 0 ? "" : `-${n}`}`,
          {
            ...placed,
            privateZoneName: zone,
            // Unique under the zone: the stack's name and hash, and which network.
            virtualNetworkLinkName: n === 0 ? args.names.zoneLink : `${args.names.zoneLink}-${n}`,
            location: "global",
            virtualNetwork: { id: networkId },
            registrationEnabled: false,
          },
          { parent: this, dependsOn: [created, ...(this.virtualNetwork ? [this.virtualNetwork] : [])] },
        );
      }
    }

    this.placement = {
      resourceGroupName: args.resourceGroupName,
      resourceGroupId: `/subscriptions/${args.subscriptionId}/resourceGroups/${args.resourceGroup}`,
      location: args.location,
      tags: args.tags,
      subnetId: this.subnetId,
      zoneIds,
      ready: [...(this.virtualNetwork ? [this.virtualNetwork] : []), ...Object.values(this.links)],
      endpointName: args.names.privateEndpoint,
    };

    this.registerOutputs({ virtualNetworkId: this.virtualNetworkId, subnetId: this.subnetId, zoneIds });
  }
}
