/**
 * Credentials for the ARM and Storage calls this project makes itself (the dynamic providers,
 * and any client that reuses this), chosen from exactly the settings azure-native reads, so a
 * stack that deploys with azure-native needs no extra setup.
 *
 * azure-native reads each setting from the stack config key `azure-native:<name>` first and
 * from its environment variable otherwise (`getConfig(configName, envName)`), and picks ONE
 * method in this order: useDefaultAzureCredential, client certificate, client secret, OIDC,
 * managed identity, Azure CLI; its flags count only when exactly "true".
 * Source: pulumi/pulumi-azure-native provider/pkg/provider/auth_azidentity.go
 * (`readAuthConfig`, `newSingleMethodAuthCredential`, `newOidcCredential`).
 * One credential is chosen deterministically instead of a ChainedTokenCredential, so a
 * misconfigured service principal fails clearly instead of silently falling back to the CLI.
 *
 * {@link planCredential} is pure and returns a plan holding no secret values (only where each
 * secret lives), so it is safe to log and easy to test; {@link createCredential} turns a plan
 * into an `@azure/identity` credential, reading the secret values only then.
 */
import { AzureCliCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { loadClientCertificate } from "./clientCertificate";

export type Env = Readonly<Record<string, string | undefined>>;

/** The audience azure-native and the Azure login action ask GitHub's OIDC issuer for (overridable with oidcAudience). */
export const OIDC_AUDIENCE = "api://AzureADTokenExchange";

/** azure-native's authentication settings: config name (after `azure-native:`) → environment variable. */
export const AZURE_NATIVE_SETTINGS = {
  clientId: "ARM_CLIENT_ID",
  tenantId: "ARM_TENANT_ID",
  subscriptionId: "ARM_SUBSCRIPTION_ID",
  clientSecret: "ARM_CLIENT_SECRET",
  clientCertificatePath: "ARM_CLIENT_CERTIFICATE_PATH",
  clientCertificatePassword: "ARM_CLIENT_CERTIFICATE_PASSWORD",
  useMsi: "ARM_USE_MSI",
  useOidc: "ARM_USE_OIDC",
  oidcAudience: "ARM_OIDC_AUDIENCE",
  oidcToken: "ARM_OIDC_TOKEN",
  oidcTokenFilePath: "ARM_OIDC_TOKEN_FILE_PATH",
  oidcRequestToken: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  oidcRequestUrl: "ACTIONS_ID_TOKEN_REQUEST_URL",
  useDefaultAzureCredential: "ARM_USE_DEFAULT_AZURE_CREDENTIAL",
  environment: "ARM_ENVIRONMENT",
} as const;

export type AzureNativeSetting = keyof typeof AZURE_NATIVE_SETTINGS;

/** Stack config values under `azure-native:`, by setting name. May hold secrets: keep it in memory only. */
export type AzureNativeConfig = Readonly<Partial<Record<AzureNativeSetting, string>>>;

/** Where a (secret) value lives; the plan carries these instead of values. */
export type SettingRef = { source: "config"; key: `azure-native:${AzureNativeSetting}` } | { source: "env"; key: string };

interface ServicePrincipal {
  tenantId: string;
  clientId: string;
  authorityHost: string;
}

export type CredentialPlan =
  | { kind: "defaultAzureCredential"; tenantId?: string; authorityHost: string }
  | ({ kind: "clientCertificate"; certificatePath: string; password?: SettingRef } & ServicePrincipal)
  | ({ kind: "clientSecret"; secret: SettingRef } & ServicePrincipal)
  /** A ready-made federated token, from a setting or a file. */
  | ({ kind: "oidcToken"; token?: SettingRef; tokenFile?: string } & ServicePrincipal)
  /** A token requested from the CI's OIDC issuer (GitHub Actions' id-token endpoint). */
  | ({ kind: "oidcRequest"; requestUrl: string; requestToken: SettingRef; audience: string } & ServicePrincipal)
  /** Managed identity; a client id selects a user-assigned identity. */
  | { kind: "managedIdentity"; clientId?: string }
  | { kind: "azureCli"; tenantId?: string };

/** Reads the azure-native settings from a config getter (e.g. a dynamic provider's `configure` request). */
export function readAzureNativeConfig(get: (key: string) => string | undefined): AzureNativeConfig {
  const out: Partial<Record<AzureNativeSetting, string>> = {};
  for (const name of Object.keys(AZURE_NATIVE_SETTINGS) as AzureNativeSetting[]) {
    const v = get(`azure-native:${name}`);
    if (typeof v === "string") out[name] = v;
  }
  return out;
}

/** One setting the way azure-native resolves it: the config key wins when present, else the environment variable. */
export function lookupSetting(name: AzureNativeSetting, env: Env, config: AzureNativeConfig = {}): { value: string; ref: SettingRef } | undefined {
  const fromConfig = config[name];
  if (fromConfig !== undefined) {
    const v = fromConfig.trim();
    return v === "" ? undefined : { value: v, ref: { source: "config", key: `azure-native:${name}` } };
  }
  const fromEnv = env[AZURE_NATIVE_SETTINGS[name]]?.trim();
  return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, ref: { source: "env", key: AZURE_NATIVE_SETTINGS[name] } };
}

/** Parses a boolean flag the way Go's strconv.ParseBool does, plus "yes". (azure-native itself only accepts "true"; see {@link azureNativeFlag}.) */
export function isTruthy(raw: string | undefined): boolean {
  return raw !== undefined && ["1", "t", "true", "yes"].includes(raw.trim().toLowerCase());
}

/** A flag as azure-native reads it: on only when the value is exactly "true". */
export function azureNativeFlag(name: AzureNativeSetting, env: Env, config: AzureNativeConfig = {}): boolean {
  return lookupSetting(name, env, config)?.value === "true";
}

/** Names a setting both ways, for messages. */
export function settingLabel(name: AzureNativeSetting): string {
  return `azure-native:${name} (or ${AZURE_NATIVE_SETTINGS[name]})`;
}

function servicePrincipal(env: Env, config: AzureNativeConfig, authorityHost: string, trigger: SettingRef, state: "set" | "true"): ServicePrincipal {
  const clientId = lookupSetting("clientId", env, config)?.value;
  const tenantId = lookupSetting("tenantId", env, config)?.value;
  const missing = [clientId === undefined ? "clientId" : undefined, tenantId === undefined ? "tenantId" : undefined].filter((m): m is AzureNativeSetting => m !== undefined);
  if (clientId === undefined || tenantId === undefined) {
    throw new Error(
      `${trigger.key} is ${state}, but ${missing.map(settingLabel).join(" and ")} ${missing.length === 1 ? "is" : "are"} not set. Set ${missing.length === 1 ? "it" : "them"}, or unset ${trigger.key}.`,
    );
  }
  return { clientId, tenantId, authorityHost };
}

/** Picks the credential azure-native would use for these settings. Pure; never copies a secret's value into the plan. */
export function planCredential(env: Env, authorityHost: string, config: AzureNativeConfig = {}): CredentialPlan {
  const get = (name: AzureNativeSetting) => lookupSetting(name, env, config);
  if (azureNativeFlag("useDefaultAzureCredential", env, config)) {
    const tenantId = get("tenantId")?.value;
    return tenantId === undefined ? { kind: "defaultAzureCredential", authorityHost } : { kind: "defaultAzureCredential", tenantId, authorityHost };
  }
  const certificatePath = get("clientCertificatePath");
  if (certificatePath !== undefined) {
    const sp = servicePrincipal(env, config, authorityHost, certificatePath.ref, "set");
    const password = get("clientCertificatePassword")?.ref;
    return { kind: "clientCertificate", certificatePath: certificatePath.value, ...(password ? { password } : {}), ...sp };
  }
  const secret = get("clientSecret");
  if (secret !== undefined) return { kind: "clientSecret", secret: secret.ref, ...servicePrincipal(env, config, authorityHost, secret.ref, "set") };
  if (azureNativeFlag("useOidc", env, config)) {
    const sp = servicePrincipal(env, config, authorityHost, get("useOidc")!.ref, "true");
    const token = get("oidcToken");
    if (token !== undefined) return { kind: "oidcToken", token: token.ref, ...sp };
    const file = get("oidcTokenFilePath");
    if (file !== undefined) return { kind: "oidcToken", tokenFile: file.value, ...sp };
    const url = get("oidcRequestUrl");
    const requestToken = get("oidcRequestToken");
    if (url !== undefined && requestToken !== undefined) {
      return { kind: "oidcRequest", requestUrl: url.value, requestToken: requestToken.ref, audience: get("oidcAudience")?.value ?? OIDC_AUDIENCE, ...sp };
    }
    throw new Error(
      `OIDC is on (${get("useOidc")!.ref.key}) but there is no token: set ${settingLabel("oidcToken")} or ${settingLabel("oidcTokenFilePath")}, ` +
        "or run in GitHub Actions with `permissions: id-token: write` so ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN are set.",
    );
  }
  if (azureNativeFlag("useMsi", env, config)) {
    const clientId = get("clientId")?.value;
    return clientId === undefined ? { kind: "managedIdentity" } : { kind: "managedIdentity", clientId };
  }
  const tenantId = get("tenantId")?.value;
  return tenantId === undefined ? { kind: "azureCli" } : { kind: "azureCli", tenantId };
}

/** Asks a GitHub-Actions-style OIDC endpoint for a federated token with the Entra audience. */
export async function requestOidcToken(requestUrl: string, requestToken: string, fetchImpl: typeof fetch = fetch, audience: string = OIDC_AUDIENCE): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set("audience", audience);
  const res = await fetchImpl(url, { headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" } });
  if (!res.ok) throw new Error(`The OIDC token endpoint ${url.origin} answered HTTP ${res.status}; is \`permissions: id-token: write\` set on the job?`);
  // Schema built here, not at module level: this function is serialized into the dynamic providers.
  const parsed = z.object({ value: z.string().min(1) }).safeParse(await res.json());
  if (!parsed.success) throw new Error(`The OIDC token endpoint ${url.origin} answered without a "value" token.`);
  return parsed.data.value;
}

/** The value a reference points at, read now. */
export function readSetting(ref: SettingRef, env: Env, config: AzureNativeConfig = {}): string {
  const raw = ref.source === "config" ? config[ref.key.slice("azure-native:".length) as AzureNativeSetting] : env[ref.key];
  return raw?.trim() ?? "";
}

/** Builds the credential a plan describes, reading secret values (from `env` or `config`) only now. */
export function createCredential(plan: CredentialPlan, env: Env, config: AzureNativeConfig = {}): TokenCredential {
  switch (plan.kind) {
    case "defaultAzureCredential":
      return new DefaultAzureCredential({ authorityHost: plan.authorityHost, ...(plan.tenantId ? { tenantId: plan.tenantId } : {}) });
    case "clientCertificate": {
      const password = plan.password === undefined ? undefined : readSetting(plan.password, env, config);
      const cert = loadClientCertificate(plan.certificatePath, password);
      // A PEM file keeps its own (possibly encrypted) key, so it gets the password; a converted .pfx is already decrypted.
      const pem = cert.format === "pem" && password ? { certificate: cert.pem, certificatePassword: password } : { certificate: cert.pem };
      return new ClientCertificateCredential(plan.tenantId, plan.clientId, pem, { authorityHost: plan.authorityHost });
    }
    case "clientSecret":
      return new ClientSecretCredential(plan.tenantId, plan.clientId, readSetting(plan.secret, env, config), { authorityHost: plan.authorityHost });
    case "oidcToken": {
      const { token, tokenFile } = plan;
      // Read on every call: CI systems rotate token files, and the credential caches access tokens anyway.
      const getAssertion = async (): Promise<string> => (tokenFile !== undefined ? (await readFile(tokenFile, "utf8")).trim() : token ? readSetting(token, env, config) : "");
      return new ClientAssertionCredential(plan.tenantId, plan.clientId, getAssertion, { authorityHost: plan.authorityHost });
    }
    case "oidcRequest": {
      const { requestUrl, requestToken, audience } = plan;
      const getAssertion = (): Promise<string> => requestOidcToken(requestUrl, readSetting(requestToken, env, config), fetch, audience);
      return new ClientAssertionCredential(plan.tenantId, plan.clientId, getAssertion, { authorityHost: plan.authorityHost });
    }
    case "managedIdentity":
      return plan.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: plan.clientId });
    case "azureCli":
      return plan.tenantId === undefined ? new AzureCliCredential() : new AzureCliCredential({ tenantId: plan.tenantId });
  }
}
