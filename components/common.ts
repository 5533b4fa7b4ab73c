/**
 * Arguments every component that places resources in the stack's resource group takes.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkRulesInput } from "./networkRules";
import type { PrivateLinkPlacement } from "./privateEndpoint";

export interface PlacementArgs {
  /** The stack's resource group. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure location (ARM name), e.g. `westus3`. */
  location: string;
  /** Tags for every taggable resource (see config/tags.ts). */
  tags: Record<string, string>;
}

/** Component type tokens: `llama-finetune:<module>:<Name>`. */
export const typeToken = (module: string, name: string): string => `llama-finetune:${module}:${name}`;

/**
 * How the stack's resources are reached over the network (config/network.ts): the mode, the IP
 * ranges a `restricted` stack admits, and, in a `private` stack, where private endpoints go.
 */
export interface NetworkSettings extends NetworkRulesInput {
  /** `private` only: the subnet and DNS zones of the stack's private network (components/network.ts). */
  privateLink?: PrivateLinkPlacement;
}
