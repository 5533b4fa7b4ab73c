/**
 * StrykerJS mutation testing (`npm run mutate [-- <folder>] [--static|--no-static]`, data/ by
 * default; cli/mutate.ts passes the folder in MUTATE_FOLDER and the static choice in
 * MUTATE_STATIC). Sized for two shared cores:
 * - the jest runner with per-test coverage analysis: each mutant runs only the tests that
 *   execute it, not the whole suite (jest's own related-tests lookup is off: with the roots
 *   below it cannot see the folder's sources and would select no test at all);
 * - only the folder's own tests in the dry run (test/<folder>, or the files listed in
 *   FOLDER_TESTS below), since tests elsewhere never target it on purpose;
 * - a failed test ends the mutant's run (stryker.fail-fast.js skips the tests after it): one
 *   failure kills the mutant, and Stryker's jest runner cannot bail by itself;
 * - no TypeScript checker: ts-jest already transpiles each mutant (isolatedModules), and type
 *   checking every mutant would cost more than running the few that do not compile;
 * - static mutants (in code that runs when a module loads: constants, tables, zod schemas,
 *   regexes, each policy rule's `types`) reach no test by coverage, so each one reruns every
 *   test of the folder. In config/, policy/ and teardown/ they are where the guardrails live
 *   (an emptied `types` list switches a policy off, a dropped `.max()` lets any value through),
 *   so they are included and counted in the score; their folders' tests take seconds. In
 *   data/ they are left out (`ignoreStatic`): there each one cost a full run of the data
 *   tests, which made a run take five hours, and the mutants in functions are the ones its
 *   tests are meant to kill. `--static` / `--no-static` override the folder's default;
 * - tests that run the commands in child processes (`cli.test.ts`) are left out: a child
 *   process reports no per-test coverage, so they would only run for static mutants; so are
 *   the megabyte-scale and thousand-case tests (`*.large.test.ts`) and the tests that plan the whole Pulumi
 *   program under the mock runtime (`*.program.test.ts`), which cover nearly every mutant and
 *   would each add seconds to every one of them (they stay in `npm test`).
 */
const path = require("node:path");
const base = require("./jest.config.js");

const folder = process.env.MUTATE_FOLDER || "data";

/** Folders whose tests do not live in test/<folder>: where they are instead. */
const FOLDER_TESTS = {
  // The teardown command's tests sit with the delivery tests (the workflows call it).
  teardown: { root: "test/delivery", testMatch: ["**/teardown*.test.ts"] },
};

/** Folders whose static mutants are left out unless `--static` is given (see above). */
const STATIC_IGNORED_BY_DEFAULT = ["data"];

const tests = FOLDER_TESTS[folder] ?? { root: `test/${folder}`, testMatch: base.testMatch };
const staticChoice = process.env.MUTATE_STATIC;
const ignoreStatic = staticChoice === "include" ? false : staticChoice === "ignore" ? true : STATIC_IGNORED_BY_DEFAULT.includes(folder);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    config: {
      ...base,
      testEnvironment: path.join(__dirname, "stryker.fail-fast.js"),
      roots: [`<rootDir>/${tests.root}`],
      testMatch: tests.testMatch,
      testPathIgnorePatterns: ["/node_modules/", "cli\\.test\\.ts$", "\\.large\\.test\\.ts$", "\\.program\\.test\\.ts$"],
      collectCoverageFrom: undefined,
      coverageReporters: undefined,
    },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: "perTest",
  ignoreStatic,
  mutate: [`${folder}/**/*.ts`],
  concurrency: 2,
  // Generous: on two cores shared with other jobs a run of the folder's tests can take several
  // times its dry-run time, and a mutant that merely ran slowly must not count as detected.
  timeoutMS: 10000,
  timeoutFactor: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  ignorePatterns: [".bench", "bin", "coverage", "reports", ".scratch", ".stryker-tmp"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
