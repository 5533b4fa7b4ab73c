/**
 * `npm run finetune` end to end, in-process, against the loopback fake ML server: submit,
 * attach, watch to success and to failure, throttling and token expiry, the budget gate,
 * --write-config, --max-wait and Ctrl-C. The real HTTP stack (core-rest-pipeline over TLS) runs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { armError, fakeClock, startFakeMl, type FakeMl } from "./fakeMl";
import { deploy, harness, stackYaml, STACK, WORKSPACE_GUID, writeStack } from "./helpers";

let fake: FakeMl;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  clock = fakeClock();
  fake = await startFakeMl(clock.now);
});
afterEach(() => fake.close());

const puts = () => fake.requests.filter((r) => r.method === "PUT");

describe("submit and watch", () => {
  test("a new job: serverless fields only, data assets by version, watched Queued → Running → Completed, model id printed", async () => {
    const dir = writeStack(stackYaml("    epochs: 2\n    batchSize: 4\n    learningRateMultiplier: 1.5\n    modelVersion: \"4\"\n    pricePer1kTokens: 0.5\n"));
    const ctx = await deploy(fake, dir);
    const h = harness(fake, dir, clock);
    const run = await h.run([]);
    expect(run.stderr).toMatch(/estimated training cost 1\.854 \(3,708 training tokens \(× epochs\) at 0\.5 per 1k tokens\), within the stack's budget of 200/);
    expect(run.code).toBe(0);

    expect(puts()).toHaveLength(1);
    const put = puts()[0]!;
    const name = put.path.split("/").pop()!;
    expect(name).toMatch(/^llft-ft-meta-llama-3-1-8b-instruct-[0-9a-f]{12}$/);
    expect(put.query["api-version"]).toBe("2025-12-01");
    const props = (put.body as { properties: Record<string, unknown> }).properties;
    expect(Object.keys(props).sort()).toEqual(["description", "displayName", "experimentName", "fineTuningDetails", "jobType", "outputs", "tags"]);
    const base = `azureml://subscriptions/${ctx.subscriptionId}/resourcegroups/${ctx.names.resourceGroup}/workspaces/${ctx.names.project}/data`;
    const [train, valid] = [...fake.dataVersions].map((k) => k.split("/").slice(1));
    expect(props.jobType).toBe("FineTuning");
    expect(props.fineTuningDetails).toEqual({
      modelProvider: "Custom",
      taskType: "ChatCompletion",
      model: { jobInputType: "mlflow_model", uri: "azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/versions/4" },
      trainingData: { jobInputType: "uri_file", uri: `${base}/${train![0]}/versions/${train![1]}` },
      validationData: { jobInputType: "uri_file", uri: `${base}/${valid![0]}/versions/${valid![1]}` },
      hyperParameters: { num_train_epochs: "2", per_device_train_batch_size: "4", learning_rate_multiplier: "1.5" },
    });
    expect(props.outputs).toEqual({ registered_model: { jobOutputType: "mlflow_model", assetName: name } });
    expect(props.tags).toMatchObject({ stack: STACK, "llama-finetune-env.tool": "finetune", environment: "dev", "cost-center": "ml-platform" });

    // CI mode: one line per status change, with elapsed time and the MLflow metrics once running.
    const lines = run.stderr.split("\n").filter((l) => l.startsWith(`${name}:`));
    expect(lines).toEqual([`${name}: Queued after 0s`, `${name}: Running after 15s · eval_loss=0.9 train_loss=0.8125 (was Queued)`, `${name}: Completed after 30s · eval_loss=0.9 train_loss=0.8125 (was Running)`]);
    // The poll interval starts over at 15 s after each change.
    expect(clock.sleeps).toEqual([15_000, 15_000]);
    expect(run.stdout).toBe(`azureml://locations/westus3/workspaces/${WORKSPACE_GUID}/models/${name}/versions/1\n`);
    expect(fake.requests.some((r) => r.path.endsWith("/api/2.0/mlflow/runs/get") && r.query.run_id === name)).toBe(true);
  });

  test("the same inputs attach to the existing job instead of submitting again; other hyperparameters make a new job", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", "Running", "Running", "Completed"];
    const h = harness(fake, dir, clock);
    const first = await h.run(["--no-wait", "--json"]);
    expect(first.code).toBe(0);
    const submitted = JSON.parse(first.stdout) as { job: string; outcome: string; attached: boolean };
    expect(submitted).toMatchObject({ outcome: "submitted", attached: false });

    const second = await h.run(["--json"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`attaching to ${submitted.job}, submitted before with the same model, data and hyperparameters`));
    expect(JSON.parse(second.stdout)).toMatchObject({ job: submitted.job, attached: true, outcome: "completed", status: "Completed" });
    expect(puts()).toHaveLength(1);

    const other = writeStack(stackYaml("    epochs: 3\n    pricePer1kTokens: 0.5\n"));
    const third = await harness(fake, other, clock).run(["--no-wait", "--json"]);
    expect(JSON.parse(third.stdout).job).not.toBe(submitted.job);
    expect(puts()).toHaveLength(2);
  });

  test("an unpinned model is submitted as labels/latest, and the version the service resolved is recorded", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    const run = await harness(fake, dir, clock).run(["--no-wait", "--json"]);
    expect(run.code).toBe(0);
    const sent = (puts()[0]!.body as { properties: { fineTuningDetails: { model: { uri: string } } } }).properties.fineTuningDetails.model.uri;
    expect(sent).toBe("azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/labels/latest");
    expect(JSON.parse(run.stdout)).toMatchObject({ baseModel: sent, resolvedBaseModel: "azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/versions/5" });
    expect(run.stderr).toContain("base model as the service resolved it: azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/versions/5");
  });

  test("a failed job exits 1 with the service's error and the logs link", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", "Running", "Failed"];
    fake.failure = { code: "UserError", message: "Training data contains an invalid message role." };
    const run = await harness(fake, dir, clock).run([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/job llft-ft-\S+ failed: UserError: Training data contains an invalid message role\.\n {2}logs: https:\/\/ml\.azure\.com\/runs\//);
    expect(run.stdout).toBe("");
  });

  test("after a failed job, the same inputs attach to it again; finetune.attempt: 2 trains a new job and keeps the failed one", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", "Failed"];
    fake.failure = { code: "UserError", message: "Out of capacity." };
    const first = await harness(fake, dir, clock).run([]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`To train again with the same inputs, set llama-finetune-env:finetune.attempt: 2 in ${join(dir, `Pulumi.${STACK}.yaml`)}`);
    const failedName = [...fake.jobs.keys()][0]!;

    const again = await harness(fake, dir, clock).run([]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`attaching to ${failedName}`);
    expect(fake.jobs.size).toBe(1);

    writeFileSync(join(dir, `Pulumi.${STACK}.yaml`), stackYaml("    epochs: 2\n    pricePer1kTokens: 0.5\n    attempt: 2\n"));
    fake.nextScript = ["Queued", "Running", "Completed"];
    const retried = await harness(fake, dir, clock).run([]);
    expect(retried.code).toBe(0);
    expect(fake.jobs.size).toBe(2);
    expect(fake.jobs.get(failedName)!.status).toBe("Failed");
    expect([...fake.jobs.keys()].filter((n) => n !== failedName)[0]).toMatch(/^llft-ft-meta-llama-3-1-8b-instruct-[0-9a-f]{12}$/);
  });

  test("a job canceled elsewhere exits 1 saying so", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Running", "CancelRequested", "Canceled"];
    const run = await harness(fake, dir, clock).run(["--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/was canceled/);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: "canceled", status: "Canceled" });
  });
});

describe("throttling and tokens", () => {
  test("429 with Retry-After is waited out exactly as asked", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.faults.push({ method: "GET", path: /\/jobs\/[^/]+$/, times: 2, response: armError(429, "TooManyRequests", "slow down", { "Retry-After": "7" }) });
    const run = await harness(fake, dir, clock).run([]);
    expect(run.code).toBe(0);
    // The existence check is throttled twice (7 s each), then the usual polls.
    expect(clock.sleeps).toEqual([7000, 7000, 15_000, 15_000]);
  });

  test("a 401 after the token expired gets a fresh token and the call is repeated once", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    const h = harness(fake, dir, clock);
    fake.rejectedTokens.add("token-1");
    const run = await h.run([]);
    expect(run.code).toBe(0);
    expect(h.credential.issued).toEqual(["token-1", "token-2"]);
    expect(fake.requests.filter((r) => r.authorization === "Bearer token-1").map((r) => r.status)).toEqual([401]);
  });

  test("on a long watch the token is refreshed before it expires, so no call is refused", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", ...Array<string>(40).fill("Running"), "Completed"];
    const h = harness(fake, dir, clock);
    const run = await h.run([]);
    expect(run.code).toBe(0);
    // 40 polls at up to 2 minutes are over an hour: tokens live an hour.
    expect(clock.now() - Date.UTC(2026, 11, 1)).toBeGreaterThan(60 * 60_000);
    expect(h.credential.issued.length).toBeGreaterThanOrEqual(2);
    // While nothing changes the poll interval doubles up to 2 minutes.
    expect(clock.sleeps.slice(0, 7)).toEqual([15_000, 15_000, 30_000, 60_000, 120_000, 120_000, 120_000]);
    expect(fake.requests.filter((r) => r.status === 401)).toEqual([]);
  });
});

describe("refusals before submitting", () => {
  test("an estimated cost over the budget is refused, and --force submits anyway", async () => {
    const dir = writeStack(stackYaml("    epochs: 2\n    pricePer1kTokens: 100\n"));
    await deploy(fake, dir);
    const h = harness(fake, dir, clock);
    const refused = await h.run([]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not submitted: estimated training cost 370\.8 \(3,708 training tokens \(× epochs\) at 100 per 1k tokens\), over the stack's budget of 200: lower finetune\.epochs or the data, raise budget\.amount, or pass --force/);
    expect(puts()).toEqual([]);
    const forced = await h.run(["--force", "--no-wait"]);
    expect(forced.code).toBe(0);
    expect(puts()).toHaveLength(1);
  });

  test("without a price the cost is unknown: refused unless forced", async () => {
    const dir = writeStack(stackYaml("    epochs: 1\n"));
    await deploy(fake, dir);
    const run = await harness(fake, dir, clock).run([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/estimated cost unknown: no price is configured: set finetune\.pricePer1kTokens/);
    expect(puts()).toEqual([]);
  });

  test("a time-billed offer is estimated as price per hour × maxHours", async () => {
    const dir = writeStack(stackYaml("    epochs: 1\n    pricePerHour: 60\n    maxHours: 4\n"));
    await deploy(fake, dir);
    const run = await harness(fake, dir, clock).run([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/estimated training cost 240 \(4 h at most at 60 per hour\), over the stack's budget of 200/);
  });

  test("a project that is not deployed, or data the stack has not uploaded, says to deploy first", async () => {
    const dir = writeStack(stackYaml());
    const h = harness(fake, dir, clock);
    const noProject = await h.run([]);
    expect(noProject.code).toBe(1);
    expect(noProject.stderr).toMatch(/project llft-proj-ft-[0-9a-f]{6} was not found in resource group llft-rg-ft-[0-9a-f]{6} .*deploy the stack first \(pulumi up --stack ft\)/);
    await deploy(fake, dir);
    fake.dataVersions.clear();
    const noData = await h.run([]);
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(/data asset versions training:[0-9a-f]{12}, validation:[0-9a-f]{12} are not registered in project .*Deploy the stack first/);
    expect(puts()).toEqual([]);
  });

  test("invalid training data fails the data gate without a single call to Azure", async () => {
    const dir = writeStack(stackYaml().replace("examples/data/train.jsonl", "package.json"));
    const run = await harness(fake, dir, clock).run([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the training data fails the data gate; nothing was submitted/);
    expect(fake.requests).toEqual([]);
  });
});

describe("finishing", () => {
  test("--write-config sets fineTunedModelId and keeps every comment and every other line", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    const path = join(dir, `Pulumi.${STACK}.yaml`);
    const before = readFileSync(path, "utf8");
    const run = await harness(fake, dir, clock).run(["--write-config"]);
    expect(run.code).toBe(0);
    const after = readFileSync(path, "utf8");
    const modelId = run.stdout.trim();
    expect(after).toBe(`${before}  llama-finetune-env:fineTunedModelId: ${modelId}\n`);
    expect(parseDocument(after).getIn(["config", "llama-finetune-env:fineTunedModelId"])).toBe(modelId);
    // Running it again leaves the file alone.
    const again = await harness(fake, dir, clock).run(["--write-config"]);
    expect(again.stderr).toMatch(/already names this model/);
    expect(readFileSync(path, "utf8")).toBe(after);
  });

  test("--max-wait stops watching with exit 3 and the command that resumes", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", ...Array<string>(20).fill("Running")];
    const run = await harness(fake, dir, clock).run(["--max-wait", "2"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/still Running after --max-wait 2 minutes; the job goes on\. Resume watching with:\n {2}npm run finetune -- --stack ft --config-dir \S+ --arm-endpoint https:\/\/127\.0\.0\.1:\d+/);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(fake.requests.some((r) => r.path.endsWith("/cancel"))).toBe(false);
  });

  test("Ctrl-C stops the watch, not the job, and prints how to resume", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    fake.nextScript = ["Queued", ...Array<string>(20).fill("Running")];
    const controller = new AbortController();
    const h = harness(fake, dir, clock);
    const sleep = clock.sleep;
    let polls = 0;
    clock.sleep = async (ms, signal) => {
      if (++polls === 2) controller.abort();
      return sleep(ms, signal);
    };
    const run = await h.run([], { signal: controller.signal });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Stopped watching; the job keeps running\. Resume with:\n {2}npm run finetune -- --stack ft/);
    expect(fake.requests.some((r) => r.path.endsWith("/cancel"))).toBe(false);
  });

  test("in a terminal the status is one line redrawn in place", async () => {
    const dir = writeStack(stackYaml());
    await deploy(fake, dir);
    const run = await harness(fake, dir, clock).run([], { isTTY: true, env: { CI: "" } });
    expect(run.code).toBe(0);
    const redraws = run.stderr.split("\r\x1b[2K").slice(1);
    expect(redraws.map((r) => r.split(": ")[1]!.split(" ")[0])).toEqual(["Queued", "Running", "Completed"]);
    expect(run.stderr).not.toMatch(/\(was /);
  });
});
