/**
 * Training data over time, on the real program's plans and against a stand-in for Azure ML:
 * data A, then B, then A again; `pulumi destroy`; and the stack created again against a project
 * that survived. Each `pulumi up` is planned offline, its steps for the data assets are run
 * through the real DataAsset/DataAssetVersion providers in the engine's order (creates and
 * updates first, dependencies first; then deletes, dependents first) against the loopback
 * Azure ML fake (test/arm/fakeMlData.ts), and the deployability rules judge each transition.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createArmJsonClient } from "../../arm/armJson";
import { makeDataAssetProvider, makeDataAssetVersionProvider } from "../../arm/dataAssetResource";
import type { DataAssetRuntime } from "../../arm/dataAssetResource";
import { toProviderInputs } from "../../arm/dynamicProviders";
import { DataAssetConflictError, ML_DATA_API_VERSION } from "../../arm/mlDataAssets";
import { checkTransition, type PlanFacts } from "../../deployability";
import { T } from "../../deployability/resources";
import { planSteps } from "../../deployability/steps";
import type { PlanResult } from "../../plan/run";
import type { PlannedResource } from "../../plan/types";
import { fakeCredential } from "../arm/fakeArm";
import { startFakeMlData } from "../arm/fakeMlData";
import type { FakeMlData } from "../arm/fakeMlData";
import { ofType, planWith, PROJECT_DIR } from "../helpers/plan";

const TODAY = "2026-11-26";
const factsOf = (plan: PlanResult): PlanFacts => ({ stack: plan.stack, resources: plan.resources, today: plan.today, deployer: plan.client.deployer });
type Provider = ReturnType<typeof makeDataAssetVersionProvider> | ReturnType<typeof makeDataAssetProvider>;
type Outs = Record<string, unknown>;

/** What Pulumi's state holds for the data assets: URN → id and outputs. */
type State = Map<string, { id: string; outs: Outs }>;

let ml: FakeMlData;
let providers: Record<string, Provider>;
let planA: PlanResult;
let planB: PlanResult;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "llft-data-b-"));
  const trainB = join(dir, "train.jsonl");
  copyFileSync(join(PROJECT_DIR, "examples/data/train.jsonl"), trainB);
  const extra = readFileSync(trainB, "utf8").trimEnd().split("\n")[0]!;
  writeFileSync(trainB, `${readFileSync(trainB, "utf8").trimEnd()}\n${extra}\n`);
  planA = await planWith("dev", "dev", {}, { today: TODAY });
  planB = await planWith("dev", "dev", { data: { trainingFile: trainB, validationFile: "examples/data/validation.jsonl" } }, { today: TODAY });
});

beforeEach(async () => {
  ml = await startFakeMlData();
  const runtime: DataAssetRuntime = { client: (_e, _s, maxWaitMs) => createArmJsonClient({ endpoint: ml.endpoint, credential: fakeCredential, apiVersion: ML_DATA_API_VERSION, trustedCaPem: ml.caPem, maxWaitMs }) };
  providers = { [T.dataAsset]: makeDataAssetProvider(runtime), [T.dataAssetVersion]: makeDataAssetVersionProvider(runtime) };
  // The project (created by azure-native, which the fake does not play) exists.
  const project = ofType(planA, T.dataAssetVersion)[0]!.inputs;
  ml.workspaces.add(`${String(project.resourceGroupName)}/${String(project.workspaceName)}`);
});
afterEach(() => ml.close());

const rank = (type: string) => (type === T.dataAsset ? 0 : 1);
const inputsOf = (r: PlannedResource) => toProviderInputs(r.inputs) as never;

/** One `pulumi up` (`to` undefined: `pulumi destroy`) of the data assets, as the engine orders it. */
async function up(state: State, from: PlanResult | undefined, to: PlanResult | undefined): Promise<void> {
  const steps = planSteps(from?.resources ?? [], to?.resources).filter((s) => s.type in providers);
  const forward = steps.filter((s) => s.op === "create" || s.op === "update" || s.op === "replace").sort((a, b) => rank(a.type) - rank(b.type));
  for (const s of forward) {
    const p = providers[s.type]!;
    if (s.op === "update") {
      const old = state.get(s.urn)!;
      const { outs } = await p.update!(old.id, old.outs as never, inputsOf(s.after!));
      state.set(s.urn, { id: old.id, outs: outs as unknown as Outs });
    } else {
      const created = await p.create(inputsOf(s.after!));
      if (s.op === "replace") await p.delete!(state.get(s.urn)!.id, state.get(s.urn)!.outs as never);
      state.set(s.urn, { id: created.id, outs: created.outs as unknown as Outs });
    }
  }
  const deletes = steps.filter((s) => s.op === "delete").sort((a, b) => rank(b.type) - rank(a.type));
  for (const s of deletes) {
    const old = state.get(s.urn)!;
    await providers[s.type]!.delete!(old.id, old.outs as never);
    state.delete(s.urn);
  }
}

const trainingVersion = (plan: PlanResult) => String(ofType(plan, T.dataAssetVersion).find((v) => v.inputs.name === "training")!.inputs.version);
const archived = () => Object.fromEntries([...ml.versions].map(([k, v]) => [k.split("/").slice(2).join(":"), v.properties.isArchived]));
const outsOf = (state: State, plan: PlanResult, name: string) => state.get(ofType(plan, T.dataAssetVersion).find((v) => v.inputs.name === name)!.urn)!.outs;
const noDelete = () => expect(ml.requests.filter((r) => r.method === "DELETE")).toEqual([]);

test("data A → B → A: B is created and A archived; going back adopts A's existing version and makes it current, B is archived; no DELETE", async () => {
  const [a, b, validation] = [trainingVersion(planA), trainingVersion(planB), String(ofType(planA, T.dataAssetVersion).find((v) => v.inputs.name === "validation")!.inputs.version)];
  expect(a).not.toBe(b);
  const state: State = new Map();
  await up(state, undefined, planA);
  expect(archived()).toEqual({ [`training:${a}`]: false, [`validation:${validation}`]: false });

  await up(state, planA, planB);
  expect(checkTransition(factsOf(planA), factsOf(planB))).toEqual([]);
  expect(archived()).toEqual({ [`training:${a}`]: true, [`validation:${validation}`]: false, [`training:${b}`]: false });

  await up(state, planB, planA);
  expect(checkTransition(factsOf(planB), factsOf(planA))).toEqual([]);
  expect(archived()).toEqual({ [`training:${a}`]: false, [`validation:${validation}`]: false, [`training:${b}`]: true });
  expect(outsOf(state, planA, "training")).toMatchObject({ adopted: true, isArchived: false });
  // The validation version and both assets were never touched after the first up.
  expect([...ml.containers.values()].map((c) => c.properties.isArchived)).toEqual([false, false]);
  noDelete();
});

test("pulumi destroy archives every data asset and version and sends no DELETE; after a purge of the project it finds them gone", async () => {
  expect(checkTransition(factsOf(planA), undefined)).toEqual([]);
  const state: State = new Map();
  await up(state, undefined, planA);
  await up(state, planA, undefined);
  expect(state.size).toBe(0);
  expect(Object.values(archived())).toEqual([true, true]);
  expect([...ml.containers.values()].map((c) => c.properties.isArchived)).toEqual([true, true]);
  noDelete();

  // `npm run teardown` purges the project first: destroy then reads 404 and is done, no error.
  const again: State = new Map();
  await up(again, undefined, planA);
  ml.workspaces.clear();
  const before = ml.requests.length;
  await up(again, planA, undefined);
  expect(ml.requests.slice(before).map((r) => r.method)).toEqual(["GET", "GET", "GET", "GET"]);
});

test("the stack re-created against a surviving project (or a state restored from backup) adopts what is there instead of failing", async () => {
  const first: State = new Map();
  await up(first, undefined, planA);
  await up(first, planA, planB);
  await up(first, planB, undefined);
  // A new, empty state (stack re-created, or a backup from before any up) meets A and B archived.
  const state: State = new Map();
  await up(state, undefined, planA);
  for (const r of ofType(planA, T.dataAssetVersion).concat(ofType(planA, T.dataAsset))) expect(state.get(r.urn)!.outs).toMatchObject({ adopted: true, isArchived: false });
  expect(archived()).toEqual({ [`training:${trainingVersion(planA)}`]: false, [`validation:${String(ofType(planA, T.dataAssetVersion).find((v) => v.inputs.name === "validation")!.inputs.version)}`]: false, [`training:${trainingVersion(planB)}`]: true });
  noDelete();
});

test("a surviving version with the same name and version but other data is refused with what differs, and nothing is written", async () => {
  const version = ofType(planA, T.dataAssetVersion).find((v) => v.inputs.name === "training")!;
  const inputs = toProviderInputs(version.inputs) as { resourceGroupName: string; workspaceName: string; version: string };
  ml.containers.set(`${inputs.resourceGroupName}/${inputs.workspaceName}/training`, { properties: { dataType: "uri_file", isArchived: false }, createdAt: "2026-01-01T00:00:00Z" });
  ml.versions.set(`${inputs.resourceGroupName}/${inputs.workspaceName}/training/${inputs.version}`, { properties: { dataType: "uri_file", dataUri: "azureml://datastores/other/paths/x.jsonl", isArchived: false }, createdAt: "2026-01-01T00:00:00Z" });
  const err = await up(new Map(), undefined, planA).then(() => undefined, (e: unknown) => e as Error);
  expect(err).toBeInstanceOf(DataAssetConflictError);
  expect(err!.message).toContain(`data asset "training" version "${inputs.version}"`);
  expect(err!.message).toContain('dataUri is "azureml://datastores/other/paths/x.jsonl" there');
  expect(ml.versions.get(`${inputs.resourceGroupName}/${inputs.workspaceName}/training/${inputs.version}`)!.properties.dataUri).toBe("azureml://datastores/other/paths/x.jsonl");
  noDelete();
});

test("a stack deployed by the previous program (azure-native DataContainer/DataVersion, retained) moves over: the old resources are forgotten without DELETE, the new ones adopt the assets", async () => {
  const asNative: Record<string, string> = { [T.dataAsset]: T.dataContainer, [T.dataAssetVersion]: T.dataVersion };
  const previous: PlanFacts = {
    ...factsOf(planA),
    resources: planA.resources.map((r) => (r.type in asNative ? { ...r, type: asNative[r.type]!, urn: r.urn.replace(r.type, asNative[r.type]!), retainOnDelete: true } : r)),
  };
  const steps = planSteps(previous.resources, planA.resources).filter((s) => s.op !== "same");
  expect(steps.filter((s) => s.op === "delete").map((s) => [s.type, s.before!.retainOnDelete])).toEqual(expect.arrayContaining([[T.dataContainer, true], [T.dataVersion, true]]));
  expect(steps.filter((s) => s.op === "delete")).toHaveLength(4);
  expect(checkTransition(previous, factsOf(planA))).toEqual([]);
  // What the previous program left in Azure, then the new program's first up.
  const seeded: State = new Map();
  await up(seeded, undefined, planA);
  const state: State = new Map();
  await up(state, undefined, planA);
  for (const r of [...ofType(planA, T.dataAsset), ...ofType(planA, T.dataAssetVersion)]) expect(state.get(r.urn)!.outs).toMatchObject({ adopted: true });
  noDelete();
});
