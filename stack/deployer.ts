/**
 * Who runs `pulumi up`: a user (after `az login`) or a service principal (CI with OIDC, a
 * client secret or certificate, a managed identity, or `az login --service-principal` as the
 * azure/login action does). The deployer is granted blob access to upload the training files,
 * and ARM refuses that grant when its `principalType` is wrong (`UnmatchedPrincipalType`; see
 * components/grants.ts), so the type must be known, not guessed.
 *
 * `detectDeployerType` is pure: it looks at the environment, the Azure CLI profile the caller
 * read, and the stack config, in this order:
 * 1. `llama-finetune-env:deployerPrincipalType` (an explicit override) wins;
 * 2. azure-native authenticates as a service principal when its config or ARM_* variables say
 *    so: a client id/secret/certificate, OIDC or a managed identity
 *    (https://www.pulumi.com/registry/packages/azure-native/installation-configuration/);
 * 3. otherwise it uses the Azure CLI's login: `~/.azure/azureProfile.json` (or
 *    `$AZURE_CONFIG_DIR/azureProfile.json`) lists the CLI's subscriptions with
 *    `user.type` "user" or "servicePrincipal" (`az login --identity` is a service principal too);
 *    the entry is the subscription the stack deploys to, else the CLI's default one;
 * 4. nothing conclusive: undefined, with the reason, and the caller asks for the override.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

export type DeployerType = "User" | "ServicePrincipal";

export interface DeployerDetection {
  principalType?: DeployerType;
  /** Why, in words (shown by the plan and in the refusal). */
  reason: string;
}

export interface DeployerFacts {
  env: Readonly<Record<string, string | undefined>>;
  /** The config as Pulumi passes it (`namespace:key` → string), for `azure-native:*` keys. */
  config: Readonly<Record<string, string>>;
  /** The parsed `azureProfile.json`, or undefined when there is none. */
  azureProfile?: unknown;
  /** The validated `deployerPrincipalType` of the stack config. */
  override?: DeployerType;
}

const truthy = (raw: string | undefined) => raw !== undefined && ["1", "t", "true", "yes"].includes(raw.trim().toLowerCase());
const present = (raw: string | undefined) => raw !== undefined && raw.trim() !== "";

/** ARM_* variables that make azure-native sign in as a service principal or managed identity. */
const SP_VARIABLES = ["ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH"] as const;
const SP_FLAGS = ["ARM_USE_OIDC", "ARM_USE_MSI"] as const;
/** The same settings as azure-native provider config. */
const SP_CONFIG = ["clientId", "clientSecret", "clientCertificatePath", "oidcToken", "oidcTokenFilePath"] as const;
const SP_CONFIG_FLAGS = ["useOidc", "useMsi"] as const;

const profileSchema = z.looseObject({
  subscriptions: z.array(
    z.looseObject({
      id: z.string(),
      isDefault: z.boolean().optional(),
      user: z.looseObject({ type: z.string().optional(), name: z.string().optional() }).optional(),
    }),
  ),
});

export function detectDeployerType(facts: DeployerFacts): DeployerDetection {
  if (facts.override) return { principalType: facts.override, reason: "llama-finetune-env:deployerPrincipalType" };

  const config = (key: string) => facts.config[`azure-native:${key}`];
  const spConfig = SP_CONFIG.find((k) => present(config(k))) ?? SP_CONFIG_FLAGS.find((k) => truthy(config(k)));
  if (spConfig) return { principalType: "ServicePrincipal", reason: `azure-native:${spConfig} is set (azure-native signs in as a service principal)` };
  const spVariable = SP_VARIABLES.find((v) => present(facts.env[v])) ?? SP_FLAGS.find((v) => truthy(facts.env[v]));
  if (spVariable) return { principalType: "ServicePrincipal", reason: `${spVariable} is set (azure-native signs in as a service principal)` };

  if (facts.azureProfile === undefined) return { reason: "no ARM_* service-principal settings and no Azure CLI profile (azureProfile.json) to read" };
  const profile = profileSchema.safeParse(facts.azureProfile);
  if (!profile.success) return { reason: "the Azure CLI profile (azureProfile.json) is not in the expected format" };
  const wanted = (facts.env.ARM_SUBSCRIPTION_ID ?? config("subscriptionId"))?.trim().toLowerCase();
  const subscriptions = profile.data.subscriptions;
  const entry = (wanted ? subscriptions.find((s) => s.id.toLowerCase() === wanted) : undefined) ?? subscriptions.find((s) => s.isDefault === true);
  if (!entry) return { reason: "the Azure CLI is not logged in (no default subscription in azureProfile.json): run az login" };
  switch (entry.user?.type?.toLowerCase()) {
    case "user":
      return { principalType: "User", reason: "Azure CLI login as a user (azureProfile.json)" };
    case "serviceprincipal":
      return { principalType: "ServicePrincipal", reason: "Azure CLI login as a service principal or managed identity (azureProfile.json)" };
    default:
      return { reason: `the Azure CLI account's user type ${JSON.stringify(entry.user?.type ?? null)} is neither "user" nor "servicePrincipal"` };
  }
}

/** Where the Azure CLI keeps its profile: `$AZURE_CONFIG_DIR` or `~/.azure`. */
export function azureProfilePath(env: Readonly<Record<string, string | undefined>>): string {
  return join(present(env.AZURE_CONFIG_DIR) ? env.AZURE_CONFIG_DIR!.trim() : join(homedir(), ".azure"), "azureProfile.json");
}

/**
 * Reads and parses the CLI profile, or undefined when it is absent or unreadable. The CLI
 * writes it with a UTF-8 byte-order mark, which JSON.parse refuses, so it is stripped.
 */
export function readAzureProfile(env: Readonly<Record<string, string | undefined>>): unknown {
  try {
    return JSON.parse(readFileSync(azureProfilePath(env), "utf8").replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

/** The refusal when the type cannot be told: what to set. */
export function undetectedDeployerMessage(detection: DeployerDetection): string {
  return (
    `Cannot tell whether the identity running pulumi is a user or a service principal (${detection.reason}). ` +
    `Azure refuses its upload role assignment when the type is wrong. Set it: pulumi config set deployerPrincipalType User (or ServicePrincipal).`
  );
}
