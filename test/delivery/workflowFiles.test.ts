/**
 * Each workflow's own triggers and jobs: the PR preview of dev and the review stack with its
 * comment, the deploy chain with the prod preview before the approval, the teardown triggers and
 * the nightly expiry matrix, the drift check. The rules every file follows: workflows.test.ts.
 */
import { environmentsOf, loadWorkflow, matrixValues, NOT_DEPENDABOT, runLines, SAME_REPO, stacksOf, stepUsing, type Workflow } from "./workflows";

const wf = (file: string): Workflow => loadWorkflow(file);

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
