/** The pure parts of the fine-tuning loop: job naming, the cost gate, flags, elapsed time, metrics. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { findModel, MODEL_CATALOG, type LlamaModel } from "../../config/models";
import { decideCost, estimateCost } from "../../finetune/cost";
import { buildFinetuneProgram, parseFinetuneFlags, resumeCommand, UsageError } from "../../finetune/flags";
import { buildJobSpec, jobName, taskTypeOf, type JobSpecInput } from "../../finetune/jobSpec";
import { formatMetrics, metricsUrl } from "../../finetune/metrics";
import { formatElapsed } from "../../finetune/watch";

const llama31 = findModel("Meta-Llama-3.1-8B-Instruct")!;
const input = (over: Partial<JobSpecInput> = {}): JobSpecInput => ({
  stack: "dev",
  namePrefix: "llft",
  model: llama31,
  finetune: { epochs: 3 },
  scope: { subscriptionId: "s", resourceGroup: "rg", workspace: "ws" },
  training: { role: "training", name: "training", version: "aaaaaaaaaaaa", sha256: "a".repeat(64), path: "t.jsonl" },
  validation: { role: "validation", name: "validation", version: "bbbbbbbbbbbb", sha256: "b".repeat(64), path: "v.jsonl" },
  ...over,
});

describe("job name", () => {
  test("stable for the same inputs, different when any input that shapes training changes", () => {
    const base = jobName(input());
    expect(jobName(input())).toBe(base);
    expect(base).toMatch(/^llft-ft-meta-llama-3-1-8b-instruct-[0-9a-f]{12}$/);
    const variants = [
      input({ finetune: { epochs: 4 } }),
      input({ finetune: { epochs: 3, batchSize: 8 } }),
      input({ finetune: { epochs: 3, learningRateMultiplier: 1 } }),
      input({ finetune: { epochs: 3, learningRate: 0.0001 } }),
      input({ finetune: { epochs: 3, modelVersion: "4" } }),
      input({ training: { ...input().training, sha256: "c".repeat(64) } }),
      input({ validation: undefined }),
      input({ model: findModel("Llama-3.3-70B-Instruct")! }),
    ];
    const names = variants.map(jobName);
    expect(new Set([base, ...names]).size).toBe(variants.length + 1);
    // A new attempt is a new job; attempt 1 is the name jobs had before the key existed.
    expect(jobName(input({ finetune: { epochs: 3, attempt: 2 } }))).not.toBe(base);
    expect(jobName(input({ finetune: { epochs: 3, attempt: 1 } }))).toBe(base);
    // Not part of what is trained: the price, the stack's tags.
    expect(jobName(input({ finetune: { epochs: 3, pricePer1kTokens: 9 }, tags: { x: "y" } }))).toBe(base);
  });

  test("fits the job-name pattern of the REST spec for every catalog model", () => {
    for (const model of MODEL_CATALOG) {
      const spec = buildJobSpec(input({ model }));
      expect(spec.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/);
    }
  });

  test("task type comes from the catalog entry's task", () => {
    expect(taskTypeOf(llama31)).toBe("ChatCompletion");
    expect(taskTypeOf({ ...llama31, task: "text-generation" } as LlamaModel)).toBe("TextCompletion");
    // No Llama in today's catalog is a text-generation model; the mapping still holds for one.
    const textModel = { ...llama31, task: "text-generation" } as LlamaModel;
    expect((buildJobSpec(input({ model: textModel })).body.properties.fineTuningDetails as { taskType: string }).taskType).toBe("TextCompletion");
  });

  test("an unpinned model is asked for as labels/latest; a missing validation file sends no validationData", () => {
    const details = buildJobSpec(input({ validation: undefined })).body.properties.fineTuningDetails as Record<string, { uri?: string }>;
    expect(details.model!.uri).toBe("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/labels/latest");
    expect(details.validationData).toBeUndefined();
    expect(details.hyperParameters).toEqual({ num_train_epochs: "3" });
  });
});

describe("cost gate", () => {
  test("tokens × price, rounded to 4 decimals, against the budget", () => {
    const est = estimateCost({ epochs: 2, pricePer1kTokens: 0.0008 }, 123_457);
    expect(est).toEqual({ basis: "tokens", trainingTokensTimesEpochs: 123_457, pricePer1kTokens: 0.0008, cost: 0.0988 });
    expect(decideCost(est, 0.1, false).allowed).toBe(true);
    expect(decideCost(est, 0.09, false)).toMatchObject({ allowed: false, message: expect.stringMatching(/over the stack's budget of 0\.09/) });
    expect(decideCost(est, 0.09, true)).toMatchObject({ allowed: true, message: expect.stringMatching(/submitting anyway because of --force/) });
  });

  test("a price without counted tokens, or no price at all, is unknown", () => {
    expect(estimateCost({ epochs: 1, pricePer1kTokens: 1 }, null)).toMatchObject({ basis: "unknown", reason: "the data gate did not count tokens" });
    expect(decideCost(estimateCost({ epochs: 1 }, 10), 100, false).allowed).toBe(false);
    expect(decideCost(estimateCost({ epochs: 1 }, 10), 100, true).allowed).toBe(true);
  });
});

describe("flags", () => {
  const parse = (args: string[]) => {
    const p = buildFinetuneProgram();
    p.parse(args, { from: "user" });
    return parseFinetuneFlags(p.opts());
  };

  test("defaults, and the resume command repeats what locates the job", () => {
    const f = parse(["--stack", "dev", "--config-dir", "my dir", "--write-config"]);
    expect(f).toMatchObject({ stack: "dev", wait: true, cancel: false, writeConfig: true, force: false, json: false });
    expect(resumeCommand(f)).toBe("npm run finetune -- --stack dev --config-dir 'my dir' --write-config");
  });

  test.each([
    [["--stack", "a/b"], /--stack must be a stack name/],
    [["--stack", "dev", "--arm-endpoint", "http://x"], /--arm-endpoint must be an https URL/],
    [["--stack", "dev", "--cancel", "--write-config"], /--cancel cannot be combined/],
    [["--stack", "dev", "--no-wait", "--write-config"], /--write-config needs the job to finish/],
    [["--stack", "dev", "--max-wait", "soon"], /--max-wait must be a number of minutes/],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(message);
  });

  test("`npm run finetune -- --help` describes every flag", () => {
    const help = execFileSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "..", "..", "cli", "finetune.ts"), "--help"], { encoding: "utf8" });
    for (const flag of ["--stack <name>", "--config-dir <dir>", "--subscription <id>", "--arm-endpoint <url>", "--no-wait", "--cancel", "--write-config", "--force", "--max-wait <minutes>", "--json"]) {
      expect(help).toContain(flag);
    }
    expect(buildFinetuneProgram().options.map((o) => o.long).sort()).toEqual(
      ["--arm-endpoint", "--cancel", "--config-dir", "--force", "--json", "--max-wait", "--no-wait", "--stack", "--subscription", "--write-config"].sort(),
    );
  });
});

describe("display", () => {
  test("elapsed time", () => {
    expect([0, 6_999, 245_000, 3_723_000].map(formatElapsed)).toEqual(["0s", "6s", "4m 05s", "1h 02m 03s"]);
  });

  test("metrics: the tracking endpoint becomes MLflow's runs/get; values are shown briefly and sorted", () => {
    const job = { name: "j1", properties: { services: { Tracking: { endpoint: "azureml://westus3.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w?" } } } };
    expect(metricsUrl(job)).toBe("https://westus3.api.azureml.ms/mlflow/v1.0/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/api/2.0/mlflow/runs/get?run_id=j1");
    expect(metricsUrl({ name: "j", properties: {} })).toBeUndefined();
    expect(formatMetrics({ train_loss: 0.812345, epoch: 2, eval_loss: 1.5 })).toBe("epoch=2 eval_loss=1.5 train_loss=0.8123");
  });
});
