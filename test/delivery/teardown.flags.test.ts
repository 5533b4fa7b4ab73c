/**
 * The teardown command's flags: which go together, which values are refused (exit 2, with
 * every problem at once), and the defaults taken from the environment (today's date, the
 * subscription id).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runTeardownCommand } from "../../teardown";
import { emptyWorld, fakeExecutor } from "./fakeBin";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";
import { run } from "./teardownExpected";

describe("flags that do not go together", () => {
  test("--list-expired names every teardown-only flag it was given", async () => {
    const r = await run(["--list-expired", "--stacks-json", "s.json", "--dry-run", "--yes", "--confirm", "x", "--force-prod", "--subscription", SUBSCRIPTION, "--from", "destroy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "teardown: --list-expired cannot be combined with --dry-run, --yes, --confirm, --force-prod, --subscription, --from\nRun with --help for the flags.\n",
    );
  });

  test("a teardown names every list-only flag it was given", async () => {
    const r = await run(["--stack", "pr-42", "--dry-run", "--stacks-json", "s.json", "--today", "2027-01-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("teardown: --stacks-json, --today only go with --list-expired\nRun with --help for the flags.\n");
  });

  test("every problem with the values is reported at once, one per line", async () => {
    const r = await run(["--stack", "pr-42", "--yes", "--json", "--subscription", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "teardown: --subscription must be an Azure subscription id (a GUID)\n--json prints the plan, so it needs --dry-run\nRun with --help for the flags.\n",
    );
  });
});

describe("values that are refused", () => {
  test("--from names every step it accepts", async () => {
    const r = await run(["--stack", "pr-42", "--dry-run", "--from", "nowhere"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "teardown: --from must be one of cancel-jobs, purge-project, wait-project, purge-hub, wait-hub, destroy, purge-key-vault, purge-ai-services, stack-rm\nRun with --help for the flags.\n",
    );
  });

  test.each(["cancel-jobs", "purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"])(
    "--from %s starts the plan at that step",
    async (from) => {
      const dir = projectDir({ "pr-42": stackYaml() });
      const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json", "--from", from]);
      expect(r.code).toBe(0);
      const ids = (JSON.parse(r.stdout) as { steps: { id: string }[] }).steps.map((s) => s.id);
      expect(ids[0]).toBe(from);
      expect(ids.at(-1)).toBe("stack-rm");
    },
  );

  test.each([
    [["--stack", "pr-42", "--dry-run", "--confirm", ""], "Too small: expected string to have >=1 characters"],
    [["--stack", "pr-42", "--dry-run", "--project-dir", ""], "Too small: expected string to have >=1 characters"],
    [["--list-expired", "--stacks-json", ""], '--list-expired needs --stacks-json <file> (the output of "pulumi stack ls --json")'],
  ])("an empty value %j is a usage error", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`teardown: ${message}\nRun with --help for the flags.\n`);
  });

  test.each(["2027-1-15", "x2027-01-15", "2027-01-150", "15.01.2027"])("--today %s is not a date", async (today) => {
    const r = await run(["--list-expired", "--stacks-json", "s.json", "--today", today]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("teardown: --today must be a date as YYYY-MM-DD\nRun with --help for the flags.\n");
  });

  test("an ARM_SUBSCRIPTION_ID that is not a GUID is refused, naming where it came from", async () => {
    const dir = projectDir({ "pr-42": stackYaml() });
    const r = await run(["--stack", "pr-42", "--project-dir", dir, "--dry-run"], { env: { ARM_SUBSCRIPTION_ID: "nope" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^teardown: Invalid subscription id from --subscription \/ ARM_SUBSCRIPTION_ID: "nope" is not an Azure subscription id/);
  });

  test("a dry run without the stack file: exit 1, saying where the names come from and how to fetch them", async () => {
    const dir = projectDir({});
    const r = await run(["--stack", "pr-404", "--project-dir", dir, "--dry-run"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `teardown: ${join(dir, "Pulumi.pr-404.yaml")} does not exist: a dry run reads the names from it.\n` +
        "  For a stack that exists in the backend, fetch its config first: pulumi config refresh --stack pr-404 --force\n" +
        "  (with --yes the teardown fetches it itself, and skips everything if the stack was never deployed)\n",
    );
  });
});

describe("today, when not given", () => {
  test("--list-expired compares with today's date (UTC) by default", async () => {
    const dir = projectDir({ "pr-old": stackYaml({ expiresOn: "2000-01-01" }), "pr-new": stackYaml({ expiresOn: "2999-12-31" }) });
    const list = join(dir, "stacks.json");
    writeFileSync(list, JSON.stringify([{ name: "pr-old" }, { name: "pr-new" }]));
    let stdout = "";
    let stderr = "";
    const code = await runTeardownCommand(["--list-expired", "--stacks-json", list, "--project-dir", dir], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: {},
      cwd: dir,
      exec: fakeExecutor(emptyWorld()),
    });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "pr-old\n", stderr: "skip pr-new: expires on 2999-12-31\n" });
  });
});
