/**
 * The ARM `providers` client, configured for this project's needs:
 *  - the endpoint (and `$host`, which the SDK's URL templates use separately) comes from the
 *    caller, so tests and other clouds can aim it elsewhere;
 *  - the SDK's own retry policy is off (`maxRetries: 0`): `registerAndWait` retries itself so
 *    that Retry-After waits use its injectable sleep and count against its single deadline;
 *  - optional extra trusted CA certificates (PEM), for a TLS-intercepting proxy or a test server.
 */
import { ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/identity";
import type { ProvidersApi } from "./providerRegistration";

export interface ProvidersClientOptions {
  subscriptionId: string;
  credential: TokenCredential;
  /** ARM base URL, https only (the SDK refuses bearer tokens over http). */
  endpoint: string;
  /** PEM certificates to trust instead of the system's CAs (TLS `ca` option). */
  trustedCaPem?: string;
}

export function createProvidersClient(options: ProvidersClientOptions): ProvidersApi {
  const client = new ResourceManagementClient(options.credential, options.subscriptionId, {
    endpoint: options.endpoint,
    $host: options.endpoint,
    credentialScopes: [`${options.endpoint}/.default`],
    retryOptions: { maxRetries: 0 },
    ...(options.trustedCaPem === undefined ? {} : { tlsOptions: { ca: options.trustedCaPem } }),
    userAgentOptions: { userAgentPrefix: "llama-finetune-env-provider-registration" },
  });
  return client.providers;
}
