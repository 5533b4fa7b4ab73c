/**
 * The shell scripts the workflows call, run with bash against a fake `pulumi`:
 * - require-settings.sh: one clear error per empty setting (named as the GitHub variable), exit 1;
 * - stack-exists.sh: exists=true/false in $GITHUB_OUTPUT; a new, empty state container (the
 *   login fails writing .pulumi/meta.yaml) means "no stack yet"; any other failure is an error.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const SCRIPTS = join(__dirname, "..", "..", ".github", "scripts");

function bash(script: string, args: string[], env: Record<string, string>) {
  const r = spawnSync("bash", [join(SCRIPTS, script), ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("require-settings.sh", () => {
  const all = { PULUMI_BACKEND_URL: "azblob://state-dev", ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_SUBSCRIPTION_ID: "s" };
  const names = Object.keys(all);

  test("passes when every setting is there", () => {
    const r = bash("require-settings.sh", ["dev", ...names], all);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("All 4 required settings are present for environment 'dev'.");
  });

  test("names every empty setting as the variable to set, in which environment, then exits 1", () => {
    const r = bash("require-settings.sh", ["dev-preview", ...names], { ...all, ARM_CLIENT_ID: "", PULUMI_BACKEND_URL: "" });
    expect(r.code).toBe(1);
    const errors = r.stdout.split("\n").filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("The variable PULUMI_BACKEND_URL is empty for the GitHub environment 'dev-preview'");
    expect(errors[1]).toContain("The variable AZURE_CLIENT_ID is empty");
    expect(r.stderr).toContain("2 required setting(s) missing");
  });
});

describe("stack-exists.sh", () => {
  /** A pulumi that logs in as told by FAKE_LOGIN (ok, meta, fail) and lists FAKE_STACKS. */
  function fakePulumi(): string {
    const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
    writeFileSync(
      join(bin, "pulumi"),
      [
        "#!/bin/sh",
        'case "$1" in',
        "  login)",
        '    case "$FAKE_LOGIN" in',
        '      ok) echo "Logged in to runner as runner (azblob://state)"; exit 0 ;;',
        '      meta) echo "error: write \\".pulumi/meta.yaml\\": blob (code=PermissionDenied): AuthorizationPermissionMismatch" >&2; exit 255 ;;',
        '      *) echo "error: could not log in: DefaultAzureCredential: failed to acquire a token" >&2; exit 255 ;;',
        "    esac ;;",
        '  stack) if [ -n "$FAKE_LS_FAIL" ]; then echo "error: listing stacks: throttled" >&2; exit 255; fi; printf "%s" "$FAKE_STACKS"; exit 0 ;;',
        "esac",
        "exit 2",
        "",
      ].join("\n"),
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    return bin;
  }
  const bin = fakePulumi();
  function exists(env: Record<string, string>) {
    const output = join(mkdtempSync(join(tmpdir(), "gh-output-")), "output");
    writeFileSync(output, "");
    const r = bash("stack-exists.sh", ["dev"], { PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`, PULUMI_BACKEND_URL: "azblob://state", GITHUB_OUTPUT: output, FAKE_STACKS: "[]", ...env });
    return { ...r, output: readFileSync(output, "utf8") };
  }

  test("a listed stack exists (plain or qualified names)", () => {
    expect(exists({ FAKE_LOGIN: "ok", FAKE_STACKS: '[{"name":"dev","current":false}]' }).output).toBe("exists=true\n");
    expect(exists({ FAKE_LOGIN: "ok", FAKE_STACKS: '[{"name":"org/llama-finetune-env/dev"}]' }).output).toBe("exists=true\n");
  });

  test("a stack not listed does not exist yet: notice, exit 0", () => {
    const r = exists({ FAKE_LOGIN: "ok", FAKE_STACKS: '[{"name":"prod"},{"name":"dev-2"}]' });
    expect(r.code).toBe(0);
    expect(r.output).toBe("exists=false\n");
    expect(r.stdout).toContain("::notice title=No stack yet::Stack dev does not exist in the state backend yet");
  });

  test("a new, empty state container that this identity cannot initialise means no stack yet", () => {
    const r = exists({ FAKE_LOGIN: "meta" });
    expect(r.code).toBe(0);
    expect(r.output).toBe("exists=false\n");
    expect(r.stdout).toContain("::notice title=No state yet::");
  });

  test("any other login failure, or a failed listing, is an error, never 'does not exist'", () => {
    const login = exists({ FAKE_LOGIN: "fail" });
    expect(login.code).toBe(1);
    expect(login.output).toBe("");
    expect(login.stdout).toContain("::error title=State backend::");
    const listing = exists({ FAKE_LOGIN: "ok", FAKE_LS_FAIL: "1" });
    expect(listing.code).not.toBe(0);
    expect(listing.output).toBe("");
  });
});
