/**
 * How `npm run mutate` calls StrykerJS (cli/shared/mutate-args.ts), and the command's refusals,
 * which happen before Stryker starts (run through the command itself, in a child process).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { filesProblems, strykerInvocation } from "../../cli/shared/mutate-args";

const ROOT = path.resolve(__dirname, "../..");

describe("strykerInvocation", () => {
  it("passes the folder (and the static choice only when one was made) in the environment", () => {
    expect(strykerInvocation("config", {})).toEqual({ args: ["run", "stryker.config.js"], env: { MUTATE_FOLDER: "config" }, report: "reports/mutation/config.json" });
    expect(strykerInvocation("data", { staticChoice: "include" }).env).toEqual({ MUTATE_FOLDER: "data", MUTATE_STATIC: "include" });
  });

  it("--incremental keeps one incremental file per folder; --files becomes Stryker's --mutate", () => {
    expect(strykerInvocation("data", { incremental: true, files: "data/stats.ts,data/formats/*.ts" }).args).toEqual([
      "run",
      "stryker.config.js",
      "--incremental",
      "--incrementalFile",
      "reports/mutation/data.incremental.json",
      "--mutate",
      "data/stats.ts,data/formats/*.ts",
    ]);
    expect(strykerInvocation("policy", { incremental: true }).args).toContain("reports/mutation/policy.incremental.json");
  });
});

describe("filesProblems", () => {
  it("accepts globs inside the folder and names every one that is not", () => {
    expect(filesProblems("data", "data/stats.ts, data/formats/*.ts")).toEqual([]);
    // Stryker's own line ranges (file:line-line, file:line:column-line:column) pass through unchanged.
    expect(filesProblems("data", "data/tokens/spans.ts:140-160,data/tokens/bpe.ts:54:8-54:33")).toEqual([]);
    expect(strykerInvocation("data", { files: "data/tokens/spans.ts:140-160" }).args.slice(-2)).toEqual(["--mutate", "data/tokens/spans.ts:140-160"]);
    expect(filesProblems("data", "config/schema.ts,data/../config/x.ts,,data/a.ts")).toEqual([
      '--files: "config/schema.ts" is not inside data/; give paths such as data/<file>.ts',
      '--files: "data/../config/x.ts" is not inside data/; give paths such as data/<file>.ts',
      '--files has an empty entry in "config/schema.ts,data/../config/x.ts,,data/a.ts"; separate globs with single commas',
    ]);
  });
});

describe("npm run mutate refuses before starting Stryker", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "cli/run.js"), "mutate", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  it("a folder that is not the project's, with exit code 2 and no stack trace", () => {
    const r = run("nowhere");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('mutate: "nowhere" is not a project folder with tests in test/nowhere (e.g. data, config, policy, teardown)\n');
  });

  it("--files outside the folder, each named", () => {
    const r = run("policy", "--files", "data/stats.ts,teardown/guard.ts");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'mutate: --files: "data/stats.ts" is not inside policy/; give paths such as policy/<file>.ts',
      'mutate: --files: "teardown/guard.ts" is not inside policy/; give paths such as policy/<file>.ts',
    ]);
  });
});
