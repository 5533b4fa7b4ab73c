/**
 * `tsx cli/teardown.ts` end to end, as a person or a workflow runs it: exit codes 0/1/2 and
 * messages; with fake `az` and `pulumi` that answer "not found" to everything, a teardown that
 * skips every step (twice, the same way); and with the stateful fake cloud on PATH
 * (test/delivery/fakeCloud.ts as real executables), a teardown that fails midway and is
 * completed by running the same command again.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { stackNames } from "../../config/naming";
import { deployedWorld, fakeBin, leftovers } from "./fakeBin";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function cli(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const result = spawnSync(TSX, [join(ROOT, "cli", "teardown.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ARM_SUBSCRIPTION_ID: "", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `az` and `pulumi` that print a not-found error and exit 3 whatever they are asked. */
function notFoundTools(): string {
  const bin = mkdtempSync(join(tmpdir(), "teardown-notfound-"));
  for (const tool of ["az", "pulumi"]) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "ERROR: (ResourceNotFound) $(basename "$0") $1: not found" >&2\nexit 3\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return `${bin}${delimiter}${process.env.PATH ?? ""}`;
}

const dir = projectDir({ "pr-42": stackYaml(), prod: stackYaml({ environment: "prod", expiresOn: null }) });

test("--dry-run --json prints the command list and exits 0", () => {
  const r = cli(["--stack", "pr-42", "--project-dir", dir, "--dry-run", "--json"]);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as { steps: { id: string; command: string }[] };
  expect(plan.steps.map((s) => s.id)).toEqual(["cancel-jobs", "purge-project", "wait-project", "purge-hub", "wait-hub", "destroy", "purge-key-vault", "purge-ai-services", "stack-rm"]);
  expect(plan.steps[5].command).toBe("pulumi destroy --stack pr-42 --yes --non-interactive");
  expect(plan.steps[1].command).toContain("/subscriptions/<subscription-id>/");
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

test("a dry run of a stack without a file exits 1 and names the file", () => {
  const r = cli(["--stack", "pr-9", "--project-dir", dir, "--dry-run"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Pulumi\.pr-9\.yaml does not exist/);
});

describe("with az and pulumi answering 'not found' to everything", () => {
  const path = notFoundTools();

  test("npm run teardown -- --stack pr-7 --yes (from the repository root) skips every step, twice the same way", () => {
    const runs = [cli(["--stack", "pr-7", "--yes"], { PATH: path }), cli(["--stack", "pr-7", "--yes"], { PATH: path })];
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stderr.match(/^ {4}skipped: .* does not exist/gm)).toHaveLength(9);
      expect(r.stderr).toContain("nothing to tear down for pr-7: all 9 steps were skipped because their targets are absent.");
      expect(r.stderr).not.toContain("complete");
    }
    expect(runs[1].stderr).toBe(runs[0].stderr);
  });

  test("with the stack file present, every Azure check says 'not found' too, and every step is skipped", () => {
    const withFile = projectDir({ "pr-7": stackYaml() });
    const r = cli(["--stack", "pr-7", "--project-dir", withFile, "--yes", "--subscription", SUBSCRIPTION], { PATH: path });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("skipped: resource group ");
    expect(r.stderr).toContain("(ERROR: (ResourceNotFound) az group: not found)");
    expect(r.stderr).toContain("nothing to tear down for pr-7: all 9 steps were skipped");
  });
});

test("a teardown that fails midway exits 1; the same command run again completes it; a third run has nothing to do", () => {
  const world = deployedWorld("pr-42", "run-1234", stackYaml());
  world.failOnce.push("pulumi destroy");
  const bin = fakeBin(world);
  const env = { PATH: bin.path, FAKE_CLOUD_STATE: bin.stateFile, ARM_SUBSCRIPTION_ID: SUBSCRIPTION };
  const args = ["--stack", "pr-42", "--project-dir", dir, "--yes"];

  const failed = cli(args, env);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('step "destroy" (6/9) failed: exit code 1');
  expect(failed.stderr).toContain(`npm run teardown -- --stack pr-42 --yes --project-dir ${dir}`);
  const n = stackNames({ prefix: "llft", project: "llama-finetune-env", stack: "pr-42", salt: "run-1234", subscriptionId: SUBSCRIPTION });
  expect(leftovers(bin.read())).toEqual(["stack pr-42", `resource group ${n.resourceGroup}`]);

  const again = cli(args, env);
  expect(again.code).toBe(0);
  expect(again.stderr).toContain("teardown of pr-42 complete: 4 of 9 steps ran; 5 were skipped");
  expect(leftovers(bin.read())).toEqual([]);

  const third = cli(args, env);
  expect(third.code).toBe(0);
  expect(third.stderr).toContain("nothing to tear down for pr-42: all 9 steps were skipped because their targets are absent.");
});
