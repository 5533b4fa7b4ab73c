/**
 * Where the teardown gets a stack's config when its file is not in the checkout (the backend,
 * via `pulumi config refresh`), every way that can go wrong, and the refusals that must come
 * before anything is asked. Also --list-expired's own input errors.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveStackConfig, selectExpiredStacks, TeardownRefusal, type Executor } from "../../teardown";
import { deployedWorld, emptyWorld, fakeExecutor } from "./fakeBin";
import type { FakeWorld } from "./fakeCloud";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";
import { configOf, run } from "./teardownExpected";

describe("the config from the backend", () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  beforeEach(() => (lines.length = 0));

  test("a file in the project directory is used as it is, and nothing is asked", async () => {
    const dir = projectDir({ "pr-42": stackYaml() });
    const world = emptyWorld();
    const r = await resolveStackConfig(dir, "pr-42", fakeExecutor(world), log);
    expect(r).toEqual({ source: "file", config: configOf(dir, "pr-42"), path: join(dir, "Pulumi.pr-42.yaml") });
    expect(world.calls).toEqual([]);
  });

  test("a missing file is fetched from the last deployment, saying so", async () => {
    const dir = projectDir({});
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const r = await resolveStackConfig(dir, "pr-42", fakeExecutor(world), log);
    expect(r).toMatchObject({ source: "backend", path: join(dir, "Pulumi.pr-42.yaml"), config: { environment: "test", nameSalt: "run-1234" } });
    expect(lines).toEqual([`note: ${join(dir, "Pulumi.pr-42.yaml")} is missing; fetching the config of pr-42's last deployment from the backend`]);
    expect(world.calls).toEqual(["pulumi stack ls --json", "pulumi config refresh --stack pr-42 --force"]);
  });

  test("a stack not in the backend has none, and says why", async () => {
    const dir = projectDir({});
    const r = await resolveStackConfig(dir, "pr-7", fakeExecutor(emptyWorld()), log);
    expect(r).toEqual({ source: "none", reason: `stack pr-7 in the state backend does not exist and there is no ${join(dir, "Pulumi.pr-7.yaml")}: nothing of it is left to address` });
    expect(lines).toEqual([]);
  });

  test("a refresh that fails, on a stack with resources: refused, quoting the failure", async () => {
    const dir = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-9": { resources: 4 } } };
    const r = resolveStackConfig(dir, "pr-9", fakeExecutor(world), log);
    await expect(r).rejects.toThrow(TeardownRefusal);
    await expect(r).rejects.toThrow(
      "stack pr-9 holds resources in its state, but its config is not usable, so the names of its Azure resources cannot be derived:\n" +
        `  "pulumi config refresh --stack pr-9 --force" failed (exit code 255): error: no previous deployment of stack 'pr-9'\n` +
        `  Restore ${join(dir, "Pulumi.pr-9.yaml")} (e.g. from the branch that deployed it), then run the teardown again.`,
    );
  });

  test("a refresh that succeeds but writes no file, on a stack with resources: refused, saying so", async () => {
    const dir = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-9": { resources: 4 } } };
    const exec: Executor = { ...fakeExecutor(world), capture: async (argv, cwd) => (argv[1] === "config" ? { code: 0, stdout: "", stderr: "" } : fakeExecutor(world).capture(argv, cwd)) };
    await expect(resolveStackConfig(dir, "pr-9", exec, log)).rejects.toThrow(`  "pulumi config refresh --stack pr-9 --force" wrote no ${join(dir, "Pulumi.pr-9.yaml")}\n`);
  });

  test("a refreshed config that is invalid, on a stack with resources: refused with the config error", async () => {
    const dir = projectDir({});
    const world = deployedWorld("pr-9", "run-1234", stackYaml({ location: "Not A Region" }));
    await expect(resolveStackConfig(dir, "pr-9", fakeExecutor(world), log)).rejects.toThrow(/config is not usable[\s\S]*"Not A Region" must be an Azure location name/);
  });

  test("a refreshed file that is not YAML, on a stack with resources: refused with the file's problem", async () => {
    const dir = projectDir({});
    const world = deployedWorld("pr-9", "run-1234", "config: [unclosed\n");
    await expect(resolveStackConfig(dir, "pr-9", fakeExecutor(world), log)).rejects.toThrow(
      new RegExp(`config is not usable[^\\n]*:\\n  ${join(dir, "Pulumi.pr-9.yaml")} is not valid YAML`),
    );
  });

  test("a refresh that fails on a stack without resources: there is no config, and nothing to address", async () => {
    const dir = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-8": { resources: 0 } } };
    await expect(resolveStackConfig(dir, "pr-8", fakeExecutor(world), log)).resolves.toEqual({
      source: "none",
      reason: "stack pr-8 was never deployed (its state holds no resources, and it has no config)",
    });
  });

  test("pulumi that cannot start: refused, naming the command", async () => {
    const dir = projectDir({});
    const world: FakeWorld = { ...emptyWorld(), stacks: { "pr-9": { resources: 4 } } };
    const exec: Executor = {
      ...fakeExecutor(world),
      capture: async (argv, cwd) => (argv[1] === "config" ? Promise.reject(new Error("spawn pulumi EACCES")) : fakeExecutor(world).capture(argv, cwd)),
    };
    await expect(resolveStackConfig(dir, "pr-9", exec, log)).rejects.toThrow(new TeardownRefusal('could not run "pulumi config refresh --stack pr-9 --force": spawn pulumi EACCES'));
  });
});

describe("refusals come before anything is asked", () => {
  test("a backend that cannot be asked (not logged in): exit 1 with the check's output, and no step runs", async () => {
    const world = deployedWorld("pr-42", "run-1234", stackYaml());
    const exec: Executor = { ...fakeExecutor(world), capture: async () => ({ code: 255, stdout: "", stderr: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions" }) };
    const r = await run(["--stack", "pr-42", "--project-dir", projectDir({}), "--yes", "--subscription", SUBSCRIPTION], { exec });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "teardown: could not check for stack pr-42 in the state backend: exit code 255: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n" +
        "  check: pulumi stack ls --json\n",
    );
    expect(world.stacks["pr-42"].resources).toBe(12);
  });

  test("a stack named prod without its file: refused by its name, without asking the backend", async () => {
    const world: FakeWorld = { ...emptyWorld(), stacks: { prod: { resources: 3 } } };
    const r = await run(["--stack", "prod", "--project-dir", projectDir({}), "--yes", "--subscription", SUBSCRIPTION], { world });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to tear down "prod": it is a production stack \(by its name; it has no config\)/);
    expect(world.calls).toEqual([]);
  });

  test("a stack named dev without its file: refused without --confirm dev, without asking the backend", async () => {
    const world: FakeWorld = { ...emptyWorld(), stacks: { dev: { resources: 3 } } };
    const r = await run(["--stack", "dev", "--project-dir", projectDir({}), "--yes", "--subscription", SUBSCRIPTION], { world });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('teardown: "dev" is the long-lived, shared dev stack: pass --confirm dev to tear it down (test stacks such as pr-42 need no confirmation)\n');
    expect(world.calls).toEqual([]);
  });

  test("a file that says prod, under another name: with --force-prod and --confirm it is torn down as production (no purge)", async () => {
    const dir = projectDir({ "pr-5": stackYaml({ environment: "prod", expiresOn: null }) });
    const r = await run(["--stack", "pr-5", "--project-dir", dir, "--dry-run", "--json", "--force-prod", "--confirm", "pr-5"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: "prod", steps: [{ id: "destroy" }, { id: "stack-rm" }] });
  });

  test("a file that says prod, under another name, fetched from the backend: refused after the fetch, before any step", async () => {
    const world = deployedWorld("pr-5", "run-1234", stackYaml({ environment: "prod", expiresOn: null }));
    const r = await run(["--stack", "pr-5", "--project-dir", projectDir({}), "--yes", "--subscription", SUBSCRIPTION], { world });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to tear down "pr-5": it is a production stack \(environment prod\)/);
    expect(world.calls).toEqual(["pulumi stack ls --json", "pulumi config refresh --stack pr-5 --force"]);
  });
});

describe("--list-expired input", () => {
  const dir = projectDir({ "pr-1": stackYaml({ expiresOn: "2027-01-10" }) });

  test("a --stacks-json that cannot be read: exit 1 naming the file", async () => {
    const r = await run(["--list-expired", "--stacks-json", join(dir, "missing.json"), "--project-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^teardown: cannot read --stacks-json ${join(dir, "missing.json")}: ENOENT`));
  });

  test("a stack list whose entries lack names: the schema's message, naming the file", async () => {
    const list = join(dir, "nameless.json");
    writeFileSync(list, JSON.stringify([{ name: "" }]));
    const r = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^teardown: --stacks-json ${list} Too small`));
  });

  test("a skipped stack is reported by the first line of its reason only; --today must be a date", async () => {
    const list = join(dir, "stacks.json");
    writeFileSync(list, JSON.stringify([{ name: "pr-1" }, { name: "pr-gone" }]));
    const r = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("pr-1\n");
    expect(r.stderr.split("\n").filter((l) => l.startsWith("skip "))).toHaveLength(1);
    expect(r.stderr).toMatch(/^skip pr-gone: [^\n]*Pulumi\.pr-gone\.yaml does not exist[^\n]*\n$/);
    const bad = await run(["--list-expired", "--stacks-json", list, "--project-dir", dir, "--today", "15.01.2027"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("teardown: --today must be a date as YYYY-MM-DD\nRun with --help for the flags.\n");
  });

  test("the same stack listed twice (short and qualified) is decided once; the result is sorted", () => {
    const d = selectExpiredStacks(["pr-1", "org/p/pr-1", "org/p/pr-0"], () => configOf(dir, "pr-1"), "2027-01-15");
    expect(d).toEqual({ expired: ["pr-0", "pr-1"], skipped: [] });
  });
});
