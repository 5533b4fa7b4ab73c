/**
 * What happens to real deployments over time, planned offline: the preview of a fresh stack, a
 * second stack in the same tenant, a change of training data, a destroy, a re-create after the
 * destroy, and the months passing. Each scenario plans the real program and runs the
 * deployability rules over the plans.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkAcrossStacks, checkPlan, checkRecreate, checkTransition, type PlanFacts } from "../../deployability";
import { T } from "../../deployability/resources";
import { destroyOrderProblems } from "../../deployability/rules/undeletable";
import { planSteps } from "../../deployability/steps";
import type { PlanResult } from "../../plan/run";
import { get, ofType, one, planWith, PROJECT_DIR, TEST_GROUP } from "../helpers/plan";

const TODAY = "2026-11-26";
const factsOf = (plan: PlanResult): PlanFacts => ({ stack: plan.stack, resources: plan.resources, today: plan.today, deployer: plan.client.deployer });
const errors = (findings: { severity: string }[]) => findings.filter((f) => f.severity === "error");

describe("preview of a fresh stack (dryRun: outputs of new resources are unknown)", () => {
  let preview: PlanResult;
  beforeAll(async () => {
    preview = await planWith("dev", "dev", { principals: [TEST_GROUP] }, { preview: true, today: TODAY });
  });

  test("the program declares everything although ids and identities are unknown", () => {
    expect(preview.preview).toBe(true);
    expect(preview.outputs.hubId).toBe("[unknown until deployed]");
    expect(ofType(preview, T.dataAssetVersion)).toHaveLength(2);
    expect(ofType(preview, T.roleAssignment).length).toBeGreaterThanOrEqual(8);
  });

  test("names the stack derives itself are known in the preview (people's grants, uploads, data versions)", () => {
    const people = ofType(preview, T.roleAssignment).filter((r) => r.inputs.principalId === TEST_GROUP.objectId);
    expect(people).toHaveLength(5);
    for (const r of people) expect(r.inputs.roleAssignmentName).toMatch(/^[0-9a-f-]{36}$/);
    for (const upload of ofType(preview, T.blobUpload)) expect(JSON.stringify(upload.inputs)).not.toContain("[unknown until deployed]");
  });

  test("no deployability error in the preview", () => {
    expect(errors(preview.deployability)).toEqual([]);
  });
});

describe("several stacks of this repo in one tenant", () => {
  let plans: PlanResult[];
  beforeAll(async () => {
    plans = [
      await planWith("dev", "dev", { principals: [TEST_GROUP] }, { today: TODAY }),
      await planWith("prod", "prod", { principals: [TEST_GROUP] }, { today: TODAY }),
      await planWith("pr-1", "test", { nameSalt: "12345678901", principals: [TEST_GROUP] }, { today: TODAY }),
    ];
  });

  test("dev, prod and pr-1 share no role-assignment name and no globally unique name", () => {
    expect(checkAcrossStacks(plans.map(factsOf))).toEqual([]);
    // The grants of one principal exist in every stack, each under its own name.
    const names = plans.map((p) => ofType(p, T.roleAssignment).map((r) => r.inputs.roleAssignmentName));
    expect(new Set(names.flat()).size).toBe(names.flat().length);
  });

  test("the same stack name deployed by two clones into two subscriptions shares no global name", async () => {
    const other = await planWith("dev", "dev", { principals: [TEST_GROUP] }, { today: TODAY, subscriptionId: "9c2e5582-2cf1-4eeb-bfd4-444455556666" });
    const mine = factsOf(plans[0]!);
    const theirs = { ...factsOf(other), stack: "dev (other subscription)" };
    expect(checkAcrossStacks([mine, theirs])).toEqual([]);
    expect(one(other, T.storageAccount).inputs.accountName).not.toBe(one(plans[0]!, T.storageAccount).inputs.accountName);
  });
});

describe("a change of training data", () => {
  let before: PlanResult;
  let after: PlanResult;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "llft-data-b-"));
    const trainB = join(dir, "train.jsonl");
    copyFileSync(join(PROJECT_DIR, "examples/data/train.jsonl"), trainB);
    const extra = readFileSync(trainB, "utf8").trimEnd().split("\n")[0]!;
    writeFileSync(trainB, `${readFileSync(trainB, "utf8").trimEnd()}\n${extra}\n`);
    before = await planWith("dev", "dev", {}, { today: TODAY });
    after = await planWith("dev", "dev", { data: { trainingFile: trainB, validationFile: "examples/data/validation.jsonl" } }, { today: TODAY });
  });

  test("the new file is a new blob and a new data version, created next to the old ones; the old version is archived, nothing is deleted from Azure", () => {
    const steps = planSteps(before.resources, after.resources);
    const of = (type: string, op: string) => steps.filter((s) => s.type === type && s.op === op);
    expect(of(T.dataAssetVersion, "create").map((s) => s.after!.inputs.name)).toEqual(["training"]);
    expect(of(T.blobUpload, "create")).toHaveLength(1);
    // The old version leaves the stack and is archived by its provider (no DELETE); the old blob stays (retainOnDelete).
    const gone = steps.filter((s) => s.op === "delete");
    expect(gone.map((s) => s.type).sort()).toEqual([T.dataAssetVersion, T.blobUpload].sort());
    expect(gone.find((s) => s.type === T.blobUpload)!.before!.retainOnDelete).toBe(true);
    expect(gone.find((s) => s.type === T.dataAssetVersion)!.before!.retainOnDelete).toBe(false);
    // The data assets (containers) are untouched.
    for (const s of steps.filter((x) => x.type === T.dataAsset)) expect(s.op).toBe("same");
    expect(steps.filter((s) => s.op === "replace")).toEqual([]);
    expect(checkTransition(factsOf(before), factsOf(after))).toEqual([]);
  });

  test("the rule catches the old program: one azure-native DataVersion whose version changes would be replaced by deleting it", () => {
    const strip = (p: PlanResult): PlanFacts => ({
      ...factsOf(p),
      resources: p.resources.map((r) =>
        r.type === T.dataAssetVersion ? { ...r, type: T.dataVersion, urn: r.urn.replace(T.dataAssetVersion, T.dataVersion).replace(/-version-[0-9a-f]{12}$/, "-version"), retainOnDelete: false } : r,
      ),
    });
    expect(checkTransition(strip(before), strip(after))).toEqual([expect.objectContaining({ rule: "nothing-undeletable-deleted", message: expect.stringContaining("replaced (version changed)") })]);
  });
});

describe("destroy, and creating the stack again", () => {
  let dev: PlanResult;
  let pr: PlanResult;
  beforeAll(async () => {
    dev = await planWith("dev", "dev", {}, { today: TODAY });
    pr = await planWith("pr-7", "test", { nameSalt: "run-41" }, { today: TODAY });
  });

  test("pulumi destroy deletes nothing Azure cannot delete, dependents first", () => {
    expect(checkTransition(factsOf(dev), undefined)).toEqual([]);
    expect(destroyOrderProblems(dev.resources, dev.destroyOrder)).toEqual([]);
    const order = dev.destroyOrder;
    const endpoint = one(dev, T.serverlessEndpoint).urn;
    expect(order.indexOf(endpoint)).toBeLessThan(order.indexOf(one(dev, T.marketplaceSubscription).urn));
    expect(order.indexOf(one(dev, T.mlWorkspace, (r) => r.inputs.kind === "Project").urn)).toBeLessThan(order.indexOf(one(dev, T.mlWorkspace, (r) => r.inputs.kind === "Hub").urn));
  });

  test("a destroy order that deletes the subscription before its endpoint is reported", () => {
    const order = [...dev.destroyOrder];
    const [e, s] = [order.indexOf(one(dev, T.serverlessEndpoint).urn), order.indexOf(one(dev, T.marketplaceSubscription).urn)];
    [order[e], order[s]] = [order[s]!, order[e]!];
    expect(destroyOrderProblems(dev.resources, order)).toEqual(expect.arrayContaining([expect.stringContaining("llama-endpoints-base is deleted after")]));
  });

  test("a test stack re-created by the next CI run (new salt) meets no soft-deleted name and no retained resource", async () => {
    const next = await planWith("pr-7", "test", { nameSalt: "run-42" }, { today: TODAY });
    expect(checkRecreate(factsOf(pr), factsOf(next), { purged: false })).toEqual([]);
  });

  test("dev re-created with the same names works after npm run teardown (purges), not after a plain pulumi destroy", () => {
    expect(checkRecreate(factsOf(dev), factsOf(dev), { purged: true })).toEqual([]);
    const blocked = checkRecreate(factsOf(dev), factsOf(dev), { purged: false });
    expect(blocked.map((f) => f.resourceName).sort()).toEqual(["llama-hub-aiservices", "llama-hub-hub", "llama-hub-keyvault", "llama-project-project"]);
    for (const f of blocked) expect(f.message).toMatch(/npm run teardown \(purges\), or a new nameSalt/);
  });
});

describe("the months passing", () => {
  test("a stack created a year from now gets a budget Azure accepts that day", async () => {
    const later = await planWith("pr-9", "test", { nameSalt: "run-9", expiresOn: "2027-12-31" }, { today: "2027-11-26" });
    expect(get(one(later, T.budget).inputs, "timePeriod.startDate")).toBe("2027-11-01T00:00:00Z");
    expect(errors(later.deployability)).toEqual([]);
  });

  test("next month's plan of the same stack shows no change to the budget (its start is kept)", async () => {
    const november = await planWith("dev", "dev", {}, { today: TODAY });
    const december = await planWith("dev", "dev", {}, { today: "2026-12-02" });
    expect(get(one(december, T.budget).inputs, "timePeriod.startDate")).toBe("2026-12-01T00:00:00Z");
    const budgetStep = planSteps(november.resources, december.resources).find((s) => s.type === T.budget);
    expect(budgetStep?.op).toBe("same");
    expect(await checkPlan(factsOf(december))).toEqual([]);
  });
});
