/**
 * Pulumi serializes a dynamic provider's closure into the state and runs it in another process.
 * As for the other providers: serialize the production DataAsset/DataAssetVersion providers the
 * way `pulumi.dynamic.Resource` does, check no credential was captured, load the text the way
 * the provider host does, and run it (including a create and an archive against the fake).
 */
import { createArmJsonClient } from "../../arm/armJson";
import { makeDataAssetProvider, makeDataAssetVersionProvider } from "../../arm/dataAssetResource";
import { ML_DATA_API_VERSION } from "../../arm/mlDataAssets";
import { startFakeMlData } from "./fakeMlData";
import { loadSerializedProvider, SECRETS, serializeProvider, useSecretEnvironment } from "./secretEnv";

useSecretEnvironment();

const serialize = serializeProvider;

test("both production providers serialize, with packages required by name and no credential values", async () => {
  for (const [i, provider] of [makeDataAssetProvider(), makeDataAssetVersionProvider()].entries()) {
    const text = await serialize(provider);
    for (const pkg of ["@azure/core-rest-pipeline", "@azure/identity", "zod"]) expect(text).toContain(`require("${pkg}")`);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toContain("client-id-0000");
    const loaded = loadSerializedProvider(text, `${process.cwd()}/serialized-data-asset-${i}.js`);
    expect(Object.keys(loaded).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
  }
});

test("a serialized version provider (with a test runtime) adopts and archives through the loaded code, never DELETE", async () => {
  const ml = await startFakeMlData();
  try {
    const sub = "11111111-2222-3333-4444-555555555555";
    ml.workspaces.add("rg/ws-one");
    ml.containers.set("rg/ws-one/training", { properties: { dataType: "uri_file", isArchived: false }, createdAt: "2026-01-01T00:00:00Z" });
    ml.versions.set("rg/ws-one/training/v1", { properties: { dataType: "uri_file", dataUri: "azureml://x/paths/a", isArchived: true, tags: { sha256: "f".repeat(64) } }, createdAt: "2026-01-01T00:00:00Z" });
    const credential = { getToken: async () => ({ token: "serialized-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const provider = makeDataAssetVersionProvider({ client: (_e, _s, maxWaitMs) => createArmJsonClient({ endpoint: ml.endpoint, credential, apiVersion: ML_DATA_API_VERSION, trustedCaPem: ml.caPem, maxWaitMs }) });
    const loaded = loadSerializedProvider(await serialize(provider), `${process.cwd()}/serialized-data-asset-version.js`);
    await loaded.configure!({ config: { get: () => undefined, require: () => "" } });
    const inputs = { subscriptionId: sub, resourceGroupName: "rg", workspaceName: "ws-one", name: "training", version: "v1", identityTag: "sha256", properties: { dataType: "uri_file", dataUri: "azureml://x/paths/a", tags: { sha256: "f".repeat(64) } } };
    const { id, outs } = await loaded.create(inputs);
    expect(outs).toMatchObject({ adopted: true, isArchived: false });
    expect(ml.versions.get("rg/ws-one/training/v1")?.properties.isArchived).toBe(false);
    await loaded.delete!(id, outs);
    expect(ml.versions.get("rg/ws-one/training/v1")?.properties.isArchived).toBe(true);
    expect(ml.requests.map((r) => r.method)).toEqual(["GET", "PUT", "GET", "PUT"]);
    expect(ml.requests[0]!.authorization).toBe("Bearer serialized-token");
  } finally {
    await ml.close();
  }
});
