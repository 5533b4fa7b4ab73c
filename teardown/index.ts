/** Teardown of a stack: the guard, the ordered and checked steps, the runner and the expiry check. */
export { StepFailed, TeardownRefusal, UsageError } from "./errors";
export { selectExpiredStacks, shortStackName, stackListSchema, type ExpiryDecision } from "./expired";
export { parseFlags, type Flags } from "./flags";
export { assertTeardownAllowed, effectiveKind } from "./guard";
export {
  formatCommand,
  ML_API_VERSION,
  needsSubscription,
  planTeardown,
  PROVIDERS_NOTE,
  STEP_IDS,
  stepsFrom,
  SUBSCRIPTION_PLACEHOLDER,
  type StepId,
  type TeardownPlan,
  type TeardownStep,
} from "./plan";
export { NOT_FOUND, probeCommands, saysNotFound, type Probe } from "./probe";
export { checkPresence, processExecutor, ProbeFailed, runSteps, type Captured, type Executor, type StepOutcome } from "./run";
export { resolveStackConfig, type ResolvedConfig } from "./stackConfig";
export { rerunCommand, runTeardownCommand, type CommandIo } from "./command";
