/**
 * Every rule's refusal as the two runners report it (issue 14): the offline runner
 * (`evaluatePolicies`, used by `npm run plan`) and the CrossGuard pack the Pulumi CLI loads
 * (`policy/policies.ts`, every policy called for every resource as the engine does). The rule
 * files' own tests call `check()` directly, which cannot notice a rule that no longer looks at
 * the resource type it guards (an emptied `types` list switches the guardrail off); here each
 * case breaks exactly one setting of the compliant stack and expects exactly one violation, with
 * its policy, level, resource and whole message, from both runners.
 */
import type { EnvironmentKind, PlannedResource } from "../../plan/types";
import { evaluatePolicies, hasMandatoryViolation, type PolicyViolation } from "../../policy/offline";
import { policies } from "../../policy/policies";
import { crossGuardViolations } from "./crossGuard";
import { compliantStack, urnOf, withResource } from "./fixtures";

const SA = "azure-native:storage:StorageAccount";
const BC = "azure-native:storage:BlobContainer";
const KV = "azure-native:keyvault:Vault";
const AIS = "azure-native:cognitiveservices:Account";
const WS = "azure-native:machinelearningservices:Workspace";
const DS = "azure-native:machinelearningservices:Datastore";
const DV = "azure-native:machinelearningservices:DataVersion";
const SUB = "azure-native:machinelearningservices:MarketplaceSubscription";
const EP = "azure-native:machinelearningservices:ServerlessEndpoint";
const BUDGET = "azure-native:consumption:Budget";

const ALLOWED_MODELS = "Meta-Llama-3.1-8B-Instruct, Llama-3.3-70B-Instruct, Llama-3.2-11B-Vision-Instruct, Llama-3.2-90B-Vision-Instruct";
const PRIVATE_FIX =
  "Fix: set `llama-finetune-env:network: { mode: private, deployer: { via: inside-network } }` in Pulumi.prod.yaml (prod defaults to private";

interface Case {
  /** What is broken, for the test's title. */
  title: string;
  env: EnvironmentKind;
  /** The compliant stack with one thing changed. */
  stack: PlannedResource[];
  expected: PolicyViolation[];
}

type Inputs = Record<string, unknown>;

/** The compliant stack of `env` with the inputs of resource `name` changed. */
function changed(env: EnvironmentKind, name: string, change: (inputs: Inputs) => Inputs, opts: Partial<PlannedResource> = {}): PlannedResource[] {
  return withResource(compliantStack(env), name, (r) => ({ ...r, ...opts, inputs: change(r.inputs) }));
}

/** Same, inside the nested `properties` input. */
function changedProperties(env: EnvironmentKind, name: string, change: Inputs): PlannedResource[] {
  return changed(env, name, (inputs) => ({ ...inputs, properties: { ...(inputs.properties as Inputs), ...change } }));
}

function violation(env: EnvironmentKind, type: string, name: string, policy: string, message: string, enforcement: PolicyViolation["enforcement"] = "mandatory"): PolicyViolation {
  return { policy, enforcement, urn: urnOf(env, type, name), resourceName: name, message };
}

const cases: Case[] = [
  {
    title: "a prod endpoint with content safety off",
    env: "prod",
    stack: changedProperties("prod", "llama-ep", { contentSafety: { contentSafetyStatus: "Disabled" } }),
    expected: [
      violation(
        "prod",
        EP,
        "llama-ep",
        "serverless-endpoint-content-safety",
        'Serverless endpoint "llama-ep" (environment prod) has content safety "Disabled" (properties.contentSafety.contentSafetyStatus); ' +
          "production endpoints must filter harmful prompts and completions. " +
          'Fix: set `llama-finetune-env:contentSafety: true` in Pulumi.prod.yaml, which sets it to "Enabled".',
      ),
    ],
  },
  {
    title: "a dev endpoint with content safety unset (advisory)",
    env: "dev",
    stack: changedProperties("dev", "llama-ep", { contentSafety: undefined }),
    expected: [
      violation(
        "dev",
        EP,
        "llama-ep",
        "serverless-endpoint-content-safety-advisory",
        'Serverless endpoint "llama-ep" (environment dev) has content safety not set (properties.contentSafety.contentSafetyStatus); ' +
          "endpoints should filter harmful content outside prod too. " +
          'Fix: set `llama-finetune-env:contentSafety: true` in Pulumi.dev.yaml, which sets it to "Enabled".',
        "advisory",
      ),
    ],
  },
  {
    title: "a storage account that allows public blob access",
    env: "dev",
    stack: changed("dev", "storage", (i) => ({ ...i, allowBlobPublicAccess: true })),
    expected: [
      violation(
        "dev",
        SA,
        "storage",
        "storage-no-public-blob-access",
        'Storage account "storage" has allowBlobPublicAccess true; it must be false so no container can be made public. ' +
          "Fix: set `allowBlobPublicAccess: false` on the StorageAccount.",
      ),
    ],
  },
  {
    title: "a public blob container",
    env: "test",
    stack: changed("test", "training", (i) => ({ ...i, publicAccess: "Blob" })),
    expected: [
      violation(
        "test",
        BC,
        "training",
        "storage-no-public-blob-access",
        'Blob container "training" has publicAccess "Blob", which lets anyone on the internet read the training data. ' +
          'Fix: remove publicAccess from the container (or set it to "None").',
      ),
    ],
  },
  {
    title: "a storage account that accepts plain HTTP",
    env: "dev",
    stack: changed("dev", "storage", (i) => ({ ...i, enableHttpsTrafficOnly: false })),
    expected: [
      violation(
        "dev",
        SA,
        "storage",
        "storage-https-only",
        'Storage account "storage" has enableHttpsTrafficOnly false; data and keys must never travel over plain HTTP. ' +
          "Fix: set `enableHttpsTrafficOnly: true` on the StorageAccount.",
      ),
    ],
  },
  {
    title: "a storage account that accepts TLS 1.1",
    env: "prod",
    stack: changed("prod", "storage", (i) => ({ ...i, minimumTlsVersion: "TLS1_1" })),
    expected: [
      violation(
        "prod",
        SA,
        "storage",
        "storage-min-tls-1-2",
        'Storage account "storage" has minimumTlsVersion "TLS1_1"; TLS 1.0 and 1.1 are broken and retired by Azure. ' +
          'Fix: set `minimumTlsVersion: "TLS1_2"` on the StorageAccount.',
      ),
    ],
  },
  {
    title: "a key vault with access policies instead of RBAC",
    env: "dev",
    stack: changedProperties("dev", "vault", { enableRbacAuthorization: false }),
    expected: [
      violation(
        "dev",
        KV,
        "vault",
        "key-vault-rbac-authorization",
        'Key vault "vault" has properties.enableRbacAuthorization false; access policies bypass the stack\'s role assignments. ' +
          "Fix: set `properties.enableRbacAuthorization: true` on the Vault and grant access with role assignments.",
      ),
    ],
  },
  {
    title: "a prod key vault without purge protection",
    env: "prod",
    stack: changedProperties("prod", "vault", { enablePurgeProtection: undefined }),
    expected: [
      violation(
        "prod",
        KV,
        "vault",
        "key-vault-purge-protection-in-prod",
        'Key vault "vault" (environment prod) has properties.enablePurgeProtection not set (must be true); a deleted prod vault could be purged with its secrets. ' +
          "Fix: set `properties.enablePurgeProtection: true` and leave soft delete on (the stack does this when `environment` is prod).",
      ),
    ],
  },
  {
    title: "a prod key vault with soft delete off",
    env: "prod",
    stack: changedProperties("prod", "vault", { enableSoftDelete: false }),
    expected: [
      violation(
        "prod",
        KV,
        "vault",
        "key-vault-purge-protection-in-prod",
        'Key vault "vault" (environment prod) has properties.enableSoftDelete false (purge protection needs soft delete); a deleted prod vault could be purged with its secrets. ' +
          "Fix: set `properties.enablePurgeProtection: true` and leave soft delete on (the stack does this when `environment` is prod).",
      ),
    ],
  },
  {
    title: "a hub without a managed identity",
    env: "dev",
    stack: changed("dev", "aihub", ({ identity: _removed, ...rest }) => rest),
    expected: [
      violation(
        "dev",
        WS,
        "aihub",
        "workspace-managed-identity",
        'AI Studio hub "aihub" has identity.type not set; without a managed identity it falls back to account keys to reach its storage and key vault. ' +
          'Fix: set `identity: { type: "SystemAssigned" }` on the Workspace.',
      ),
    ],
  },
  {
    title: 'a project with identity type "None"',
    env: "prod",
    stack: changed("prod", "project", (i) => ({ ...i, identity: { type: "None" } })),
    expected: [
      violation(
        "prod",
        WS,
        "project",
        "workspace-managed-identity",
        'AI Studio project "project" has identity.type "None"; without a managed identity it falls back to account keys to reach its storage and key vault. ' +
          'Fix: set `identity: { type: "SystemAssigned" }` on the Workspace.',
      ),
    ],
  },
  {
    title: "a prod hub open to the internet",
    env: "prod",
    stack: changed("prod", "aihub", (i) => ({ ...i, publicNetworkAccess: "Enabled" })),
    expected: [
      violation(
        "prod",
        WS,
        "aihub",
        "workspace-no-public-network-in-prod",
        'AI Studio hub "aihub" (environment prod) has publicNetworkAccess "Enabled" (Azure\'s default is "Enabled"); prod workspaces must not be reachable from the internet. ' +
          `${PRIVATE_FIX}; "public" is refused, and "restricted" leaves the workspace's public endpoint open to every network).`,
      ),
    ],
  },
  {
    title: "a prod storage account open to every network",
    env: "prod",
    stack: changed("prod", "storage", (i) => ({ ...i, publicNetworkAccess: "Enabled" })),
    expected: [
      violation(
        "prod",
        SA,
        "storage",
        "data-plane-no-public-network-in-prod",
        'Storage account "storage" (environment prod) has publicNetworkAccess "Enabled" and networkRuleSet.defaultAction not set: ' +
          `it is open to every network (Azure's default is open), which a prod stack must not be. ${PRIVATE_FIX}).`,
      ),
    ],
  },
  {
    title: "a prod key vault open to every network",
    env: "prod",
    stack: changedProperties("prod", "vault", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }),
    expected: [
      violation(
        "prod",
        KV,
        "vault",
        "data-plane-no-public-network-in-prod",
        'Key vault "vault" (environment prod) has publicNetworkAccess "Enabled" and properties.networkAcls.defaultAction "Allow": ' +
          `it is open to every network (Azure's default is open), which a prod stack must not be. ${PRIVATE_FIX}).`,
      ),
    ],
  },
  {
    title: "a prod AI Services account open to every network",
    env: "prod",
    stack: changedProperties("prod", "ai", { publicNetworkAccess: undefined }),
    expected: [
      violation(
        "prod",
        AIS,
        "ai",
        "data-plane-no-public-network-in-prod",
        'AI Services account "ai" (environment prod) has publicNetworkAccess not set and properties.networkAcls.defaultAction not set: ' +
          `it is open to every network (Azure's default is open), which a prod stack must not be. ${PRIVATE_FIX}).`,
      ),
    ],
  },
  {
    title: "a key vault without the stack's tags",
    env: "prod",
    stack: changed("prod", "vault", (i) => ({ ...i, tags: { environment: "prod" } })),
    expected: [
      violation(
        "prod",
        KV,
        "vault",
        "required-tags",
        'azure-native:keyvault:Vault "vault" is missing the tags stack, cost-center, managed-by (in `tags`). ' +
          "Fix: give the resource the stack's common tags (environment, stack, cost-center, managed-by); their values come from " +
          "`llama-finetune-env:environment` and `llama-finetune-env:costCenter` in Pulumi.prod.yaml.",
      ),
    ],
  },
  {
    title: "a datastore whose asset tags name an unknown environment",
    env: "dev",
    stack: changedProperties("dev", "training_data", { tags: { environment: "staging", stack: "dev", "cost-center": "cc-1234", "managed-by": "pulumi" } }),
    expected: [
      violation(
        "dev",
        DS,
        "training_data",
        "required-tags",
        'azure-native:machinelearningservices:Datastore "training_data" has environment "staging", which is not one of prod|dev|test (it is judged as prod) (in `properties.tags`). ' +
          "Fix: give the resource the stack's common tags (environment, stack, cost-center, managed-by); their values come from " +
          "`llama-finetune-env:environment` and `llama-finetune-env:costCenter` in Pulumi.dev.yaml.",
      ),
    ],
  },
  {
    title: "a data version whose asset tags lack the cost center",
    env: "test",
    stack: changedProperties("test", "train-1", { tags: { environment: "test", stack: "test", "managed-by": "pulumi" } }),
    expected: [
      violation(
        "test",
        DV,
        "train-1",
        "required-tags",
        'azure-native:machinelearningservices:DataVersion "train-1" is missing the tag cost-center (in `properties.tags`). ' +
          "Fix: give the resource the stack's common tags (environment, stack, cost-center, managed-by); their values come from " +
          "`llama-finetune-env:environment` and `llama-finetune-env:costCenter` in Pulumi.test.yaml.",
      ),
    ],
  },
  {
    title: "a marketplace subscription to a model outside the catalog",
    env: "dev",
    stack: changedProperties("dev", "llama-sub", { modelId: "azureml://registries/azureml-meta/models/Meta-Llama-3-70B" }),
    expected: [
      violation(
        "dev",
        SUB,
        "llama-sub",
        "supported-llama-model",
        'Marketplace subscription "llama-sub" names model "azureml://registries/azureml-meta/models/Meta-Llama-3-70B" (properties.modelId), ' +
          `which is not in the supported Meta Llama catalog. Fix: set \`llama-finetune-env:model\` in Pulumi.dev.yaml to one of: ${ALLOWED_MODELS}.`,
      ),
    ],
  },
  {
    title: "an endpoint serving a model that is neither in the catalog nor fine-tuned in a workspace",
    env: "prod",
    stack: changedProperties("prod", "llama-ep", { modelSettings: { modelId: "azureml://registries/azureml/models/Phi-3-mini" } }),
    expected: [
      violation(
        "prod",
        EP,
        "llama-ep",
        "supported-llama-model",
        'Serverless endpoint "llama-ep" serves model "azureml://registries/azureml/models/Phi-3-mini" (properties.modelSettings.modelId), ' +
          "which is neither a supported catalog model (azureml://registries/azureml-meta/models/<name>) nor a model fine-tuned in a workspace " +
          "(azureml://locations/<loc>/workspaces/<id>/models/<name>/versions/<n>). " +
          `Fix: set \`llama-finetune-env:model\` in Pulumi.prod.yaml to one of: ${ALLOWED_MODELS}; or \`llama-finetune-env:fineTunedModelId\` to the fine-tuned model's id.`,
      ),
    ],
  },
  {
    title: "a prod storage account without protect",
    env: "prod",
    stack: changed("prod", "storage", (i) => i, { protect: false }),
    expected: [
      violation(
        "prod",
        SA,
        "storage",
        "data-resources-protected-in-prod",
        'azure-native:storage:StorageAccount "storage" (environment prod) holds data but is not protected; a destroy or replacement would delete it. ' +
          "Fix: register it with the resource option `protect: true` (the stack does this when `environment` is prod).",
      ),
    ],
  },
  {
    title: "a prod key vault without protect",
    env: "prod",
    stack: changed("prod", "vault", (i) => i, { protect: false }),
    expected: [
      violation(
        "prod",
        KV,
        "vault",
        "data-resources-protected-in-prod",
        'azure-native:keyvault:Vault "vault" (environment prod) holds data but is not protected; a destroy or replacement would delete it. ' +
          "Fix: register it with the resource option `protect: true` (the stack does this when `environment` is prod).",
      ),
    ],
  },
  {
    title: "a prod project without protect",
    env: "prod",
    stack: changed("prod", "project", (i) => i, { protect: false }),
    expected: [
      violation(
        "prod",
        WS,
        "project",
        "data-resources-protected-in-prod",
        'azure-native:machinelearningservices:Workspace "project" (environment prod) holds data but is not protected; a destroy or replacement would delete it. ' +
          "Fix: register it with the resource option `protect: true` (the stack does this when `environment` is prod).",
      ),
    ],
  },
  {
    title: "a storage account that keeps shared keys although the hub and the datastore reach it with an identity",
    env: "dev",
    stack: changed("dev", "storage", (i) => ({ ...i, allowSharedKeyAccess: true })),
    expected: [
      violation(
        "dev",
        SA,
        "storage",
        "storage-shared-key-off-for-identity-datastores",
        'Storage account "storage" has allowSharedKeyAccess true although "aihub", "training_data" reach it with an identity; ' +
          "leaving account keys on keeps a second, unaudited way in. Fix: set `allowSharedKeyAccess: false` on the StorageAccount.",
      ),
    ],
  },
  {
    title: "a budget of 0",
    env: "test",
    stack: changed("test", "budget", (i) => ({ ...i, amount: 0 })),
    expected: [
      violation(
        "test",
        BUDGET,
        "budget",
        "stack-has-budget-with-contact",
        'Budget "budget" has amount 0; it must be a number greater than 0. Fix: set `llama-finetune-env:budget.amount` in Pulumi.test.yaml.',
      ),
    ],
  },
  {
    title: "a stack without a budget",
    env: "dev",
    stack: compliantStack("dev").filter((r) => r.type !== BUDGET),
    expected: [
      {
        policy: "stack-has-budget-with-contact",
        enforcement: "mandatory",
        message:
          'Stack "dev" has no budget (azure-native:consumption:Budget); nobody would be told when spending runs away. ' +
          "Fix: set `llama-finetune-env:budget` with amount and contactEmails in Pulumi.dev.yaml (the budget starts in the month the stack is created).",
      },
    ],
  },
];

describe("every rule's refusal, through the offline runner and the CrossGuard pack", () => {
  it.each(["prod", "dev", "test"] as const)("both find nothing in the compliant %s stack", (env) => {
    expect(evaluatePolicies(compliantStack(env))).toEqual([]);
    expect(crossGuardViolations(compliantStack(env))).toEqual([]);
  });

  it.each(cases.map((c) => [c.title, c] as const))("%s: exactly one violation, the same from both", (_title, c) => {
    // Strict: a stack-level violation has no `urn` or `resourceName` key at all.
    expect(evaluatePolicies(c.stack)).toStrictEqual(c.expected);
    expect(crossGuardViolations(c.stack)).toStrictEqual(c.expected);
    expect(hasMandatoryViolation(c.expected)).toBe(c.expected[0]!.enforcement === "mandatory");
  });

  it("covers every policy of the pack", () => {
    const refused = new Set(cases.flatMap((c) => c.expected.map((v) => v.policy)));
    expect([...refused].sort()).toEqual(policies.map((p) => p.name).sort());
  });
});
