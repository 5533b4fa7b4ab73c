/**
 * The GitHub Actions workflows: valid for GitHub's own parser and for the SchemaStore schema,
 * triggered by the right events, least-privilege permissions, and running the commands the
 * delivery process relies on.
 */
import { validateWorkflow } from "@action-validator/core";
import { parseFlags } from "../../teardown/flags";
import { parseWithGitHubParser } from "./workflowParser";
import { loadWorkflow, readWorkflowText, runLines, stepUsing, usesOf, workflowFiles, type Job, type Workflow } from "./workflows";

const FILES = ["deploy.yml", "pull-request.yml", "teardown.yml"];
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";
/** Actions pinned to a major tag; anything else (a branch, a third-party action) fails the test. */
const ALLOWED_ACTIONS = new Set([
  "actions/checkout@v4",
  "actions/setup-node@v4",
  "actions/upload-artifact@v4",
  "actions/download-artifact@v4",
  "actions/github-script@v7",
  "azure/login@v2",
  "pulumi/actions@v6",
]);

const wf = (file: string): Workflow => loadWorkflow(file);
const allJobs = (): [string, string, Job][] => FILES.flatMap((f) => Object.entries(wf(f).jobs).map(([id, j]) => [f, id, j] as [string, string, Job]));
const logsInToAzure = (j: Job) => stepUsing(j, "azure/login").length > 0;

describe("every workflow file", () => {
  test("the expected files, and only them", () => {
    // finetune.yml follows the newer conventions (SHA pins, Node 22): test/finetune/workflow.test.ts checks it.
    expect(workflowFiles()).toEqual([...FILES, "finetune.yml"].sort());
  });

  test.each(FILES)("%s parses with GitHub's workflow parser without errors", async (file) => {
    const result = await parseWithGitHubParser(file, readWorkflowText(file));
    expect(result.errors).toEqual([]);
    expect(result.jobIds.sort()).toEqual(Object.keys(wf(file).jobs).sort());
  });

  test.each(FILES)("%s validates against the SchemaStore schema (action-validator)", (file) => {
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

  test.each(FILES)("%s grants nothing at the top level", (file) => {
    expect(wf(file).permissions).toEqual({});
  });

  test("actions are pinned to major tags from the allowed list", () => {
    for (const [file, id, j] of allJobs()) {
      for (const uses of usesOf(j)) expect({ file, id, uses, allowed: ALLOWED_ACTIONS.has(uses) }).toEqual({ file, id, uses, allowed: true });
    }
  });

  test("id-token: write exactly in the jobs that log in to Azure, which use OIDC and no client secret", () => {
    for (const [file, id, j] of allJobs()) {
      const perms = j.permissions ?? {};
      expect({ file, id, idToken: perms["id-token"] }).toEqual({ file, id, idToken: logsInToAzure(j) ? "write" : undefined });
      for (const login of stepUsing(j, "azure/login")) {
        expect(login.with).toEqual({
          "client-id": "${{ vars.AZURE_CLIENT_ID }}",
          "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
          "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        });
      }
    }
    for (const file of FILES) expect(readWorkflowText(file)).not.toMatch(/creds:|CLIENT_SECRET|client-secret/);
  });

  test("pull-requests: write only in the comment job; every other grant is read-only", () => {
    for (const [file, id, j] of allJobs()) {
      const perms = j.permissions ?? {};
      expect(Object.keys(perms).length).toBeGreaterThan(0);
      for (const [scope, level] of Object.entries(perms)) {
        const allowedWrite = scope === "id-token" || (scope === "pull-requests" && file === "pull-request.yml" && id === "comment");
        expect({ file, id, scope, level }).toEqual({ file, id, scope, level: allowedWrite ? "write" : "read" });
      }
    }
    expect(wf("pull-request.yml").jobs.comment.permissions).toEqual({ "pull-requests": "write" });
  });

  test("jobs that run Pulumi get the backend from one variable and Azure by OIDC for azure-native", () => {
    for (const [file, id, j] of allJobs()) {
      if (stepUsing(j, "pulumi/actions").length === 0) continue;
      expect({ file, id, env: j.env }).toEqual({
        file,
        id,
        env: expect.objectContaining({
          PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
          ARM_USE_OIDC: "true",
          ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
          ARM_TENANT_ID: "${{ vars.AZURE_TENANT_ID }}",
          ARM_SUBSCRIPTION_ID: "${{ vars.AZURE_SUBSCRIPTION_ID }}",
        }),
      });
      expect(logsInToAzure(j)).toBe(true);
      for (const s of stepUsing(j, "pulumi/actions")) if (s.with?.command) expect(s.with["cloud-url"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
    }
  });

  test("Node 20 everywhere Node is set up", () => {
    for (const [, , j] of allJobs()) for (const s of stepUsing(j, "actions/setup-node")) expect(s.with?.["node-version"]).toBe(20);
  });
});

describe("pull-request.yml", () => {
  const w = () => wf("pull-request.yml");

  test("runs on pull requests (and on labelling, for the opt-in review stack)", () => {
    expect(w().on).toEqual({ pull_request: { types: ["opened", "synchronize", "reopened", "labeled"] } });
  });

  test("the test job installs, tests and writes the offline plan of dev and prod, with read-only contents", () => {
    const j = w().jobs.test;
    expect(j.permissions).toEqual({ contents: "read" });
    const lines = runLines(j);
    expect(lines).toEqual(
      expect.arrayContaining(["npm ci", "npm test", "npm run plan -- --stack dev --markdown plan-out/dev.md", "npm run plan -- --stack prod --markdown plan-out/prod.md"]),
    );
    expect(lines.indexOf("npm ci")).toBeLessThan(lines.indexOf("npm test"));
    expect(lines.indexOf("npm test")).toBeLessThan(lines.indexOf("npm run plan -- --stack dev --markdown plan-out/dev.md"));
    expect(stepUsing(j, "actions/upload-artifact")[0].with).toMatchObject({ name: "offline-plan", path: "plan-out/" });
  });

  test("previews each long-lived stack with pulumi/actions, only for branches of this repository", () => {
    const j = w().jobs.preview;
    expect(j.if).toBe(SAME_REPO);
    expect(j.needs).toBe("test");
    expect(j.strategy?.matrix.stack).toEqual(["dev", "prod"]);
    const [preview] = stepUsing(j, "pulumi/actions");
    expect(preview.with).toMatchObject({ command: "preview", "stack-name": "${{ matrix.stack }}", "comment-on-pr": false });
    expect(j.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(j.steps.findIndex((s) => s.uses?.startsWith("azure/login@"))).toBeLessThan(j.steps.indexOf(preview));
  });

  test("one comment, edited in place, carrying the plan Markdown and the preview diffs", () => {
    const j = w().jobs.comment;
    expect(j.needs).toEqual(["test", "preview"]);
    expect(j.if).toContain("!cancelled()");
    expect(j.if).toContain(SAME_REPO);
    const assemble = j.steps.find((s) => s.name === "Assemble the comment")?.run ?? "";
    expect(assemble).toContain("<!-- llama-finetune-env:plan-comment -->");
    expect(assemble).toContain("cat artifacts/offline-plan/*.md");
    expect(assemble).toContain("artifacts/preview-*/*.md");
    const script = String(stepUsing(j, "actions/github-script")[0].with?.script);
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
    expect(script).toMatch(/includes\(marker\)/);
  });

  test("the review stack pr-<number> is opt-in by label and made from the test template", () => {
    const j = w().jobs["review-stack"];
    expect(j.if).toBe(`${SAME_REPO} && contains(github.event.pull_request.labels.*.name, 'review-stack')`);
    expect(j.environment).toBe("review");
    expect(j.env?.STACK).toBe("pr-${{ github.event.pull_request.number }}");
    expect(j.concurrency).toEqual({ group: "review-stack-pr-${{ github.event.pull_request.number }}", "cancel-in-progress": false });
    const lines = runLines(j);
    expect(lines).toEqual(
      expect.arrayContaining([
        `grep -v '^encryptionsalt:' Pulumi.test.yaml > "Pulumi.$STACK.yaml"`,
        'pulumi stack init "$STACK"',
        'salt="$GITHUB_RUN_ID"',
        'pulumi config set --stack "$STACK" nameSalt "$salt"',
        `pulumi config set --stack "$STACK" expiresOn "$(date -u -d '+7 days' +%F)"`,
      ]),
    );
    const up = stepUsing(j, "pulumi/actions").find((s) => s.with?.command === "up");
    expect(up?.with?.["stack-name"]).toBe("${{ env.STACK }}");
  });
});

describe("deploy.yml", () => {
  const w = () => wf("deploy.yml");

  test("runs on merge to main (and by hand), one deployment at a time, never cancelled", () => {
    expect(w().on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: {} });
    expect(w().concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
  });

  test("test, then pulumi up to dev, then to prod behind the prod environment", () => {
    const { test: t, dev, prod } = w().jobs;
    expect(runLines(t)).toEqual(["npm ci", "npm test"]);
    expect(t.permissions).toEqual({ contents: "read" });
    expect(dev.needs).toBe("test");
    expect(prod.needs).toBe("dev");
    expect(dev.environment).toBe("dev");
    expect(prod.environment).toBe("prod");
    expect(stepUsing(dev, "pulumi/actions")[0].with).toMatchObject({ command: "up", "stack-name": "dev" });
    expect(stepUsing(prod, "pulumi/actions")[0].with).toMatchObject({ command: "up", "stack-name": "prod" });
    for (const j of [dev, prod]) expect(runLines(j)).toEqual(["npm ci"]);
  });
});

describe("teardown.yml", () => {
  const w = () => wf("teardown.yml");

  test("runs when a pull request closes and every night", () => {
    expect(w().on).toEqual({ pull_request: { types: ["closed"] }, schedule: [{ cron: "17 3 * * *" }], workflow_dispatch: {} });
  });

  test("on close: fetch the stack's config from the backend, then the same teardown command a person runs", () => {
    const j = w().jobs["pr-closed"];
    expect(j.if).toBe(`github.event_name == 'pull_request' && ${SAME_REPO}`);
    expect(j.environment).toBe("review");
    expect(j.concurrency?.group).toBe(wf("pull-request.yml").jobs["review-stack"].concurrency?.group);
    const lines = runLines(j);
    const refresh = lines.indexOf('pulumi config refresh --stack "$STACK" --force');
    const teardown = lines.indexOf('npm run teardown -- --stack "$STACK" --yes');
    expect(refresh).toBeGreaterThan(-1);
    expect(teardown).toBeGreaterThan(refresh);
    expect(j.steps.find((s) => s.run?.startsWith("npm run teardown"))?.if).toBe("steps.stack.outputs.exists == 'true'");
  });

  test("nightly: list stacks from the backend, select the expired ones, tear each down, report leftovers by tag", () => {
    const j = w().jobs.expired;
    expect(j.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    const lines = runLines(j);
    expect(lines).toEqual(
      expect.arrayContaining([
        "pulumi stack ls --json > stacks.json",
        'expired="$(npm run --silent teardown -- --list-expired --stacks-json stacks.json)"',
        'npm run teardown -- --stack "$stack" --yes || failed="$failed $stack"',
        "az group list --tag managed-by=pulumi -o json \\",
      ]),
    );
  });

  test("the teardown invocations in the workflow are valid flags for the teardown command", () => {
    const defaults = { projectDir: "/repo", today: "2026-01-01" };
    expect(parseFlags({ stack: "pr-42", yes: true }, defaults)).toMatchObject({ mode: "teardown", stack: "pr-42", yes: true, dryRun: false });
    expect(parseFlags({ listExpired: true, stacksJson: "stacks.json" }, defaults)).toMatchObject({ mode: "list-expired", stacksJson: "stacks.json" });
    // Neither job may pass the flags that unlock long-lived stacks.
    for (const j of Object.values(wf("teardown.yml").jobs)) for (const line of runLines(j)) expect(line).not.toMatch(/--force-prod|--confirm/);
  });
});
