/**
 * Pulumi serializes a dynamic provider's closure into the state and runs it in another
 * process. These tests serialize the production provider exactly as
 * `pulumi.dynamic.Resource` does, check that no credential was captured, and run the
 * serialized text the way the provider host does (require-from-string) to prove it loads.
 */
import * as pulumi from "@pulumi/pulumi";
import { makeProviderRegistrationProvider } from "../../arm/providerRegistrationResource";

const SECRETS = { ARM_CLIENT_SECRET: "s3cret-client-secret-value", ARM_OIDC_TOKEN: "eyJ-fake-oidc-token-value", ARM_OIDC_REQUEST_TOKEN: "gh-request-token-value" };
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

async function serialize(): Promise<string> {
  const provider = makeProviderRegistrationProvider();
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  expect(sf.containsSecrets).toBe(false);
  return sf.text;
}

test("the production provider serializes, with packages required by name and no credential values", async () => {
  const text = await serialize();
  expect(text).toContain("exports.handler");
  for (const pkg of ["@azure/arm-resources", "@azure/identity", "zod"]) expect(text).toContain(`require("${pkg}")`);
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  expect(text).not.toContain("client-id-0000");
});

test("the serialized provider loads like the provider host loads it, and runs (diff, a no-op delete)", async () => {
  const text = await serialize();
  const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler: () => pulumi.dynamic.ResourceProvider };
  const loaded = requireFromString(text, `${process.cwd()}/serialized-provider.js`).handler();
  expect(Object.keys(loaded).sort()).toEqual(["check", "create", "delete", "diff", "read", "update"]);
  await expect(loaded.delete!("/subscriptions/x/providers/Microsoft.Network", {})).resolves.toBeUndefined();
  const diff = await loaded.diff!("id", { namespace: "Microsoft.Network", subscriptionId: "s", maxWaitSeconds: 600, registrationState: "Registered" }, { namespace: "Microsoft.Storage", subscriptionId: "s", maxWaitSeconds: 600 });
  expect(diff.replaces).toEqual(["namespace"]);
});
