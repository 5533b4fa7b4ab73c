/**
 * Each key of `Pulumi.<stack>.yaml` at its bounds (config/rawSchema.ts, config/finetune.ts):
 * the exact problem a bad value draws (key, value, what is allowed) and the values accepted at
 * each limit. Limits come from Azure's rules as the schema cites them: budget notifications
 * (at most 5 per budget, Consumption REST spec), fine-tuning task parameters (epochs 1-10, batch
 * size 1-32, learning rate multiplier above 0 up to 10: Learn "Fine-tune models by using
 * serverless API deployments", fine-tune-serverless.md), Azure ML model ids.
 */
import { ConfigError, parseStackConfig, type StackConfig } from "../../config/schema";
import { MINIMAL_CONFIG, TODAY } from "./fixtures";

const valid = MINIMAL_CONFIG;
const NS = "llama-finetune-env";
const LEARN_FT = "learn.microsoft.com/azure/ai-foundry/how-to/fine-tune-serverless";
const FT_ID = "azureml://locations/westus3/workspaces/0a1b2c3d-0000-4000-8000-00000000beef/models/llama-ft/versions/1";
const FT_SHORT = "azureml://locations/westus3/workspaces/0a1b-2c3d/models/ft/versions/1";

function parse(change: Record<string, unknown>): StackConfig {
  return parseStackConfig({ ...valid, ...change }, "Pulumi.dev.yaml", { today: TODAY });
}

function problems(change: Record<string, unknown>): string[] {
  try {
    parse(change);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error(`expected ${JSON.stringify(change)} to be refused`);
}

const budget = (change: Record<string, unknown>) => ({ budget: { ...valid.budget, ...change } });
const finetune = (change: Record<string, unknown>) => ({ finetune: change });

describe("refused values name the key, the value and what is allowed", () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ["location missing", { location: undefined }, [`${NS}:location: is required: the Azure region of the hub and project, e.g. "westus3"`]],
    [
      "location not text",
      { location: 5 },
      [`${NS}:location: 5 must be an Azure location name in lowercase without spaces, e.g. "westus3"`],
    ],
    [
      "location with capitals and spaces",
      { location: "West US 3" },
      [
        `${NS}:location: "West US 3" must be an Azure location name in lowercase without spaces, e.g. "westus3"`,
        `${NS}:location: "West US 3" is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3" (the project must be in one of them)`,
      ],
    ],
    [
      "location that starts well but has a space in it",
      { location: "westus 3" },
      [
        `${NS}:location: "westus 3" must be an Azure location name in lowercase without spaces, e.g. "westus3"`,
        `${NS}:location: "westus 3" is not a region where Meta-Llama-3.1-8B-Instruct can be fine-tuned; allowed: "westus3" (the project must be in one of them)`,
      ],
    ],
    ["model not text", { model: 5 }, [`${NS}:model: 5 must be the name of a catalog model, e.g. "Meta-Llama-3.1-8B-Instruct"`]],
    ...["l", "abcdefg", "1llft", "Llft", "ll-ft"].map((v): [string, Record<string, unknown>, string[]] => [
      `namePrefix ${v}`,
      { namePrefix: v },
      [`${NS}:namePrefix: "${v}" must be 2-6 lowercase letters or digits, starting with a letter (it is part of every Azure name, some of which allow 24 characters)`],
    ]),
    [
      "namePrefix not text",
      { namePrefix: 5 },
      [`${NS}:namePrefix: 5 must be 2-6 lowercase letters or digits, starting with a letter (it is part of every Azure name, some of which allow 24 characters)`],
    ],
    ...["", "x".repeat(41), "run_1", "run 1"].map((v): [string, Record<string, unknown>, string[]] => [
      `nameSalt ${JSON.stringify(v)}`,
      { nameSalt: v },
      [`${NS}:nameSalt: "${v}" must be 1-40 letters, digits or hyphens (e.g. the CI run id of a test stack)`],
    ]),
    ["nameSalt as a number", { nameSalt: 42 }, [`${NS}:nameSalt: 42 must be 1-40 letters, digits or hyphens (e.g. the CI run id of a test stack)`]],
    ["costCenter missing", { costCenter: undefined }, [`${NS}:costCenter: is required: the cost center every resource is tagged with`]],
    ["costCenter not text", { costCenter: 4711 }, [`${NS}:costCenter: 4711 must be text: the cost center every resource is tagged with`]],
    ["costCenter empty", { costCenter: "" }, [`${NS}:costCenter: "" must not be empty`]],
    ["budget.amount 0", budget({ amount: 0 }), [`${NS}:budget.amount: 0 must be greater than 0 (in the subscription's billing currency)`]],
    ["budget.amount as text", budget({ amount: "100" }), [`${NS}:budget.amount: "100" must be a number`]],
    ["budget.amount above the cap", budget({ amount: 1_000_000_001 }), [`${NS}:budget.amount: 1000000001 must be at most 1000000000 (in the subscription's billing currency)`]],
    ["budget.timeGrain Weekly", budget({ timeGrain: "Weekly" }), [`${NS}:budget.timeGrain: "Weekly" must be one of "Monthly", "Quarterly", "Annually"`]],
    ["budget.thresholds empty", budget({ thresholds: [] }), [`${NS}:budget.thresholds: [] needs at least one threshold, e.g. [50, 80, 100]`]],
    [
      "six budget.thresholds",
      budget({ thresholds: [10, 20, 30, 40, 50, 60] }),
      [`${NS}:budget.thresholds: [10,20,30,40,50,60] allows at most 5 thresholds (Azure's limit of notifications per budget)`],
    ],
    [
      "budget.thresholds of 0 and 1000.5",
      budget({ thresholds: [0, 50, 1000.5] }),
      [`${NS}:budget.thresholds[0]: 0 must be a percentage of the amount, over 0 and at most 1000`, `${NS}:budget.thresholds[2]: 1000.5 must be a percentage of the amount, over 0 and at most 1000`],
    ],
    ["a budget.threshold as text", budget({ thresholds: ["80"] }), [`${NS}:budget.thresholds[0]: "80" must be a percentage of the amount, over 0 and at most 1000`]],
    ["budget.thresholds not a list", budget({ thresholds: 80 }), [`${NS}:budget.thresholds: 80 must be a list of percentages of the amount, each over 0 and at most 1000`]],
    [
      "budget.startDate not text",
      budget({ startDate: 20261201 }),
      [`${NS}:budget.startDate: 20261201 must be the first day of a month as YYYY-MM-01, e.g. "2026-12-01"`],
    ],
    [
      "budget.startDate in month 13",
      budget({ startDate: "2026-13-01" }),
      [`${NS}:budget.startDate: "2026-13-01" must be the first day of a month as YYYY-MM-01, e.g. "2026-12-01" (Azure budgets start on the 1st); leave it out to start in the month the stack is created`],
    ],
    [
      "budget.startDate malformed and far ahead: only malformed",
      budget({ startDate: "2099-13-01" }),
      [`${NS}:budget.startDate: "2099-13-01" must be the first day of a month as YYYY-MM-01, e.g. "2026-12-01" (Azure budgets start on the 1st); leave it out to start in the month the stack is created`],
    ],
    ["a misspelt budget key", budget({ amunt: 5 }), [`${NS}:budget.amunt: unknown key; check its spelling`]],
    ["budget not a map", { budget: 100 }, [`${NS}:budget: 100 is required: { amount, contactEmails, timeGrain?, thresholds?, startDate? }`]],
    ["data.trainingFile missing", { data: {} }, [`${NS}:data.trainingFile: is required: path of the training JSONL file, relative to the project`]],
    ["data.trainingFile empty", { data: { trainingFile: "" } }, [`${NS}:data.trainingFile: "" must not be empty: the path of the training JSONL file, relative to the project`]],
    ["data.trainingFile not text", { data: { trainingFile: 1 } }, [`${NS}:data.trainingFile: 1 must be the path of the training JSONL file, relative to the project`]],
    [
      "data.validationFile empty",
      { data: { trainingFile: "t.jsonl", validationFile: "" } },
      [`${NS}:data.validationFile: "" must not be empty: the path of the validation JSONL file, relative to the project (or leave the key out)`],
    ],
    [
      "data.validationFile not text",
      { data: { trainingFile: "t.jsonl", validationFile: true } },
      [`${NS}:data.validationFile: true must be the path of the validation JSONL file, relative to the project`],
    ],
    [
      "a principal that is not a map",
      { principals: [null] },
      [`${NS}:principals[0]: null must be { objectId, type }: a Microsoft Entra object id and one of "User", "Group", "ServicePrincipal"`],
    ],
    ["principals not a list", { principals: "group" }, [`${NS}:principals: "group" must be a list of { objectId, type } entries (users, groups or service principals)`]],
    ...["llama-ft:1", `${FT_SHORT}/extra`, `x${FT_SHORT}`, FT_SHORT.replace("westus3", "West US 3"), FT_SHORT.replace("0a1b-2c3d", "my-ws"), "azureml://registries/azureml-meta/models/Llama/versions/"].map(
      (v): [string, Record<string, unknown>, string[]] => [
        `fineTunedModelId ${v}`,
        { fineTunedModelId: v },
        [`${NS}:fineTunedModelId: "${v}" must be an Azure ML model id, e.g. azureml://locations/westus3/workspaces/<workspace-guid>/models/<name>/versions/1`],
      ],
    ),
    [
      "a long bad value, cut to 80 characters in the message",
      { fineTunedModelId: `${FT_ID}/extra` },
      [`${NS}:fineTunedModelId: "azureml://locations/westus3/workspaces/0a1b2c3d-0000-4000-8000-00000000beef/... must be an Azure ML model id, e.g. azureml://locations/westus3/workspaces/<workspace-guid>/models/<name>/versions/1`],
    ],
    ["fineTunedModelId not text", { fineTunedModelId: 1 }, [`${NS}:fineTunedModelId: 1 must be an Azure ML model id, e.g. azureml://locations/westus3/workspaces/<workspace-guid>/models/<name>/versions/1`]],
    ["expiresOn not text", { expiresOn: 20261231 }, [`${NS}:expiresOn: 20261231 must be a date as YYYY-MM-DD, e.g. "2026-12-31"`]],
    ["expiresOn in the past", { expiresOn: "2026-11-25" }, [`${NS}:expiresOn: "2026-11-25" is in the past (today is 2026-11-26); set a later date, or tear the stack down (npm run teardown)`]],
  ])("%s", (_title, change, expected) => {
    expect(problems(change)).toEqual(expected);
  });
});

describe("the finetune block (Learn fine-tune-serverless.md, \"Configure task parameters\")", () => {
  const epochs = `must be from 1 to 10 epochs (${LEARN_FT})`;
  const batch = `must be from 1 to 32 (${LEARN_FT}); leave it out for the service's choice`;
  const multiplier = `must be greater than 0 and at most 10 (${LEARN_FT}; 0.02 to 0.2 recommended)`;
  const rate = "must be greater than 0 and less than 1 (an absolute learning rate, e.g. 0.00002)";
  const version = 'must be a registry model version: digits only, e.g. "4" (see the model card\'s "Version")';
  const attempt = "must be a whole number from 1: the attempt of training with these same inputs (raise it to retrain after a failed job)";
  const hours = "must be greater than 0 and at most 720 hours";

  test.each<[Record<string, unknown>, string[]]>([
    [{ epochs: 0 }, [`${NS}:finetune.epochs: 0 ${epochs}`]],
    [{ epochs: 11 }, [`${NS}:finetune.epochs: 11 ${epochs}`]],
    [{ epochs: 1.5 }, [`${NS}:finetune.epochs: 1.5 must be a whole number of epochs from 1 to 10`]],
    [{ epochs: "3" }, [`${NS}:finetune.epochs: "3" must be a whole number of epochs from 1 to 10`]],
    [{ batchSize: 0 }, [`${NS}:finetune.batchSize: 0 ${batch}`]],
    [{ batchSize: 33 }, [`${NS}:finetune.batchSize: 33 ${batch}`]],
    [{ batchSize: 2.5 }, [`${NS}:finetune.batchSize: 2.5 must be a whole number from 1 to 32`]],
    [{ batchSize: "8" }, [`${NS}:finetune.batchSize: "8" must be a whole number from 1 to 32`]],
    [{ learningRateMultiplier: 0 }, [`${NS}:finetune.learningRateMultiplier: 0 ${multiplier}`]],
    [{ learningRateMultiplier: 10.01 }, [`${NS}:finetune.learningRateMultiplier: 10.01 ${multiplier}`]],
    [{ learningRateMultiplier: "0.1" }, [`${NS}:finetune.learningRateMultiplier: "0.1" must be a number greater than 0 and at most 10`]],
    [{ learningRate: 0 }, [`${NS}:finetune.learningRate: 0 ${rate}`]],
    [{ learningRate: 1 }, [`${NS}:finetune.learningRate: 1 ${rate}`]],
    [{ learningRate: "2e-5" }, [`${NS}:finetune.learningRate: "2e-5" must be a number greater than 0 and less than 1 (an absolute learning rate, e.g. 0.00002)`]],
    [
      { learningRate: 0.0001, learningRateMultiplier: 0.1 },
      [`${NS}:finetune.learningRate: 0.0001 cannot be set together with learningRateMultiplier: give the multiplier or the absolute rate`],
    ],
    [{ modelVersion: "0" }, [`${NS}:finetune.modelVersion: "0" ${version}`]],
    [{ modelVersion: "1234567" }, [`${NS}:finetune.modelVersion: "1234567" ${version}`]],
    [{ modelVersion: "v4" }, [`${NS}:finetune.modelVersion: "v4" ${version}`]],
    [{ modelVersion: 4 }, [`${NS}:finetune.modelVersion: 4 must be a registry model version as a string of digits, e.g. "4"`]],
    [{ pricePer1kTokens: -0.01 }, [`${NS}:finetune.pricePer1kTokens: -0.01 must be at least 0 (the offer's training price per 1,000 tokens)`]],
    [{ pricePer1kTokens: "1" }, [`${NS}:finetune.pricePer1kTokens: "1" must be a number: the offer's training price per 1,000 tokens, at least 0`]],
    [{ pricePerHour: 0, maxHours: 5 }, [`${NS}:finetune.pricePerHour: 0 must be greater than 0 (the offer's training price per hour)`]],
    [{ pricePerHour: "5", maxHours: 5 }, [`${NS}:finetune.pricePerHour: "5" must be a number: the offer's training price per hour, greater than 0`]],
    [{ pricePerHour: 5, maxHours: 0 }, [`${NS}:finetune.maxHours: 0 ${hours}`]],
    [{ pricePerHour: 5, maxHours: 721 }, [`${NS}:finetune.maxHours: 721 ${hours}`]],
    [{ pricePerHour: 5, maxHours: "8" }, [`${NS}:finetune.maxHours: "8" must be a number of hours greater than 0 and at most 720`]],
    [{ pricePerHour: 5 }, [`${NS}:finetune.maxHours: is required with pricePerHour: a time-billed offer is estimated as pricePerHour × maxHours (the longest run you accept)`]],
    [{ maxHours: 5 }, [`${NS}:finetune.pricePerHour: is required with maxHours: a time-billed offer is estimated as pricePerHour × maxHours (the longest run you accept)`]],
    [
      { pricePer1kTokens: 0.01, pricePerHour: 5, maxHours: 5 },
      [`${NS}:finetune.pricePerHour: 5 cannot be set together with pricePer1kTokens: set the one basis the model's Marketplace offer bills fine-tuning by`],
    ],
    [{ attempt: 0 }, [`${NS}:finetune.attempt: 0 ${attempt}`]],
    [{ attempt: 1.5 }, [`${NS}:finetune.attempt: 1.5 ${attempt}`]],
    [{ attempt: "2" }, [`${NS}:finetune.attempt: "2" ${attempt}`]],
    [{ attempt: 1001 }, [`${NS}:finetune.attempt: 1001 must be at most 1000`]],
    [{ epoch: 3 }, [`${NS}:finetune.epoch: unknown key; check its spelling`]],
  ])("%j is refused", (change, expected) => {
    expect(problems(finetune(change))).toEqual(expected);
  });

  test("a finetune value that is not a map says what the map holds", () => {
    expect(problems({ finetune: "fast" })).toEqual([
      `${NS}:finetune: "fast" must be a map: { epochs?, batchSize?, learningRateMultiplier? | learningRate?, modelVersion?, attempt?, pricePer1kTokens? | pricePerHour? + maxHours? }`,
    ]);
  });

  test("every limit itself is accepted, and epochs default to 1", () => {
    expect(parse({}).finetune).toEqual({ epochs: 1 });
    expect(parse(finetune({ epochs: 1, batchSize: 1, learningRateMultiplier: 10, modelVersion: "123456", pricePer1kTokens: 0, attempt: 1 })).finetune).toEqual({
      epochs: 1,
      batchSize: 1,
      learningRateMultiplier: 10,
      modelVersion: "123456",
      pricePer1kTokens: 0,
      attempt: 1,
    });
    expect(parse(finetune({ epochs: 10, batchSize: 32, learningRate: 0.99, modelVersion: "4", pricePerHour: 0.01, maxHours: 720, attempt: 1000 })).finetune).toEqual({
      epochs: 10,
      batchSize: 32,
      learningRate: 0.99,
      modelVersion: "4",
      pricePerHour: 0.01,
      maxHours: 720,
      attempt: 1000,
    });
  });
});

describe("accepted values at each limit", () => {
  test("namePrefix of 2 and 6 characters, nameSalt of 1 and 40", () => {
    expect(parse({ namePrefix: "ab" }).namePrefix).toBe("ab");
    expect(parse({ namePrefix: "abc123" }).namePrefix).toBe("abc123");
    expect(parse({ nameSalt: "x" }).nameSalt).toBe("x");
    expect(parse({ nameSalt: "Run-12-".padEnd(40, "9") }).nameSalt).toBe("Run-12-".padEnd(40, "9"));
    expect(parse({}).nameSalt).toBeUndefined();
  });

  test("budget: the cap itself, one to five thresholds up to 1000 %, every time grain", () => {
    expect(parse(budget({ amount: 1_000_000_000 })).budget.amount).toBe(1_000_000_000);
    expect(parse(budget({ amount: 0.01 })).budget.amount).toBe(0.01);
    expect(parse(budget({ thresholds: [0.5] })).budget.thresholds).toEqual([0.5]);
    expect(parse(budget({ thresholds: [50, 80, 100, 500, 1000] })).budget.thresholds).toEqual([50, 80, 100, 500, 1000]);
    expect(parse({}).budget.timeGrain).toBe("Monthly");
    for (const grain of ["Monthly", "Quarterly", "Annually"]) expect(parse(budget({ timeGrain: grain })).budget.timeGrain).toBe(grain);
  });

  test("budget.startDate exactly twelve months ahead of the month is Azure's latest start, and accepted", () => {
    expect(parse(budget({ startDate: "2027-11-01" })).budget.startDate).toBe("2027-11-01");
    expect(problems(budget({ startDate: "2027-12-01" }))).toEqual([
      `${NS}:budget.startDate: "2027-12-01" is more than twelve months ahead (Azure's limit); the latest start today is "2027-11-01"`,
    ]);
  });

  test("fine-tuned model ids from a workspace or a registry", () => {
    expect(parse({ fineTunedModelId: FT_ID }).fineTunedModelId).toBe(FT_ID);
    const registry = "azureml://registries/my-registry_1/models/llama.ft-2/versions/2.1";
    expect(parse({ fineTunedModelId: registry }).fineTunedModelId).toBe(registry);
  });

  test("the data files as given, the validation file optional", () => {
    expect(parse({ data: { trainingFile: "t.jsonl", validationFile: "v.jsonl" } }).data).toEqual({ trainingFile: "t.jsonl", validationFile: "v.jsonl" });
    expect(parse({}).data).toEqual({ trainingFile: "examples/data/train.jsonl" });
  });

  test("expiresOn today is not in the past", () => {
    expect(parse({ expiresOn: TODAY }).expiresOn).toBe(TODAY);
  });
});
