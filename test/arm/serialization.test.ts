/**
 * Pulumi serializes a dynamic provider's closure into the state and runs it in another
 * process. These tests serialize the production provider exactly as
 * `pulumi.dynamic.Resource` does, check that no credential was captured, and run the
 * serialized text the way the provider host does (require-from-string) to prove it loads.
 */
import { makeProviderRegistrationProvider } from "../../arm/providerRegistrationResource";
import { loadSerializedProvider, SECRETS, serializeProvider, useSecretEnvironment } from "./secretEnv";

useSecretEnvironment();

const serialize = () => serializeProvider(makeProviderRegistrationProvider());

test("the production provider serializes, with packages required by name and no credential values", async () => {
  const text = await serialize();
  expect(text).toContain("exports.handler");
  for (const pkg of ["@azure/arm-resources", "@azure/identity", "zod"]) expect(text).toContain(`require("${pkg}")`);
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  expect(text).not.toContain("client-id-0000");
});

test("the serialized provider loads like the provider host loads it, and runs (diff, a no-op delete)", async () => {
  const text = await serialize();
  const loaded = loadSerializedProvider(text);
  expect(Object.keys(loaded).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
  await expect(loaded.delete!("/subscriptions/x/providers/Microsoft.Network", {})).resolves.toBeUndefined();
  const diff = await loaded.diff!("id", { namespace: "Microsoft.Network", subscriptionId: "s", maxWaitSeconds: 600, registrationState: "Registered" }, { namespace: "Microsoft.Storage", subscriptionId: "s", maxWaitSeconds: 600 });
  expect(diff.replaces).toEqual(["namespace"]);
});
