/**
 * The teardown library and command in-process: refusals, the exact command list and the check
 * of each step, the runner's skip-when-absent and stop-at-failure, and whole teardowns run
 * against a fake world (test/delivery/fakeCloud.ts) that behaves like Azure and the backend:
 * complete, re-run, failed midway and re-run, never deployed, config only in the backend.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { stackNames } from "../../config/naming";
import { decodePulumiConfig, parseStackConfig, type StackConfig } from "../../config/schema";
import { readStackFile } from "../../config/stackFile";
import {
  assertTeardownAllowed,
  formatCommand,
  planTeardown,
  probeCommands,
  PROVIDERS_NOTE,
  runSteps,
  runTeardownCommand,
  saysNotFound,
  selectExpiredStacks,
  StepFailed,
  TeardownRefusal,
  type CommandIo,
  type Executor,
} from "../../teardown";
import { deployedWorld, emptyWorld, fakeExecutor, leftovers } from "./fakeBin";
import type { FakeWorld } from "./fakeCloud";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";

function configOf(dir: string, stack: string): StackConfig {
  const file = readStackFile(dir, stack);
  return parseStackConfig(decodePulumiConfig(file.config), file.path);
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in-process against `world` (an empty one by default). */
async function run(args: string[], options: { env?: Record<string, string>; world?: FakeWorld; cwd?: string; exec?: Executor } = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? "/nonexistent",
    today: "2027-01-15",
    exec: options.exec ?? fakeExecutor(options.world ?? emptyWorld()),
  };
  const code = await runTeardownCommand(args, io);
  return { code, stdout, stderr };
}

const names = stackNames({ prefix: "llft", project: "llama-finetune-env", stack: "pr-42", salt: "run-1234" });
const ws = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${names.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;
const STEPS = ["cancel-jobs", "purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"];

/** The full, ordered plan for the fixture's pr-42 stack, as argv lists. */
const EXPECTED_PR42: string[][] = [
  ["npm", "run", "--silent", "finetune", "--", "--stack", "pr-42", "--cancel"],
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.project)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.project), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.hub)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.hub), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["pulumi", "destroy", "--stack", "pr-42", "--yes", "--non-interactive"],
  ["az", "keyvault", "purge", "--name", names.keyVault, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["az", "cognitiveservices", "account", "purge", "--name", names.aiServices, "--resource-group", names.resourceGroup, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["pulumi", "stack", "rm", "--stack", "pr-42", "--yes"],
];

const rgCheck = ["az", "group", "exists", "--name", names.resourceGroup, "--subscription", SUBSCRIPTION];
const wsCheck = (name: string) => [
  "az", "resource", "list", "--resource-group", names.resourceGroup, "--resource-type", "Microsoft.MachineLearningServices/workspaces",
  "--name", name, "--subscription", SUBSCRIPTION, "--query", "[].id", "--output", "json",
];
const stackCheck = ["pulumi", "stack", "ls", "--json"];

/** The check commands of each step, in order (a container's check first). */
const EXPECTED_CHECKS: string[][][] = [
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.project)],
  [rgCheck, wsCheck(names.hub)],
  [rgCheck, wsCheck(names.hub)],
  [stackCheck, ["pulumi", "stack", "export", "--stack", "pr-42"]],
  [["az", "keyvault", "list-deleted", "--resource-type", "vault", "--subscription", SUBSCRIPTION, "--query", `[?name=='${names.keyVault}'].id`, "--output", "json"]],
  [["az", "cognitiveservices", "account", "list-deleted", "--subscription", SUBSCRIPTION, "--query", `[?name=='${names.aiServices}'].id`, "--output", "json"]],
  [stackCheck],
];

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

describe("the command, in-process, against a fake world", () => {
  const files = () =>
    projectDir({
      "pr-42": stackYaml(),
      prod: stackYaml({ environment: "prod", expiresOn: null }),
      dev: stackYaml({ environment: "dev", expiresOn: null }),
      "dev-like": stackYaml({ environment: "dev", expiresOn: null }),
      broken: stackYaml({ location: "Not A Region" }),
    });
  const dir = files();
  const yes = ["--yes", "--subscription", SUBSCRIPTION];

  test("--dry-run --json prints every step with its target and checks, with the subscription from ARM_SUBSCRIPTION_ID", async () => {
    const world = emptyWorld();
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"], { env: { ARM_SUBSCRIPTION_ID: SUBSCRIPTION }, world });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { stack: string; kind: string; steps: { argv: string[]; checks: string[]; target: string }[] };
    expect(json.stack).toBe("pr-42");
    expect(json.kind).toBe("test");
    expect(json.steps.map((s) => s.argv)).toEqual(EXPECTED_PR42);
    expect(json.steps.map((s) => s.checks)).toEqual(EXPECTED_CHECKS.map((c) => c.map((argv) => formatCommand(argv))));
    expect(json.steps[1].target).toBe(`AI Studio project workspace ${names.project}`);
    expect(world.calls).toEqual([]);
  });

  test("--dry-run without a subscription shows the placeholder and runs nothing", async () => {
    const world = emptyWorld();
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run"], { world });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/subscriptions/<subscription-id>/resourceGroups/");
    expect(r.stdout).toContain("pulumi destroy --stack pr-42 --yes --non-interactive");
    expect(r.stdout).toContain("#    check: pulumi stack export --stack pr-42");
    expect(r.stdout).toContain("never unregistered");
    expect(world.calls).toEqual([]);
  });

  test("--yes on a deployed stack runs every step, leaves nothing behind, and a second run does nothing", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const first = await run(["--stack", "pr-42", "--project-dir", dir, ...yes], { world });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("teardown of pr-42 complete: 9 of 9 steps ran; 0 were skipped");
    expect(leftovers(world)).toEqual([]);
    world.calls = [];
    const second = await run(["--stack", "pr-42", "--project-dir", dir, ...yes], { world });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("nothing to tear down for pr-42: all 9 steps were skipped because their targets are absent.");
    expect(second.stderr).not.toContain("complete");
    expect(second.stderr.match(/skipped: /g)).toHaveLength(9);
    expect(world.calls.filter((c) => !/ (exists|list|ls|export|list-deleted) /.test(c))).toEqual([]);
  });

  test("a teardown that fails midway exits 1; running the same command again completes it", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    world.failOnce.push("az keyvault purge");
    const failed = await run(["--stack", "pr-42", "--project-dir", dir, ...yes], { world });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('step "purge-key-vault" (7/9) failed: exit code 1');
    expect(failed.stderr).toContain(`npm run teardown -- --stack pr-42 --yes --project-dir ${dir} --subscription ${SUBSCRIPTION}`);
    expect(failed.stderr).not.toContain("--from");
    expect(leftovers(world)).toEqual([`stack pr-42`, `soft-deleted vault ${names.keyVault}`, `soft-deleted account ${names.aiServices}`]);
    const again = await run(["--stack", "pr-42", "--project-dir", dir, ...yes], { world });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("teardown of pr-42 complete: 3 of 9 steps ran; 6 were skipped");
    expect(leftovers(world)).toEqual([]);
  });

  test("a stack whose first up failed before its resource group existed: the Azure steps are skipped instead of failing on 404", async () => {
    // The state holds the stack and provider resources only; nothing was created in Azure.
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-42": { resources: 2, config: stackYaml() } } };
    const r = await run(["--stack", "pr-42", "--project-dir", dir, ...yes], { world });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`skipped: resource group ${names.resourceGroup} does not exist, so AI Studio hub workspace ${names.hub} does not exist either`);
    expect(r.stderr).toContain("teardown of pr-42 complete: 2 of 9 steps ran; 7 were skipped");
    expect(world.calls.some((c) => c.startsWith("az rest") || c.startsWith("az keyvault purge"))).toBe(false);
    expect(leftovers(world)).toEqual([]);
  });

  test("a stack missing from the backend, with no stack file: every step is skipped, nothing in Azure is asked", async () => {
    const cwd = projectDir({});
    const world = emptyWorld();
    const r = await run(["--stack", "pr-7", "--yes"], { world, cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("nothing to tear down for pr-7: all 9 steps were skipped because their targets are absent.");
    expect(r.stderr).toContain("skipped: AI Studio project workspace of pr-7 does not exist: stack pr-7 in the state backend does not exist and there is no");
    expect(world.calls.every((c) => c.startsWith("pulumi stack ls"))).toBe(true);
  });

  test("a stack that was initialised but never deployed (no config, no resources) is removed from the backend", async () => {
    const cwd = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-8": { resources: 0 } } };
    const r = await run(["--stack", "pr-8", "--yes"], { world, cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("stack pr-8 was never deployed");
    expect(r.stderr).toContain("teardown of pr-8 complete: 1 of 9 steps ran; 8 were skipped");
    expect(world.stacks).toEqual({});
  });

  test("a review stack whose file is not in the checkout: its config is fetched from the backend, then it is torn down", async () => {
    const cwd = projectDir({});
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const r = await run(["--stack", "pr-42", ...yes], { world, cwd });
    expect(r.code).toBe(0);
    expect(world.calls).toContain("pulumi config refresh --stack pr-42 --force");
    expect(existsSync(join(cwd, "Pulumi.pr-42.yaml"))).toBe(true);
    expect(leftovers(world)).toEqual([]);
  });

  test("a stack with resources in its state but no usable config is refused, and nothing is run", async () => {
    const cwd = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-9": { resources: 4 } } };
    const r = await run(["--stack", "pr-9", ...yes], { world, cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stack pr-9 holds resources in its state, but its config is not usable[\s\S]*Restore .*Pulumi\.pr-9\.yaml/);
    expect(world.stacks["pr-9"]).toEqual({ resources: 4 });
  });

  test("--from starts at a step; a step the plan does not have is a usage error, not a silent 'complete'", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const from = await run(["--stack", "pr-42", "--project-dir", dir, ...yes, "--from", "stack-rm"], { world });
    expect(from.code).toBe(1); // the state still holds resources: pulumi stack rm refuses
    expect(from.stderr).toContain('step "stack-rm" (1/1) failed');
    const prod = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod", "--confirm", "prod", "--from", "purge-project"], { world: emptyWorld() });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain("--from purge-project is not a step of the teardown of prod (a prod stack), whose steps are: destroy, stack-rm");
    expect(prod.stderr).not.toContain("complete");
  });

  test("the re-run command of a failed dev or prod teardown keeps the flags that unlocked it", async () => {
    const devWorld = deployedWorld("dev-like", "", stackYaml());
    devWorld.failOnce.push("pulumi destroy");
    const dev = await run(["--stack", "dev-like", "--project-dir", dir, ...yes, "--confirm", "dev-like"], { world: devWorld });
    expect(dev.code).toBe(1);
    expect(dev.stderr).toContain(`npm run teardown -- --stack dev-like --yes --project-dir ${dir} --subscription ${SUBSCRIPTION} --confirm dev-like`);
    const prodWorld: FakeWorld = { ...emptyWorld(), stacks: { prod: { resources: 3 } }, failOnce: ["pulumi destroy"] };
    const prod = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod", "--confirm", "prod"], { world: prodWorld });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain(`npm run teardown -- --stack prod --yes --project-dir ${dir} --confirm prod --force-prod`);
  });

  test("refuses to check or run az commands without a subscription id", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--yes"], { world });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/subscription id is unknown: pass --subscription <id> or set ARM_SUBSCRIPTION_ID/);
    expect(world.calls).toEqual([]);
  });

  test("prod: refused without --force-prod (before anything is asked), and with it but without --confirm; with both, destroy and stack rm", async () => {
    const world: FakeWorld = { ...emptyWorld(), stacks: { prod: { resources: 3 } } };
    const noForce = await run(["--stack", "prod", "--project-dir", dir, "--yes"], { world });
    expect(noForce.code).toBe(1);
    expect(noForce.stderr).toMatch(/refusing to tear down "prod": it is a production stack/);
    const noConfirm = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod"], { world });
    expect(noConfirm.code).toBe(1);
    expect(noConfirm.stderr).toMatch(/--force-prod also needs --confirm prod/);
    expect(world.calls).toEqual([]);
    const both = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod", "--confirm", "prod"], { world });
    expect(both.code).toBe(0);
    expect(world.calls.filter((c) => !/ (ls|export) /.test(c))).toEqual(["pulumi destroy --stack prod --yes --non-interactive", "pulumi stack rm --stack prod --yes"]);
  });

  test("a stack named dev is refused without --confirm dev, whatever its file says", async () => {
    const testDev = projectDir({ dev: stackYaml({ environment: "test" }) });
    const world = deployedWorld("dev", "run-1234", stackYaml());
    const r = await run(["--stack", "dev", "--project-dir", testDev, ...yes], { world });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pass --confirm dev/);
    expect(world.calls).toEqual([]);
  });

  test("a missing stack file in a dry run is a clear error that says how to fetch the config", async () => {
    const r = await run(["--stack", "pr-404", "--project-dir", dir, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Pulumi\.pr-404\.yaml does not exist/);
    expect(r.stderr).toContain("pulumi config refresh --stack pr-404 --force");
  });

  test("an invalid config prints the ConfigError message", async () => {
    const r = await run(["--stack", "broken", "--project-dir", dir, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid stack configuration in .*Pulumi\.broken\.yaml/);
    expect(r.stderr).toMatch(/llama-finetune-env:location: "Not A Region" must be an Azure location name/);
  });

  test.each([
    [["--project-dir", "x", "--dry-run"], /--stack <name> is required/],
    [["--stack", "pr-42"], /nothing to do: pass --dry-run .* or --yes/],
    [["--stack", "pr-42", "--dry-run", "--yes"], /contradict each other/],
    [["--stack", "pr-42", "--yes", "--json"], /--json prints the plan, so it needs --dry-run/],
    [["--stack", "pr-42", "--dry-run", "--subscription", "nope"], /--subscription must be an Azure subscription id/],
    [["--stack", "pr-42", "--dry-run", "--from", "nowhere"], /--from must be one of cancel-jobs, purge-project, /],
    [["--stack", "../etc", "--dry-run"], /--stack must be a stack name/],
    [["--list-expired", "--stack", "pr-42"], /--list-expired cannot be combined with --stack/],
    [["--list-expired"], /--list-expired needs --stacks-json/],
    [["--stack", "pr-42", "--dry-run", "--stacks-json", "s.json"], /--stacks-json only go with --list-expired/],
    [["--no-such-flag"], /unknown option '--no-such-flag'/],
  ])("usage error %j exits 2", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
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
