/**
 * `npm run mutate [-- <folder>] [--static|--no-static] [--incremental] [--files <globs>]`:
 * StrykerJS mutation testing of one folder of the project (data/ by default) with its own
 * tests; configuration in stryker.config.js, arguments in cli/shared/mutate-args.ts. Static mutants (module-load code: schemas, tables, regexes) are included
 * for every folder but data/ unless overridden (see stryker.config.js for why). Prints
 * Stryker's report, then the folder's score with and without static mutants.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { EXIT_USAGE } from "./shared/exit-codes";
import { formatSummary, summarizeReport } from "./shared/mutation-score";
import { filesProblems, incrementalFile, strykerInvocation } from "./shared/mutate-args";
import { projectRoot } from "./shared/project-root";

/** Folders whose tests are not in test/<folder> (kept in step with FOLDER_TESTS in stryker.config.js). */
const TEST_DIRS: Readonly<Record<string, string>> = { teardown: "test/delivery" };

const root = projectRoot();
const program = new Command("mutate")
  .argument("[folder]", "project folder to mutate (data, config, policy, teardown, ...)", "data")
  .option("--static", "include static mutants (default for every folder but data)")
  .option("--no-static", "leave static mutants out (default for data)")
  .option("--incremental", `test only mutants whose code or tests changed since the last --incremental run of the folder (kept in ${incrementalFile("<folder>")})`)
  .option("--files <globs>", "mutate only these files of the folder (comma-separated globs, e.g. data/stats.ts,data/formats/*.ts; an entry may end in a line range, data/tokens/spans.ts:140-160)")
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE))
  .parse(process.argv);

const folder = program.args[0]?.replace(/\/+$/, "") ?? "data";
const testDir = TEST_DIRS[folder] ?? path.join("test", folder);
if (!/^[a-z][a-z0-9-]*$/.test(folder) || !existsSync(path.join(root, folder)) || !existsSync(path.join(root, testDir))) {
  process.stderr.write(`mutate: "${folder}" is not a project folder with tests in ${testDir} (e.g. data, config, policy, teardown)\n`);
  process.exit(EXIT_USAGE);
}
const opts = program.opts<{ static?: boolean; incremental?: boolean; files?: string }>();
const problems = opts.files === undefined ? [] : filesProblems(folder, opts.files);
if (problems.length > 0) {
  process.stderr.write(problems.map((p) => `mutate: ${p}\n`).join(""));
  process.exit(EXIT_USAGE);
}
// commander sets `static` only when one of the two flags is given.
const staticChoice = program.getOptionValueSource("static") === "cli" ? (opts.static ? "include" : "ignore") : undefined;
const invocation = strykerInvocation(folder, { staticChoice, incremental: opts.incremental, files: opts.files });
const started = Date.now();
const run = spawnSync(process.execPath, [path.join(root, "node_modules/@stryker-mutator/core/bin/stryker.js"), ...invocation.args], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...invocation.env },
});
const report = path.join(root, invocation.report);
if (run.status === 0 && existsSync(report)) {
  process.stdout.write(`${formatSummary(folder, summarizeReport(JSON.parse(readFileSync(report, "utf8"))))}\nwall time: ${((Date.now() - started) / 60000).toFixed(1)} min\n`);
}
process.exitCode = run.status ?? 1;
