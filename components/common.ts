/**
 * Arguments every component that places resources in the stack's resource group takes.
 */
import type * as pulumi from "@pulumi/pulumi";

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
 * How the stack's resources are reached over the network. One object, so that later network
 * modes (e.g. private endpoints only) extend it instead of adding flags to every component.
 */
export interface NetworkSettings {
  /** Public network access on storage, key vault, AI Services, hub and project. */
  publicNetworkAccess: boolean;
}
