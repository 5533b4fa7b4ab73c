/**
 * Rules for EVERY file in .github/workflows, including ones added later (finetune.yml): valid
 * for GitHub's parser and the SchemaStore schema, least privilege, pinned actions, timeouts,
 * Node 22 without install scripts, settings checked first, no secrets, per-stack concurrency
 * shared across workflows, the policy pack on every preview and up, and no prod or secret within
 * reach of pull-request code. Each file's own jobs and triggers: workflowFiles.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parseFlags } from "../../teardown/flags";
import { PINNED_ACTIONS } from "./pinnedActions";
import { parseWithGitHubParser } from "./workflowParser";
import {
  allJobs,
  changesStack,
  environmentsOf,
  loadWorkflow,
  readWorkflowText,
  runLines,
  stacksOf,
  stepUsing,
  workflowFiles,
  type Job,
  type Workflow,
} from "./workflows";

const ROOT = join(__dirname, "..", "..");
const PULUMI_SDK_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];

const wf = (file: string): Workflow => loadWorkflow(file);
const logsInToAzure = (j: Job) => stepUsing(j, "azure/login").length > 0;
const runsOnPullRequestCode = (w: Workflow) => "pull_request" in w.on;

describe("every workflow", () => {
  test("the expected files (finetune.yml follows the same rules when it comes)", () => {
    expect(workflowFiles().filter((f) => f !== "finetune.yml")).toEqual(["deploy.yml", "drift.yml", "pull-request.yml", "teardown.yml"]);
  });

  test.each(workflowFiles())("%s parses with GitHub's workflow parser without errors", async (file) => {
    const result = await parseWithGitHubParser(file, readWorkflowText(file));
    expect(result.errors).toEqual([]);
    expect(result.jobIds.sort()).toEqual(Object.keys(wf(file).jobs).sort());
  });

  test.each(workflowFiles())("%s validates against the SchemaStore schema (action-validator)", (file) => {
    const state = validateWorkflow(readWorkflowText(file));
    expect(state.actionType).toBe("workflow");
    expect(state.errors).toEqual([]);
  });

  test("the parsers used here do report broken workflows (so the checks above are not vacuous)", async () => {
    const broken = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n        bogus: 1\n";
    expect((await parseWithGitHubParser("broken.yml", broken)).errors.join("\n")).toMatch(/Unexpected value 'bogus'/);
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    const badExpression = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.( }}\n";
    expect((await parseWithGitHubParser("expr.yml", badExpression)).errors.length).toBeGreaterThan(0);
  });

  test.each(workflowFiles())("%s grants nothing at the top level and sets no workflow-wide concurrency", (file) => {
    expect(wf(file).permissions).toEqual({});
    expect(wf(file).concurrency).toBeUndefined();
  });

  test("jobs that reach prod's data plane (deploy, preview with refresh, drift, evaluate) run on vars.PROD_RUNNER when it is set: prod is private", () => {
    const prodRunner = (file: string, id: string) => (wf(file).jobs[id] as Job & { "runs-on": string })["runs-on"];
    expect(prodRunner("deploy.yml", "prod-preview")).toBe("${{ vars.PROD_RUNNER || 'ubuntu-latest' }}");
    expect(prodRunner("deploy.yml", "prod")).toBe("${{ vars.PROD_RUNNER || 'ubuntu-latest' }}");
    expect(prodRunner("drift.yml", "drift")).toBe("${{ matrix.stack == 'prod' && vars.PROD_RUNNER || 'ubuntu-latest' }}");
    expect(prodRunner("finetune.yml", "evaluate")).toBe("${{ inputs.stack == 'prod' && vars.PROD_RUNNER || 'ubuntu-latest' }}");
    // Pull-request code never gets that runner.
    for (const { file, id, job } of allJobs()) {
      if (runsOnPullRequestCode(wf(file))) expect({ file, id, runsOn: JSON.stringify((job as Job & { "runs-on": unknown })["runs-on"]) }).toEqual({ file, id, runsOn: '"ubuntu-latest"' });
    }
  });

  test("every job has a timeout (GitHub's default is 6 hours); only fine-tuning watches run over 2 hours", () => {
    for (const { file, id, job } of allJobs()) {
      const t = job["timeout-minutes"];
      // A fine-tuning job trains for hours; its watching jobs stop just under GitHub's 6-hour cap and hand over to the next.
      const max = file === "finetune.yml" && ["run", "resume-1", "resume-2"].includes(id) ? 355 : 120;
      expect({ file, id, timeout: typeof t === "number" && t > 0 && t <= max }).toEqual({ file, id, timeout: true });
    }
  });

  test("every action is pinned to the full commit SHA of a release, with its tag in a comment, from the allowed table", () => {
    for (const file of workflowFiles()) {
      for (const line of readWorkflowText(file).split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
        const m = /uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect({ file, line, pinned: m !== null }).toEqual({ file, line, pinned: true });
        if (m) expect({ file, action: m[1], sha: m[2], version: m[3] }).toEqual({ file, action: m[1], ...PINNED_ACTIONS[m[1]] });
      }
    }
  });

  test("Dependabot keeps the pinned actions up to date", () => {
    const config = readFileSync(join(ROOT, ".github", "dependabot.yml"), "utf8");
    expect(config).toMatch(/package-ecosystem: github-actions\n\s+directory: \//);
  });

  test("every Pulumi CLI is the SDK's version from package.json", () => {
    expect(PULUMI_SDK_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { file, id, job } of allJobs()) {
      for (const s of stepUsing(job, "pulumi/actions")) expect({ file, id, step: s.name, version: s.with?.["pulumi-version"] }).toEqual({ file, id, step: s.name, version: PULUMI_SDK_VERSION });
    }
  });

  test("Node 22 everywhere; npm ci never runs install scripts (they would see the job's OIDC token) and comes before azure/login", () => {
    for (const { file, id, job } of allJobs()) {
      for (const s of stepUsing(job, "actions/setup-node")) expect({ file, id, node: s.with?.["node-version"] }).toEqual({ file, id, node: 22 });
      const lines = runLines(job);
      for (const l of lines.filter((x) => x.startsWith("npm ci"))) expect({ file, id, l }).toEqual({ file, id, l: "npm ci --ignore-scripts" });
      const ci = job.steps.findIndex((s) => s.run?.startsWith("npm ci"));
      const login = job.steps.findIndex((s) => s.uses?.startsWith("azure/login@"));
      if (ci >= 0 && login >= 0) expect({ file, id, ciBeforeLogin: ci < login }).toEqual({ file, id, ciBeforeLogin: true });
    }
  });

  test("id-token: write exactly in the jobs that log in to Azure, which use OIDC and no client secret", () => {
    for (const { file, id, job } of allJobs()) {
      expect({ file, id, idToken: job.permissions?.["id-token"] }).toEqual({ file, id, idToken: logsInToAzure(job) ? "write" : undefined });
      for (const login of stepUsing(job, "azure/login")) {
        expect(login.with).toEqual({
          "client-id": "${{ vars.AZURE_CLIENT_ID }}",
          "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
          "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        });
      }
    }
    for (const file of workflowFiles()) expect(readWorkflowText(file)).not.toMatch(/creds:|CLIENT_SECRET|client-secret/);
  });

  test("no workflow uses a secret but the optional GitHub token that lets the fine-tune PR start its checks: no Pulumi token, no passphrase", () => {
    for (const file of workflowFiles()) {
      const text = readWorkflowText(file);
      const secrets = [...new Set(text.match(/secrets\.\w+/g) ?? [])];
      expect({ file, secrets }).toEqual({ file, secrets: file === "finetune.yml" ? ["secrets.FINETUNE_PR_TOKEN"] : [] });
      expect(text).not.toMatch(/PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE/);
    }
  });

  test("every job that logs in to Azure first fails clearly when a setting of its environment is empty", () => {
    for (const { file, id, job } of allJobs()) {
      if (!logsInToAzure(job)) continue;
      const check = job.steps.findIndex((s) => s.run?.startsWith("bash .github/scripts/require-settings.sh"));
      const login = job.steps.findIndex((s) => s.uses?.startsWith("azure/login@"));
      expect({ file, id, checkedFirst: check >= 0 && check < login }).toEqual({ file, id, checkedFirst: true });
      const named = job.steps[check]?.run?.split(/\s+/).slice(3) ?? [];
      expect(named).toEqual(expect.arrayContaining(["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]));
      if (stepUsing(job, "pulumi/actions").length > 0) expect(named).toContain("PULUMI_BACKEND_URL");
      if (stepUsing(job, "pulumi/actions").some((s) => s.with?.["secrets-provider"])) expect(named).toContain("PULUMI_SECRETS_PROVIDER");
    }
  });

  test("pull-requests: write only in the PR comment job; every other grant is read-only", () => {
    for (const { file, id, job } of allJobs()) {
      const perms = job.permissions ?? {};
      expect(Object.keys(perms).length).toBeGreaterThan(0);
      for (const [scope, level] of Object.entries(perms)) {
        const allowedWrite =
          scope === "id-token" ||
          (scope === "pull-requests" && ((file === "pull-request.yml" && id === "comment") || (file === "finetune.yml" && ["pull-request", "comment"].includes(id)))) ||
          // The fine-tune workflow pushes the branch of the pull request that sets fineTunedModelId; that job has no Azure access.
          (scope === "contents" && file === "finetune.yml" && id === "pull-request");
        expect({ file, id, scope, level }).toEqual({ file, id, scope, level: allowedWrite ? "write" : "read" });
      }
    }
    expect(wf("pull-request.yml").jobs.comment.permissions).toEqual({ "pull-requests": "write" });
  });

  test("jobs that run Pulumi get the backend and Azure by OIDC from their environment's variables", () => {
    for (const { file, id, job } of allJobs()) {
      if (stepUsing(job, "pulumi/actions").length === 0) continue;
      expect({ file, id, environment: environmentsOf(job).length > 0 }).toEqual({ file, id, environment: true });
      expect({ file, id, env: job.env }).toEqual({
        file,
        id,
        env: expect.objectContaining({
          PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
          PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
          ARM_USE_OIDC: "true",
          ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
          ARM_TENANT_ID: "${{ vars.AZURE_TENANT_ID }}",
          ARM_SUBSCRIPTION_ID: "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        }),
      });
      expect(logsInToAzure(job)).toBe(true);
      for (const s of stepUsing(job, "pulumi/actions")) if (s.with?.command) expect(s.with["cloud-url"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
    }
  });

  test("the policy pack runs in every preview and up; every up refreshes first and creates a missing stack with its secrets provider", () => {
    let previews = 0;
    let ups = 0;
    for (const { file, id, job } of allJobs()) {
      for (const s of stepUsing(job, "pulumi/actions")) {
        const command = String(s.with?.command ?? "");
        if (command === "preview" || command === "up") {
          expect({ file, id, command, policyPacks: s.with?.policyPacks, refresh: s.with?.refresh }).toEqual({ file, id, command, policyPacks: "policy", refresh: true });
          if (command === "preview") previews++;
        }
        if (command === "up") {
          ups++;
          expect({ file, id, upsert: s.with?.upsert, provider: s.with?.["secrets-provider"] }).toEqual({ file, id, upsert: true, provider: "${{ vars.PULUMI_SECRETS_PROVIDER }}" });
        }
      }
      // Command lines that run the CLI (not an echo or a comment that mentions it).
      for (const line of runLines(job).filter((l) => /^pulumi (preview|up)\b/.test(l))) {
        previews++;
        expect({ file, id, line, policyPack: line.includes("--policy-pack policy"), refresh: line.includes("--refresh") }).toEqual({ file, id, line, policyPack: true, refresh: true });
      }
    }
    expect(previews).toBeGreaterThanOrEqual(4);
    expect(ups).toBeGreaterThanOrEqual(3);
  });

  test("every job that changes a stack is in that stack's group pulumi-<stack>, never cancelled; previews stay out of it", () => {
    const groupOfStack = new Map<string, Set<string>>();
    for (const { file, id, job } of allJobs()) {
      const group = job.concurrency?.group;
      if (changesStack(job)) {
        const stacks = stacksOf(job);
        expect({ file, id, stacks: stacks.length }).toEqual({ file, id, stacks: 1 });
        expect({ file, id, group, cancel: job.concurrency?.["cancel-in-progress"] }).toEqual({ file, id, group: `pulumi-${stacks[0]}`, cancel: false });
        groupOfStack.set(stacks[0], (groupOfStack.get(stacks[0]) ?? new Set()).add(`${file}#${id}`));
      } else {
        // GitHub keeps one pending job per group and cancels the older one: a preview there would
        // replace a pending deploy (docs.github.com, "Control the concurrency of workflows and jobs").
        expect({ file, id, group: group?.startsWith("pulumi-") ?? false }).toEqual({ file, id, group: false });
      }
    }
    // Shared across workflows: the review stack's deploy and its teardowns, dev and prod's deploys.
    expect([...(groupOfStack.get("pr-${{ github.event.pull_request.number }}") ?? [])].sort()).toEqual(["pull-request.yml#review-stack", "teardown.yml#pr"]);
    expect([...(groupOfStack.get("dev") ?? [])]).toEqual(expect.arrayContaining(["deploy.yml#dev"]));
    expect([...(groupOfStack.get("prod") ?? [])]).toEqual(expect.arrayContaining(["deploy.yml#prod"]));
    expect([...(groupOfStack.get("${{ matrix.stack }}") ?? [])]).toEqual(["teardown.yml#expired"]);
  });

  test("no job that runs pull-request code can reach prod, dev's deploy identity, or any secret", () => {
    for (const { file, id, job, workflow } of allJobs()) {
      if (!runsOnPullRequestCode(workflow)) continue;
      expect({ file, id, environments: environmentsOf(job).filter((e) => !["dev-preview", "review"].includes(e)) }).toEqual({ file, id, environments: [] });
      expect({ file, id, stacks: stacksOf(job).filter((s) => s === "prod" || s === "dev" && changesStack(job)) }).toEqual({ file, id, stacks: [] });
      expect(JSON.stringify(job)).not.toMatch(/secrets\.|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE/);
    }
    // pull_request_target runs with the base repository's permissions: it must never check out the PR's code.
    for (const { file, job, workflow } of allJobs()) {
      if (!("pull_request_target" in workflow.on)) continue;
      for (const s of stepUsing(job, "actions/checkout")) expect({ file, ref: s.with?.ref }).toEqual({ file, ref: undefined });
    }
  });

  test("preview diffs go through files, never through environment variables", () => {
    for (const { file, id, job } of allJobs()) expect({ file, id, env: JSON.stringify(job).match(/steps\.[\w-]+\.outputs\.output\b/g) ?? [] }).toEqual({ file, id, env: [] });
  });

  test("the teardown invocations in the workflows are valid flags that never unlock dev or prod", () => {
    const defaults = { projectDir: "/repo", today: "2026-01-01" };
    expect(parseFlags({ stack: "pr-42", yes: true }, defaults)).toMatchObject({ mode: "teardown", stack: "pr-42", yes: true, dryRun: false });
    expect(parseFlags({ listExpired: true, stacksJson: "stacks.json", json: true }, defaults)).toMatchObject({ mode: "list-expired", stacksJson: "stacks.json", json: true });
    for (const { job } of allJobs()) for (const line of runLines(job)) expect(line).not.toMatch(/--force-prod|--confirm/);
  });
});
