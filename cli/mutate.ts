/**
 * `npm run mutate [-- <folder>]`: StrykerJS mutation testing of one folder of the project
 * (data/ by default), with its own tests (test/<folder>); configuration in stryker.config.js.
 * Prints Stryker's report; the score of the folder is the line "All files" of the table.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { EXIT_USAGE } from "./shared/exit-codes";
import { projectRoot } from "./shared/project-root";

const root = projectRoot();
const folder = (process.argv[2] ?? "data").replace(/\/+$/, "");
if (!/^[a-z][a-z0-9-]*$/.test(folder) || !existsSync(path.join(root, folder)) || !existsSync(path.join(root, "test", folder))) {
  process.stderr.write(`mutate: "${folder}" is not a project folder with tests in test/${folder} (e.g. data, config, policy, teardown)\n`);
  process.exit(EXIT_USAGE);
}
const run = spawnSync(process.execPath, [path.join(root, "node_modules/@stryker-mutator/core/bin/stryker.js"), "run", "stryker.config.js"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, MUTATE_FOLDER: folder },
});
process.exitCode = run.status ?? 1;
