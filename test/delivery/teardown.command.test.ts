/**
 * The teardown command in-process, against a fake world (test/delivery/fakeCloud.ts) that
 * behaves like Azure and the state backend: complete, re-run, failed midway and re-run, first
 * up failed early, never deployed, config only in the backend, refusals and usage errors.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { formatCommand } from "../../teardown";
import { deployedWorld, emptyWorld, leftovers } from "./fakeBin";
import type { FakeWorld } from "./fakeCloud";
import { projectDir, stackYaml, SUBSCRIPTION } from "./fixtures";
import { EXPECTED_CHECKS, EXPECTED_PR42, names, run } from "./teardownExpected";

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
