/**
 * Credentials for the ARM calls the registration provider makes, chosen from the same
 * `ARM_*` environment variables azure-native reads, so a stack that deploys with
 * azure-native can register providers with no extra setup.
 *
 * The choice is a pure function of the environment ({@link planCredential}) that returns a
 * plan holding no secret values (only which variable holds them), so it is safe to log and
 * easy to test; {@link createCredential} turns a plan into an `@azure/identity` credential.
 * One credential is chosen deterministically instead of a ChainedTokenCredential, so a
 * misconfigured service principal fails with a clear message instead of silently falling
 * back to whoever is logged in to the Azure CLI.
 *
 * Precedence (explicit opt-ins first): ARM_USE_OIDC, then ARM_USE_MSI, then a client secret,
 * then the Azure CLI.
 */
import { AzureCliCredential, ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import { readFile } from "node:fs/promises";
import { z } from "zod";

export type Env = Readonly<Record<string, string | undefined>>;

/** The audience azure-native and the Azure login action ask GitHub's OIDC issuer for. */
export const OIDC_AUDIENCE = "api://AzureADTokenExchange";

interface ServicePrincipal {
  tenantId: string;
  clientId: string;
  authorityHost: string;
}

export type CredentialPlan =
  | ({ kind: "clientSecret"; secretVar: "ARM_CLIENT_SECRET" } & ServicePrincipal)
  /** A ready-made federated token, from a variable or a file. */
  | ({ kind: "oidcToken"; tokenVar?: "ARM_OIDC_TOKEN"; tokenFile?: string } & ServicePrincipal)
  /** A token requested from the CI's OIDC issuer (GitHub Actions' id-token endpoint). */
  | ({ kind: "oidcRequest"; requestUrl: string; requestTokenVar: "ARM_OIDC_REQUEST_TOKEN" | "ACTIONS_ID_TOKEN_REQUEST_TOKEN" } & ServicePrincipal)
  /** Managed identity; a client id selects a user-assigned identity. */
  | { kind: "managedIdentity"; clientId?: string }
  | { kind: "azureCli"; tenantId?: string };

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

/** Parses a boolean flag the way Go's strconv.ParseBool does (azure-native is written in Go), plus "yes". */
export function isTruthy(raw: string | undefined): boolean {
  return raw !== undefined && ["1", "t", "true", "yes"].includes(raw.trim().toLowerCase());
}

function requireVars(env: Env, names: readonly string[], why: string): void {
  const missing = names.filter((n) => value(env, n) === undefined);
  if (missing.length > 0) {
    throw new Error(`${why}, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set. Set ${missing.join(", ")} or unset the option.`);
  }
}

/** Picks the credential azure-native would use for this environment. Pure; never reads secrets' values into the plan. */
export function planCredential(env: Env, authorityHost: string): CredentialPlan {
  if (isTruthy(env.ARM_USE_OIDC)) {
    requireVars(env, ["ARM_CLIENT_ID", "ARM_TENANT_ID"], "ARM_USE_OIDC is true");
    const sp: ServicePrincipal = { tenantId: value(env, "ARM_TENANT_ID")!, clientId: value(env, "ARM_CLIENT_ID")!, authorityHost };
    if (value(env, "ARM_OIDC_TOKEN") !== undefined) return { kind: "oidcToken", tokenVar: "ARM_OIDC_TOKEN", ...sp };
    const file = value(env, "ARM_OIDC_TOKEN_FILE_PATH");
    if (file !== undefined) return { kind: "oidcToken", tokenFile: file, ...sp };
    const armUrl = value(env, "ARM_OIDC_REQUEST_URL");
    if (armUrl !== undefined) {
      requireVars(env, ["ARM_OIDC_REQUEST_TOKEN"], "ARM_OIDC_REQUEST_URL is set");
      return { kind: "oidcRequest", requestUrl: armUrl, requestTokenVar: "ARM_OIDC_REQUEST_TOKEN", ...sp };
    }
    const actionsUrl = value(env, "ACTIONS_ID_TOKEN_REQUEST_URL");
    if (actionsUrl !== undefined) {
      requireVars(env, ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], "ACTIONS_ID_TOKEN_REQUEST_URL is set");
      return { kind: "oidcRequest", requestUrl: actionsUrl, requestTokenVar: "ACTIONS_ID_TOKEN_REQUEST_TOKEN", ...sp };
    }
    throw new Error(
      "ARM_USE_OIDC is true but there is no token: set ARM_OIDC_TOKEN (or ARM_OIDC_TOKEN_FILE_PATH), or run in GitHub Actions with `permissions: id-token: write` so ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN are set.",
    );
  }
  if (isTruthy(env.ARM_USE_MSI)) {
    const clientId = value(env, "ARM_CLIENT_ID");
    return clientId === undefined ? { kind: "managedIdentity" } : { kind: "managedIdentity", clientId };
  }
  if (value(env, "ARM_CLIENT_SECRET") !== undefined) {
    requireVars(env, ["ARM_CLIENT_ID", "ARM_TENANT_ID"], "ARM_CLIENT_SECRET is set");
    return { kind: "clientSecret", secretVar: "ARM_CLIENT_SECRET", tenantId: value(env, "ARM_TENANT_ID")!, clientId: value(env, "ARM_CLIENT_ID")!, authorityHost };
  }
  const tenantId = value(env, "ARM_TENANT_ID");
  return tenantId === undefined ? { kind: "azureCli" } : { kind: "azureCli", tenantId };
}

/** Asks a GitHub-Actions-style OIDC endpoint for a federated token with the Entra audience. */
export async function requestOidcToken(requestUrl: string, requestToken: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set("audience", OIDC_AUDIENCE);
  const res = await fetchImpl(url, { headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" } });
  if (!res.ok) throw new Error(`The OIDC token endpoint ${url.origin} answered HTTP ${res.status}; is \`permissions: id-token: write\` set on the job?`);
  // Schema built here, not at module level: this function is serialized into the dynamic provider.
  const parsed = z.object({ value: z.string().min(1) }).safeParse(await res.json());
  if (!parsed.success) throw new Error(`The OIDC token endpoint ${url.origin} answered without a "value" token.`);
  return parsed.data.value;
}

/** Builds the credential a plan describes, reading secret values from `env` only now. */
export function createCredential(plan: CredentialPlan, env: Env): TokenCredential {
  switch (plan.kind) {
    case "clientSecret":
      return new ClientSecretCredential(plan.tenantId, plan.clientId, value(env, plan.secretVar) ?? "", { authorityHost: plan.authorityHost });
    case "oidcToken": {
      const { tokenVar, tokenFile } = plan;
      // Read on every call: CI systems rotate token files, and the credential caches access tokens anyway.
      const getAssertion = async (): Promise<string> =>
        tokenFile !== undefined ? (await readFile(tokenFile, "utf8")).trim() : (value(env, tokenVar ?? "ARM_OIDC_TOKEN") ?? "");
      return new ClientAssertionCredential(plan.tenantId, plan.clientId, getAssertion, { authorityHost: plan.authorityHost });
    }
    case "oidcRequest": {
      const { requestUrl, requestTokenVar } = plan;
      const getAssertion = (): Promise<string> => requestOidcToken(requestUrl, value(env, requestTokenVar) ?? "");
      return new ClientAssertionCredential(plan.tenantId, plan.clientId, getAssertion, { authorityHost: plan.authorityHost });
    }
    case "managedIdentity":
      return plan.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: plan.clientId });
    case "azureCli":
      return plan.tenantId === undefined ? new AzureCliCredential() : new AzureCliCredential({ tenantId: plan.tenantId });
  }
}
