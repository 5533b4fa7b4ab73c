/**
 * ARM ids of the stack's resources, built from the names in config/naming.ts and the
 * subscription id. They are the ids ARM gives these resources (the path segments of each
 * provider's REST API), known before anything is created: role-assignment scopes and names can
 * then be computed at preview time instead of waiting for the resources' outputs.
 *
 * Pure: no Pulumi, no I/O.
 */
import type { StackNames } from "./naming";

export interface StackArmIds {
  subscription: string;
  resourceGroup: string;
  storageAccount: string;
  trainingContainer: string;
  keyVault: string;
  appInsights: string;
  aiServices: string;
  hub: string;
  project: string;
}

export function stackArmIds(subscriptionId: string, names: StackNames): StackArmIds {
  const subscription = `/subscriptions/${subscriptionId}`;
  const resourceGroup = `${subscription}/resourceGroups/${names.resourceGroup}`;
  const provider = (type: string, name: string) => `${resourceGroup}/providers/${type}/${name}`;
  const storageAccount = provider("Microsoft.Storage/storageAccounts", names.storageAccount);
  return {
    subscription,
    resourceGroup,
    storageAccount,
    trainingContainer: `${storageAccount}/blobServices/default/containers/${names.trainingContainer}`,
    keyVault: provider("Microsoft.KeyVault/vaults", names.keyVault),
    appInsights: provider("Microsoft.Insights/components", names.appInsights),
    aiServices: provider("Microsoft.CognitiveServices/accounts", names.aiServices),
    hub: provider("Microsoft.MachineLearningServices/workspaces", names.hub),
    project: provider("Microsoft.MachineLearningServices/workspaces", names.project),
  };
}
