/**
 * The fail-fast test environment of `npm run mutate` (stryker.fail-fast.js): in a mutant run,
 * the first failed test skips every later test of the run, across test files; with no active
 * mutant (the dry run, `npm test`) every test runs. Run through Jest itself, in a child process,
 * on two small test files written here.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const ENVIRONMENT = path.join(ROOT, "stryker.fail-fast.js");

type JestJson = { numPassedTests: number; numFailedTests: number; numPendingTests: number; testResults: { assertionResults: { title: string; status: string }[] }[] };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "fail-fast-"));
  // "a" runs before "b" (--runInBand keeps one process; the sequencer is told the order below).
  writeFileSync(path.join(dir, "a.test.js"), 'test("a1 passes", () => {});\ntest("a2 fails", () => { expect(1).toBe(2); });\ntest("a3 passes", () => {});\n');
  writeFileSync(path.join(dir, "b.test.js"), 'test("b1 passes", () => {});\ntest("b2 fails", () => { throw new Error("b2"); });\n');
  writeFileSync(path.join(dir, "sequencer.js"), 'const S = require(require.resolve("@jest/test-sequencer", { paths: [' + JSON.stringify(ROOT) + "] })).default;\nmodule.exports = class extends S { sort(tests) { return [...tests].sort((x, y) => x.path.localeCompare(y.path)); } };\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runJest(env: NodeJS.ProcessEnv): Map<string, string> {
  const config = { rootDir: dir, testEnvironment: ENVIRONMENT, testMatch: ["**/*.test.js"], transform: {}, testSequencer: path.join(dir, "sequencer.js"), cacheDirectory: path.join(dir, "cache") };
  const out = path.join(dir, "result.json");
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/jest/bin/jest.js"), "--config", JSON.stringify(config), "--runInBand", "--json", "--outputFile", out], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  expect(r.status).toBe(1); // a test failed in every run below
  const json = JSON.parse(readFileSync(out, "utf8")) as JestJson;
  return new Map(json.testResults.flatMap((f) => f.assertionResults.map((t) => [t.title, t.status] as const)));
}

test("in a mutant run, tests after the first failure are skipped, in its file and the next", () => {
  const { __STRYKER_ACTIVE_MUTANT__: _, ...clean } = process.env;
  const statuses = runJest({ ...clean, __STRYKER_ACTIVE_MUTANT__: "12" });
  expect(Object.fromEntries(statuses)).toEqual({ "a1 passes": "passed", "a2 fails": "failed", "a3 passes": "pending", "b1 passes": "pending", "b2 fails": "pending" });
});

test("with no active mutant (dry run, npm test) every test runs", () => {
  const { __STRYKER_ACTIVE_MUTANT__: _, ...clean } = process.env;
  const statuses = runJest(clean);
  expect(Object.fromEntries(statuses)).toEqual({ "a1 passes": "passed", "a2 fails": "failed", "a3 passes": "passed", "b1 passes": "passed", "b2 fails": "failed" });
});

test("the rule is per mutant: a failure in one mutant's run skips nothing in the next mutant's", async () => {
  // One test-runner process runs many mutants; the module keeps which one failed.
  const Env = require(ENVIRONMENT) as { prototype: { handleTestEvent(event: { name: string; test?: { mode?: string } }): Promise<void> } };
  const saved = process.env.__STRYKER_ACTIVE_MUTANT__;
  const start = async (mutant: string) => {
    process.env.__STRYKER_ACTIVE_MUTANT__ = mutant;
    const test: { mode?: string } = {};
    await Env.prototype.handleTestEvent({ name: "test_start", test });
    return test.mode;
  };
  try {
    process.env.__STRYKER_ACTIVE_MUTANT__ = "1";
    await Env.prototype.handleTestEvent({ name: "test_fn_failure" });
    expect(await start("1")).toBe("skip");
    expect(await start("2")).toBeUndefined();
    process.env.__STRYKER_ACTIVE_MUTANT__ = "2";
    await Env.prototype.handleTestEvent({ name: "hook_failure" });
    expect(await start("2")).toBe("skip");
  } finally {
    if (saved === undefined) delete process.env.__STRYKER_ACTIVE_MUTANT__;
    else process.env.__STRYKER_ACTIVE_MUTANT__ = saved;
  }
});
