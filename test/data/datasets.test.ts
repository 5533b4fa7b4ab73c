/**
 * Every real dataset in ../shared/datasets gets the verdict expected.json gives it (skipped, with
 * the reason printed, when the folder is absent: fixtures.test.ts checks the same situations on
 * files the tests write themselves). The project's own sample dataset always runs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateDataset } from "../../data";
import { defaultModel, findModel } from "../../config/models";
import { modelForDataTests } from "../helpers/retiredModels";
import { describeShared, HAVE_SHARED, SHARED_DATASETS } from "./shared";

interface Expectation {
  file: string;
  model: string | null;
  valid: boolean;
}

const expected: Expectation[] = HAVE_SHARED ? (JSON.parse(readFileSync(path.join(SHARED_DATASETS, "expected.json"), "utf8")) as Expectation[]) : [];

describeShared("the shared datasets", () => {
  test("expected.json lists cases", () => {
    expect(expected.length).toBeGreaterThan(0);
  });

  test.each(expected.map((e) => [e.file, e.model ?? "(default)", e] as const))("%s with %s", async (_file, _model, e) => {
    // expected.json still names models retired on 2025-06-30; they resolve to test-only stand-ins.
    const model = e.model === null ? defaultModel() : modelForDataTests(e.model);
    expect(model).toBeDefined();
    const r = await validateDataset({ trainingFile: path.join(SHARED_DATASETS, e.file), model: model! });
    expect(r.valid).toBe(e.valid);
    if (e.valid) {
      expect(r.stats.training.validExamples).toBe(r.stats.training.examples);
      expect(r.stats.training.tokensPerExample?.total).toBeGreaterThan(0);
    } else {
      expect(r.errorCount).toBeGreaterThan(0);
      // Every refusal says where and why.
      for (const err of r.errors) {
        expect(err.line).toBeGreaterThan(0);
        expect(err.message.length).toBeGreaterThan(30);
      }
    }
  });

  test("the seed file's only issue is TOO_FEW_EXAMPLES (a warning)", async () => {
    const r = await validateDataset({ trainingFile: path.join(SHARED_DATASETS, "seed__xbox_support_chat.jsonl"), model: defaultModel() });
    expect(r.warnings.map((w) => w.code)).toEqual(["TOO_FEW_EXAMPLES"]);
    expect(r.stats.training.examples).toBe(3);
  });

  test("the context-switching splits share no example", async () => {
    const r = await validateDataset({
      trainingFile: path.join(SHARED_DATASETS, "azure-samples-openai__context_switching_prepared_train.jsonl"),
      validationFile: path.join(SHARED_DATASETS, "azure-samples-openai__context_switching_prepared_valid.jsonl"),
      model: modelForDataTests("Llama-2-7b")!,
    });
    expect(r.valid).toBe(true);
    expect(r.warnings.filter((w) => w.code === "TRAIN_VALIDATION_OVERLAP")).toEqual([]);
    expect(r.stats.validation?.examples).toBe(45);
  });

  test("the tool-calling cookbook file is refused on its first line for its extra keys and missing content", async () => {
    const r = await validateDataset({ trainingFile: path.join(SHARED_DATASETS, "openai-cookbook__drone_training.jsonl"), model: defaultModel() });
    expect(r.errors.slice(0, 3).map((e) => [e.line, e.code])).toEqual([
      [1, "UNKNOWN_KEY"],
      [1, "UNKNOWN_KEY"],
      [1, "UNKNOWN_KEY"],
    ]);
    expect(r.stats.training.examples).toBe(103);
  });
});

test("the sample dataset the dev stack uses passes for Meta-Llama-3.1-8B-Instruct", async () => {
  const root = path.resolve(__dirname, "../..");
  const r = await validateDataset({
    trainingFile: path.join(root, "examples/data/train.jsonl"),
    validationFile: path.join(root, "examples/data/validation.jsonl"),
    model: findModel("Meta-Llama-3.1-8B-Instruct")!,
  });
  expect(r.errors).toEqual([]);
  expect(r.valid).toBe(true);
  expect(r.stats.training.examples).toBeGreaterThanOrEqual(10);
  expect(r.stats.validation?.examples).toBeGreaterThanOrEqual(3);
  expect(r.warnings.map((w) => w.code)).not.toContain("TRAIN_VALIDATION_OVERLAP");
  expect(r.warnings.map((w) => w.code)).not.toContain("DUPLICATE_EXAMPLE");
});
