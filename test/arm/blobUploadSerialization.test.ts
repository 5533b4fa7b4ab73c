/**
 * Pulumi serializes a dynamic provider's closure into the state and runs it in another
 * process. Like serialization.test.ts does for ProviderRegistration: serialize the production
 * BlobUpload provider as `pulumi.dynamic.Resource` does, check no credential was captured,
 * load the text the way the provider host does, and run it (including a real upload).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeBlobUploadProvider } from "../../arm/blobUploadResource";
import { startFakeBlob } from "./fakeBlob";
import { loadSerializedProvider, SECRETS, serializeProvider, useSecretEnvironment } from "./secretEnv";

useSecretEnvironment();

const serialize = serializeProvider;

test("the production provider serializes, with packages required by name and no credential values", async () => {
  const text = await serialize(makeBlobUploadProvider());
  expect(text).toContain("exports.handler");
  for (const pkg of ["@azure/identity", "@azure/storage-blob"]) expect(text).toContain(`require("${pkg}")`);
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  expect(text).not.toContain("client-id-0000");
  const loaded = loadSerializedProvider(text, `${process.cwd()}/serialized-blob-provider.js`);
  expect(Object.keys(loaded).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
  const base = { accountName: "stllama", containerName: "datasets", blobName: "a.jsonl", filePath: "/x", sha256: "a".repeat(64), contentType: "application/jsonl" };
  const diff = await loaded.diff!("id", { ...base, url: "https://stllama.blob.core.windows.net/datasets/a.jsonl", sizeBytes: 1 }, { ...base, blobName: "b.jsonl" });
  expect(diff.replaces).toEqual(["blobName"]);
});

test("a serialized provider (with a test runtime) uploads and deletes through the loaded code", async () => {
  const blob = await startFakeBlob();
  const dir = mkdtempSync(join(tmpdir(), "blob-ser-"));
  try {
    const content = Buffer.from("{\"messages\":[]}\n".repeat(1000));
    const filePath = join(dir, "f.jsonl");
    writeFileSync(filePath, content);
    const credential = { getToken: async () => ({ token: "serialized-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const provider = makeBlobUploadProvider({ credential: () => credential, defaultEndpointSuffix: () => "core.windows.net", retryDelayMs: 1 });
    const loaded = loadSerializedProvider(await serialize(provider), `${process.cwd()}/serialized-blob-provider-2.js`);
    // The provider host configures the loaded provider with the stack config, as cmd/dynamic-provider does.
    await loaded.configure!({ config: { get: (k: string) => (k === "azure-native:clientId" ? "cid" : undefined), require: () => "" } });
    const inputs = { accountName: "stllama", containerName: "c1c", blobName: "f.jsonl", filePath, sha256: createHash("sha256").update(content).digest("hex"), contentType: "application/jsonl", endpoint: blob.endpoint, trustedCaPem: blob.caPem };
    const { id, outs } = await loaded.create(inputs);
    expect(id).toBe(`${blob.endpoint}/c1c/f.jsonl`);
    expect(blob.blobs.get("/c1c/f.jsonl")!.content.equals(content)).toBe(true);
    expect(blob.requests[0]!.headers.authorization).toBe("Bearer serialized-token");
    await loaded.delete!(id, outs);
    expect(blob.requests[1]!.op).toBe("DeleteBlob");
    expect(blob.blobs.size).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await blob.close();
  }
});
