/**
 * The DataAsset / DataAssetVersion providers against a local HTTPS server that answers Azure ML's
 * data routes (fakeMlData.ts), through the real core-rest-pipeline client. Only the token
 * credential and the clock are stand-ins.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createArmJsonClient } from "../../arm/armJson";
import type { AzureSettings } from "../../arm/azureSettings";
import { makeDataAssetProvider, makeDataAssetVersionProvider } from "../../arm/dataAssetResource";
import type { DataAssetInputs, DataAssetRuntime, DataAssetVersionInputs, DataAssetVersionOutputs } from "../../arm/dataAssetResource";
import { DataAssetConflictError, DataAssetRequestError, ML_DATA_API_VERSION } from "../../arm/mlDataAssets";
import { UNKNOWN } from "../../arm/unknowns";
import { armError, FAKE_TOKEN, fakeClock, fakeCredential } from "./fakeArm";
import { startFakeMlData } from "./fakeMlData";
import type { FakeMlData } from "./fakeMlData";

const SUB = "11111111-2222-3333-4444-555555555555";
const WS = "llft-proj-dev-abc123";
const RG = "llft-rg-dev-abc123";
const SHA_A = "a".repeat(64);
const URI_A = `azureml://subscriptions/${SUB}/resourcegroups/${RG}/workspaces/${WS}/datastores/training_data/paths/training/aaaaaaaaaaaa/training.jsonl`;
const BASE = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}/data/training`;

let ml: FakeMlData;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  ml = await startFakeMlData();
  ml.workspaces.add(`${RG}/${WS}`);
  clock = fakeClock();
});
afterEach(() => ml.close());

const runtime = (seen?: AzureSettings[]): DataAssetRuntime => ({
  client: (_endpoint, settings, maxWaitMs) => {
    seen?.push({ config: { ...settings.config } });
    return createArmJsonClient({ endpoint: ml.endpoint, credential: fakeCredential, apiVersion: ML_DATA_API_VERSION, trustedCaPem: ml.caPem, maxWaitMs, sleep: clock.sleep, now: clock.now });
  },
});
const versions = () => makeDataAssetVersionProvider(runtime());
const containers = () => makeDataAssetProvider(runtime());

function versionInputs(over: Partial<DataAssetVersionInputs> = {}, props: Partial<DataAssetVersionInputs["properties"]> = {}): DataAssetVersionInputs {
  return {
    subscriptionId: SUB,
    resourceGroupName: RG,
    workspaceName: WS,
    name: "training",
    version: "aaaaaaaaaaaa",
    identityTag: "sha256",
    ...over,
    properties: { dataType: "uri_file", dataUri: URI_A, description: "Training data (sha256 a…)", tags: { "cost-center": "cc", sha256: SHA_A }, ...props },
  };
}
const containerInputs = (props: Partial<DataAssetInputs["properties"]> = {}): DataAssetInputs => ({
  subscriptionId: SUB,
  resourceGroupName: RG,
  workspaceName: WS,
  name: "training",
  properties: { dataType: "uri_file", description: "Training data", tags: { "cost-center": "cc" }, ...props },
});
const calls = () => ml.requests.map((r) => `${r.method} ${r.path}`);
const putBodies = () => ml.requests.filter((r) => r.method === "PUT").map((r) => r.body as { properties: Record<string, unknown> });
const stored = (version = "aaaaaaaaaaaa") => ml.versions.get(`${RG}/${WS}/training/${version}`);
const seedContainer = () => ml.containers.set(`${RG}/${WS}/training`, { properties: { dataType: "uri_file", isArchived: false }, createdAt: "2026-01-01T00:00:00Z" });
const seedVersion = (properties: Record<string, unknown>, version = "aaaaaaaaaaaa") => ml.versions.set(`${RG}/${WS}/training/${version}`, { properties: { dataType: "uri_file", dataUri: URI_A, isAnonymous: false, isArchived: false, ...properties }, createdAt: "2026-01-01T00:00:00Z" });
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe("DataAssetVersion create", () => {
  test("absent: one GET, one PUT with the version's body; the ARM id of the version; bearer token and api-version", async () => {
    seedContainer();
    const { id, outs } = await versions().create(versionInputs());
    expect(id).toBe(`${BASE}/versions/aaaaaaaaaaaa`);
    expect(outs).toMatchObject({ adopted: false, isArchived: false });
    expect(calls()).toEqual([`GET ${BASE}/versions/aaaaaaaaaaaa`, `PUT ${BASE}/versions/aaaaaaaaaaaa`]);
    expect(putBodies()[0]).toEqual({ properties: { dataType: "uri_file", dataUri: URI_A, description: "Training data (sha256 a…)", tags: { "cost-center": "cc", sha256: SHA_A }, isAnonymous: false, isArchived: false } });
    for (const r of ml.requests) expect(r).toMatchObject({ apiVersion: "2025-12-01", authorization: `Bearer ${FAKE_TOKEN}` });
    expect(stored()?.properties).toMatchObject({ dataUri: URI_A, isArchived: false });
  });

  test("exists with the same data, current: adopted with one GET and no write", async () => {
    seedContainer();
    seedVersion({ description: "Training data (sha256 a…)", tags: { "cost-center": "cc", sha256: SHA_A } });
    const { outs } = await versions().create(versionInputs());
    expect(outs).toMatchObject({ adopted: true, isArchived: false });
    expect(calls()).toEqual([`GET ${BASE}/versions/aaaaaaaaaaaa`]);
  });

  test("exists archived (the data came back): adopted and un-archived with the same data URI, keeping others' tags", async () => {
    seedContainer();
    seedVersion({ isArchived: true, description: "old", tags: { sha256: SHA_A, owner: "team-x" } });
    const { outs } = await versions().create(versionInputs());
    expect(outs).toMatchObject({ adopted: true, isArchived: false });
    expect(calls()).toEqual([`GET ${BASE}/versions/aaaaaaaaaaaa`, `PUT ${BASE}/versions/aaaaaaaaaaaa`]);
    expect(putBodies()[0]!.properties).toEqual({ dataType: "uri_file", dataUri: URI_A, isAnonymous: false, isArchived: false, description: "Training data (sha256 a…)", tags: { owner: "team-x", "cost-center": "cc", sha256: SHA_A } });
    expect(stored()?.properties.isArchived).toBe(false);
  });

  test("exists without the content tag (registered by hand at the same path): adopted, tag added", async () => {
    seedContainer();
    seedVersion({});
    await versions().create(versionInputs());
    expect(stored()?.properties.tags).toEqual({ "cost-center": "cc", sha256: SHA_A });
  });

  test("exists with another data URI: refused, naming asset, version, workspace and both URIs; nothing written", async () => {
    seedContainer();
    const other = URI_A.replace("training_data", "old_store");
    seedVersion({ dataUri: other, tags: { sha256: SHA_A } });
    const err = await rejection(versions().create(versionInputs()));
    expect(err).toBeInstanceOf(DataAssetConflictError);
    expect(err!.message).toContain(`data asset "training" version "aaaaaaaaaaaa" in workspace "${WS}" already exists with different properties`);
    expect(err!.message).toContain(`dataUri is "${other}" there, the stack declares "${URI_A}"`);
    expect(err!.message).toMatch(/cannot change an existing version's data URI or type, nor delete it/);
    expect(ml.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  test("exists with another content hash or type: refused with each difference", async () => {
    seedContainer();
    seedVersion({ dataType: "uri_folder", tags: { sha256: "b".repeat(64) } });
    const err = await rejection(versions().create(versionInputs()));
    expect((err as DataAssetConflictError).differences).toEqual([`dataType is "uri_folder" there, the stack declares "uri_file"`, `tag sha256 is "${"b".repeat(64)}" there, the stack declares "${SHA_A}"`]);
  });

  test("the service's own refusal (a race with another writer) surfaces with its words", async () => {
    seedContainer();
    ml.inject.push(armError(404, "UserError", "Not found"));
    seedVersion({ dataUri: URI_A.replace("training_data", "x") });
    const err = await rejection(versions().create(versionInputs()));
    expect(err).toBeInstanceOf(DataAssetRequestError);
    expect(err!.message).toMatch(/Writing data asset "training" version "aaaaaaaaaaaa" .* HTTP 400: UserError: A data version with this name and version already exists/);
  });

  test("the project does not exist: the error says so", async () => {
    ml.workspaces.clear();
    const err = await rejection(versions().create(versionInputs()));
    expect(err!.message).toMatch(/HTTP 404: ResourceNotFound: The Resource 'Microsoft.MachineLearningServices\/workspaces\/llft-proj-dev-abc123'.*The project \(workspace\) does not exist/);
  });

  test("throttling: waits for Retry-After, then goes on; a 403 names the permission", async () => {
    seedContainer();
    ml.inject.push(armError(429, "TooManyRequests", "slow down", { "Retry-After": "7" }));
    await versions().create(versionInputs());
    expect(clock.sleeps).toEqual([7000]);
    expect(calls()).toHaveLength(3);
    ml.inject.push(armError(403, "AuthorizationFailed", "no"));
    const err = await rejection(versions().create(versionInputs({ version: "bbbbbbbbbbbb" })));
    expect(err!.message).toMatch(/Reading data asset .* HTTP 403: AuthorizationFailed: no.*workspaces\/data\/read/);
  });
});

describe("DataAssetVersion delete archives, never DELETEs", () => {
  const outs = (): DataAssetVersionOutputs => ({ ...versionInputs(), adopted: false, isArchived: false });

  test("a current version: GET, then PUT of the same version with isArchived true", async () => {
    seedContainer();
    seedVersion({ description: "d", tags: { sha256: SHA_A } });
    await versions().delete!(`${BASE}/versions/aaaaaaaaaaaa`, outs());
    expect(calls()).toEqual([`GET ${BASE}/versions/aaaaaaaaaaaa`, `PUT ${BASE}/versions/aaaaaaaaaaaa`]);
    expect(putBodies()[0]).toEqual({ properties: { dataType: "uri_file", dataUri: URI_A, isAnonymous: false, isArchived: true, description: "d", tags: { sha256: SHA_A } } });
    expect(stored()?.properties.isArchived).toBe(true);
  });

  test("already archived, version gone, or workspace purged: one GET and done", async () => {
    seedContainer();
    seedVersion({ isArchived: true });
    await versions().delete!("id", outs());
    ml.versions.clear();
    await versions().delete!("id", outs());
    ml.workspaces.clear();
    await versions().delete!("id", outs());
    expect(ml.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
  });

  test("no code path of either provider sends DELETE (the fake would refuse it)", async () => {
    seedContainer();
    await versions().create(versionInputs());
    await versions().delete!("id", outs());
    await containers().delete!("id", { ...containerInputs(), adopted: false, isArchived: false });
    expect(ml.requests.some((r) => r.method === "DELETE")).toBe(false);
    expect(ml.containers.get(`${RG}/${WS}/training`)?.properties.isArchived).toBe(true);
  });
});

describe("DataAssetVersion update, diff, read", () => {
  const olds = (over: Partial<DataAssetVersionOutputs> = {}): DataAssetVersionOutputs => ({ ...versionInputs(), adopted: false, isArchived: false, ...over });

  test("diff: new version, data URI, workspace or type replaces (create-before-delete); description and tags update in place", async () => {
    const p = versions();
    expect(await p.diff!("id", olds(), versionInputs({ version: "bbbbbbbbbbbb" }))).toEqual({ changes: true, replaces: ["version"], deleteBeforeReplace: false });
    expect((await p.diff!("id", olds(), versionInputs({}, { dataUri: `${URI_A}x` }))).replaces).toEqual(["properties.dataUri"]);
    expect((await p.diff!("id", olds(), versionInputs({ workspaceName: "other-ws" }))).replaces).toEqual(["workspaceName"]);
    expect(await p.diff!("id", olds(), versionInputs({}, { tags: { sha256: SHA_A } }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // Another way to reach the same version is not another version (a replacement would adopt it, then archive it).
    expect(await p.diff!("id", olds(), versionInputs({ endpoint: "https://management.usgovcloudapi.net" }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await p.diff!("id", olds(), versionInputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // A refresh found it archived: the next `up` makes it current again.
    expect(await p.diff!("id", olds({ isArchived: true }), versionInputs())).toMatchObject({ changes: true, replaces: [] });
    expect(ml.requests).toEqual([]);
  });

  test("preview: unknown values count as the change they may be and never throw", async () => {
    const p = versions();
    expect((await p.diff!("id", olds(), { ...versionInputs(), workspaceName: UNKNOWN })).replaces).toEqual(["workspaceName"]);
    expect((await p.diff!("id", olds(), { ...versionInputs(), properties: UNKNOWN as never })).replaces).toEqual(["properties.dataType", "properties.dataUri"]);
  });

  test("update sets exactly the stack's tags and description, current", async () => {
    seedContainer();
    seedVersion({ isArchived: true, tags: { sha256: SHA_A, owner: "x" } });
    const { outs } = await versions().update!("id", olds({ isArchived: true }), versionInputs({}, { description: "new", tags: { sha256: SHA_A } }));
    expect(outs).toMatchObject({ isArchived: false, adopted: false });
    expect(stored()?.properties).toMatchObject({ description: "new", tags: { sha256: SHA_A }, isArchived: false, dataUri: URI_A });
  });

  test("read reports the live archive state; a version that is gone is reported gone", async () => {
    seedContainer();
    seedVersion({ isArchived: true });
    expect((await versions().read!("id", olds())).props).toMatchObject({ isArchived: true });
    ml.versions.clear();
    expect((await versions().read!("id", olds())).id).toBe("");
  });
});

describe("DataAsset (the container)", () => {
  test("absent: created; present: adopted (un-archived); another type: refused; delete archives it", async () => {
    const { id, outs } = await containers().create(containerInputs());
    expect(id).toBe(BASE);
    expect(outs).toMatchObject({ adopted: false });
    expect(putBodies()[0]).toEqual({ properties: { dataType: "uri_file", description: "Training data", tags: { "cost-center": "cc" }, isArchived: false } });
    await containers().delete!(id, { ...outs!, isArchived: false });
    expect(ml.containers.get(`${RG}/${WS}/training`)?.properties.isArchived).toBe(true);
    const again = await containers().create(containerInputs());
    expect(again.outs).toMatchObject({ adopted: true });
    expect(ml.containers.get(`${RG}/${WS}/training`)?.properties.isArchived).toBe(false);
    // The container's read-only fields (latestVersion, nextVersion) are not sent back.
    for (const body of putBodies()) expect(Object.keys(body.properties)).not.toContain("nextVersion");
    const err = await rejection(containers().create(containerInputs({ dataType: "uri_folder" })));
    expect(err).toBeInstanceOf(DataAssetConflictError);
    expect(err!.message).toContain(`data asset "training" in workspace "${WS}" already exists with different properties: dataType is "uri_file" there, the stack declares "uri_folder"`);
  });
});

describe("check and configure", () => {
  test("check explains bad inputs before any call and accepts the unknowns of a preview", async () => {
    const bad = await versions().check!({} as DataAssetVersionInputs, { ...versionInputs({ subscriptionId: "nope", workspaceName: "x", version: "a b", endpoint: "http://x" }), properties: { dataType: "mltable", dataUri: "s3://b/k" } });
    expect(bad.failures!.map((f) => f.property)).toEqual(["subscriptionId", "workspaceName", "endpoint", "properties.dataType", "version", "properties.dataUri"]);
    const preview = { ...versionInputs(), subscriptionId: UNKNOWN, workspaceName: UNKNOWN, version: UNKNOWN, properties: { dataType: "uri_file", dataUri: UNKNOWN, tags: UNKNOWN as never } };
    await expect(versions().check!({} as DataAssetVersionInputs, preview)).resolves.toEqual({ inputs: preview, failures: [] });
    await expect(containers().check!({} as DataAssetInputs, { ...containerInputs(), properties: UNKNOWN as never })).resolves.toMatchObject({ failures: [] });
    expect(ml.requests).toEqual([]);
  });

  test("the provider host's azure-native stack config reaches the client (and nothing else)", async () => {
    const seen: AzureSettings[] = [];
    const p = makeDataAssetVersionProvider(runtime(seen));
    const stack: Record<string, string> = { "azure-native:clientId": "cid", "azure-native:environment": "public", "llama-finetune-env:model": "x" };
    await p.configure!({ config: { get: (k) => stack[k], require: (k) => stack[k]! } });
    seedContainer();
    await p.create(versionInputs());
    expect(seen).toEqual([{ config: { clientId: "cid", environment: "public" } }]);
  });
});

describe("bodies shaped like Azure's example (DataVersionBase/createOrUpdate.json, 2025-12-01)", () => {
  // The example's shape, written down by this project so the check runs without ../shared.
  const EXAMPLE_REQUEST_PROPERTIES = ["dataType", "dataUri", "description", "tags", "properties", "isAnonymous"];
  const EXAMPLE_RESPONSE_KEYS = ["id", "name", "type", "properties", "systemData"];
  const EXAMPLE_SYSTEM_DATA = ["createdAt", "createdBy", "createdByType", "lastModifiedAt", "lastModifiedBy", "lastModifiedByType"];
  const examplePath = resolve(__dirname, "../../../shared/reference/azure-examples/DataVersionBase__createOrUpdate.json");

  async function roundTrip() {
    seedContainer();
    await versions().create(versionInputs());
    const get = await createArmJsonClient({ endpoint: ml.endpoint, credential: fakeCredential, apiVersion: ML_DATA_API_VERSION, trustedCaPem: ml.caPem }).request("GET", `${BASE}/versions/aaaaaaaaaaaa`);
    return { sent: putBodies()[0]!, answer: get.json as Record<string, unknown> };
  }

  test("project fixture: what the provider sends is the example's request fields (plus isArchived), the fake answers the example's envelope", async () => {
    const { sent, answer } = await roundTrip();
    for (const k of Object.keys(sent.properties)) expect([...EXAMPLE_REQUEST_PROPERTIES, "isArchived"]).toContain(k);
    expect(Object.keys(answer).sort()).toEqual([...EXAMPLE_RESPONSE_KEYS].sort());
    expect(Object.keys(answer.systemData as object).sort()).toEqual([...EXAMPLE_SYSTEM_DATA].sort());
  });

  test("../shared reference: the fixture above matches the byte-exact example", async () => {
    if (!existsSync(examplePath)) {
      console.log(`skipped: ${examplePath} is absent (no ../shared beside the clone); the project fixture above covers the same shape`);
      return;
    }
    const example = JSON.parse(readFileSync(examplePath, "utf8")) as { parameters: { "api-version": string; body: { properties: object } }; responses: Record<string, { body: Record<string, unknown> }> };
    expect(example.parameters["api-version"]).toBe(ML_DATA_API_VERSION);
    expect(Object.keys(example.parameters.body.properties).sort()).toEqual([...EXAMPLE_REQUEST_PROPERTIES].sort());
    for (const status of ["200", "201"]) {
      const body = example.responses[status]!.body;
      expect(Object.keys(body).sort()).toEqual([...EXAMPLE_RESPONSE_KEYS].sort());
      expect(Object.keys(body.systemData as object).sort()).toEqual([...EXAMPLE_SYSTEM_DATA].sort());
    }
    const { answer } = await roundTrip();
    for (const k of Object.keys(example.responses["200"]!.body.properties as object)) if (k !== "properties") expect(answer.properties).toHaveProperty(k);
  });
});
