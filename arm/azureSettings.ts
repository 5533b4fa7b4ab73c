/**
 * How the dynamic providers (BlobUpload, ProviderRegistration) see the same Azure settings as
 * azure-native when those come from the stack config (`azure-native:clientId`, `...:clientSecret`,
 * `...:clientCertificatePath`, `...:useOidc`, `...:environment`, ...) rather than ARM_* variables.
 *
 * The way chosen: the dynamic provider's `configure` hook.
 *  - In @pulumi/pulumi 3.248 the Node provider host calls `provider.configure({ config })` once,
 *    when it deserializes a provider (cmd/dynamic-provider/index.js, `getProvider`), with the
 *    stack's whole config, namespaces kept and secrets decrypted: the engine gives the
 *    `pulumi-nodejs` provider every config key (pulumi/pulumi pkg/resource/deploy/target.go,
 *    `GetPackageConfig`, "For dynamic providers, we always pass the full configuration";
 *    pulumi/pulumi#17229, #17697). `config.get("azure-native:clientId")` therefore reads exactly
 *    the key azure-native reads.
 *  - It never writes a secret into the state in plain text. The values stay in the provider
 *    host's memory ({@link AzureSettings}). The engine records the config as the inputs of the
 *    default `pulumi:providers:pulumi-nodejs` resource the same way it records azure-native's for
 *    `pulumi:providers:azure-native`: a value set with `pulumi config set --secret` stays a secret
 *    (encrypted) there, and one set in plain text was already plain text in Pulumi.<stack>.yaml.
 *  - The alternatives do write them: passing settings as resource inputs stores them in every
 *    BlobUpload/ProviderRegistration's state and shows them in diffs; capturing them in the
 *    provider closure puts them inside `__provider`, the serialized code the state keeps as
 *    plain text (closure serialization copies captured values verbatim).
 *  Non-secret settings could travel as inputs, but then a stack would see them twice and they
 *  would differ from azure-native's whenever the environment changes; one path is simpler.
 *
 * The settings object is created empty when the provider is built in the Pulumi program, so the
 * serialized closure holds no configuration at all; only `configure` fills it, in the host.
 */
import { readAzureNativeConfig } from "./credentials";
import type { AzureNativeConfig } from "./credentials";

/** The azure-native stack config a provider received, by setting name. In memory only; never log it. */
export interface AzureSettings {
  config: AzureNativeConfig;
}

export function emptyAzureSettings(): AzureSettings {
  return { config: {} };
}

/** The part of Pulumi's dynamic `ConfigureRequest` used here. */
export interface ConfigureRequestLike {
  config: { get(key: string): string | undefined };
}

/** A dynamic provider's `configure`: keeps the azure-native keys of the stack config, nothing else. */
export async function configureFromStack(settings: AzureSettings, req: ConfigureRequestLike): Promise<void> {
  settings.config = readAzureNativeConfig((key) => req.config.get(key));
}
