/**
 * `tsx cli/teardown.ts` end to end, as a person or a workflow runs it: exit codes 0/1/2,
 * messages, and — with fake `pulumi` and `az` programs first on PATH — the commands really
 * spawned, in order, and the stop at the first failure.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";

const ROOT = join(__dirname, "..", "..");

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("npx", ["tsx", "cli/teardown.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ARM_SUBSCRIPTION_ID: "", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A bin directory with fake `pulumi` and `az` that log their arguments and fail on request. */
function fakeTools(): { bin: string; log: string } {
  const bin = mkdtempSync(join(tmpdir(), "teardown-bin-"));
  const log = join(bin, "calls.log");
  const script = [
    "#!/bin/sh",
    'line="$(basename "$0") $*"',
    'printf "%s\\n" "$line" >> "$FAKE_LOG"',
    'if [ -n "$FAKE_FAIL" ]; then case "$line" in "$FAKE_FAIL"*) exit 3 ;; esac; fi',
    "exit 0",
    "",
  ].join("\n");
  for (const tool of ["pulumi", "az"]) {
    writeFileSync(join(bin, tool), script);
    chmodSync(join(bin, tool), 0o755);
  }
  return { bin, log };
}

const dir = projectDir({ "pr-42": stackYaml(), prod: stackYaml({ environment: "prod", expiresOn: null }) });

test("--dry-run --json prints the command list and exits 0", () => {
  const r = cli(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"]);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as { steps: { id: string; command: string }[] };
  expect(plan.steps.map((s) => s.id)).toEqual(["purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"]);
  expect(plan.steps[4].command).toBe("pulumi destroy --stack pr-42 --yes --non-interactive");
  expect(plan.steps[0].command).toContain("/subscriptions/<subscription-id>/");
});

test("prod without --force-prod exits 1 with the refusal", () => {
  const r = cli(["--stack", "prod", "--project-dir", dir, "--yes"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/refusing to tear down "prod": it is a production stack/);
  expect(r.stdout).toBe("");
});

test("a usage error exits 2", () => {
  const r = cli(["--stack", "pr-42", "--project-dir", dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/nothing to do: pass --dry-run to print the commands, or --yes to run them/);
});

test("a missing stack file exits 1 and names the file", () => {
  const r = cli(["--stack", "pr-9", "--project-dir", dir, "--dry-run"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Pulumi\.pr-9\.yaml does not exist/);
});

test("--yes spawns every command in order (fake pulumi and az on PATH)", () => {
  const { bin, log } = fakeTools();
  const r = cli(["--stack", "pr-42", "--project-dir", dir, "--yes"], {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    FAKE_LOG: log,
    ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
  });
  expect(r.stderr).toContain("teardown of pr-42 complete");
  expect(r.code).toBe(0);
  const calls = readFileSync(log, "utf8").trim().split("\n");
  expect(calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
    "az rest --method",
    "az resource wait",
    "az rest --method",
    "az resource wait",
    "pulumi destroy --stack",
    "az keyvault purge",
    "az cognitiveservices account",
    "pulumi stack rm",
  ]);
  expect(calls[0]).toContain(`/subscriptions/${SUBSCRIPTION}/resourceGroups/`);
  expect(calls[0]).toContain("forceToPurge=true");
});

test("a failing command stops the run, exits 1 and prints how to resume", () => {
  const { bin, log } = fakeTools();
  const r = cli(["--stack", "pr-42", "--project-dir", dir, "--yes", "--subscription", SUBSCRIPTION], {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    FAKE_LOG: log,
    FAKE_FAIL: "pulumi destroy",
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('step "destroy" (5/8) failed: exit code 3');
  expect(r.stderr).toContain(`npm run teardown -- --stack pr-42 --yes --from destroy --subscription ${SUBSCRIPTION}`);
  expect(existsSync(log) && readFileSync(log, "utf8").trim().split("\n")).toHaveLength(5);
});
