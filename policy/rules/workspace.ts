/**
 * AI Studio hub and project (both `machinelearningservices:Workspace`, told apart by `kind`).
 * A managed identity lets them reach storage, key vault and AI services without keys. In prod
 * they are reached only through their private endpoint (the stack's network mode "private"):
 * there is no escape tag any more (issue 10). A "restricted" stack keeps their public endpoint
 * open to every network, because azure-native 3.28's Workspace (REST 2025-12-01) cannot declare
 * their IP allow-list (`networkAcls`, preview), so a restricted prod is refused here too.
 */
import { configKey, describeEnvironment, resourceEnvironment, stackFile } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, equalsIgnoreCase, show } from "./values";

/** `AI Studio hub "x"`, `AI Studio project "x"` or `ML workspace "x"`, by the workspace's kind. */
function label(resource: ResourceUnderTest): string {
  const kind = resource.props.kind;
  if (equalsIgnoreCase(kind, "Hub")) return `AI Studio hub "${resource.name}"`;
  if (equalsIgnoreCase(kind, "Project")) return `AI Studio project "${resource.name}"`;
  return `ML workspace "${resource.name}"`;
}

/** Identity types that give the workspace a managed identity (ARM spells the combination with a comma). */
const MANAGED_IDENTITY = /^(SystemAssigned|UserAssigned)(\s*,\s*(SystemAssigned|UserAssigned))?$/i;

export const workspaceIdentityRule: ResourceRule = {
  kind: "resource",
  name: "workspace-managed-identity",
  description: 'Hubs and projects have a managed identity (identity.type "SystemAssigned" or user-assigned).',
  levels: ["mandatory"],
  types: [T.mlWorkspace],
  check(resource: ResourceUnderTest): Finding[] {
    const type = at(resource.props, "identity", "type");
    if (typeof type === "string" && MANAGED_IDENTITY.test(type.trim())) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${label(resource)} has identity.type ${show(type)}; without a managed identity it falls back to account keys to reach its storage and key vault. ` +
          `Fix: set \`identity: { type: "SystemAssigned" }\` on the Workspace.`,
      },
    ];
  },
};

export const workspacePublicNetworkRule: ResourceRule = {
  kind: "resource",
  name: "workspace-no-public-network-in-prod",
  description: 'Prod hubs and projects set publicNetworkAccess "Disabled": reached through private endpoints only (network mode "private"; not checked outside prod).',
  levels: ["mandatory"],
  types: [T.mlWorkspace],
  check(resource: ResourceUnderTest): Finding[] {
    const env = resourceEnvironment(resource);
    if (env.kind !== "prod") return [];
    const access = resource.props.publicNetworkAccess;
    if (equalsIgnoreCase(access, "Disabled")) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${label(resource)} (${describeEnvironment(env)}) has publicNetworkAccess ${show(access)} (Azure's default is "Enabled"); prod workspaces must not be reachable from the internet. ` +
          `Fix: set \`${configKey("network")}: { mode: private, deployer: { via: inside-network } }\` in ${stackFile(resource.urn)} (prod defaults to private; "public" is refused, and "restricted" leaves the workspace's public endpoint open to every network).`,
      },
    ];
  },
};
