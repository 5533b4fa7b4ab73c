/**
 * The GitHub Actions workflows. The rules in "every workflow" apply to every file in
 * .github/workflows, including ones added later (finetune.yml): valid for GitHub's parser and
 * the SchemaStore schema, least privilege, pinned actions, timeouts, per-stack concurrency, the
 * policy pack on every preview and up, and no prod or secret within reach of PR code.
 * The files' own jobs and triggers are checked below that.
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
  loadWorkflow,
  matrixValues,
  readWorkflowText,
  runLines,
  stacksOf,
  stepUsing,
  workflowFiles,
  type Job,
  type Workflow,
} from "./workflows";

const ROOT = join(__dirname, "..", "..");
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
const NOT_DEPENDABOT = "github.event.pull_request.user.login != 'dependabot[bot]'";
const PULUMI_SDK_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];

const wf = (file: string): Workflow => loadWorkflow(file);
const logsInToAzure = (j: Job) => stepUsing(j, "azure/login").length > 0;
const runsOnPullRequestCode = (w: Workflow) => "pull_request" in w.on;
/** The GitHub environments a job may run in (a matrix expression is expanded). */
function environmentsOf(j: Job): string[] {
  if (!j.environment) return [];
  const m = /^\$\{\{ matrix\.(\w+) \}\}(.*)$/.exec(j.environment);
  return m ? matrixValues(j, m[1]).map((v) => `${v}${m[2]}`) : [j.environment];
}

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

  test("every job has a timeout (GitHub's default is 6 hours)", () => {
    for (const { file, id, job } of allJobs()) {
      const t = job["timeout-minutes"];
      expect({ file, id, timeout: typeof t === "number" && t > 0 && t <= 120 }).toEqual({ file, id, timeout: true });
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

  test("no workflow uses a secret at all: no Pulumi token, no passphrase (OIDC and Key Vault secrets providers instead)", () => {
    for (const file of workflowFiles()) {
      const text = readWorkflowText(file);
      expect({ file, secrets: text.match(/secrets\.\w+/g) ?? [] }).toEqual({ file, secrets: [] });
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
      expect(named).toEqual(expect.arrayContaining(["PULUMI_BACKEND_URL", "ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]));
      if (stepUsing(job, "pulumi/actions").some((s) => s.with?.["secrets-provider"])) expect(named).toContain("PULUMI_SECRETS_PROVIDER");
    }
  });

  test("pull-requests: write only in the PR comment job; every other grant is read-only", () => {
    for (const { file, id, job } of allJobs()) {
      const perms = job.permissions ?? {};
      expect(Object.keys(perms).length).toBeGreaterThan(0);
      for (const [scope, level] of Object.entries(perms)) {
        const allowedWrite = scope === "id-token" || (scope === "pull-requests" && file === "pull-request.yml" && id === "comment");
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

describe("pull-request.yml", () => {
  const w = () => wf("pull-request.yml");

  test("runs on pull requests (and on labelling, for the opt-in review stack), not for docs-only changes", () => {
    expect(w().on).toEqual({ pull_request: { types: ["opened", "synchronize", "reopened", "labeled"], "paths-ignore": ["**.md", "docs/**"] } });
  });

  test("the test job installs, tests and writes the offline plan of dev and prod, with read-only contents", () => {
    const j = w().jobs.test;
    expect(j.permissions).toEqual({ contents: "read" });
    const lines = runLines(j);
    expect(lines).toEqual(
      expect.arrayContaining(["npm ci --ignore-scripts", "npm test", "npm run plan -- --stack dev --markdown plan-out/dev.md", "npm run plan -- --stack prod --markdown plan-out/prod.md"]),
    );
    expect(lines.indexOf("npm test")).toBeLessThan(lines.indexOf("npm run plan -- --stack dev --markdown plan-out/dev.md"));
    expect(stepUsing(j, "actions/upload-artifact")[0].with).toMatchObject({ name: "offline-plan", path: "plan-out/" });
  });

  test("previews dev only, as the read-only dev-preview identity, with the policy pack, diff into a file", () => {
    const j = w().jobs.preview;
    expect(j.if).toBe(`${SAME_REPO} && ${NOT_DEPENDABOT}`);
    expect(j.needs).toBe("test");
    expect(j.environment).toBe("dev-preview");
    expect(j.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(stacksOf(j)).toEqual(["dev"]);
    const preview = runLines(j).find((l) => l.startsWith("pulumi preview"));
    expect(preview).toBe("pulumi preview --stack dev --diff --refresh --policy-pack policy --non-interactive --color never --suppress-progress 2>&1 | tee preview-out/dev.txt");
    expect(runLines(j)).toContain("bash .github/scripts/stack-exists.sh dev");
    expect(stepUsing(j, "actions/upload-artifact")[0]).toMatchObject({ if: "always()", with: { name: "preview-dev", path: "preview-out/" } });
  });

  test("the review stack pr-<number> is opt-in by label, made from the test template, deployed with refresh and the policy pack", () => {
    const j = w().jobs["review-stack"];
    expect(j.if).toContain(SAME_REPO);
    expect(j.if).toContain("github.event.pull_request.state == 'open'");
    expect(j.if).toContain("contains(github.event.pull_request.labels.*.name, 'review-stack')");
    expect(j.environment).toBe("review");
    expect(j.env?.STACK).toBe("pr-${{ github.event.pull_request.number }}");
    const lines = runLines(j);
    expect(lines).toEqual(
      expect.arrayContaining([
        `grep -v -e '^encryptionsalt:' -e '^secretsprovider:' -e '^encryptedkey:' Pulumi.test.yaml > "Pulumi.$STACK.yaml"`,
        'pulumi stack select --create --stack "$STACK" --secrets-provider "$PULUMI_SECRETS_PROVIDER"',
        'if [ -z "$salt" ]; then salt="$GITHUB_RUN_ID"; fi',
        'pulumi config set --stack "$STACK" nameSalt "$salt"',
        `pulumi config set --stack "$STACK" expiresOn "$(date -u -d '+7 days' +%F)"`,
      ]),
    );
    const up = stepUsing(j, "pulumi/actions").find((s) => s.with?.command === "up");
    expect(up?.with).toMatchObject({ "stack-name": "${{ env.STACK }}", refresh: true, policyPacks: "policy", upsert: true });
  });

  test("the review stack's outputs (AI Studio URL, endpoint) reach the comment through an artifact", () => {
    const review = runLines(w().jobs["review-stack"]).join("\n");
    expect(review).toContain(`outputs="$(pulumi stack output --stack "$STACK" --json)"`);
    expect(review).toContain(".studioUrl");
    expect(review).toContain(".baseEndpoint.name");
    expect(review).toContain(".baseEndpoint.scoringUri");
    expect(stepUsing(w().jobs["review-stack"], "actions/upload-artifact")[0].with).toMatchObject({ name: "review-stack", path: "review-out/" });
    const assemble = w().jobs.comment.steps.find((s) => s.name === "Assemble the comment")?.run ?? "";
    expect(assemble).toContain("cat artifacts/review-stack/review.md");
  });

  test("one comment, edited in place, with the plan, the preview diff and the head SHA; marked stale when the tests fail", () => {
    const j = w().jobs.comment;
    expect(j.needs).toEqual(["test", "preview", "review-stack"]);
    expect(j.if).toContain("!cancelled()");
    expect(j.if).toContain(SAME_REPO);
    expect(j.if).toContain(NOT_DEPENDABOT);
    expect(j.if).not.toContain("needs.test.result == 'success'");
    const assemble = j.steps.find((s) => s.name === "Assemble the comment");
    expect(assemble?.if).toBe("needs.test.result == 'success'");
    expect(assemble?.run).toContain("<!-- llama-finetune-env:plan-comment -->");
    expect(assemble?.run).toContain("## Plan for this pull request at ${HEAD_SHA}");
    expect(assemble?.run).toContain("tail -c 20000 artifacts/preview-dev/dev.txt");
    const script = stepUsing(j, "actions/github-script")[0];
    expect(script.env).toMatchObject({ TEST_RESULT: "${{ needs.test.result }}", HEAD_SHA: "${{ github.event.pull_request.head.sha }}" });
    const code = String(script.with?.script);
    expect(code).toContain("updateComment");
    expect(code).toContain("createComment");
    expect(code).toMatch(/\*\*Stale:\*\* the tests failed on \$\{HEAD_SHA\}/);
  });
});

describe("deploy.yml", () => {
  const w = () => wf("deploy.yml");

  test("runs on merge to main (not for docs-only changes), and by hand with a stack and a command", () => {
    expect(w().on.push).toEqual({ branches: ["main"], "paths-ignore": ["**.md", "docs/**"] });
    expect(w().on.workflow_dispatch).toEqual({
      inputs: {
        stack: expect.objectContaining({ type: "choice", options: ["dev", "prod"] }),
        command: expect.objectContaining({ type: "choice", options: ["preview", "up", "refresh"] }),
      },
    });
  });

  test("test, then up to dev, then a preview of prod, then up to prod behind the prod environment's approval", () => {
    const { test: t, dev, "prod-preview": prodPreview, prod } = w().jobs;
    expect(runLines(t)).toEqual(["npm ci --ignore-scripts", "npm test"]);
    expect(dev.needs).toBe("test");
    expect(prodPreview.needs).toEqual(["test", "dev"]);
    expect(prod.needs).toBe("prod-preview");
    expect(prod.if).toContain("needs.prod-preview.result == 'success'");
    expect([dev.environment, prodPreview.environment, prod.environment]).toEqual(["dev", "prod-preview", "prod"]);
    const preview = stepUsing(prodPreview, "pulumi/actions").find((s) => s.with?.command === "preview");
    expect(preview?.with).toMatchObject({ "stack-name": "prod", refresh: true, policyPacks: "policy", "comment-on-summary": true });
    expect(stepUsing(prod, "pulumi/actions").find((s) => s.with?.command === "up")?.with).toMatchObject({ "stack-name": "prod", refresh: true, upsert: true });
    expect(stepUsing(prod, "pulumi/actions").find((s) => s.with?.command === "refresh")?.if).toBe("inputs.command == 'refresh'");
  });
});

describe("teardown.yml", () => {
  const w = () => wf("teardown.yml");

  test("runs main's code when a pull request closes or loses the review-stack label, and every night", () => {
    expect(w().on).toEqual({ pull_request_target: { types: ["closed", "unlabeled"] }, schedule: [{ cron: "17 3 * * *" }], workflow_dispatch: {} });
    const j = w().jobs.pr;
    expect(j.if).toContain("github.event.action == 'unlabeled' && github.event.label.name == 'review-stack'");
    expect(j.if).toContain("github.event.action == 'closed'");
    expect(j.environment).toBe("review");
    expect(runLines(j)).toContain('npm run teardown -- --stack "$STACK" --yes');
  });

  test("nightly: list stacks from the backend, select the expired ones, tear each down in its own stack group, report leftovers by tag", () => {
    const list = w().jobs["list-expired"];
    expect(runLines(list)).toEqual(
      expect.arrayContaining([
        "pulumi stack ls --json > stacks.json",
        "npm run --silent teardown -- --list-expired --stacks-json stacks.json --json > expired.json",
        "az group list --tag managed-by=pulumi -o json \\",
      ]),
    );
    const expired = w().jobs.expired;
    expect(expired.needs).toBe("list-expired");
    expect(expired.strategy?.matrix.stack).toBe("${{ fromJSON(needs.list-expired.outputs.stacks) }}");
    expect(expired.concurrency?.group).toBe("pulumi-${{ matrix.stack }}");
    expect(runLines(expired)).toContain('npm run teardown -- --stack "$STACK" --yes');
  });
});

describe("drift.yml", () => {
  test("every day, dev and prod: preview with refresh that fails on any change, as the read-only preview identities", () => {
    const w = wf("drift.yml");
    expect(w.on).toEqual({ schedule: [{ cron: "41 5 * * *" }], workflow_dispatch: {} });
    const j = w.jobs.drift;
    expect(matrixValues(j, "stack")).toEqual(["dev", "prod"]);
    expect(environmentsOf(j)).toEqual(["dev-preview", "prod-preview"]);
    const preview = stepUsing(j, "pulumi/actions").find((s) => s.with?.command === "preview");
    expect(preview?.with).toMatchObject({ refresh: true, "expect-no-changes": true, policyPacks: "policy" });
  });
});
