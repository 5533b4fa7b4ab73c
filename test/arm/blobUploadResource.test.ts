/**
 * The BlobUpload dynamic provider (check/create/diff/update/delete/read) against the local HTTPS
 * Blob service stand-in, and its registration through the SDK's mock runtime.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BlobUpload, makeBlobUploadProvider, validateBlobUploadInputs } from "../../arm/blobUploadResource";
import type { BlobUploadInputs, BlobUploadOutputs, BlobUploadRuntime } from "../../arm/blobUploadResource";
import type { AzureSettings } from "../../arm/azureSettings";
import { UNKNOWN } from "../../arm/unknowns";
import { fakeClock, fakeCredential, FAKE_TOKEN } from "./fakeArm";
import { startFakeBlob, storageError } from "./fakeBlob";
import type { FakeBlob } from "./fakeBlob";

let blob: FakeBlob;
let clock: ReturnType<typeof fakeClock>;
let dir: string;
let file: string;
let content: Buffer;
let sha: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "blob-resource-test-"));
  content = randomBytes(2 * 1024 * 1024 + 7);
  sha = createHash("sha256").update(content).digest("hex");
  file = join(dir, "data.jsonl");
  writeFileSync(file, content);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  blob = await startFakeBlob();
  clock = fakeClock();
});
afterEach(() => blob.close());

function provider() {
  const runtime: BlobUploadRuntime = { credential: () => fakeCredential, defaultEndpointSuffix: () => "core.windows.net", sleep: clock.sleep, now: clock.now, retryDelayMs: 1 };
  return makeBlobUploadProvider(runtime);
}

function inputs(over: Partial<BlobUploadInputs> = {}): BlobUploadInputs {
  return { accountName: "stllama", containerName: "datasets", blobName: "v1/train.jsonl", filePath: file, sha256: sha, contentType: "application/jsonl", endpoint: blob.endpoint, trustedCaPem: blob.caPem, ...over };
}

test("check accepts good inputs and explains bad ones", async () => {
  expect(validateBlobUploadInputs(inputs())).toEqual([]);
  const failures = validateBlobUploadInputs({ ...inputs(), accountName: "Bad_Name", containerName: "a--b", sha256: "XYZ", endpoint: "http://x" });
  expect(failures.map((f) => f.property).sort()).toEqual(["accountName", "containerName", "endpoint", "sha256"]);
});

test("preview of a new stack: unknown account, container, name and hash (the engine's sentinel string) pass check untouched", async () => {
  const news = { ...inputs(), accountName: UNKNOWN, containerName: UNKNOWN, blobName: UNKNOWN, sha256: UNKNOWN, endpoint: UNKNOWN, maxWaitSeconds: UNKNOWN as unknown as number };
  await expect(provider().check!({} as BlobUploadInputs, news)).resolves.toEqual({ inputs: news, failures: [] });
  // Known values beside them are still judged.
  const mixed = await provider().check!({} as BlobUploadInputs, { ...news, contentType: "" });
  expect(mixed.failures!.map((f) => f.property)).toEqual(["contentType"]);
  expect(blob.requests).toEqual([]);
});

test("preview: diff reports an unknown location or hash as a replacement and never throws", async () => {
  const p = provider();
  const olds = (await p.create(inputs())).outs as BlobUploadOutputs;
  expect(await p.diff!("id", olds, { ...inputs(), accountName: UNKNOWN })).toEqual({ changes: true, replaces: ["accountName"], deleteBeforeReplace: false });
  expect((await p.diff!("id", olds, { ...inputs(), sha256: UNKNOWN })).replaces).toEqual(["sha256"]);
  expect(await p.diff!("id", olds, { ...inputs(), filePath: UNKNOWN })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
});

test("create verifies the hash, uploads, and returns url, etag and size; delete is conditional on that etag", async () => {
  const p = provider();
  const { id, outs } = await p.create(inputs());
  expect(id).toBe(`${blob.endpoint}/datasets/v1/train.jsonl`);
  expect(outs).toMatchObject({ url: id, sizeBytes: content.length, sha256: sha });
  expect(blob.requests[0]!.headers).toMatchObject({ authorization: `Bearer ${FAKE_TOKEN}`, "x-ms-meta-sha256": sha, "x-ms-blob-content-type": "application/jsonl" });
  const stored = blob.blobs.get("/datasets/v1/train.jsonl")!;
  expect(stored.content.equals(content)).toBe(true);
  expect(outs!.etag).toBe(stored.etag);

  // Refresh: the blob is there, so the recorded state stands.
  await expect(p.read!(id, outs as BlobUploadOutputs)).resolves.toEqual({ id, props: outs });
  expect(blob.requests.at(-1)!.op).toBe("GetBlobProperties");

  await p.delete!(id, outs as BlobUploadOutputs);
  expect(blob.requests.at(-1)).toMatchObject({ op: "DeleteBlob", path: "/datasets/v1/train.jsonl" });
  expect(blob.requests.at(-1)!.headers["if-match"]).toBe(outs!.etag);
  expect(blob.blobs.size).toBe(0);

  // Refresh after someone deleted it: reported gone, so the next `up` uploads it again.
  await expect(p.read!(id, outs as BlobUploadOutputs)).resolves.toEqual({ id: "", props: outs });
  await expect(p.read!(id)).rejects.toThrow(/cannot be imported/);
});

test("a file larger than one block goes up as blocks through the provider too", async () => {
  const p = makeBlobUploadProvider({ credential: () => fakeCredential, defaultEndpointSuffix: () => "core.windows.net", retryDelayMs: 1, blockSize: 512 * 1024 });
  const { outs } = await p.create(inputs());
  expect(blob.requests.map((r) => r.op)).toEqual(["PutBlock", "PutBlock", "PutBlock", "PutBlock", "PutBlock", "PutBlockList"]);
  expect(blob.blobs.get("/datasets/v1/train.jsonl")!.content.equals(content)).toBe(true);
  expect(outs!.sizeBytes).toBe(content.length);
});

test("create refuses a file whose hash differs from the sha256 input, before uploading", async () => {
  await expect(provider().create(inputs({ sha256: "0".repeat(64) }))).rejects.toThrow(/has SHA-256 .* but the BlobUpload's sha256 input is 0{64}/);
  expect(blob.requests).toEqual([]);
});

test("create waits out a propagating role assignment; a permanent 403 names the role", async () => {
  blob.script.PutBlob = [storageError(403, "AuthorizationPermissionMismatch")];
  await provider().create(inputs());
  expect(clock.sleeps).toEqual([5000]);

  blob.always = storageError(403, "AuthorizationPermissionMismatch");
  await expect(provider().create(inputs({ maxWaitSeconds: 30 }))).rejects.toThrow(/Storage Blob Data Contributor/);
});

test("diff: url or content changes replace; a moved file with the same hash is an in-place no-op", async () => {
  const p = provider();
  const { outs } = await p.create(inputs());
  const olds = outs as BlobUploadOutputs;
  expect(await p.diff!("id", olds, inputs())).toMatchObject({ changes: false, replaces: [] });
  expect((await p.diff!("id", olds, inputs({ sha256: "1".repeat(64) }))).replaces).toEqual(["sha256"]);
  expect((await p.diff!("id", olds, inputs({ blobName: "v2/train.jsonl" }))).replaces).toEqual(["blobName"]);
  expect((await p.diff!("id", olds, inputs({ accountName: "other" }))).replaces).toEqual(["accountName"]);
  expect((await p.diff!("id", { ...olds, endpoint: undefined, trustedCaPem: undefined }, inputs({ endpoint: undefined, trustedCaPem: undefined }))).replaces).toEqual(["url"]); // the cloud changed under it;
  expect((await p.diff!("id", olds, inputs({ contentType: "text/plain" }))).replaces).toEqual(["contentType"]);
  expect(await p.diff!("id", olds, inputs({ filePath: "/elsewhere/data.jsonl" }))).toMatchObject({ changes: true, replaces: [] });
  const requestsBefore = blob.requests.length;
  const updated = await p.update!("id", olds, inputs({ filePath: "/elsewhere/data.jsonl" }));
  expect(updated.outs).toMatchObject({ url: olds.url, etag: olds.etag, filePath: "/elsewhere/data.jsonl" });
  expect(blob.requests.length).toBe(requestsBefore);
});

test("replacing in place (same url, new content): the old resource's delete does not remove the new blob", async () => {
  const p = provider();
  const first = (await p.create(inputs())).outs as BlobUploadOutputs;
  const second = (await p.create(inputs())).outs as BlobUploadOutputs; // create-before-delete re-upload
  expect(second.etag).not.toBe(first.etag);
  await expect(p.delete!(first.url, first)).resolves.toBeUndefined(); // Storage: 412, the etag no longer matches
  expect(blob.requests.at(-1)!.headers["if-match"]).toBe(first.etag);
  expect(blob.blobs.get("/datasets/v1/train.jsonl")!.etag).toBe(second.etag);
});

test("delete tolerates a blob that is already gone", async () => {
  const outs: BlobUploadOutputs = { ...inputs(), url: `${blob.endpoint}/datasets/v1/train.jsonl`, sizeBytes: 1 };
  await expect(provider().delete!(outs.url, outs)).resolves.toBeUndefined();
});

test("configure hands the stack's azure-native settings to the runtime, and only those", async () => {
  const seen: AzureSettings[] = [];
  const p = makeBlobUploadProvider({ credential: (s) => (seen.push({ config: { ...s.config } }), fakeCredential), defaultEndpointSuffix: () => "core.windows.net", retryDelayMs: 1 });
  const stack: Record<string, string> = { "azure-native:clientCertificatePath": "/c.pfx", "azure-native:clientCertificatePassword": "pw", "azure-native:location": "westus3" };
  await p.configure!({ config: { get: (k) => stack[k], require: (k) => stack[k]! } });
  await p.create(inputs());
  expect(seen[0]).toEqual({ config: { clientCertificatePath: "/c.pfx", clientCertificatePassword: "pw" } });
});

test("BlobUpload registers as pulumi-nodejs:dynamic/llama-finetune:BlobUpload with the resolved inputs", async () => {
  const seen: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push(args);
        return { id: "blob-id", state: { ...args.inputs, url: "https://stllama.blob.core.windows.net/datasets/a.jsonl" } };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  const res = new BlobUpload("data", { accountName: "stllama", containerName: "datasets", blobName: "a.jsonl", filePath: file, sha256: sha });
  const url = await new Promise<string>((resolve) => res.url.apply(resolve));
  expect(url).toBe("https://stllama.blob.core.windows.net/datasets/a.jsonl");
  expect(seen[0]!.type).toBe("pulumi-nodejs:dynamic/llama-finetune:BlobUpload");
  expect(seen[0]!.inputs).toMatchObject({ accountName: "stllama", containerName: "datasets", blobName: "a.jsonl", filePath: file, sha256: sha, contentType: "application/octet-stream" });
});
