/**
 * What the teardown command prints, in full: the dry run as text and as JSON, the log of a
 * run (notes, each step, its command, skips, the summary), the failure message with the
 * command that resumes it, and --help. People and workflows read these, so they are asserted
 * line for line rather than by fragments.
 */
import { formatCommand, planTeardown, PROVIDERS_NOTE, runSteps, StepFailed, type Executor } from "../../teardown";
import { deployedWorld, emptyWorld, fakeExecutor } from "./fakeBin";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";
import { configOf, EXPECTED_CHECKS, EXPECTED_PR42, names, run, STEPS } from "./teardownExpected";

/** The title of each step of pr-42, in order. */
const TITLES = [
  `cancel the fine-tuning jobs still running in project ${names.project} before its workspace is purged`,
  `permanently delete the AI Studio project workspace ${names.project} (Workspaces_Delete with forceToPurge=true), so its name is not held by a soft-deleted workspace`,
  `wait until workspace ${names.project} is gone (the delete is a long-running operation)`,
  `permanently delete the AI Studio hub workspace ${names.hub} (Workspaces_Delete with forceToPurge=true), so its name is not held by a soft-deleted workspace`,
  `wait until workspace ${names.hub} is gone (the delete is a long-running operation)`,
  "pulumi destroy: delete every resource of stack pr-42",
  `purge the soft-deleted key vault ${names.keyVault} (its name is global and stays reserved for the retention period otherwise)`,
  `purge the soft-deleted AI Services account ${names.aiServices} (its name and custom subdomain stay reserved otherwise)`,
  "pulumi stack rm: remove stack pr-42 and its state from the backend",
];
const TARGETS = [
  `AI Studio project workspace ${names.project}`,
  `AI Studio project workspace ${names.project}`,
  `AI Studio project workspace ${names.project}`,
  `AI Studio hub workspace ${names.hub}`,
  `AI Studio hub workspace ${names.hub}`,
  "a resource in the state of stack pr-42",
  `soft-deleted key vault ${names.keyVault}`,
  `soft-deleted AI Services account ${names.aiServices}`,
  "stack pr-42 in the state backend",
];

describe("the dry run", () => {
  const dir = projectDir({ "pr-42": stackYaml(), prod: stackYaml({ environment: "prod", expiresOn: null }) });

  test("as text: a header, then per step its number, id, title, checks and command, then the notes", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--subscription", SUBSCRIPTION]);
    expect(r.code).toBe(0);
    const expected = [
      "# Teardown of stack pr-42 (test) — dry run, nothing is executed",
      '# Each step runs only if its target exists; the check commands are shown with "# check:".',
      ...STEPS.flatMap((id, i) => [`# ${i + 1}. ${id}: ${TITLES[i]}`, ...EXPECTED_CHECKS[i].map((c) => `#    check: ${formatCommand(c)}`), formatCommand(EXPECTED_PR42[i])]),
      `# note: ${PROVIDERS_NOTE}`,
      "",
    ];
    expect(r.stdout).toBe(expected.join("\n"));
    expect(r.stderr).toBe("");
  });

  test("as JSON: stack, kind, and per step id, title, argv, command, target and checks; then the notes", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json", "--subscription", SUBSCRIPTION]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      stack: "pr-42",
      kind: "test",
      steps: STEPS.map((id, i) => ({
        id,
        title: TITLES[i],
        argv: EXPECTED_PR42[i],
        command: formatCommand(EXPECTED_PR42[i]),
        target: TARGETS[i],
        checks: EXPECTED_CHECKS[i].map((c) => formatCommand(c)),
      })),
      notes: [PROVIDERS_NOTE],
    });
  });

  test("--from shows only the steps from there, numbered from 1", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--subscription", SUBSCRIPTION, "--from", "purge-key-vault"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => /^# \d+\. /.test(l))).toEqual([
      `# 1. purge-key-vault: ${TITLES[6]}`,
      `# 2. purge-ai-services: ${TITLES[7]}`,
      `# 3. stack-rm: ${TITLES[8]}`,
    ]);
  });

  test("prod: destroy and stack rm, and the note that nothing is purged", async () => {
    const r = await run(["--stack", "prod", "--project-dir", dir, "--dry-run", "--json", "--force-prod", "--confirm", "prod"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { kind: string; steps: { id: string }[]; notes: string[] };
    expect(json.kind).toBe("prod");
    expect(json.steps.map((s) => s.id)).toEqual(["destroy", "stack-rm"]);
    expect(json.notes).toEqual([
      PROVIDERS_NOTE,
      'No purge for a prod stack: soft-deleted key vault, AI Services account and workspaces stay recoverable for their retention period, and protected resources make "pulumi destroy" fail until they are unprotected.',
    ]);
  });

  test("a blank ARM_SUBSCRIPTION_ID counts as none (placeholder, no empty --subscription); a padded one is trimmed", async () => {
    const blank = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"], { env: { ARM_SUBSCRIPTION_ID: "  " } });
    const steps = (JSON.parse(blank.stdout) as { steps: { argv: string[] }[] }).steps;
    expect(steps[0].argv).toEqual(["npm", "run", "--silent", "finetune", "--", "--stack", "pr-42", "--cancel"]);
    expect(steps[6].argv).toContain("<subscription-id>");
    expect(steps[6].argv).toContain("<keyVault: needs the subscription id>");
    const padded = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"], { env: { ARM_SUBSCRIPTION_ID: ` ${SUBSCRIPTION}\n` } });
    expect((JSON.parse(padded.stdout) as { steps: { argv: string[] }[] }).steps.map((s) => s.argv)).toEqual(EXPECTED_PR42);
  });
});

describe("a plan without config", () => {
  test("names it cannot know are shown as <unknown>, and each Azure target says why it is absent", () => {
    const plan = planTeardown({ stack: "pr-7", kind: "test" });
    expect(plan.steps[1].argv.at(-1)).toBe(
      "https://management.azure.com/subscriptions/<subscription-id>/resourceGroups/<unknown>/providers/Microsoft.MachineLearningServices/workspaces/<unknown>?api-version=2024-10-01&forceToPurge=true",
    );
    expect(plan.steps[6].argv).toEqual(["az", "keyvault", "purge", "--name", "<unknown>", "--location", "<unknown>", "--subscription", "<subscription-id>"]);
    expect(plan.steps[7].argv).toEqual(["az", "cognitiveservices", "account", "purge", "--name", "<unknown>", "--resource-group", "<unknown>", "--location", "<unknown>", "--subscription", "<subscription-id>"]);
    expect(plan.steps.map((s) => s.probe.target)).toEqual([
      "AI Studio project workspace of pr-7",
      "AI Studio project workspace of pr-7",
      "AI Studio project workspace of pr-7",
      "AI Studio hub workspace of pr-7",
      "AI Studio hub workspace of pr-7",
      "a resource in the state of stack pr-7",
      "soft-deleted key vault of pr-7",
      "soft-deleted AI Services account of pr-7",
      "stack pr-7 in the state backend",
    ]);
    expect(plan.steps[0].probe).toEqual({ kind: "absent", target: "AI Studio project workspace of pr-7", reason: "stack pr-7 has no config, so none of its resources can exist" });
  });
});

describe("the log of a run", () => {
  const dir = projectDir({ "pr-42": stackYaml() });
  const yes = ["--stack", "pr-42", "--project-dir", dir, "--yes", "--subscription", SUBSCRIPTION];

  test("the notes, then per step its position, id and title and the command it runs, then the summary", async () => {
    const r = await run(yes, { world: deployedWorld("pr-42", "run-1234", stackYaml()) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        `note: ${PROVIDERS_NOTE}`,
        ...STEPS.flatMap((id, i) => [`==> [${i + 1}/9] ${id}: ${TITLES[i]}`, `    $ ${formatCommand(EXPECTED_PR42[i])}`]),
        "teardown of pr-42 complete: 9 of 9 steps ran; 0 were skipped because their targets were already absent.",
        "",
      ].join("\n"),
    );
  });

  test("a failed step: which one, why, its command, and the command that resumes (with --project-dir only when it is not the working directory)", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    world.failOnce.push("az rest --method delete");
    const r = await run(["--stack", "pr-42", "--project-dir", ".", "--yes", "--subscription", SUBSCRIPTION], { world, cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.slice(r.stderr.indexOf("teardown: "))).toBe(
      [
        'teardown: step "purge-project" (2/9) failed: exit code 1',
        `  command: ${formatCommand(EXPECTED_PR42[1])}`,
        "  Fix the cause (see the output above), then run the same command again: every step first checks",
        "  whether its target still exists, so the steps already done are skipped:",
        `    npm run teardown -- --stack pr-42 --yes --subscription ${SUBSCRIPTION}`,
        "",
      ].join("\n"),
    );
  });

  test("a step whose program cannot start fails with the program named, or the error it gave", async () => {
    const steps = planTeardown({ stack: "pr-42", config: configOf(dir, "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION }).steps.slice(5, 6);
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const options = (run: Executor["run"]) => ({ cwd: dir, log: () => undefined, rerunCommand: "again", exec: { ...fakeExecutor(world), run } });
    const missing = runSteps(steps, options(async () => Promise.reject(Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" }))));
    await expect(missing).rejects.toThrow(StepFailed);
    await expect(missing).rejects.toThrow(/^step "destroy" \(1\/1\) failed: "pulumi" is not installed or not on PATH\n/);
    const other = runSteps(steps, options(async () => Promise.reject(new Error("spawn EAGAIN"))));
    await expect(other).rejects.toMatchObject({ stepId: "destroy", message: expect.stringMatching(/^step "destroy" \(1\/1\) failed: spawn EAGAIN\n/) });
  });

  test("a check that fails stops the teardown with exit code 1 and the check's command", async () => {
    const world = emptyWorld();
    const exec: Executor = { ...fakeExecutor(world), capture: async () => ({ code: 1, stdout: "", stderr: "ERROR: Please run 'az login' to setup account." }) };
    const r = await run(yes, { exec });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`teardown: step "cancel-jobs" (1/9) failed: could not check for resource group ${names.resourceGroup}: exit code 1: ERROR: Please run 'az login' to setup account.`);
  });
});

describe("--help and commander's own errors", () => {
  test("--help prints what the command does and every flag with its description, and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: teardown \[options\]\n/);
    // commander wraps at 80 columns: compare with the line breaks taken out.
    const help = r.stdout.replace(/\s+/g, " ");
    for (const text of [
      "Tear down one stack completely: cancel running fine-tuning jobs, delete ML workspaces permanently, pulumi destroy, purge the soft-deleted key vault and AI Services account, pulumi stack rm.",
      "Every step first checks that its target still exists and is skipped when it does not, so running the teardown again after a failure completes it.",
      "Or, with --list-expired, print the test stacks whose expiresOn has passed.",
      "--stack <name> stack to tear down, e.g. pr-42",
      "--project-dir <dir> directory holding Pulumi.<stack>.yaml (default: current directory)",
      "--dry-run print the commands without running them",
      "--json with --dry-run or --list-expired: print JSON",
      "--yes run the commands (without it nothing is run)",
      "--confirm <stack> the stack name typed again; required for dev and prod",
      "--force-prod allow tearing down a production stack (also needs --confirm)",
      "--subscription <id> Azure subscription id (default: $ARM_SUBSCRIPTION_ID)",
      "--from <step> start at this step, skipping the ones before it unchecked (not needed to resume: a re-run skips what is done)",
      "--list-expired print the expired test stacks named in --stacks-json, one per line",
      '--stacks-json <file> output of "pulumi stack ls --json"',
      "--today <date> YYYY-MM-DD to compare expiresOn with (default: today, UTC)",
    ]) {
      expect(help).toContain(text);
    }
  });

  test("an unknown flag or a flag without its value: commander's message, a pointer to --help, exit 2", async () => {
    const r = await run(["--stack"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: option '--stack <name>' argument missing\nRun with --help for the flags.\n");
  });
});
