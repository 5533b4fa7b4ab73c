/**
 * In prod, the resources that hold data carry Pulumi's `protect` option, so a mistaken
 * `pulumi destroy` or a change that forces replacement fails instead of deleting training
 * data, secrets or the hub's registered assets. The list mirrors what the stack protects
 * (`environmentPolicy().protectData` in `config/environments.ts`): storage accounts, key
 * vaults, and the hub and project workspaces. Outside prod nothing is checked: dev and test
 * stacks must be cheap to tear down.
 */
import { describeEnvironment, resourceEnvironment } from "./environment";
import { T, type Finding, type ResourceRule, type ResourceUnderTest } from "./types";

export const DATA_RESOURCE_TYPES: readonly string[] = [T.storageAccount, T.keyVault, T.mlWorkspace];

export const dataProtectionRule: ResourceRule = {
  kind: "resource",
  name: "data-resources-protected-in-prod",
  description: "In prod, storage accounts, key vaults and hub/project workspaces are registered with protect: true (not checked outside prod).",
  levels: ["mandatory"],
  types: DATA_RESOURCE_TYPES,
  check(resource: ResourceUnderTest): Finding[] {
    const env = resourceEnvironment(resource);
    if (env.kind !== "prod" || resource.protect === true) return [];
    return [
      {
        enforcement: "mandatory",
        message:
          `${resource.type} "${resource.name}" (${describeEnvironment(env)}) holds data but is not protected; a destroy or replacement would delete it. ` +
          `Fix: register it with the resource option \`protect: true\` (the stack does this when \`environment\` is prod).`,
      },
    ];
  },
};
