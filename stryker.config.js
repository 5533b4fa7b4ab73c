/**
 * StrykerJS mutation testing (`npm run mutate [-- <folder>]`, data/ by default; cli/mutate.ts
 * passes the folder in MUTATE_FOLDER). Sized for two shared cores:
 * - the jest runner with per-test coverage analysis: each mutant runs only the tests that
 *   execute it, not the whole suite (jest's own related-tests lookup is off: with the roots
 *   below it cannot see the folder's sources and would select no test at all);
 * - only the folder's own tests (test/<folder>) in the dry run, since tests elsewhere never
 *   target it on purpose;
 * - no TypeScript checker: ts-jest already transpiles each mutant (isolatedModules), and type
 *   checking every mutant would cost more than running the few that do not compile;
 * - static mutants (in code that runs when a module loads: constants, tables) are left out
 *   (`ignoreStatic`): each one reruns every test of the folder, which made a run of data/ take
 *   five hours; the mutants in functions are the ones the tests are meant to kill;
 * - tests that run the commands in child processes (test/<folder>/cli.test.ts) are left out: a
 *   child process reports no per-test coverage, so they would only run for static mutants; so
 *   are the megabyte-scale tests (`*.large.test.ts`), which cover nearly every mutant and would
 *   each add seconds to every one of them.
 */
const base = require("./jest.config.js");

const folder = process.env.MUTATE_FOLDER || "data";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    config: { ...base, roots: [`<rootDir>/test/${folder}`], testPathIgnorePatterns: ["/node_modules/", "cli\\.test\\.ts$", "\\.large\\.test\\.ts$"], collectCoverageFrom: undefined, coverageReporters: undefined },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  mutate: [`${folder}/**/*.ts`],
  concurrency: 2,
  timeoutMS: 5000,
  timeoutFactor: 1.5,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  ignorePatterns: [".bench", "bin", "coverage", "reports", ".scratch", ".stryker-tmp"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
