/**
 * Puts recognisable fake credentials into the environment for a test file (and restores it
 * afterwards), so serialization tests can assert that no credential value is captured; and
 * serializes a dynamic provider, and loads the result, the way Pulumi's provider host does.
 */
import * as pulumi from "@pulumi/pulumi";
export const SECRETS = {
  ARM_CLIENT_SECRET: "s3cret-client-secret-value",
  ARM_OIDC_TOKEN: "eyJ-fake-oidc-token-value",
  ARM_OIDC_REQUEST_TOKEN: "gh-request-token-value",
};

/** Registers beforeAll/afterAll hooks that set SECRETS plus a client and tenant id. */
export function useSecretEnvironment(): void {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries({ ...SECRETS, ARM_CLIENT_ID: "client-id-0000", ARM_TENANT_ID: "tenant-id-0000" })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

/** Serializes the provider as `pulumi up` stores it in the state; asserts no secret was captured. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  expect(sf.containsSecrets).toBe(false);
  return sf.text;
}

/** Loads serialized provider code as the provider host does (a module from a string). */
export function loadSerializedProvider(text: string, filename = `${process.cwd()}/serialized-provider.js`): pulumi.dynamic.ResourceProvider {
  const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler: () => pulumi.dynamic.ResourceProvider };
  return requireFromString(text, filename).handler();
}
