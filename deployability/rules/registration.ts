/**
 * Every resource waits for the registration of its resource provider namespace.
 *
 * Azure behaviour: creating a resource of a namespace the subscription has not registered
 * fails with `MissingSubscriptionRegistration`
 * (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider).
 * The stack registers its namespaces (components/resourceProviders.ts), which only helps if each
 * resource is created after its registration: a `dependsOn` on a component does not reach the
 * resources inside it, so this is checked on the expanded graph.
 */
import { dependencyOracle, known, ofType, T } from "../resources";
import type { Finding, PlanFacts, PlanRule } from "../types";

/** azure-native module → namespaces its resources need (Microsoft.Authorization and .Resources are always registered). */
export const MODULE_NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  storage: ["Microsoft.Storage"],
  keyvault: ["Microsoft.KeyVault"],
  operationalinsights: ["Microsoft.OperationalInsights"],
  applicationinsights: ["Microsoft.Insights"],
  cognitiveservices: ["Microsoft.CognitiveServices"],
  machinelearningservices: ["Microsoft.MachineLearningServices"],
  consumption: ["Microsoft.Consumption"],
  // Virtual networks, private endpoints and their DNS zone groups, and private DNS zones with their
  // VNet links are all Microsoft.Network resource types (privateDnsZones included).
  network: ["Microsoft.Network"],
  privatedns: ["Microsoft.Network"],
};

/** Extra namespaces of particular types (see components/resourceProviders.ts for why). */
const TYPE_NAMESPACES: Readonly<Record<string, readonly string[]>> = {
  [T.marketplaceSubscription]: ["Microsoft.SaaS", "Microsoft.MarketplaceOrdering"],
};

export const registrationRule: PlanRule = {
  name: "registered-before-use",
  description: "Each resource depends (through the graph) on the registration of every namespace it needs.",
  source: "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider",
  check(plan: PlanFacts): Finding[] {
    const registrations = ofType(plan.resources, T.providerRegistration);
    if (registrations.length === 0) return [];
    const byNamespace = new Map(registrations.map((r) => [known(r.inputs.namespace)?.toLowerCase() ?? "", r]));
    const dependsOn = dependencyOracle(plan.resources);
    const findings: Finding[] = [];
    for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("azure-native:"))) {
      const namespaces = [...(MODULE_NAMESPACES[r.type.split(":")[1]!] ?? []), ...(TYPE_NAMESPACES[r.type] ?? [])];
      for (const namespace of namespaces) {
        const registration = byNamespace.get(namespace.toLowerCase());
        if (!registration) {
          findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" needs ${namespace}, which the stack does not register (MissingSubscriptionRegistration on a new subscription). Fix: add it to REQUIRED_NAMESPACES.` });
        } else if (!dependsOn(r.urn, registration.urn)) {
          findings.push({ severity: "error", urn: r.urn, resourceName: r.name, message: `"${r.name}" does not wait for the ${namespace} registration: on a new subscription it can be created first and fail with MissingSubscriptionRegistration. Fix: pass the registrations as dependsOn to the resource itself (dependsOn on a component does not reach its children).` });
        }
      }
    }
    return findings;
  },
};
