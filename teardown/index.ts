/** Teardown of a stack: the guard, the ordered commands, the runner and the expiry check. */
export { StepFailed, TeardownRefusal, UsageError } from "./errors";
export { selectExpiredStacks, shortStackName, stackListSchema, type ExpiryDecision } from "./expired";
export { parseFlags, STEP_IDS, type Flags } from "./flags";
export { assertTeardownAllowed, effectiveKind } from "./guard";
export { formatCommand, ML_API_VERSION, needsSubscription, planTeardown, PROVIDERS_NOTE, stepsFrom, SUBSCRIPTION_PLACEHOLDER, type TeardownPlan, type TeardownStep } from "./plan";
export { runSteps, spawnInheriting, type Spawner } from "./run";
export { runTeardownCommand, type CommandIo } from "./command";
