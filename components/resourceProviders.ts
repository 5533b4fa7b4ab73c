/**
 * Registers the subscription's resource provider namespaces this stack needs, before any
 * resource of theirs is created. A namespace that is not registered makes the first
 * resource of that type fail (`MissingSubscriptionRegistration`), and the Llama fine-tuning
 * service additionally requires Microsoft.Network to be registered, also for stacks that create
 * no network resource themselves (private stacks do: virtual network, private endpoints and
 * private DNS zones are all Microsoft.Network types).
 *
 * Registrations are never undone: they belong to the whole subscription (see
 * `arm/providerRegistrationResource.ts`), so each child is `retainOnDelete` and its
 * provider's delete is a no-op.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_PATTERN, ProviderRegistration } from "../arm/providerRegistrationResource";

/**
 * Every namespace the stack depends on, sorted and unique. Registering one that is already
 * registered is a cheap no-op on ARM's side.
 */
export const REQUIRED_NAMESPACES: readonly string[] = [
  // Role assignments (the workspaces' identities, the configured principals, the deployer's
  // upload access). Registered by default on every subscription; listed so the dependency is explicit.
  "Microsoft.Authorization",
  // The Azure AI Services account (CognitiveServices/accounts) the hub connects to.
  "Microsoft.CognitiveServices",
  // Cost budgets and their alerts (Consumption/budgets).
  "Microsoft.Consumption",
  // Application Insights for the hub (Insights/components) and diagnostic settings.
  "Microsoft.Insights",
  // The hub's key vault (KeyVault/vaults).
  "Microsoft.KeyVault",
  // AI Studio hub and project (workspaces), marketplace model subscriptions, serverless endpoints, fine-tuning jobs.
  "Microsoft.MachineLearningServices",
  // Accepting the model offer's terms: subscribing signs the plan agreement via
  // Microsoft.MarketplaceOrdering/agreements (…/offers/plans/sign/action).
  "Microsoft.MarketplaceOrdering",
  // Required by the Llama fine-tuning (models-as-a-service) service itself: Microsoft's
  // fine-tuning prerequisites say the subscription must be registered to Microsoft.Network.
  "Microsoft.Network",
  // The Log Analytics workspace behind Application Insights (OperationalInsights/workspaces).
  "Microsoft.OperationalInsights",
  // A marketplace model subscription creates a Microsoft.SaaS resource in the resource group
  // (the docs list Microsoft.SaaS/register/action among the required permissions).
  "Microsoft.SaaS",
  // The hub's storage account and the training-data container (Storage/storageAccounts).
  "Microsoft.Storage",
];

export interface ResourceProvidersArgs {
  subscriptionId: pulumi.Input<string>;
  /** Namespaces to register; duplicates (case-insensitive, as ARM treats them) are registered once. */
  namespaces: readonly string[];
  /** Bound on registering plus waiting for each namespace, in seconds. Default 600. */
  maxWaitSeconds?: number;
}

/** The child's logical name: `Microsoft.MachineLearningServices` → `microsoft-machinelearningservices`. */
export function registrationSuffix(namespace: string): string {
  return namespace.toLowerCase().replace(/\./g, "-");
}

export class ResourceProviders extends pulumi.ComponentResource {
  /** One registration per namespace, keyed by the namespace as first given. */
  readonly registrations: Record<string, ProviderRegistration>;

  constructor(name: string, args: ResourceProvidersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llama-finetune:providers:ResourceProviders", name, {}, opts);

    const invalid = args.namespaces.filter((ns) => !NAMESPACE_PATTERN.test(ns));
    if (invalid.length > 0) {
      throw new Error(`ResourceProviders "${name}": not resource provider namespaces: ${invalid.map((ns) => JSON.stringify(ns)).join(", ")} (expected e.g. "Microsoft.Network").`);
    }
    if (args.maxWaitSeconds !== undefined && !(args.maxWaitSeconds > 0 && Number.isFinite(args.maxWaitSeconds))) {
      throw new Error(`ResourceProviders "${name}": maxWaitSeconds must be a positive number of seconds, got ${args.maxWaitSeconds}.`);
    }

    const seen = new Set<string>();
    this.registrations = {};
    for (const namespace of args.namespaces) {
      const key = namespace.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      this.registrations[namespace] = new ProviderRegistration(
        `${name}-${registrationSuffix(namespace)}`,
        { namespace, subscriptionId: args.subscriptionId, ...(args.maxWaitSeconds === undefined ? {} : { maxWaitSeconds: args.maxWaitSeconds }) },
        // Never unregister on destroy: the registration is shared by the whole subscription.
        { parent: this, retainOnDelete: true },
      );
    }

    this.registerOutputs({
      registrationStates: Object.fromEntries(Object.entries(this.registrations).map(([ns, r]) => [ns, r.registrationState])),
    });
  }
}
