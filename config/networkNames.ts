/**
 * Physical names of a stack's network resources (config/network.ts decides which exist). Kept
 * apart from config/network.ts because naming imports the schema, which imports network.ts.
 *
 * Private endpoints, the virtual network and its subnet only need to be unique in the stack's
 * resource group. A VNet link lives under its private DNS zone, which several stacks may share
 * (zones given by id), so its name carries the stack and its hash.
 */
import type { PrivateLinkGroup } from "./network";
import { slug, stackHash, type NamingInput } from "./naming";

/** Names of the network resources of one stack (unique per resource group; links also per shared zone). */
export interface NetworkNames {
  virtualNetwork: string;
  subnet: string;
  /** Name of each VNet link: it lives under the zone, which may be shared with other stacks. */
  zoneLink: string;
  privateEndpoint(targetName: string, group: PrivateLinkGroup): string;
}

export function networkNames(input: NamingInput): NetworkNames {
  const hash = stackHash(input);
  const stack = slug(input.stack).slice(0, 40).replace(/-+$/, "");
  return {
    virtualNetwork: `${input.prefix}-vnet-${stack}-${hash}`,
    subnet: "private-endpoints",
    zoneLink: `${input.prefix}-${stack}-${hash}`,
    privateEndpoint: (targetName, group) => `pe-${targetName}-${group}`.slice(0, 80),
  };
}
