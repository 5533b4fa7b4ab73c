/**
 * Issue 9, defect 4: `pulumi preview` of a new stack, where the storage account name and the
 * subscription id are not known yet. The program runs under the SDK's mock runtime in PREVIEW mode;
 * a monitor subclass keeps the register requests exactly as the SDK sends them (the protobuf struct,
 * which the engine forwards to the dynamic provider's check with unknowns as the sentinel string).
 * Those inputs are then fed to the providers' real `check` and `diff`.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobUpload } from "../../arm/blobUploadResource";
import { DataAssetVersion } from "../../arm/dataAssetResource";
import { BLOB_UPLOAD_TYPE, checkDynamicResource, DATA_ASSET_VERSION_TYPE, DYNAMIC_PROVIDERS, PROVIDER_REGISTRATION_TYPE, toProviderInputs } from "../../arm/dynamicProviders";
import { ProviderRegistration } from "../../arm/providerRegistrationResource";
import { containsUnknowns, UNKNOWN, unknownKeys } from "../../arm/unknowns";

type Raw = Record<string, unknown>;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getObject(): { toJavaScript(): Raw } | undefined;
}

class CapturingMonitor extends MockMonitor {
  readonly sent = new Map<string, { type: string; inputs: Raw }>();
  override async registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void> {
    this.sent.set(req.getName(), { type: req.getType(), inputs: req.getObject()?.toJavaScript() ?? {} });
    return super.registerResource(req, callback);
  }
}

/** Stands in for the storage account: its `name` and `subscriptionId` outputs are not known during preview. */
class Account extends pulumi.CustomResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly subscriptionId: pulumi.Output<string>;
  constructor(name: string) {
    super("test:index:Account", name, { name: undefined, subscriptionId: undefined });
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dyn-preview-"));
  writeFileSync(join(dir, "train.jsonl"), "{}\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function previewProgram(): Promise<CapturingMonitor> {
  const monitor = new CapturingMonitor({
    // The account gets no outputs, as the engine answers for a resource still to be created in a preview.
    newResource: (args) => ({ id: undefined, state: args.type === "test:index:Account" ? {} : args.inputs }),
    call: () => ({}),
  });
  pulumi.runtime.setMockOptions(monitor, "project", "stack", true);
  const account = new Account("acct");
  const upload = new BlobUpload("training", { accountName: account.name, containerName: "datasets", blobName: "training/abc/training.jsonl", filePath: join(dir, "train.jsonl"), sha256: "a".repeat(64) });
  const registration = new ProviderRegistration("storage", { namespace: "Microsoft.Storage", subscriptionId: account.subscriptionId });
  await new Promise<void>((resolve) => pulumi.all([upload.urn, registration.urn]).apply(() => resolve()));
  return monitor;
}

test("in preview the SDK sends an unknown account name as the engine's sentinel string, and both providers' check accept it", async () => {
  const monitor = await previewProgram();
  const blob = monitor.sent.get("training")!;
  const reg = monitor.sent.get("storage")!;
  expect(blob.type).toBe(BLOB_UPLOAD_TYPE);
  expect(reg.type).toBe(PROVIDER_REGISTRATION_TYPE);
  expect(blob.inputs.accountName).toBe(UNKNOWN);
  expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
  expect(reg.inputs.subscriptionId).toBe(UNKNOWN);

  // What the provider host would call: check(olds = {}, news = the struct, minus __provider).
  const news = toProviderInputs(blob.inputs);
  expect(news).not.toHaveProperty("__provider");
  await expect(DYNAMIC_PROVIDERS[BLOB_UPLOAD_TYPE]!.check!({}, news)).resolves.toEqual({ inputs: news, failures: [] });
  await expect(checkDynamicResource(BLOB_UPLOAD_TYPE, blob.inputs)).resolves.toEqual({ failures: [], unknownInputs: ["accountName"] });
  await expect(checkDynamicResource(PROVIDER_REGISTRATION_TYPE, reg.inputs)).resolves.toEqual({ failures: [], unknownInputs: ["subscriptionId"] });

  // An existing stack whose account is being replaced: diff against the old state must not throw.
  const olds = { ...news, accountName: "stllamaold", url: "https://stllamaold.blob.core.windows.net/datasets/training/abc/training.jsonl", sizeBytes: 3 };
  await expect(DYNAMIC_PROVIDERS[BLOB_UPLOAD_TYPE]!.diff!("id", olds, news)).resolves.toMatchObject({ changes: true, replaces: ["accountName"] });
});

test("the check still refuses known bad inputs, and says nothing about types that are not ours", async () => {
  const bad = await checkDynamicResource(BLOB_UPLOAD_TYPE, { accountName: "Not_Valid", containerName: "datasets", blobName: "b", filePath: "/f", sha256: UNKNOWN, contentType: "application/jsonl" });
  expect(bad).toEqual({ failures: [expect.objectContaining({ property: "accountName" })], unknownInputs: ["sha256"] });
  await expect(checkDynamicResource("azure-native:storage:StorageAccount", {})).resolves.toBeUndefined();
});

test("toProviderInputs turns the mock runtime's Unknown objects and wrapped secrets into what the provider sees", () => {
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "shh" };
  expect(toProviderInputs({ a: pulumi.unknown, b: [pulumi.unknown, 1], c: secret, d: undefined, __provider: "code" })).toEqual({ a: UNKNOWN, b: [UNKNOWN, 1], c: "shh" });
  expect(unknownKeys({ a: { b: [1, UNKNOWN] }, c: "x", d: null })).toEqual(["a"]);
  expect(containsUnknowns({ a: [{ b: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }] })).toBe(true);
  expect(containsUnknowns({ a: ["04da6b54"] })).toBe(false);
});

test("preview: a data asset version whose project and data URI are not known yet passes check, and diff names the replacement", async () => {
  const monitor = new CapturingMonitor({ newResource: (args) => ({ id: undefined, state: args.type === "test:index:Account" ? {} : args.inputs }), call: () => ({}) });
  pulumi.runtime.setMockOptions(monitor, "project", "stack", true);
  const account = new Account("ws");
  const version = new DataAssetVersion("training-v", {
    subscriptionId: "11111111-2222-3333-4444-555555555555",
    resourceGroupName: "rg",
    workspaceName: account.name,
    name: "training",
    version: "aaaaaaaaaaaa",
    identityTag: "sha256",
    properties: { dataType: "uri_file", dataUri: pulumi.interpolate`azureml://x/workspaces/${account.name}/paths/a`, tags: { sha256: "a".repeat(64) } },
  });
  await new Promise<void>((resolve) => version.urn.apply(() => resolve()));
  const sent = monitor.sent.get("training-v")!;
  expect(sent.type).toBe(DATA_ASSET_VERSION_TYPE);
  expect(sent.inputs.workspaceName).toBe(UNKNOWN);
  await expect(checkDynamicResource(DATA_ASSET_VERSION_TYPE, sent.inputs)).resolves.toEqual({ failures: [], unknownInputs: ["properties", "workspaceName"] });
  const news = toProviderInputs(sent.inputs);
  const olds = { ...news, workspaceName: "ws-old", properties: { dataType: "uri_file", dataUri: "azureml://x/workspaces/ws-old/paths/a" }, adopted: false, isArchived: false };
  await expect(DYNAMIC_PROVIDERS[DATA_ASSET_VERSION_TYPE]!.diff!("id", olds, news)).resolves.toMatchObject({ changes: true, replaces: ["workspaceName", "properties.dataUri"] });
});
