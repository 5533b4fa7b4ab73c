/**
 * The data plane of a prod stack (storage account, key vault, AI Services account) is not open
 * to the internet: either its public network access is "Disabled" (network mode "private",
 * reached through private endpoints), or its firewall denies by default and admits only listed IP
 * ranges and trusted Azure services (network mode "restricted"). A "public" prod is refused
 * (issue 10), with no escape tag.
 *
 * Azure's defaults are open: a storage account without `networkRuleSet` allows every network, a
 * key vault or Cognitive Services account without `networkAcls` does too, and
 * `publicNetworkAccess` defaults to enabled (Learn "Configure Azure Storage firewalls and virtual
 * networks"; "Configure Azure Key Vault networking settings"; "Configure Azure AI services virtual
 * networks"). So an unset value is judged as open.
 */
import { configKey, describeEnvironment, resourceEnvironment, stackFile } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";
import { at, equalsIgnoreCase, show } from "./values";

interface NetworkView {
  label: string;
  publicNetworkAccess: unknown;
  defaultAction: unknown;
  /** Where the default action lives, for the message. */
  defaultActionPath: string;
}

function view(resource: ResourceUnderTest): NetworkView {
  if (resource.type === T.storageAccount) {
    return { label: `Storage account "${resource.name}"`, publicNetworkAccess: resource.props.publicNetworkAccess, defaultAction: at(resource.props, "networkRuleSet", "defaultAction"), defaultActionPath: "networkRuleSet.defaultAction" };
  }
  const label = resource.type === T.keyVault ? `Key vault "${resource.name}"` : `AI Services account "${resource.name}"`;
  return { label, publicNetworkAccess: at(resource.props, "properties", "publicNetworkAccess"), defaultAction: at(resource.props, "properties", "networkAcls", "defaultAction"), defaultActionPath: "properties.networkAcls.defaultAction" };
}

export const dataPlanePublicNetworkRule: ResourceRule = {
  kind: "resource",
  name: "data-plane-no-public-network-in-prod",
  description: 'Prod storage accounts, key vaults and AI Services accounts set publicNetworkAccess "Disabled" or a firewall that denies by default (network mode "private" or "restricted"; not checked outside prod).',
  levels: ["mandatory"],
  types: [T.storageAccount, T.keyVault, T.aiServices],
  check(resource: ResourceUnderTest): Finding[] {
    const env = resourceEnvironment(resource);
    if (env.kind !== "prod") return [];
    const v = view(resource);
    if (equalsIgnoreCase(v.publicNetworkAccess, "Disabled") || equalsIgnoreCase(v.defaultAction, "Deny")) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${v.label} (${describeEnvironment(env)}) has publicNetworkAccess ${show(v.publicNetworkAccess)} and ${v.defaultActionPath} ${show(v.defaultAction)}: it is open to every network (Azure's default is open), which a prod stack must not be. ` +
          `Fix: set \`${configKey("network")}: { mode: private, deployer: { via: inside-network } }\` in ${stackFile(resource.urn)} (prod defaults to private).`,
      },
    ];
  },
};
