/**
 * The teardown library in-process: the guard, the exact command list and the check of each
 * step, what counts as "not found", the runner's skip-when-absent and stop-at-failure, and the
 * expiry selection. Whole teardowns are in teardown.command.test.ts.
 */
import {
  assertTeardownAllowed,
  formatCommand,
  planTeardown,
  probeCommands,
  PROVIDERS_NOTE,
  runSteps,
  saysNotFound,
  selectExpiredStacks,
  StepFailed,
  TeardownRefusal,
  type Executor,
} from "../../teardown";
import { deployedWorld, emptyWorld, fakeExecutor } from "./fakeBin";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";
import { configOf, EXPECTED_CHECKS, EXPECTED_PR42, names, run, STEPS } from "./teardownExpected";

describe("the guard", () => {
  test("a test stack needs no confirmation", () => {
    expect(assertTeardownAllowed({ stack: "pr-42", environment: "test", forceProd: false })).toBe("test");
  });

  test("prod is refused without --force-prod, and with it but without --confirm", () => {
    expect(() => assertTeardownAllowed({ stack: "prod", environment: "prod", forceProd: false })).toThrow(/production stack .*--force-prod --confirm prod/);
    expect(() => assertTeardownAllowed({ stack: "prod", environment: "prod", forceProd: true })).toThrow(/--force-prod also needs --confirm prod/);
    expect(assertTeardownAllowed({ stack: "prod", environment: "prod", forceProd: true, confirm: "prod" })).toBe("prod");
  });

  test("the stricter of name and environment wins, for prod and for dev", () => {
    // A stack named prod is production whatever its file says, and environment prod is production whatever the name.
    expect(() => assertTeardownAllowed({ stack: "prod", environment: "test", forceProd: false })).toThrow(TeardownRefusal);
    expect(() => assertTeardownAllowed({ stack: "pr-7", environment: "prod", forceProd: false, confirm: "pr-7" })).toThrow(/production stack/);
    // A stack named dev whose file says test is still the shared dev stack: it needs --confirm dev.
    expect(() => assertTeardownAllowed({ stack: "dev", environment: "test", forceProd: false })).toThrow(/shared dev stack: pass --confirm dev/);
    expect(assertTeardownAllowed({ stack: "dev", environment: "test", forceProd: false, confirm: "dev" })).toBe("dev");
    // ... and a stack whose file says dev is dev whatever it is called.
    expect(() => assertTeardownAllowed({ stack: "sandbox", environment: "dev", forceProd: false })).toThrow(/--confirm sandbox/);
    // With no config at all, the name alone decides.
    expect(() => assertTeardownAllowed({ stack: "prod", environment: undefined, forceProd: false })).toThrow(/production stack \(by its name; it has no config\)/);
    expect(assertTeardownAllowed({ stack: "pr-7", environment: undefined, forceProd: false })).toBe("test");
  });

  test("dev needs --confirm dev; a mismatched --confirm is refused", () => {
    expect(() => assertTeardownAllowed({ stack: "dev", environment: "dev", forceProd: false })).toThrow(/--confirm dev/);
    expect(() => assertTeardownAllowed({ stack: "dev", environment: "dev", forceProd: false, confirm: "prod" })).toThrow(/does not match --stack "dev"/);
    expect(assertTeardownAllowed({ stack: "dev", environment: "dev", forceProd: false, confirm: "dev" })).toBe("dev");
  });

  test("--force-prod on a non-production stack is refused as a likely mistake", () => {
    expect(() => assertTeardownAllowed({ stack: "pr-42", environment: "test", forceProd: true })).toThrow(/not a production stack/);
  });
});

describe("the plan", () => {
  const dir = projectDir({ "pr-42": stackYaml(), prod: stackYaml({ environment: "prod", expiresOn: null }) });

  test("a test stack: cancel jobs, purge workspaces, destroy, purge key vault and AI Services, stack rm — in that order", () => {
    const plan = planTeardown({ stack: "pr-42", config: configOf(dir, "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION });
    expect(plan.steps.map((s) => s.argv)).toEqual(EXPECTED_PR42);
    expect(plan.steps.map((s) => s.id)).toEqual(STEPS);
    expect(plan.notes).toContain(PROVIDERS_NOTE);
    // Nothing ever unregisters a provider.
    expect(plan.steps.some((s) => s.argv.includes("unregister"))).toBe(false);
  });

  test("every step checks its own target first, with read-only commands", () => {
    const plan = planTeardown({ stack: "pr-42", config: configOf(dir, "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION });
    expect(plan.steps.map((s) => probeCommands(s.probe))).toEqual(EXPECTED_CHECKS);
    for (const check of plan.steps.flatMap((s) => probeCommands(s.probe))) expect(check.join(" ")).toMatch(/ (exists|list|list-deleted|ls|export) /);
  });

  test("the names follow the stack's salt (a re-created stack gets new names)", () => {
    const other = planTeardown({ stack: "pr-42", config: { ...configOf(dir, "pr-42"), nameSalt: "run-9999" }, kind: "test", subscriptionId: SUBSCRIPTION });
    expect(formatCommand(other.steps[6].argv)).not.toContain(names.keyVault);
  });

  test("a stack that protects data (prod) gets destroy and stack rm only, never a purge or a job cancel", () => {
    const plan = planTeardown({ stack: "prod", config: configOf(dir, "prod"), kind: "prod", subscriptionId: SUBSCRIPTION });
    expect(plan.steps.map((s) => s.argv)).toEqual([
      ["pulumi", "destroy", "--stack", "prod", "--yes", "--non-interactive"],
      ["pulumi", "stack", "rm", "--stack", "prod", "--yes"],
    ]);
    expect(plan.notes.join("\n")).toMatch(/No purge for a prod stack/);
  });

  test("without a config, every Azure target is known to be absent and nothing in Azure is checked", () => {
    const plan = planTeardown({ stack: "pr-7", kind: "test", noConfigReason: "stack pr-7 was never deployed" });
    const azure = plan.steps.filter((s) => !["destroy", "stack-rm"].includes(s.id));
    expect(azure.map((s) => s.probe.kind)).toEqual(["absent", "absent", "absent", "absent", "absent", "absent", "absent"]);
    expect(plan.steps.flatMap((s) => probeCommands(s.probe)).every((argv) => argv[0] === "pulumi")).toBe(true);
  });

  test("formatCommand quotes what a shell would interpret", () => {
    expect(formatCommand(["az", "rest", "--url", "https://x/y?a=1&b=2"])).toBe("az rest --url 'https://x/y?a=1&b=2'");
    expect(formatCommand(["echo", "it's"])).toBe(`echo 'it'\\''s'`);
  });
});

describe("not found, as the CLIs say it", () => {
  test.each([
    "ERROR: (ResourceGroupNotFound) Resource group 'x' could not be found.",
    "ERROR: (ResourceNotFound) The Resource 'Microsoft.MachineLearningServices/workspaces/x' under resource group 'y' was not found.",
    "ERROR: (DeletedVaultNotFound) Deleted vault 'kv' not found.",
    "error: no stack named 'pr-7' found",
  ])("%s means absent", (text) => expect(saysNotFound(text)).toBe(true));

  test.each([
    "ERROR: Subscription '00000000-0000-0000-0000-000000000000' not found. Check the spelling and casing and try again.",
    "ERROR: (AuthorizationFailed) The client 'x' does not have authorization to perform action",
    "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
    "sh: 1: az: command not found",
  ])("%s is an error, never 'absent'", (text) => expect(saysNotFound(text)).toBe(false));
});

describe("the runner", () => {
  const steps = planTeardown({ stack: "pr-42", config: configOf(projectDir({ "pr-42": stackYaml() }), "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION }).steps;
  const quiet = { cwd: "/tmp", log: () => undefined, rerunCommand: "rerun" };

  test("stops at the first failing step and says to run the same command again", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    world.failOnce.push("pulumi destroy");
    const failure = runSteps(steps, { ...quiet, exec: fakeExecutor(world) });
    await expect(failure).rejects.toThrow(StepFailed);
    await expect(failure).rejects.toThrow(/step "destroy" \(6\/9\) failed: exit code 1[\s\S]*run the same command again[\s\S]*rerun/);
    expect(world.calls.filter((c) => !/ (exists|list|ls|export|list-deleted) /.test(c))).toEqual(EXPECTED_PR42.slice(0, 6).map((a) => a.join(" ")));
  });

  test("a step whose target is absent is skipped with the reason, and its command is never run", async () => {
    const lines: string[] = [];
    const world = emptyWorld();
    const outcomes = await runSteps(steps, { ...quiet, log: (l) => lines.push(l), exec: fakeExecutor(world) });
    expect(outcomes.map((o) => o.ran)).toEqual(STEPS.map(() => false));
    expect(lines.filter((l) => l.includes("skipped:"))).toHaveLength(9);
    expect(lines.join("\n")).toContain(`skipped: resource group ${names.resourceGroup} does not exist, so AI Studio project workspace ${names.project} does not exist either`);
    expect(lines.join("\n")).toContain(`skipped: soft-deleted key vault ${names.keyVault} does not exist`);
    expect(world.calls.every((c) => / (exists|ls|list-deleted) /.test(c))).toBe(true);
  });

  test("a check that fails for another reason than 'not found' stops the teardown (absence is never guessed)", async () => {
    const exec: Executor = {
      run: async () => 0,
      capture: async () => ({ code: 1, stdout: "", stderr: "ERROR: (AuthorizationFailed) The client does not have authorization" }),
    };
    await expect(runSteps(steps, { ...quiet, exec })).rejects.toThrow(/step "cancel-jobs" \(1\/9\) failed: could not check for resource group .*AuthorizationFailed/);
  });

  test("a program that is not installed is named", async () => {
    const exec: Executor = {
      run: async () => 0,
      capture: async () => {
        throw Object.assign(new Error("spawn az ENOENT"), { code: "ENOENT" });
      },
    };
    await expect(runSteps(steps, { ...quiet, exec })).rejects.toThrow(/"az" is not installed or not on PATH/);
  });
});

describe("expired test stacks", () => {
  const dir = projectDir({
    "pr-1": stackYaml({ expiresOn: "2027-01-10" }),
    "pr-2": stackYaml({ expiresOn: "2027-01-15" }),
    "pr-3": stackYaml({ expiresOn: null }),
    dev: stackYaml({ environment: "dev", expiresOn: "2020-01-01" }),
    "sneaky-prod": stackYaml({ environment: "prod", expiresOn: "2020-01-01" }),
  });
  const load = (stack: string) => configOf(dir, stack);

  test("only test stacks whose expiresOn is before today; everything else is skipped with a reason", () => {
    const d = selectExpiredStacks(["org/llama-finetune-env/pr-1", "pr-2", "pr-3", "dev", "sneaky-prod", "pr-gone"], load, "2027-01-15");
    expect(d.expired).toEqual(["pr-1"]);
    expect(Object.fromEntries(d.skipped.map((s) => [s.stack, s.reason]))).toEqual({
      "pr-2": "expires on 2027-01-15",
      "pr-3": expect.stringMatching(/no expiresOn/),
      dev: "environment dev: only test stacks expire",
      "sneaky-prod": "environment prod: only test stacks expire",
      "pr-gone": expect.stringMatching(/Pulumi\.pr-gone\.yaml does not exist/),
    });
  });

  test("--list-expired prints the expired names from `pulumi stack ls --json` output", async () => {
    const { writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const list = join(dir, "stacks.json");
    writeFileSync(list, JSON.stringify([{ name: "pr-1", current: false }, { name: "pr-2" }, { name: "dev" }]));
    const r = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("pr-1\n");
    expect(r.stderr).toContain("skip dev: environment dev");
    const json = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir, "--json", "--today", "2027-02-01"]);
    expect(JSON.parse(json.stdout).expired).toEqual(["pr-1", "pr-2"]);
  });

  test("--list-expired refuses a file that is not a stack list", async () => {
    const { writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const list = join(dir, "bad.json");
    writeFileSync(list, JSON.stringify({ stacks: [] }));
    const r = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/must be the JSON array printed by "pulumi stack ls --json"/);
  });
});
