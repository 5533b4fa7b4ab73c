/**
 * The two ways the teardown command says no. The CLI maps them to exit codes:
 * a usage error (bad or missing flags) exits 2, a refusal (the request is well formed but
 * unsafe or impossible, e.g. prod without --force-prod) exits 1, like a failed step.
 */

/** The flags themselves are wrong: unknown, malformed or contradictory. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The flags are well formed but the teardown must not (or cannot) go ahead. */
export class TeardownRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TeardownRefusal";
  }
}

/** A command of the plan exited non-zero (or could not start); says how to resume. */
export class StepFailed extends Error {
  constructor(
    message: string,
    readonly stepId: string,
  ) {
    super(message);
    this.name = "StepFailed";
  }
}
