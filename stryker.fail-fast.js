/**
 * The Jest test environment of `npm run mutate` (set in stryker.config.js): Node's, plus a
 * fail-fast rule for mutant runs. Once a test has failed while a mutant is active, every later
 * test of the same mutant run is skipped, in that file and in the files after it.
 *
 * Why: one failing test is all it takes to kill a mutant, but Stryker's jest runner cannot bail
 * (Jest has no programmatic bail, https://github.com/jestjs/jest/issues/11766, so the runner
 * sets `bail: false`, see @stryker-mutator/jest-runner's jest-override-options.js) and runs every
 * test that covers the mutant to its end. In data/, a mutant in the token counter is covered by
 * about 150 tests that together take minutes under Stryker's instrumentation; most mutants fail
 * the first of them.
 *
 * What it does not change: which mutants are killed (a run with a failed test is killed whatever
 * comes after it), surviving mutants (nothing failed, so nothing is skipped), the dry run and
 * `npm test` (no active mutant: nothing is ever skipped).
 *
 * How: jest-circus dispatches `test_start` to the environment before it looks at the test's mode,
 * so a test marked `skip` there is reported as skipped. The rule is keyed by the active mutant's
 * id (the `__STRYKER_ACTIVE_MUTANT__` variable Stryker sets for each mutant run), which this
 * module, loaded once per test-runner process, keeps across the run's test files.
 */
const { TestEnvironment } = require("jest-environment-node");

const ACTIVE_MUTANT = "__STRYKER_ACTIVE_MUTANT__";
/** The mutant whose run has a failed test (undefined: none yet). */
let failedMutant;

class FailFastEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) return;
    if (event.name === "test_fn_failure" || event.name === "hook_failure") failedMutant = mutant;
    else if (event.name === "test_start" && failedMutant === mutant) event.test.mode = "skip";
  }
}

module.exports = FailFastEnvironment;
