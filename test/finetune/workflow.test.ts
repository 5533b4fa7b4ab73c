/**
 * The Fine-tune workflow: valid for GitHub's parser and SchemaStore's schema, the repository's
 * conventions (docs/delivery.md), and its two scripts run for real with stand-ins for `npm`,
 * `gh` and the GitHub remote.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { parseWithGitHubParser } from "../delivery/workflowParser";

const ROOT = join(__dirname, "..", "..");
const FILE = join(ROOT, ".github", "workflows", "finetune.yml");
const text = readFileSync(FILE, "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  "timeout-minutes"?: number;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
const wf = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> };
const jobs = Object.entries(wf.jobs);
const AZURE_JOBS = ["run", "resume-1", "resume-2", "evaluate"];

/**
 * The pins the delivery workflows use (H4's pull-request.yml); one SHA per action across the repository.
 * Found in: /work/wt/h4-delivery/.github/workflows/pull-request.yml.
 */
const PINS: Record<string, string> = {
  "actions/checkout": "8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1",
  "actions/setup-node": "6044e13b5dc448c55e2357c09f80417699197238 # v6.2.0",
  "actions/upload-artifact": "330a01c490aca151604b8cf639adc76d48f6c5d4 # v5.0.0",
  "actions/download-artifact": "634f93cb2916e3fdff6788551b99b062d0335ce0 # v5.0.0",
  "actions/github-script": "ed597411d8f924073f98dfc5c65a23a2325f34cd # v8.0.0",
  "azure/login": "a457da9ea143d694b1b9c7c869ebb04ebe844ef5 # v2.3.0",
};

describe("finetune.yml", () => {
  test("parses with GitHub's workflow parser and validates against the SchemaStore schema", async () => {
    const parsed = await parseWithGitHubParser("finetune.yml", text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.jobIds.sort()).toEqual(Object.keys(wf.jobs).sort());
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  test("manual dispatch with the stack as input", () => {
    expect(Object.keys(wf.on)).toEqual(["workflow_dispatch"]);
    const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { required: boolean; type: string }> }).inputs;
    expect(inputs.stack).toMatchObject({ required: true, type: "string" });
    expect(Object.keys(inputs).sort()).toEqual(["force", "mode", "pr", "stack"]);
  });

  test("least privilege: nothing at the top; Azure jobs read + OIDC; only the PR and comment jobs write to GitHub", () => {
    expect(wf.permissions).toEqual({});
    const perms = Object.fromEntries(jobs.map(([id, j]) => [id, j.permissions]));
    for (const id of AZURE_JOBS) expect(perms[id]).toEqual({ contents: "read", "id-token": "write" });
    expect(perms["pull-request"]).toEqual({ contents: "write", "pull-requests": "write" });
    expect(perms.comment).toEqual({ "pull-requests": "write" });
    expect(Object.keys(perms).sort()).toEqual([...AZURE_JOBS, "comment", "pull-request"].sort());
  });

  test("Azure jobs: the stack's GitHub environment, OIDC from variables, azure/login with them", () => {
    for (const id of AZURE_JOBS) {
      const j = wf.jobs[id]!;
      expect({ id, environment: j.environment }).toEqual({ id, environment: "${{ inputs.stack }}" });
      expect(j.env).toMatchObject({
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}",
        ARM_TENANT_ID: "${{ vars.AZURE_TENANT_ID }}",
        ARM_SUBSCRIPTION_ID: "${{ vars.AZURE_SUBSCRIPTION_ID }}",
      });
      const login = j.steps.filter((s) => s.uses?.startsWith("azure/login@"));
      expect(login.map((s) => s.with)).toEqual([{ "client-id": "${{ vars.AZURE_CLIENT_ID }}", "tenant-id": "${{ vars.AZURE_TENANT_ID }}", "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}" }]);
    }
    for (const [id, j] of jobs) if (!AZURE_JOBS.includes(id)) expect({ id, login: j.steps.some((s) => s.uses?.startsWith("azure/login@")) }).toEqual({ id, login: false });
    expect(text).not.toMatch(/creds:|CLIENT_SECRET|client-secret/);
  });

  test("jobs that change the stack share its concurrency group and are never cancelled; watching stays out", () => {
    // finetune-<stack>, not pulumi-<stack>: no `pulumi up` runs here, so training never holds back a deployment (docs/delivery.md).
    for (const id of ["run", "pull-request"]) expect(wf.jobs[id]!.concurrency).toEqual({ group: "finetune-${{ inputs.stack }}", "cancel-in-progress": false });
    for (const id of ["resume-1", "resume-2"]) expect(wf.jobs[id]!.concurrency).toBeUndefined();
  });

  test("every job has a timeout within GitHub's 6-hour limit; watches stop early enough to hand over", () => {
    for (const [id, j] of jobs) {
      expect({ id, t: typeof j["timeout-minutes"] }).toEqual({ id, t: "number" });
      expect(j["timeout-minutes"]).toBeLessThanOrEqual(360);
    }
    // 330 minutes of watching (finetune-step.sh) fit in the 350 of the job with setup and evaluation.
    expect(readFileSync(join(ROOT, ".github", "scripts", "finetune-step.sh"), "utf8")).toContain("FINETUNE_MAX_WAIT_MINUTES:-330");
    expect(wf.jobs.run!["timeout-minutes"]).toBe(350);
  });

  test("actions pinned by full commit SHA with their version, the same pins as the other workflows", () => {
    const uses = text.split("\n").filter((l) => /^\s*(- )?uses: /.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      const m = /uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40} # v\d+\.\d+\.\d+)$/.exec(line.trim().replace(/^- /, ""));
      expect({ line, pinned: m !== null }).toEqual({ line, pinned: true });
      expect({ action: m![1], pin: m![2] }).toEqual({ action: m![1], pin: PINS[m![1]!] });
    }
  });

  test("Node 22; npm ci without install scripts; settings checked before anything runs against Azure", () => {
    for (const [, j] of jobs) for (const s of j.steps.filter((x) => x.uses?.startsWith("actions/setup-node@"))) expect(s.with).toEqual({ "node-version": 22, cache: "npm" });
    for (const id of AZURE_JOBS) {
      const steps = wf.jobs[id]!.steps;
      const check = steps.findIndex((s) => s.run === 'bash .github/scripts/require-settings.sh "$STACK" ARM_CLIENT_ID ARM_TENANT_ID ARM_SUBSCRIPTION_ID');
      expect({ id, check: check > -1 }).toEqual({ id, check: true });
      expect(check).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith("azure/login@")));
    }
    expect(text).not.toMatch(/run: npm ci\s*$/m);
  });

  test("secrets reach only the step that needs them, never a job's or the workflow's env", () => {
    expect(JSON.stringify(wf.env ?? {})).not.toContain("secrets.");
    for (const [id, j] of jobs) {
      expect({ id, env: JSON.stringify(j.env ?? {}) }).not.toEqual({ id, env: expect.stringContaining("secrets.") });
      for (const s of j.steps) {
        expect(JSON.stringify(s.with ?? {})).not.toContain("secrets.");
        expect(s.run ?? "").not.toContain("secrets.");
      }
    }
    const open = wf.jobs["pull-request"]!.steps.find((s) => s.name === "Open the pull request")!;
    expect(open.env?.GH_TOKEN).toBe("${{ secrets.FINETUNE_PR_TOKEN || github.token }}");
    expect((text.match(/secrets\./g) ?? []).length).toBe(2);
  });

  test("resumes watching in later runner jobs only while the job runs, and opens the PR after whichever finished", () => {
    expect(wf.jobs["resume-1"]).toMatchObject({ needs: "run", if: "needs.run.outputs.state == 'running'" });
    expect(wf.jobs["resume-2"]).toMatchObject({ needs: "resume-1", if: "needs.resume-1.outputs.state == 'running'" });
    const pr = wf.jobs["pull-request"]!;
    expect(pr.needs).toEqual(["run", "resume-1", "resume-2"]);
    for (const id of ["run", "resume-1", "resume-2"]) expect(pr.if).toContain(`needs.${id}.outputs.state == 'completed'`);
    expect(pr.if).toContain("!cancelled()");
  });
});

/** A temporary checkout with a stand-in `npm` (and `gh`), as the runner would have it. */
function sandbox(npmScript: string): { dir: string; env: NodeJS.ProcessEnv; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "finetune-wf-"));
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  writeFileSync(join(dir, "Pulumi.dev.yaml"), "# dev\nconfig:\n  llama-finetune-env:environment: dev\n");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@t", "add", "Pulumi.dev.yaml");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init");
  writeFileSync(join(bin, "npm"), `#!/usr/bin/env bash\necho "$@" >> "${dir}/npm-args"\n${npmScript}\n`);
  chmodSync(join(bin, "npm"), 0o755);
  const output = join(dir, "github-output");
  writeFileSync(output, "");
  return { dir, output, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STACK: "dev", GITHUB_OUTPUT: output } };
}

const STEP = join(ROOT, ".github", "scripts", "finetune-step.sh");
const PR = join(ROOT, ".github", "scripts", "finetune-pr.sh");
const RESULT = {
  stack: "dev",
  job: "llft-ft-meta-llama-3-1-8b-instruct-0123456789ab",
  baseModel: "azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/labels/latest",
  resolvedBaseModel: "azureml://registries/azureml-meta/models/Meta-Llama-3.1-8B-Instruct/versions/4",
  dataAssets: [{ role: "training", name: "training", version: "0123456789ab", sha256: "0123456789ab".padEnd(64, "0") }],
  outcome: "completed",
  fineTunedModelId: "azureml://locations/westus3/workspaces/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/models/llft-ft-x/versions/1",
};

describe("finetune-step.sh", () => {
  const completed = `echo '  llama-finetune-env:fineTunedModelId: x' >> Pulumi.dev.yaml\necho '${JSON.stringify(RESULT)}'\nexit 0`;

  test("completed: the JSON result, the config patch and state=completed; --write-config and --json always passed", () => {
    const s = sandbox(completed);
    const r = spawnSync("bash", [STEP], { cwd: s.dir, env: { ...s.env, FORCE: "true" }, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readFileSync(s.output, "utf8")).toBe("state=completed\n");
    expect(JSON.parse(readFileSync(join(s.dir, "finetune-out", "result.json"), "utf8"))).toEqual(RESULT);
    expect(readFileSync(join(s.dir, "finetune-out", "config.patch"), "utf8")).toMatch(/^\+ {2}llama-finetune-env:fineTunedModelId: x$/m);
    expect(readFileSync(join(s.dir, "npm-args"), "utf8").trim()).toBe("run --silent finetune -- --stack dev --max-wait 330 --write-config --json --force");
  });

  test("still running: state=running and success, except in the last segment", () => {
    const s = sandbox("echo '{\"outcome\":\"running\"}'\nexit 3");
    expect(spawnSync("bash", [STEP], { cwd: s.dir, env: s.env }).status).toBe(0);
    expect(readFileSync(s.output, "utf8")).toBe("state=running\n");
    const last = spawnSync("bash", [STEP, "--last"], { cwd: s.dir, env: s.env, encoding: "utf8" });
    expect(last.status).toBe(1);
    expect(last.stdout).toMatch(/::error title=Still running::.*run this workflow again/);
  });

  test("failed or refused: the command's exit code, no state", () => {
    const s = sandbox("echo '{\"outcome\":\"failed\"}'\nexit 1");
    const r = spawnSync("bash", [STEP], { cwd: s.dir, env: s.env, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(readFileSync(s.output, "utf8")).toBe("");
    expect(r.stdout).toMatch(/::error title=Fine-tuning did not succeed::npm run finetune exited with 1/);
  });
});

describe("finetune-pr.sh", () => {
  test("pushes a branch with the config change, opens the PR with the job's facts, and comments the evaluation", () => {
    const s = sandbox("exit 0");
    const remote = join(s.dir, "remote");
    execFileSync("git", ["init", "-q", "--bare", join(remote, "org", "repo.git")]);
    const out = join(s.dir, "finetune-out");
    mkdirSync(out);
    writeFileSync(join(out, "result.json"), JSON.stringify(RESULT));
    writeFileSync(join(s.dir, "Pulumi.dev.yaml"), `# dev\nconfig:\n  llama-finetune-env:environment: dev\n  llama-finetune-env:fineTunedModelId: ${RESULT.fineTunedModelId}\n`);
    writeFileSync(join(out, "config.patch"), execFileSync("git", ["diff"], { cwd: s.dir }));
    execFileSync("git", ["checkout", "-q", "Pulumi.dev.yaml"], { cwd: s.dir });
    writeFileSync(join(out, "evaluation.md"), "### Evaluation of `dev`\n| | base |\n");
    const ghLog = join(s.dir, "gh-log");
    writeFileSync(join(s.dir, ".bin", "gh"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${ghLog}"\nif [ "$1 $2" = "pr view" ]; then exit 1; fi\nfor a in "$@"; do if [ -f "$a" ]; then cat "$a" >> "${ghLog}"; fi; done\n`);
    chmodSync(join(s.dir, ".bin", "gh"), 0o755);
    const r = spawnSync("bash", [PR], {
      cwd: s.dir,
      encoding: "utf8",
      env: { ...s.env, GH_TOKEN: "t0ken", USES_OWN_TOKEN: "true", GITHUB_REPOSITORY: "org/repo", GITHUB_SERVER_URL: `file://${remote}`, GITHUB_REF_NAME: "main", RUN_URL: "https://run" },
    });
    expect(r.stderr).not.toMatch(/error|fatal/i);
    expect(r.status).toBe(0);
    const branch = `finetune/dev/${RESULT.job}`;
    const pushed = execFileSync("git", ["--git-dir", join(remote, "org", "repo.git"), "show", `${branch}:Pulumi.dev.yaml`], { encoding: "utf8" });
    expect(pushed).toContain(`llama-finetune-env:fineTunedModelId: ${RESULT.fineTunedModelId}`);
    const gh = readFileSync(ghLog, "utf8");
    expect(gh).toContain(`pr create --base main --head ${branch} --title dev: deploy the fine-tuned model of ${RESULT.job}`);
    expect(gh).toContain(`| fine-tuned model | \`${RESULT.fineTunedModelId}\` |`);
    expect(gh).toContain(`| base model | \`${RESULT.resolvedBaseModel}\` |`);
    expect(gh).toContain("| training data | `training:0123456789ab`");
    expect(gh).toContain("close and reopen this pull request to run its checks");
    expect(gh).toContain(`pr comment ${branch}`);
    expect(gh).toContain("<!-- llama-finetune-env:evaluation:dev -->\n### Evaluation of `dev`");
  });

  test("nothing to change: no branch, no pull request", () => {
    const s = sandbox("exit 0");
    const out = join(s.dir, "finetune-out");
    mkdirSync(out);
    writeFileSync(join(out, "result.json"), JSON.stringify(RESULT));
    writeFileSync(join(out, "config.patch"), "");
    const r = spawnSync("bash", [PR], { cwd: s.dir, encoding: "utf8", env: { ...s.env, GH_TOKEN: "t", GITHUB_REPOSITORY: "org/repo", GITHUB_REF_NAME: "main" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/::notice title=Nothing to change::Pulumi\.dev\.yaml already sets fineTunedModelId/);
  });
});
