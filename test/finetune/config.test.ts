/** The `finetune` block of the stack config and the shared data-asset naming. */
import { join } from "node:path";
import { blobPath, contentVersion, DATA_ASSET_NAMES } from "../../config/dataAssets";
import { ConfigError, decodePulumiConfig, parseStackConfig } from "../../config/schema";
import { readStackFile } from "../../config/stackFile";
import * as trainingData from "../../components/trainingData";

const ROOT = join(__dirname, "..", "..");
const base = {
  location: "westus3",
  environment: "dev",
  costCenter: "ml",
  budget: { amount: 100, startDate: "2026-12-01", contactEmails: ["ml-platform@example.com"] },
  data: { trainingFile: "examples/data/train.jsonl" },
};

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw, "Pulumi.x.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("finetune block", () => {
  test("defaults: 1 epoch, service defaults for batch size and learning rate, no price", () => {
    const cfg = parseStackConfig(base, "Pulumi.x.yaml");
    expect(cfg.finetune).toEqual({ epochs: 1 });
  });

  test("accepts the documented ranges at both ends", () => {
    const cfg = parseStackConfig({ ...base, finetune: { epochs: 10, batchSize: 32, learningRateMultiplier: 10, modelVersion: "4", pricePer1kTokens: 0 } }, "x");
    expect(cfg.finetune).toEqual({ epochs: 10, batchSize: 32, learningRateMultiplier: 10, modelVersion: "4", pricePer1kTokens: 0 });
    expect(parseStackConfig({ ...base, finetune: { epochs: 1, batchSize: 1, learningRateMultiplier: 0.02 } }, "x").finetune.batchSize).toBe(1);
    expect(parseStackConfig({ ...base, finetune: { learningRate: 0.00002 } }, "x").finetune.learningRate).toBe(0.00002);
  });

  test("every out-of-range value is reported at once, each with its key and allowed range", () => {
    const found = problems({ ...base, finetune: { epochs: 0, batchSize: 33, learningRateMultiplier: 0, modelVersion: "latest" } });
    expect(found).toEqual([
      expect.stringMatching(/^llama-finetune-env:finetune\.epochs: 0 must be from 1 to 10 epochs \(learn\.microsoft\.com\/azure\/ai-foundry\/how-to\/fine-tune-serverless\)$/),
      expect.stringMatching(/^llama-finetune-env:finetune\.batchSize: 33 must be from 1 to 32 .*leave it out for the service's choice$/),
      expect.stringMatching(/^llama-finetune-env:finetune\.learningRateMultiplier: 0 must be greater than 0 and at most 10 .*0\.02 to 0\.2 recommended/),
      expect.stringMatching(/^llama-finetune-env:finetune\.modelVersion: "latest" must be a registry model version: digits only/),
    ]);
    expect(problems({ ...base, finetune: { epochs: 2.5, batchSize: 0, learningRateMultiplier: 10.5, learningRate: 1 } })).toEqual([
      "llama-finetune-env:finetune.epochs: 2.5 must be a whole number of epochs from 1 to 10",
      expect.stringMatching(/batchSize: 0 must be from 1 to 32/),
      expect.stringMatching(/learningRateMultiplier: 10\.5 must be greater than 0 and at most 10/),
      expect.stringMatching(/learningRate: 1 must be greater than 0 and less than 1/),
    ]);
    expect(problems({ ...base, finetune: { attempt: 0 } })).toEqual([
      "llama-finetune-env:finetune.attempt: 0 must be a whole number from 1: the attempt of training with these same inputs (raise it to retrain after a failed job)",
    ]);
    expect(problems({ ...base, finetune: { attempt: 1.5 } })).toEqual([expect.stringMatching(/finetune\.attempt: 1\.5 must be a whole number from 1/)]);
    expect(problems({ ...base, finetune: { learningRateMultiplier: 1, learningRate: 0.0001 } })).toEqual([
      expect.stringMatching(/finetune\.learningRate: 0\.0001 cannot be set together with learningRateMultiplier/),
    ]);
  });

  test("one pricing basis: per 1k tokens, or per hour with a maximum duration", () => {
    expect(problems({ ...base, finetune: { pricePer1kTokens: 0.01, pricePerHour: 10, maxHours: 2 } })).toEqual([
      expect.stringMatching(/finetune\.pricePerHour: 10 cannot be set together with pricePer1kTokens/),
    ]);
    expect(problems({ ...base, finetune: { pricePerHour: 10 } })).toEqual([expect.stringMatching(/^llama-finetune-env:finetune\.maxHours: is required with pricePerHour/)]);
    expect(problems({ ...base, finetune: { maxHours: 3 } })).toEqual([expect.stringMatching(/^llama-finetune-env:finetune\.pricePerHour: is required with maxHours/)]);
    expect(parseStackConfig({ ...base, finetune: { pricePerHour: 10, maxHours: 2 } }, "x").finetune).toMatchObject({ pricePerHour: 10, maxHours: 2 });
  });

  test("epochs and price moved out of `data`: the old keys are refused by name", () => {
    expect(problems({ ...base, data: { trainingFile: "t.jsonl", epochs: 3 } })).toEqual(["llama-finetune-env:data.epochs: unknown key; check its spelling"]);
    expect(problems({ ...base, finetune: { epoch: 3 } })).toEqual(["llama-finetune-env:finetune.epoch: unknown key; check its spelling"]);
  });

  test.each(["dev", "prod"])("the committed Pulumi.%s.yaml trains 3 epochs", (stack) => {
    const file = readStackFile(ROOT, stack);
    expect(parseStackConfig(decodePulumiConfig(file.config), file.path).finetune.epochs).toBe(3);
  });
});

describe("data asset naming", () => {
  const sha = "0123456789abcdef".repeat(4);
  test("version is the first 12 hex characters of the content hash; blob path nests it", () => {
    expect(contentVersion(sha)).toBe("0123456789ab");
    expect(blobPath({ assetName: DATA_ASSET_NAMES.training, sha256: sha })).toBe("training/0123456789ab/training.jsonl");
  });

  test("the TrainingData component computes the same versions and paths (until it imports this module)", () => {
    const file = { assetName: DATA_ASSET_NAMES.validation, sha256: sha, path: "v.jsonl", description: "" };
    expect(trainingData.contentVersion(sha)).toBe(contentVersion(sha));
    expect(trainingData.blobPath(file)).toBe(blobPath(file));
  });
});
