/**
 * The teardown library and command in-process: refusals, the exact command list, resume,
 * the runner's stop-at-first-failure, and the expiry selection.
 */
import { stackNames } from "../../config/naming";
import { decodePulumiConfig, parseStackConfig, type StackConfig } from "../../config/schema";
import { readStackFile } from "../../config/stackFile";
import {
  assertTeardownAllowed,
  formatCommand,
  planTeardown,
  PROVIDERS_NOTE,
  runSteps,
  runTeardownCommand,
  selectExpiredStacks,
  StepFailed,
  TeardownRefusal,
  type CommandIo,
  type Spawner,
} from "../../teardown";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";

function configOf(dir: string, stack: string): StackConfig {
  const file = readStackFile(dir, stack);
  return parseStackConfig(decodePulumiConfig(file.config), file.path);
}

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  calls: string[][];
}

async function run(args: string[], options: { env?: Record<string, string>; exitCodes?: Record<string, number> } = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const calls: string[][] = [];
  const spawner: Spawner = async (command, argv) => {
    calls.push([command, ...argv]);
    const key = [command, ...argv].join(" ");
    const hit = Object.entries(options.exitCodes ?? {}).find(([prefix]) => key.startsWith(prefix));
    return hit ? hit[1] : 0;
  };
  const io: CommandIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    cwd: "/nonexistent",
    today: "2027-01-15",
    spawner,
  };
  const code = await runTeardownCommand(args, io);
  return { code, stdout, stderr, calls };
}

const names = stackNames({ prefix: "llft", project: "llama-finetune-env", stack: "pr-42", salt: "run-1234", subscriptionId: SUBSCRIPTION });
const ws = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${names.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}`;

/** The full, ordered plan for the fixture's pr-42 stack, as argv lists. */
const EXPECTED_PR42: string[][] = [
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.project)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.project), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["az", "rest", "--method", "delete", "--url", `https://management.azure.com${ws(names.hub)}?api-version=2024-10-01&forceToPurge=true`],
  ["az", "resource", "wait", "--deleted", "--ids", ws(names.hub), "--api-version", "2024-10-01", "--interval", "15", "--timeout", "1800"],
  ["pulumi", "destroy", "--stack", "pr-42", "--yes", "--non-interactive"],
  ["az", "keyvault", "purge", "--name", names.keyVault, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["az", "cognitiveservices", "account", "purge", "--name", names.aiServices, "--resource-group", names.resourceGroup, "--location", "westus3", "--subscription", SUBSCRIPTION],
  ["pulumi", "stack", "rm", "--stack", "pr-42", "--yes"],
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

  test("the stricter of name and environment wins", () => {
    // A stack named prod is production whatever its file says, and environment prod is production whatever the name.
    expect(() => assertTeardownAllowed({ stack: "prod", environment: "test", forceProd: false })).toThrow(TeardownRefusal);
    expect(() => assertTeardownAllowed({ stack: "pr-7", environment: "prod", forceProd: false, confirm: "pr-7" })).toThrow(/production stack/);
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

  test("a test stack: purge workspaces, destroy, purge key vault and AI Services, stack rm — in that order", () => {
    const plan = planTeardown({ stack: "pr-42", config: configOf(dir, "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION });
    expect(plan.steps.map((s) => s.argv)).toEqual(EXPECTED_PR42);
    expect(plan.steps.map((s) => s.id)).toEqual(["purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"]);
    expect(plan.notes).toContain(PROVIDERS_NOTE);
    // Nothing ever unregisters a provider.
    expect(plan.steps.some((s) => s.argv.includes("unregister"))).toBe(false);
  });

  test("the names follow the stack's salt (a re-created stack gets new names)", () => {
    const other = planTeardown({ stack: "pr-42", config: { ...configOf(dir, "pr-42"), nameSalt: "run-9999" }, kind: "test", subscriptionId: SUBSCRIPTION });
    expect(formatCommand(other.steps[5].argv)).not.toContain(names.keyVault);
  });

  test("a stack that protects data (prod) gets destroy and stack rm only, never a purge", () => {
    const plan = planTeardown({ stack: "prod", config: configOf(dir, "prod"), kind: "prod", subscriptionId: SUBSCRIPTION });
    expect(plan.steps.map((s) => s.argv)).toEqual([
      ["pulumi", "destroy", "--stack", "prod", "--yes", "--non-interactive"],
      ["pulumi", "stack", "rm", "--stack", "prod", "--yes"],
    ]);
    expect(plan.notes.join("\n")).toMatch(/No purge for a prod stack/);
  });

  test("formatCommand quotes what a shell would interpret", () => {
    expect(formatCommand(["az", "rest", "--url", "https://x/y?a=1&b=2"])).toBe("az rest --url 'https://x/y?a=1&b=2'");
    expect(formatCommand(["echo", "it's"])).toBe(`echo 'it'\\''s'`);
  });
});

describe("the runner", () => {
  const steps = planTeardown({ stack: "pr-42", config: configOf(projectDir({ "pr-42": stackYaml() }), "pr-42"), kind: "test", subscriptionId: SUBSCRIPTION }).steps;

  test("stops at the first failing step and says how to resume", async () => {
    const calls: string[] = [];
    const spawner: Spawner = async (command, args) => {
      calls.push(`${command} ${args[0]}`);
      return command === "pulumi" && args[0] === "destroy" ? 255 : 0;
    };
    const failure = runSteps(steps, { spawner, log: () => undefined, resumeCommand: (id) => `resume --from ${id}` });
    await expect(failure).rejects.toThrow(StepFailed);
    await expect(failure).rejects.toThrow(/step "destroy" \(5\/8\) failed: exit code 255[\s\S]*resume --from destroy/);
    expect(calls).toEqual(["az rest", "az resource", "az rest", "az resource", "pulumi destroy"]);
  });

  test("a program that is not installed is named", async () => {
    const spawner: Spawner = async () => {
      throw Object.assign(new Error("spawn az ENOENT"), { code: "ENOENT" });
    };
    await expect(runSteps(steps, { spawner, log: () => undefined, resumeCommand: () => "" })).rejects.toThrow(/"az" is not installed or not on PATH/);
  });
});

describe("the command, in-process", () => {
  const dir = projectDir({
    "pr-42": stackYaml(),
    prod: stackYaml({ environment: "prod", expiresOn: null }),
    dev: stackYaml({ environment: "dev", expiresOn: null }),
    broken: stackYaml({ location: "Not A Region" }),
  });

  test("--dry-run --json prints the plan as a list, with the subscription from ARM_SUBSCRIPTION_ID", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"], { env: { ARM_SUBSCRIPTION_ID: SUBSCRIPTION } });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { stack: string; kind: string; steps: { argv: string[] }[] };
    expect(json.stack).toBe("pr-42");
    expect(json.kind).toBe("test");
    expect(json.steps.map((s) => s.argv)).toEqual(EXPECTED_PR42);
    expect(r.calls).toEqual([]);
  });

  test("--dry-run without a subscription shows the placeholder and runs nothing", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/subscriptions/<subscription-id>/resourceGroups/");
    expect(r.stdout).toContain("pulumi destroy --stack pr-42 --yes --non-interactive");
    expect(r.stdout).toContain("never unregistered");
    expect(r.calls).toEqual([]);
  });

  test("--yes runs every command in order", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--yes", "--subscription", SUBSCRIPTION]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(EXPECTED_PR42);
    expect(r.stderr).toContain("teardown of pr-42 complete");
  });

  test("--from resumes at a step", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--yes", "--subscription", SUBSCRIPTION, "--from", "purge-key-vault"]);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(EXPECTED_PR42.slice(5));
  });

  test("a failing step exits 1 and prints the resume command", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--yes", "--subscription", SUBSCRIPTION], { exitCodes: { "az keyvault purge": 1 } });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual(EXPECTED_PR42.slice(0, 6));
    expect(r.stderr).toContain('step "purge-key-vault" (6/8) failed: exit code 1');
    expect(r.stderr).toContain(`npm run teardown -- --stack pr-42 --yes --from purge-key-vault --subscription ${SUBSCRIPTION}`);
  });

  test("refuses to run az commands without a subscription id", async () => {
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/subscription id is unknown: pass --subscription <id> or set ARM_SUBSCRIPTION_ID/);
    expect(r.calls).toEqual([]);
  });

  test("refuses prod without --force-prod, and with it but without --confirm", async () => {
    const noForce = await run(["--stack", "prod", "--project-dir", dir, "--dry-run"]);
    expect(noForce.code).toBe(1);
    expect(noForce.stderr).toMatch(/refusing to tear down "prod": it is a production stack/);
    const noConfirm = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod"]);
    expect(noConfirm.code).toBe(1);
    expect(noConfirm.stderr).toMatch(/--force-prod also needs --confirm prod/);
    expect(noConfirm.calls).toEqual([]);
    const both = await run(["--stack", "prod", "--project-dir", dir, "--yes", "--force-prod", "--confirm", "prod"]);
    expect(both.code).toBe(0);
    expect(both.calls).toEqual([
      ["pulumi", "destroy", "--stack", "prod", "--yes", "--non-interactive"],
      ["pulumi", "stack", "rm", "--stack", "prod", "--yes"],
    ]);
  });

  test("refuses dev without --confirm dev", async () => {
    const r = await run(["--stack", "dev", "--project-dir", dir, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pass --confirm dev/);
  });

  test("a missing stack file is a clear error that says how to fetch the config", async () => {
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
    [["--stack", "pr-42", "--dry-run", "--from", "nowhere"], /--from must be one of purge-project, /],
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
